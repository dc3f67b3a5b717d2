package io.tributary.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.client.ClientException;
import io.tributary.client.Credentials;
import io.tributary.client.TributaryClient;
import io.tributary.common.Json;
import io.tributary.server.TestingServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles and role mappings on the main listener (where the admin page calls them): the same
 * handlers and authorization as on the search listener, with the main API's error format.
 */
class SecurityApiOnMainListenerTest {
    private static final String ROLES = "/_plugins/_security/api/roles/";
    private static final String MAPPINGS = "/_plugins/_security/api/rolesmapping/";

    @TempDir
    static Path dir;

    private static TestingServer server;
    private static TributaryClient admin;

    @BeforeAll
    static void start() {
        server = TestingServer.start(dir);
        admin = server.client();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void rolesAndMappingsRoundTrip() throws Exception {
        admin.put(ROLES + "retail_readers", Json.mapper().readTree("""
                {"description":"Read retail","cluster_permissions":["cluster_monitor"],
                 "index_permissions":[{"index_patterns":["retail*"],"allowed_actions":["read"]}],
                 "table_permissions":[{"table_patterns":["mydatabase.*"],"allowed_actions":["read"]}]}"""));
        JsonNode role = admin.get(ROLES + "retail_readers").path("retail_readers");
        assertThat(role.path("description").asText()).isEqualTo("Read retail");
        assertThat(role.path("index_permissions").get(0).path("index_patterns").get(0).asText()).isEqualTo("retail*");
        assertThat(role.path("table_permissions").get(0).path("table_patterns").get(0).asText()).isEqualTo("mydatabase.*");
        assertThat(admin.get("/_plugins/_security/api/roles").has("retail_readers")).isTrue();

        admin.put(MAPPINGS + "retail_readers", Json.mapper().readTree("{\"users\":[\"admin\"],\"access_keys\":[]}"));
        assertThat(admin.get(MAPPINGS + "retail_readers").path("retail_readers").path("users").get(0).asText()).isEqualTo("admin");

        admin.delete(ROLES + "retail_readers");
        assertStatus(admin, "GET", ROLES + "retail_readers", null, 404, "retail_readers");
    }

    @Test
    void malformedAndHostileBodiesAreRefusedWithTheReason() {
        assertStatus(admin, "PUT", ROLES + "bad", "not json", 400, "not valid JSON");
        assertStatus(admin, "PUT", ROLES + "bad", "[1,2]", 400, "JSON object");
        assertStatus(admin, "PUT", ROLES + "bad", "{\"index_permissions\":[{\"index_patterns\":[\"x\"],\"allowed_actions\":[\"explode\"]}]}", 400, "explode");
        assertStatus(admin, "PUT", ROLES + "bad", "{\"cluster_permissions\":[\"cluster_everything\"]}", 400, "cluster_everything");
        assertStatus(admin, "PUT", ROLES + "bad", "{\"bucket_permissions\":[]}", 400, "bucket_permissions");
        // Document- and field-level security would narrow a grant; accepting and ignoring it would widen access.
        assertStatus(admin, "PUT", ROLES + "bad", "{\"index_permissions\":[{\"index_patterns\":[\"x\"],\"dls\":\"{\\\"term\\\":{\\\"a\\\":1}}\"}]}", 400, "not supported");
        assertStatus(admin, "PUT", ROLES + "bad", "{\"index_permissions\":[{\"index_patterns\":[\"x\"],\"fls\":[\"a\"]}]}", 400, "not supported");
        assertStatus(admin, "PUT", MAPPINGS + "readall", "{\"backend_roles\":[\"x\"]}", 400, "backend_roles");
        assertStatus(admin, "PUT", MAPPINGS + "readall", "{\"rogue\":1}", 400, "rogue");
        assertStatus(admin, "DELETE", ROLES + "all_access", null, 409, "built in");
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertStatus(admin, "PUT", ROLES + "bad", "{\"description\":" + deep + "}", 400, "");
        assertThat(admin.get("/_plugins/_security/api/roles").has("bad")).isFalse();
    }

    @Test
    void onlyAdministratorsChangeRoles() throws Exception {
        admin.post("/api/users", Json.mapper().readTree("{\"name\":\"viewer\",\"password\":\"viewer-password-1\",\"roles\":[\"readall\"]}"));
        JsonNode key = admin.post("/api/access-keys", Json.mapper().readTree("{\"user\":\"viewer\",\"description\":\"test\"}"));
        TributaryClient viewer = new TributaryClient(TributaryClient.Config.of(server.uri(),
                Optional.of(new Credentials(key.path("id").asText(), key.path("secret").asText()))));
        assertStatus(viewer, "PUT", ROLES + "sneaky", "{\"cluster_permissions\":[\"cluster_all\"]}", 403, "");
        assertStatus(viewer, "PUT", MAPPINGS + "all_access", "{\"users\":[\"viewer\"]}", 403, "");
        assertStatus(server.anonymousClient(), "GET", "/_plugins/_security/api/roles", null, 401, "");
        assertThat(admin.get(MAPPINGS + "all_access").path("all_access").path("users").toString()).doesNotContain("viewer");
    }

    private static void assertStatus(TributaryClient client, String method, String path, String body, int status, String messagePart) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = body == null ? Map.of() : Map.of("Content-Type", "application/json");
        assertThatThrownBy(() -> client.send(method, path, bytes, headers)).isInstanceOfSatisfying(ClientException.class, e -> {
            assertThat(e.status()).as(method + " " + path + ": " + e.getMessage()).isEqualTo(status);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }
}
