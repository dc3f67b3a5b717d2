package io.tributary.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.auth.AccessKey;
import io.tributary.server.ConfigKeys;
import io.tributary.server.TestingServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Administration over the API: users, the last administrator, role mappings of access keys, and who reads /metrics. */
class AdminTest {
    private static final String PASSWORD = "admin-test-password";

    @TempDir
    Path dir;

    private static List<String> names(WebClient.Response list) {
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        list.json().forEach(u -> names.add(u.path("name").asText()));
        return names;
    }

    @Test
    void usersAreAdministeredThroughTheApi() {
        try (TestingServer server = TestingServer.start(dir)) {
            WebClient admin = WebClient.at(server.uri()).login("admin", TestingServer.ADMIN_PASSWORD);
            WebClient web = WebClient.at(server.uri());
            assertThat(WebClient.at(server.searchUri()).withBasic("admin", TestingServer.ADMIN_PASSWORD).put("/_plugins/_security/api/roles/analyst",
                    "{\"index_permissions\":[{\"index_patterns\":[\"retail*\"],\"allowed_actions\":[\"read\"]}]}").status()).isEqualTo(201);

            WebClient.Response created = admin.post("/api/users", "{\"name\":\"gina\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"analyst\"]}");
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.json().path("name").asText()).isEqualTo("gina");
            assertThat(created.json().path("roles").toString()).isEqualTo("[\"analyst\"]");
            assertThat(created.json().path("created").asText()).isNotBlank();
            assertThat(created.json().has("password")).isFalse();
            assertThat(names(admin.get("/api/users"))).containsExactly("admin", "gina");

            assertBad(admin.post("/api/users", "{\"name\":\"gina\",\"password\":\"" + PASSWORD + "\"}"), 409, "already exists");
            assertBad(admin.post("/api/users", "{\"name\":\"weak\",\"password\":\"short\"}"), 400, "8 to 1024 characters");
            assertBad(admin.post("/api/users", "{\"name\":\"x y\",\"password\":\"" + PASSWORD + "\"}"), 400, "user name 'x y' is invalid");
            assertBad(admin.post("/api/users", "{\"name\":\"ok\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"nope\"]}"), 400,
                    "role 'nope' does not exist");
            assertBad(admin.post("/api/users", "{\"name\":\"ok\",\"password\":\"" + PASSWORD + "\",\"roles\":\"analyst\"}"), 400, "list");
            assertBad(admin.post("/api/users", "{\"name\":\"ok\"}"), 400, "'password'");
            assertBad(admin.post("/api/users", "[]"), 400, "JSON object");
            assertBad(admin.put("/api/users/nobody/roles", "{\"roles\":[]}"), 404, "user 'nobody' does not exist");
            assertThat(names(admin.get("/api/users"))).containsExactly("admin", "gina");

            // Gina is no administrator.
            WebClient gina = web.login("gina", PASSWORD);
            assertThat(gina.get("/api/users").status()).isEqualTo(403);
            assertThat(gina.post("/api/users", "{\"name\":\"mallory\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"all_access\"]}").status())
                    .isEqualTo(403);
            assertThat(gina.put("/api/users/gina/roles", "{\"roles\":[\"all_access\"]}").status()).isEqualTo(403);
            assertThat(gina.delete("/api/users/admin").status()).isEqualTo(403);

            // Roles take effect on her next request; a reset password ends her sessions.
            WebClient.Response roles = admin.put("/api/users/gina/roles", "{\"roles\":[\"all_access\"]}");
            assertThat(roles.json().path("roles").toString()).isEqualTo("[\"all_access\"]");
            assertThat(gina.get("/api/users").status()).isEqualTo(200);
            assertThat(admin.put("/api/users/gina/roles", "{\"roles\":[\"analyst\"]}").status()).isEqualTo(200);
            assertThat(gina.get("/api/users").status()).isEqualTo(403);
            assertThat(admin.put("/api/users/gina/password", "{\"password\":\"a-fresh-password\"}").status()).isEqualTo(204);
            assertThat(gina.get("/api/session").status()).isEqualTo(401);
            assertThat(web.post("/api/session", WebClient.loginBody("gina", "a-fresh-password")).status()).isEqualTo(200);
            assertBad(admin.put("/api/users/gina/password", "{\"password\":\"tiny\"}"), 400, "8 to 1024");

            // The last administrator can be neither demoted nor deleted, and nobody deletes themselves.
            assertBad(admin.put("/api/users/admin/roles", "{\"roles\":[]}"), 409, "last user with all_access");
            assertBad(admin.delete("/api/users/admin"), 400, "your own account");
            assertThat(admin.post("/api/users", "{\"name\":\"hank\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"all_access\"]}").status())
                    .isEqualTo(201);
            WebClient hank = web.login("hank", PASSWORD);
            assertThat(hank.put("/api/users/admin/roles", "{\"roles\":[]}").status()).isEqualTo(200);
            assertThat(admin.get("/api/users").status()).isEqualTo(403);
            assertBad(hank.put("/api/users/hank/roles", "{\"roles\":[\"analyst\"]}"), 409, "last user with all_access");
            // A user administrator without all_access cannot remove the last one either.
            assertThat(hank.withBase(server.searchUri()).put("/_plugins/_security/api/roles/user_admin",
                    "{\"user_permissions\":[{\"user_patterns\":[\"*\"],\"allowed_actions\":[\"all\"]}]}").status()).isEqualTo(201);
            assertThat(hank.put("/api/users/admin/roles", "{\"roles\":[\"user_admin\"]}").status()).isEqualTo(200);
            assertThat(names(admin.get("/api/users"))).containsExactly("admin", "gina", "hank");
            assertBad(admin.delete("/api/users/hank"), 409, "last user with all_access");

            assertThat(hank.delete("/api/users/gina").status()).isEqualTo(204);
            assertThat(names(hank.get("/api/users"))).containsExactly("admin", "hank");
            assertThat(web.post("/api/session", WebClient.loginBody("gina", "a-fresh-password")).status()).isEqualTo(401);
            assertBad(hank.delete("/api/users/gina"), 404, "does not exist");
        }
    }

    @Test
    void aRoleMappedToAnAccessKeyRestrictsThatKey() {
        try (TestingServer server = TestingServer.start(dir)) {
            WebClient search = WebClient.at(server.searchUri()).withBasic("admin", TestingServer.ADMIN_PASSWORD);
            assertThat(search.put("/retail-1/_doc/1?refresh=true", "{\"a\":1}").status()).isEqualTo(201);
            assertThat(search.put("/private-1/_doc/1?refresh=true", "{\"a\":1}").status()).isEqualTo(201);
            assertThat(search.put("/_plugins/_security/api/roles/retail_reader",
                    "{\"index_permissions\":[{\"index_patterns\":[\"retail*\"],\"allowed_actions\":[\"read\"]}]}").status()).isEqualTo(201);
            AccessKey.WithSecret key = server.server().accessKeys().create("admin", "dashboard reader");
            WebClient keyApi = WebClient.at(server.uri()).withBasic(key.key().id(), key.secret());
            // Before the mapping, the key acts with its owner's roles.
            assertThat(keyApi.get("/api/users").status()).isEqualTo(200);

            assertThat(search.put("/_plugins/_security/api/rolesmapping/retail_reader", "{\"access_keys\":[\"" + key.key().id() + "\"]}").status())
                    .isEqualTo(200);
            assertThat(keyApi.get("/api/users").status()).isEqualTo(403);
            assertThat(keyApi.post("/api/streams", "{\"name\":\"by-key\"}").status()).isEqualTo(403);
            assertThat(keyApi.post("/api/search/retail-1/_search", "{}").status()).isEqualTo(200);
            assertThat(keyApi.post("/api/search/private-1/_search", "{}").status()).isEqualTo(403);
            JsonNode whoami = keyApi.get("/api/whoami").json();
            assertThat(whoami.path("roles").toString()).isEqualTo("[\"retail_reader\"]");
            // The owner is not restricted by the key's mapping.
            assertThat(WebClient.at(server.uri()).withBasic("admin", TestingServer.ADMIN_PASSWORD).get("/api/users").status()).isEqualTo(200);
            // Saved objects created with the key belong to its owner.
            WebClient.Response created = keyApi.post("/api/dashboards", "{\"name\":\"From a key\",\"body\":{}}");
            assertThat(created.json().path("owner").asText()).isEqualTo("admin");
        }
    }

    @Test
    void metricsAreReadByTheConfiguredRoleOnly() {
        try (TestingServer server = TestingServer.start(dir.resolve("role"), Map.of(ConfigKeys.SERVER_METRICS_ROLE.name(), "monitoring"))) {
            assertThat(WebClient.at(server.searchUri()).withBasic("admin", TestingServer.ADMIN_PASSWORD).put("/_plugins/_security/api/roles/monitoring",
                    "{\"description\":\"reads /metrics\"}").status()).isEqualTo(201);
            server.server().users().create("mona", PASSWORD, Set.of("monitoring"));
            server.server().users().create("ned", PASSWORD, Set.of());
            WebClient web = WebClient.at(server.uri());
            WebClient.Response mona = web.withBasic("mona", PASSWORD).get("/metrics");
            assertThat(mona.status()).isEqualTo(200);
            assertThat(mona.body()).contains("tributary_http_requests");
            WebClient.Response ned = web.withBasic("ned", PASSWORD).get("/metrics");
            assertThat(ned.status()).isEqualTo(403);
            assertThat(ned.message()).contains("needs the role 'monitoring'");
            assertThat(web.withBasic("admin", TestingServer.ADMIN_PASSWORD).get("/metrics").status()).isEqualTo(200);
            assertThat(web.get("/metrics").status()).isEqualTo(401);
        }
        try (TestingServer server = TestingServer.start(dir.resolve("open"), Map.of(ConfigKeys.SERVER_METRICS_PUBLIC.name(), "true"))) {
            assertThat(WebClient.at(server.uri()).get("/metrics").status()).isEqualTo(200);
        }
        try (TestingServer server = TestingServer.start(dir.resolve("default"))) {
            server.server().users().create("ned", PASSWORD, Set.of());
            assertThat(WebClient.at(server.uri()).withBasic("ned", PASSWORD).get("/metrics").status())
                    .as("without a configured role any authenticated principal reads /metrics").isEqualTo(200);
            assertThat(WebClient.at(server.uri()).get("/metrics").status()).isEqualTo(401);
        }
    }

    private static void assertBad(WebClient.Response response, int status, String messagePart) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.message()).contains(messagePart);
    }
}
