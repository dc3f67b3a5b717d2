package io.tributary.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.Json;
import io.tributary.server.ConfigKeys;
import io.tributary.server.TestingServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With authentication off (--no-auth), unsigned requests are served as the anonymous operator. */
class NoAuthTest {
    @TempDir
    Path dir;

    @Test
    void unsignedRequestsAreServed() throws Exception {
        try (TestingServer server = TestingServer.start(dir, Map.of(ConfigKeys.AUTH_ENABLED.name(), "false"))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> whoami = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/whoami")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(whoami.statusCode()).isEqualTo(200);
            assertThat(Json.mapper().readTree(whoami.body()).path("kind").asText()).isEqualTo("ANONYMOUS");
            HttpResponse<String> create = http.send(HttpRequest.newBuilder(server.uri().resolve("/"))
                    .header("X-Amz-Target", "Kinesis_20131202.CreateStream").header("Content-Type", "application/x-amz-json-1.1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"StreamName\":\"open\",\"ShardCount\":1}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(create.statusCode()).isEqualTo(200);
            assertThat(server.server().streamLog().listStreams()).contains("open");
        }
    }
}
