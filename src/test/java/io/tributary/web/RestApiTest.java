package io.tributary.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.client.ClientException;
import io.tributary.client.TributaryClient;
import io.tributary.common.Json;
import io.tributary.server.TestingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestApiTest {
    @TempDir
    static Path dir;

    private static TestingServer server;
    private static TributaryClient client;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestingServer.start(dir);
        client = server.client();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void healthIsAnonymousAndMetricsAreNot() throws Exception {
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(health.body()).path("status").asText()).isEqualTo("UP");
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(401);
        String scraped = new String(client.send("GET", "/metrics", new byte[0], java.util.Map.of()).body(), StandardCharsets.UTF_8);
        assertThat(scraped).contains("jvm_memory_used_bytes").contains("tributary_http_requests")
                .contains("tributary_stream_in_flight_bytes");
    }

    @Test
    void streamLifecycleOverRest() {
        JsonNode created = client.post("/api/streams", Json.mapper().createObjectNode().put("name", "rest-stream").put("shards", 3));
        assertThat(created.path("openShards").asInt()).isEqualTo(3);
        assertThatThrownBy(() -> client.post("/api/streams", Json.mapper().createObjectNode().put("name", "rest-stream")))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("ALREADY_EXISTS");
                });
        client.post("/streams/rest-stream/records", "{\"a\":1}\n{\"a\":2}\n".getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        String metrics = new String(client.send("GET", "/metrics", new byte[0], java.util.Map.of()).body(), StandardCharsets.UTF_8);
        assertThat(metrics).contains("tributary_stream_retained_records{stream=\"rest-stream\"} 2.0")
                .contains("tributary_ingest_records_total{api=\"ndjson\",outcome=\"accepted\",stream=\"rest-stream\"} 2.0");
        JsonNode described = client.get("/api/streams/rest-stream");
        assertThat(described.path("retainedRecords").asLong()).isEqualTo(2);
        assertThat(described.path("shardList")).hasSize(3);
        assertThat(client.get("/api/streams")).anyMatch(s -> s.path("name").asText().equals("rest-stream"));
        client.delete("/api/streams/rest-stream");
        assertThatThrownBy(() -> client.get("/api/streams/rest-stream"))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void malformedRestBodiesAndParameters() {
        assertThatThrownBy(() -> client.post("/api/streams", "{not json".getBytes(StandardCharsets.UTF_8), "application/json"))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("not valid JSON");
                });
        assertThatThrownBy(() -> client.post("/api/streams", Json.mapper().createObjectNode().put("name", "x").put("shards", "many")))
                .hasMessageContaining("shards");
        client.post("/api/streams", Json.mapper().createObjectNode().put("name", "peek").put("shards", 1));
        assertThatThrownBy(() -> client.get("/api/streams/peek/records?limit=-4")).hasMessageContaining("limit");
        assertThatThrownBy(() -> client.get("/api/streams/peek/records?from=yesterday")).hasMessageContaining("from");
        assertThatThrownBy(() -> client.get("/api/nothing-here"))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void basicAuthWithAnAccessKeyOrAUserPassword() throws Exception {
        String key = server.adminKey().accessKeyId() + ":" + server.adminKey().secret();
        assertThat(get("/api/whoami", key).statusCode()).isEqualTo(200);
        HttpResponse<String> asUser = get("/api/whoami", "admin:" + TestingServer.ADMIN_PASSWORD);
        assertThat(asUser.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(asUser.body()).path("kind").asText()).isEqualTo("USER");
        assertThat(get("/api/whoami", "admin:wrong-password").statusCode()).isEqualTo(401);
        assertThat(get("/api/whoami", server.adminKey().accessKeyId() + ":wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> garbage = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/api/whoami"))
                .header("Authorization", "Basic !!!").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(garbage.statusCode()).isEqualTo(401);
        assertThat(garbage.body()).contains("base64");
    }

    @Test
    void accessKeysAreCreatedOnceAndRevocable() throws Exception {
        JsonNode created = client.post("/api/access-keys", Json.mapper().createObjectNode().put("description", "ci"));
        String id = created.path("id").asText();
        String secret = created.path("secret").asText();
        assertThat(get("/api/whoami", id + ":" + secret).statusCode()).isEqualTo(200);
        assertThat(client.get("/api/access-keys").toString()).contains(id).doesNotContain(secret);
        client.delete("/api/access-keys/" + id);
        assertThat(get("/api/whoami", id + ":" + secret).statusCode()).isEqualTo(401);
    }

    @Test
    void applyCreatesIdempotently() {
        String yaml = "pipeline:\n  streams:\n    - name: applied\n      shards: 2\n";
        JsonNode first = client.post("/api/pipeline/apply", yaml.getBytes(StandardCharsets.UTF_8), "application/yaml");
        assertThat(first.path("changes").get(0).path("action").asText()).isEqualTo("CREATED");
        JsonNode second = client.post("/api/pipeline/apply", yaml.getBytes(StandardCharsets.UTF_8), "application/yaml");
        assertThat(second.path("changes").get(0).path("action").asText()).isEqualTo("UNCHANGED");
        assertThatThrownBy(() -> client.post("/api/pipeline/apply", "pipeline: [".getBytes(StandardCharsets.UTF_8), "application/yaml"))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    private HttpResponse<String> get(String path, String basic) throws Exception {
        URI uri = server.uri().resolve(path);
        return HTTP.send(HttpRequest.newBuilder(uri).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
    }
}
