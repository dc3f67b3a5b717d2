package io.tributary.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.common.Json;
import io.tributary.server.ConfigKeys;
import io.tributary.server.TestingServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saved objects with owners and shares over real HTTP and sessions; hostile and malformed requests. */
class SharingTest {
    private static final String PASSWORD = "shared-password-1";

    @TempDir
    static Path dir;

    static TestingServer server;
    static WebClient alice;
    static WebClient bob;
    static WebClient carol;
    static WebClient dave;

    @BeforeAll
    static void start() {
        server = TestingServer.start(dir.resolve("data"));
        for (String user : List.of("alice", "bob", "carol", "dave")) {
            server.server().users().create(user, PASSWORD, Set.of());
        }
        WebClient web = WebClient.at(server.uri());
        alice = web.login("alice", PASSWORD);
        bob = web.login("bob", PASSWORD);
        carol = web.login("carol", PASSWORD);
        dave = web.login("dave", PASSWORD);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anyoneLoggedInReadsUserNamesToShareWithButNotTheUsers() {
        WebClient.Response names = dave.get("/api/users/names");
        assertThat(names.status()).isEqualTo(200);
        assertThat(names.body()).isEqualTo("[\"admin\",\"alice\",\"bob\",\"carol\",\"dave\"]");
        assertThat(dave.get("/api/users").status()).as("roles and dates stay with administrators").isEqualTo(403);
        // A program's key needs READ on users, as for the full list.
        io.tributary.auth.AccessKey.WithSecret key = server.server().accessKeys().create("dave", "a producer");
        WebClient program = WebClient.at(server.uri()).withBasic(key.key().id(), key.secret());
        assertThat(program.get("/api/users/names").status()).isEqualTo(403);
        assertThat(WebClient.at(server.uri()).get("/api/users/names").status()).isEqualTo(401);
    }

    private static JsonNode created(WebClient client, String kind, String name, String body) {
        WebClient.Response r = client.post("/api/" + kind, "{\"name\":" + Json.mapper().valueToTree(name) + ",\"body\":" + body + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private static List<String> ids(WebClient.Response list) {
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        list.json().forEach(o -> ids.add(o.path("id").asText()));
        return ids;
    }

    @Test
    void viewersSeeSharedDashboardsAndTheirVisualsButCannotChangeThem() {
        JsonNode visual = created(alice, "visuals", "Revenue by month", "{\"type\":\"bar\",\"sql\":\"SELECT 1\"}");
        String visualId = visual.path("id").asText();
        assertThat(visual.path("owner").asText()).isEqualTo("alice");
        assertThat(visual.path("access").asText()).isEqualTo("owner");
        assertThat(visual.path("kind").asText()).isEqualTo("visuals");
        assertThat(visual.path("body").path("type").asText()).isEqualTo("bar");
        assertThat(visual.path("shares").isEmpty()).isTrue();
        JsonNode dashboard = created(alice, "dashboards", "Sales", "{\"panels\":[{\"visual\":\"" + visualId + "\",\"x\":0,\"y\":0,\"w\":6,\"h\":4}]}");
        String dashboardId = dashboard.path("id").asText();
        JsonNode secret = created(alice, "dashboards", "Secret plans", "{\"panels\":[]}");
        String secretId = secret.path("id").asText();
        JsonNode privateVisual = created(alice, "visuals", "Private", "{}");

        WebClient.Response shared = alice.put("/api/dashboards/" + dashboardId + "/shares", "[{\"user\":\"bob\",\"level\":\"viewer\"}]");
        assertThat(shared.status()).as(shared.body()).isEqualTo(200);
        assertThat(shared.json().path("shares").toString()).isEqualTo("[{\"user\":\"bob\",\"level\":\"viewer\"}]");

        // Bob sees the shared dashboard and, through it, its visual; not the secret dashboard nor the private visual.
        assertThat(ids(bob.get("/api/dashboards"))).containsExactly(dashboardId);
        assertThat(ids(bob.get("/api/visuals"))).containsExactly(visualId);
        WebClient.Response bobsView = bob.get("/api/dashboards/" + dashboardId);
        assertThat(bobsView.status()).isEqualTo(200);
        assertThat(bobsView.json().path("access").asText()).isEqualTo("viewer");
        assertThat(bobsView.json().path("body")).isEqualTo(Json.mapper().createObjectNode().set("panels", dashboard.path("body").path("panels")));
        assertThat(bob.get("/api/visuals/" + visualId).json().path("access").asText()).isEqualTo("viewer");
        WebClient.Response hidden = bob.get("/api/dashboards/" + secretId);
        WebClient.Response missing = bob.get("/api/dashboards/00000000-0000-0000-0000-000000000000");
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(missing.status()).isEqualTo(404);
        // An unshared object and one that does not exist cannot be told apart.
        assertThat(hidden.message().replace(secretId, "ID")).isEqualTo(missing.message().replace("00000000-0000-0000-0000-000000000000", "ID"));
        assertThat(bob.get("/api/visuals/" + privateVisual.path("id").asText()).status()).isEqualTo(404);
        assertThat(bob.put("/api/dashboards/" + secretId, "{\"name\":\"x\",\"body\":{}}").status()).isEqualTo(404);
        assertThat(bob.delete("/api/dashboards/" + secretId).status()).isEqualTo(404);
        assertThat(bob.put("/api/dashboards/" + secretId + "/shares", "[{\"user\":\"bob\",\"level\":\"co-owner\"}]").status()).isEqualTo(404);

        // Read-only for the viewer.
        WebClient.Response put = bob.put("/api/dashboards/" + dashboardId, "{\"name\":\"Mine now\",\"body\":{\"panels\":[]}}");
        assertThat(put.status()).isEqualTo(403);
        assertThat(put.message()).contains("may only view");
        assertThat(bob.put("/api/visuals/" + visualId, "{\"name\":\"x\",\"body\":{}}").status()).isEqualTo(403);
        assertThat(bob.delete("/api/dashboards/" + dashboardId).status()).isEqualTo(403);
        assertThat(bob.delete("/api/visuals/" + visualId).status()).isEqualTo(403);
        assertThat(bob.put("/api/dashboards/" + dashboardId + "/shares", "[{\"user\":\"bob\",\"level\":\"co-owner\"}]").status()).isEqualTo(403);
        assertThat(alice.get("/api/dashboards/" + dashboardId).json().path("name").asText()).isEqualTo("Sales");
        assertThat(alice.get("/api/dashboards/" + dashboardId).json().path("shares").size()).isEqualTo(1);

        // Dave, with no share, sees none of it.
        assertThat(ids(dave.get("/api/dashboards"))).isEmpty();
        assertThat(ids(dave.get("/api/visuals"))).isEmpty();
        assertThat(dave.get("/api/visuals/" + visualId).status()).isEqualTo(404);

        // The administrator sees everything.
        WebClient admin = WebClient.at(server.uri()).login("admin", TestingServer.ADMIN_PASSWORD);
        assertThat(ids(admin.get("/api/dashboards"))).contains(dashboardId, secretId);
    }

    @Test
    void coOwnersEditAndReshareButOnlyTheOwnerDeletes() {
        String id = created(alice, "analyses", "Churn", "{\"steps\":[1,2,3]}").path("id").asText();
        assertThat(alice.put("/api/analyses/" + id + "/shares", "[{\"user\":\"carol\",\"level\":\"co-owner\"}]").status()).isEqualTo(200);

        WebClient.Response edit = carol.put("/api/analyses/" + id, "{\"name\":\"Churn v2\",\"body\":{\"steps\":[1,2,3,4]}}");
        assertThat(edit.status()).as(edit.body()).isEqualTo(200);
        assertThat(edit.json().path("access").asText()).isEqualTo("co-owner");
        assertThat(edit.json().path("owner").asText()).isEqualTo("alice");
        assertThat(alice.get("/api/analyses/" + id).json().path("body").path("steps").size()).isEqualTo(4);
        assertThat(alice.get("/api/analyses/" + id).json().path("name").asText()).isEqualTo("Churn v2");
        // A client may send the object back as it got it: read-only fields are accepted and ignored.
        JsonNode roundTrip = alice.get("/api/analyses/" + id).json();
        assertThat(carol.put("/api/analyses/" + id, roundTrip.toString()).status()).isEqualTo(200);

        WebClient.Response reshare = carol.put("/api/analyses/" + id + "/shares",
                "[{\"user\":\"carol\",\"level\":\"co-owner\"},{\"user\":\"dave\",\"level\":\"viewer\"}]");
        assertThat(reshare.status()).as(reshare.body()).isEqualTo(200);
        assertThat(dave.get("/api/analyses/" + id).json().path("access").asText()).isEqualTo("viewer");

        WebClient.Response delete = carol.delete("/api/analyses/" + id);
        assertThat(delete.status()).isEqualTo(403);
        assertThat(delete.message()).contains("only the owner alice");
        assertThat(alice.get("/api/analyses/" + id).status()).isEqualTo(200);

        // Unsharing takes access away at once.
        assertThat(alice.put("/api/analyses/" + id + "/shares", "[]").status()).isEqualTo(200);
        assertThat(carol.get("/api/analyses/" + id).status()).isEqualTo(404);
        assertThat(dave.get("/api/analyses/" + id).status()).isEqualTo(404);

        assertThat(alice.delete("/api/analyses/" + id).status()).isEqualTo(204);
        assertThat(alice.get("/api/analyses/" + id).status()).isEqualTo(404);
        assertThat(alice.delete("/api/analyses/" + id).status()).isEqualTo(404);
    }

    @Test
    void malformedRequestsAreRefusedWithTheProblemNamed() {
        String id = created(alice, "dashboards", "Target", "{\"panels\":[]}").path("id").asText();
        assertBad(alice.post("/api/dashboards", "not json"), 400, "not valid JSON");
        assertBad(alice.post("/api/dashboards", "[1,2]"), 400, "JSON object");
        assertBad(alice.post("/api/dashboards", "{\"name\":\"\",\"body\":{}}"), 400, "'name' must be 1 to 200 characters");
        assertBad(alice.post("/api/dashboards", "{\"name\":\"   \",\"body\":{}}"), 400, "blank");
        assertBad(alice.post("/api/dashboards", "{\"name\":\"" + "n".repeat(201) + "\",\"body\":{}}"), 400, "201 characters");
        assertBad(alice.post("/api/dashboards", "{\"body\":{}}"), 400, "'name'");
        assertBad(alice.post("/api/dashboards", "{\"name\":\"x\"}"), 400, "'body'");
        assertBad(alice.post("/api/dashboards", "{\"name\":\"x\",\"body\":\"text\"}"), 400, "'body' must be a JSON object");
        assertBad(alice.post("/api/dashboards", "{\"name\":\"x\",\"body\":{},\"colour\":1}"), 400, "unknown field 'colour'");
        assertBad(alice.post("/api/dashboards", "{\"kind\":\"reports\",\"name\":\"x\",\"body\":{}}"), 400, "unknown kind 'reports'");
        assertBad(alice.post("/api/dashboards", "{\"kind\":\"visuals\",\"name\":\"x\",\"body\":{}}"), 400, "does not match");
        assertThat(alice.post("/api/reports", "{\"name\":\"x\",\"body\":{}}").status()).as("unknown kind in the path").isEqualTo(404);
        assertThat(alice.post("/api/reports", "{\"name\":\"x\",\"body\":{}}").body()).contains("/api/reports");

        // Nesting: 100 levels are fine, 101 are not; thousands are refused by the parser without harm.
        WebClient.Response deepest = alice.post("/api/visuals", "{\"name\":\"deep\",\"body\":" + nested(99) + "}");
        assertThat(deepest.status()).isEqualTo(201);
        java.util.regex.Matcher deepId = java.util.regex.Pattern.compile("^\\{\"id\":\"([^\"]+)\"").matcher(deepest.body());
        assertThat(deepId.find()).as(deepest.body()).isTrue();
        assertThat(alice.get("/api/visuals/" + deepId.group(1)).body()).contains(nested(99));
        assertBad(alice.post("/api/visuals", "{\"name\":\"deep\",\"body\":" + nested(100) + "}"), 400, "nested 101 levels deep; at most 100");
        assertBad(alice.post("/api/visuals", "{\"name\":\"deep\",\"body\":" + nested(5000) + "}"), 400, "nesting depth");

        // Size: just under 1 MiB is stored, just over is 413.
        String filler = "x".repeat(1024 * 1024 - 20);
        assertThat(alice.post("/api/visuals", "{\"name\":\"big\",\"body\":{\"a\":\"" + filler + "\"}}").status()).isEqualTo(201);
        assertBad(alice.post("/api/visuals", "{\"name\":\"big\",\"body\":{\"a\":\"" + filler + "x".repeat(100) + "\"}}"), 413, "1 MiB");

        // Shares.
        assertBad(alice.put("/api/dashboards/" + id + "/shares", "[{\"user\":\"zoe\",\"level\":\"viewer\"}]"), 400, "'zoe': no such user");
        assertBad(alice.put("/api/dashboards/" + id + "/shares", "[{\"user\":\"bob\",\"level\":\"admin\"}]"), 400, "unknown share level 'admin'");
        assertBad(alice.put("/api/dashboards/" + id + "/shares", "{\"user\":\"bob\"}"), 400, "JSON list");
        assertBad(alice.put("/api/dashboards/" + id + "/shares", "[\"bob\"]"), 400, "each share");
        assertBad(alice.put("/api/dashboards/" + id + "/shares", "[{\"user\":\"bob\",\"level\":\"viewer\"},{\"user\":\"bob\",\"level\":\"co-owner\"}]"),
                400, "listed twice");
        assertBad(alice.put("/api/dashboards/" + id + "/shares", "[{\"user\":\"alice\",\"level\":\"viewer\"}]"), 400, "owns this dashboard");
        assertBad(alice.put("/api/dashboards/" + id + "/shares", "[{\"user\":\"bob\""), 400, "not valid JSON");
        assertThat(alice.get("/api/dashboards/" + id).json().path("shares").isEmpty()).as("refused shares change nothing").isTrue();
        assertThat(alice.get("/api/dashboards/" + id).json().path("name").asText()).isEqualTo("Target");
        // Hostile ids are just unknown.
        assertThat(alice.get("/api/dashboards/..%2F..%2Fetc").status()).isEqualTo(404);
        assertThat(alice.get("/api/dashboards/' OR 1=1 --".replace(" ", "%20")).status()).isEqualTo(404);
    }

    @Test
    void objectsAndSharesSurviveARestartAndAnonymousOperatorOwnsEverything() {
        Path data = dir.resolve("restart");
        String id;
        try (TestingServer first = TestingServer.start(data)) {
            first.server().users().create("erin", PASSWORD, Set.of());
            first.server().users().create("finn", PASSWORD, Set.of());
            WebClient erin = WebClient.at(first.uri()).login("erin", PASSWORD);
            id = created(erin, "dashboards", "Kept", "{\"panels\":[]}").path("id").asText();
            assertThat(erin.put("/api/dashboards/" + id + "/shares", "[{\"user\":\"finn\",\"level\":\"viewer\"}]").status()).isEqualTo(200);
        }
        try (TestingServer second = TestingServer.start(data)) {
            WebClient finn = WebClient.at(second.uri()).login("finn", PASSWORD);
            assertThat(finn.get("/api/dashboards/" + id).json().path("name").asText()).isEqualTo("Kept");
        }
        try (TestingServer open = TestingServer.start(data, Map.of(ConfigKeys.AUTH_ENABLED.name(), "false"))) {
            WebClient anonymous = WebClient.at(open.uri());
            WebClient.Response seen = anonymous.get("/api/dashboards/" + id);
            assertThat(seen.json().path("access").asText()).isEqualTo("owner");
            JsonNode mine = created(anonymous, "visuals", "By the operator", "{}");
            assertThat(mine.path("owner").asText()).isEqualTo("anonymous");
            assertThat(anonymous.delete("/api/dashboards/" + id).status()).isEqualTo(204);
        }
    }

    private static void assertBad(WebClient.Response response, int status, String messagePart) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.message()).contains(messagePart);
    }

    /** A JSON object nested {@code levels} more levels inside the outer one: {"a":{"a":...{}}}. */
    private static String nested(int levels) {
        return "{\"a\":".repeat(levels) + "{}" + "}".repeat(levels);
    }
}
