package io.tributary.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.client.ClientException;
import io.tributary.client.TributaryClient;
import io.tributary.server.TestingServer;
import io.tributary.stream.ReadResult;
import io.tributary.stream.StoredRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NdjsonIngestTest {
    @TempDir
    static Path dir;

    private static TestingServer server;
    private static TributaryClient client;

    @BeforeAll
    static void start() {
        server = TestingServer.start(dir);
        client = server.client();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> allRecords(String stream) {
        List<String> out = new ArrayList<>();
        var log = server.server().streamLog();
        for (var shard : log.describeStream(stream).shards()) {
            ReadResult r = log.read(stream, shard.shard(), 0, 10_000, 64 << 20);
            for (StoredRecord record : r.records()) {
                out.add(new String(record.data(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Test
    void appendsEachLineAsSentAndReportsBadLinesByNumber() throws Exception {
        server.server().streamLog().createStream("plain", 2);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write("{\"Invoice\":\"1\",\"x\":1}\n".getBytes(StandardCharsets.UTF_8));
        body.write("not json\n".getBytes(StandardCharsets.UTF_8));
        body.write("\n".getBytes(StandardCharsets.UTF_8));
        body.write(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
        body.write("[1,2]\r\n".getBytes(StandardCharsets.UTF_8));
        body.write("{\"x\":2}\n".getBytes(StandardCharsets.UTF_8));
        body.write("{\"Invoice\":\"3\", \"spaced\" : true}".getBytes(StandardCharsets.UTF_8));
        JsonNode result = client.post("/streams/plain/records?partitionKeyField=Invoice", body.toByteArray(), "application/x-ndjson");
        assertThat(result.path("accepted").asInt()).isEqualTo(2);
        assertThat(result.path("failed").asInt()).isEqualTo(4);
        List<String> errors = new ArrayList<>();
        for (JsonNode line : result.path("lines")) {
            if (line.hasNonNull("error")) {
                errors.add(line.path("line").asInt() + ": " + line.path("error").asText());
            } else {
                assertThat(line.path("sequenceNumber").asText()).hasSize(32);
            }
        }
        assertThat(errors).hasSize(4);
        assertThat(errors.get(0)).startsWith("2: line is not valid JSON");
        assertThat(errors.get(1)).startsWith("4: line is not valid UTF-8");
        assertThat(errors.get(2)).startsWith("5: line is not a JSON object");
        assertThat(errors.get(3)).startsWith("6: partition key field 'Invoice' is missing");
        assertThat(allRecords("plain")).containsExactlyInAnyOrder("{\"Invoice\":\"1\",\"x\":1}", "{\"Invoice\":\"3\", \"spaced\" : true}");
    }

    @Test
    void randomKeysWithoutAKeyFieldAndLargeBodiesInChunks() {
        server.server().streamLog().createStream("chunks", 3);
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 1234; i++) {
            body.append("{\"n\":").append(i).append("}\n");
        }
        JsonNode result = client.post("/streams/chunks/records", body.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        assertThat(result.path("accepted").asInt()).isEqualTo(1234);
        assertThat(allRecords("chunks")).hasSize(1234);
    }

    @Test
    void refusesUnknownStreamsAndAnonymousCallers() {
        assertThatThrownBy(() -> client.post("/streams/missing/records", "{}".getBytes(StandardCharsets.UTF_8), "application/x-ndjson"))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("missing");
                });
        assertThatThrownBy(() -> server.anonymousClient().post("/streams/chunks/records", "{}".getBytes(StandardCharsets.UTF_8), "application/x-ndjson"))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> client.post("/streams/bad%20name/records", "{}".getBytes(StandardCharsets.UTF_8), "application/x-ndjson"))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void aLineOverOneMebibyteFailsAlone() {
        server.server().streamLog().createStream("big-lines", 1);
        String huge = "{\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}";
        String body = "{\"ok\":1}\n" + huge + "\n{\"ok\":2}\n";
        JsonNode result = client.post("/streams/big-lines/records", body.getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        assertThat(result.path("accepted").asInt()).isEqualTo(2);
        assertThat(result.path("lines").get(1).path("error").asText()).contains("exceeds the limit");
    }
}
