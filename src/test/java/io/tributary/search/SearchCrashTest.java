package io.tributary.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.client.ClientException;
import io.tributary.client.TributaryClient;
import io.tributary.common.Json;
import io.tributary.testing.ForkedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server JVM whose sink is indexing under load is killed with SIGKILL at random points and
 * restarted on the same data directory. Afterwards the index holds every valid record of the
 * stream exactly once (and nothing else): Lucene commits carry the sink's stream positions, so a
 * restart resumes from what is durable in the index. {@code -Dtributary.search.crash.iterations=N}
 * raises the number of kills.
 */
class SearchCrashTest {
    private static final String STREAM = "crash";
    private static final int SHARDS = 3;

    @TempDir
    Path dir;

    @Test
    void everyValidRecordIsIndexedExactlyOnceAcrossSigkills() throws Exception {
        int iterations = Integer.getInteger("tributary.search.crash.iterations", 20);
        long seed = Long.getLong("tributary.search.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path config = dir.resolve("tributary.yaml");
        Files.writeString(config, """
                pipeline:
                  streams:
                    - name: crash
                      shards: 3
                  sinks:
                    - name: crash-sink
                      stream: crash
                      index: crash
                      required-fields: [rid]
                """);
        try (ForkedServer server = new ForkedServer(dir.resolve("data"), List.of("--config", config.toString()),
                Map.of("TRIBUTARY_SEARCH_COMMIT_INTERVAL", "250ms"))) {
            server.start();
            for (int i = 0; i < iterations; i++) {
                AtomicBoolean running = new AtomicBoolean(true);
                List<Thread> clients = new ArrayList<>();
                for (int c = 0; c < 2; c++) {
                    String prefix = "i" + i + "c" + c + "-";
                    long clientSeed = random.nextLong();
                    clients.add(Thread.ofPlatform().start(() -> load(server.client(), prefix, new Random(clientSeed), running)));
                }
                Thread.sleep(300 + random.nextInt(600));
                server.kill();
                running.set(false);
                for (Thread t : clients) {
                    t.join();
                }
                server.start();
            }
            Set<String> valid = validRecordIds(server.client());
            assertThat(valid.size()).as("the load produced records").isGreaterThan(iterations * 50);
            Map<String, Integer> indexed = awaitIndexed(server, valid.size(), "seed " + seed);
            List<String> duplicates = indexed.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
            assertThat(duplicates).as("records indexed more than once (seed %d)", seed).isEmpty();
            Set<String> missing = new HashSet<>(valid);
            missing.removeAll(indexed.keySet());
            assertThat(missing).as("valid records missing from the index (seed %d)", seed).isEmpty();
            Set<String> extra = new HashSet<>(indexed.keySet());
            extra.removeAll(valid);
            assertThat(extra).as("documents that are not valid records of the stream (seed %d)", seed).isEmpty();
            JsonNode sink = server.client().get("/api/sinks/crash-sink");
            assertThat(sink.path("state").asText()).isEqualTo("running");
        }
    }

    /** Sends PutRecords batches until stopped or the server dies; one record in 20 lacks the required field. */
    private static void load(TributaryClient client, String prefix, Random random, AtomicBoolean running) {
        int n = 0;
        while (running.get()) {
            ObjectNode request = Json.mapper().createObjectNode().put("StreamName", STREAM);
            ArrayNode records = request.putArray("Records");
            int size = 1 + random.nextInt(200);
            for (int r = 0; r < size; r++) {
                String id = prefix + n++;
                String body = random.nextInt(20) == 0 ? "{\"junk\":\"" + id + "\"}" : "{\"rid\":\"" + id + "\",\"v\":" + random.nextInt(1000) + "}";
                records.addObject().put("PartitionKey", id).put("Data", body.getBytes(StandardCharsets.UTF_8));
            }
            try {
                client.kinesis("PutRecords", request);
            } catch (ClientException e) {
                return;
            }
        }
    }

    /** Every valid record in the stream, read back through the REST API (the stream is the truth). */
    private static Set<String> validRecordIds(TributaryClient client) throws Exception {
        Set<String> ids = new HashSet<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            long offset = 0;
            while (true) {
                JsonNode page = client.get("/api/streams/" + STREAM + "/records?shard=" + shard + "&from=" + offset + "&limit=10000");
                for (JsonNode record : page.path("records")) {
                    JsonNode data = Json.mapper().readTree(record.path("data").asText());
                    if (data.has("rid")) {
                        assertThat(ids.add(data.path("rid").asText())).as("the stream holds each record once").isTrue();
                    }
                }
                long next = page.path("nextOffset").asLong();
                if (page.path("records").isEmpty() || next == offset) {
                    break;
                }
                offset = next;
            }
        }
        return ids;
    }

    /** Waits for the sink to catch up, then reads every document's rid with search_after paging. */
    private static Map<String, Integer> awaitIndexed(ForkedServer server, int expected, String context) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String auth = "Basic " + Base64.getEncoder().encodeToString((ForkedServer.KEY_ID + ":" + ForkedServer.SECRET).getBytes(StandardCharsets.UTF_8));
        URI base = server.searchUri();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long count = -1;
        while (System.nanoTime() < deadline) {
            http.send(HttpRequest.newBuilder(base.resolve("/crash/_refresh")).POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", auth).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/crash/_count")).header("Authorization", auth).build(),
                    HttpResponse.BodyHandlers.ofString());
            count = Json.mapper().readTree(r.body()).path("count").asLong(-1);
            if (count >= expected) {
                break;
            }
            Thread.sleep(200);
        }
        Map<String, Integer> seen = new HashMap<>();
        JsonNode after = null;
        while (true) {
            ObjectNode body = Json.mapper().createObjectNode().put("size", 5000);
            body.putArray("sort").add("rid.keyword");
            body.putArray("_source").add("rid");
            if (after != null) {
                body.set("search_after", after);
            }
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/crash/_search")).header("Authorization", auth)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("%s: paging with search_after: %s", context, r.body()).isEqualTo(200);
            JsonNode hits = Json.mapper().readTree(r.body()).path("hits").path("hits");
            if (hits.isEmpty()) {
                break;
            }
            for (JsonNode hit : hits) {
                seen.merge(hit.path("_source").path("rid").asText(), 1, Integer::sum);
            }
            after = hits.get(hits.size() - 1).path("sort");
        }
        assertThat(count).as("%s: documents after the sink caught up", context).isEqualTo(expected);
        return seen;
    }
}
