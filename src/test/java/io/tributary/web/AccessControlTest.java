package io.tributary.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import io.tributary.server.DemoPipeline;
import io.tributary.server.TestingServer;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One authorizer for search (its own port and the main port's pass-through) and SQL: a user
 * without a role on {@code retail*} is refused on all three, and the same user with a role
 * granting {@code index_permissions retail*: read} and {@code table_permissions mydatabase.*: read}
 * gets answers.
 */
class AccessControlTest {
    private static final String CAROL_PASSWORD = "carol-password-1";
    private static final String SQL = "SELECT count(*) AS n FROM mydatabase.retail_trans_json";

    @TempDir
    static Path dir;

    static TestingServer server;
    static WebClient admin;

    @BeforeAll
    static void start() throws Exception {
        server = TestingServer.start(dir.resolve("data"));
        try (InputStream in = DemoPipeline.class.getResourceAsStream("demo-pipeline.yaml")) {
            server.client().post("/api/pipeline/apply", in.readAllBytes(), "application/yaml");
        }
        admin = WebClient.at(server.searchUri()).withBasic("admin", TestingServer.ADMIN_PASSWORD);
        for (int i = 1; i <= 3; i++) {
            assertThat(admin.put("/retail-2026.11/_doc/" + i + "?refresh=true",
                    "{\"invoice\":\"" + (500 + i) + "\",\"country\":\"" + (i == 2 ? "France" : "Germany") + "\"}").status()).isEqualTo(201);
        }
        assertThat(admin.put("/other-2026/_doc/1?refresh=true", "{\"x\":1}").status()).isEqualTo(201);
        assertThat(admin.put("/_plugins/_security/api/roles/retail_reader", """
                {"index_permissions":[{"index_patterns":["retail*"],"allowed_actions":["read"]}],
                 "table_permissions":[{"table_patterns":["mydatabase.*"],"allowed_actions":["read"]}]}""").status()).isEqualTo(201);
        server.server().users().create("carol", CAROL_PASSWORD, Set.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void withoutARoleSearchAndSqlAreRefusedAndWithOneTheyAnswer() {
        WebClient carolSearch = WebClient.at(server.searchUri()).withBasic("carol", CAROL_PASSWORD);
        WebClient carol = WebClient.at(server.uri()).login("carol", CAROL_PASSWORD);
        String query = "{\"query\":{\"match\":{\"country\":\"Germany\"}}}";

        WebClient.Response direct = carolSearch.post("/retail-2026.11/_search", query);
        assertThat(direct.status()).isEqualTo(403);
        assertThat(direct.json().path("error").path("type").asText()).isEqualTo("security_exception");
        WebClient.Response passThrough = carol.post("/api/search/retail-2026.11/_search", query);
        assertThat(passThrough.status()).isEqualTo(403);
        assertThat(passThrough.json().path("error").path("reason").asText())
                .contains("carol is not allowed to read index 'retail-2026.11'");
        assertThat(carol.get("/api/search/retail*/_search").status()).isEqualTo(403);
        assertThat(carol.get("/api/search/retail-2026.11/_doc/1").status()).isEqualTo(403);
        assertThat(carol.get("/api/search/retail-2026.11/_mapping").status()).isEqualTo(403);
        assertThat(carol.post("/api/search/retail-2026.11/_count", "{}").status()).isEqualTo(403);

        WebClient.Response sql = carol.post("/api/queries", Json.mapper().createObjectNode().put("query", SQL).put("wait", true).toString());
        // As Athena does, the execution is accepted and fails, with the reason and a machine-readable code.
        assertThat(sql.status()).as(sql.body()).isEqualTo(200);
        assertThat(sql.json().path("state").asText()).isEqualTo("FAILED");
        assertThat(sql.json().path("errorCode").asText()).isEqualTo("ACCESS_DENIED");
        assertThat(sql.json().path("stateReason").asText())
                .isEqualTo("carol is not allowed to read table 'mydatabase.retail_trans_json'; ask an administrator for a role that grants it");

        WebClient adminSession = WebClient.at(server.uri()).login("admin", TestingServer.ADMIN_PASSWORD);
        assertThat(adminSession.put("/api/users/carol/roles", "{\"roles\":[\"retail_reader\"]}").status()).isEqualTo(200);

        direct = carolSearch.post("/retail-2026.11/_search", query);
        assertThat(direct.status()).isEqualTo(200);
        assertThat(direct.json().path("hits").path("total").path("value").asInt()).isEqualTo(2);
        passThrough = carol.post("/api/search/retail-2026.11/_search", query);
        assertThat(passThrough.status()).isEqualTo(200);
        // The same body as the search API's, apart from the time taken.
        assertThat(withoutTook(passThrough.json())).isEqualTo(withoutTook(direct.json()));
        assertThat(carol.get("/api/search/retail-2026.11/_search?q=country:France").json().path("hits").path("total").path("value").asInt())
                .isEqualTo(1);
        assertThat(carol.post("/api/search/retail*/_count", query).json().path("count").asInt()).isEqualTo(2);
        assertThat(carol.get("/api/search/retail-2026.11/_doc/2").json().path("_source").path("country").asText()).isEqualTo("France");
        assertThat(carol.get("/api/search/retail-2026.11/_doc/9").status()).isEqualTo(404);
        assertThat(carol.get("/api/search/retail-2026.11/_mapping").json().path("retail-2026.11").path("mappings").path("properties")
                .has("country")).isTrue();
        // Other indexes stay closed to her, also through patterns that reach them.
        assertThat(carol.get("/api/search/other-2026/_search").status()).isEqualTo(403);
        assertThat(carol.get("/api/search/_mapping").status()).isEqualTo(403);
        // The index list shows only what she may read.
        WebClient.Response indices = carol.get("/api/search/_cat/indices?format=json");
        assertThat(indices.status()).isEqualTo(200);
        assertThat(indices.body()).contains("\"retail-2026.11\"").doesNotContain("other-2026");

        sql = carol.post("/api/queries", Json.mapper().createObjectNode().put("query", SQL).put("wait", true).toString());
        assertThat(sql.status()).as(sql.body()).isEqualTo(200);
        assertThat(sql.json().path("state").asText()).as(sql.body()).isEqualTo("SUCCEEDED");
    }

    @Test
    void passThroughServesTheCatalogEndpointsToAnAdministrator() {
        WebClient session = WebClient.at(server.uri()).login("admin", TestingServer.ADMIN_PASSWORD);
        JsonNode indices = session.get("/api/search/_cat/indices?format=json").json();
        assertThat(indices.isArray()).isTrue();
        assertThat(indices.toString()).contains("\"retail-2026.11\"").contains("\"other-2026\"");
        assertThat(session.get("/api/search/_mapping").json().has("retail-2026.11")).isTrue();
        assertThat(session.get("/api/search/_alias").json().has("other-2026")).isTrue();
        WebClient.Response bad = session.post("/api/search/retail-2026.11/_search", "{\"query\":");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").path("type").asText()).isEqualTo("parse_exception");
        WebClient.Response anonymous = WebClient.at(server.uri()).get("/api/search/retail-2026.11/_search");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).as("no browser login dialog on the UI's origin").isEmpty();
    }

    private static JsonNode withoutTook(JsonNode response) {
        ObjectNode copy = response.deepCopy();
        copy.remove("took");
        return copy;
    }
}
