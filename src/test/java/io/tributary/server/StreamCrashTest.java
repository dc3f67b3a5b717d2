package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.client.ClientException;
import io.tributary.client.TributaryClient;
import io.tributary.common.Json;
import io.tributary.testing.ForkedServer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server JVM ingesting under load is killed with SIGKILL at random points, then restarted on the
 * same data directory. After each restart every acknowledged record is present exactly once and
 * in acknowledgement order within its shard, and every readable record is one a client sent.
 * {@code -Dtributary.crash.iterations=N} raises the number of kills for long runs.
 */
class StreamCrashTest {
    private static final String STREAM = "crash";
    private static final int SHARDS = 3;

    @TempDir
    Path dir;

    /** What a client learned when a PutRecords call was acknowledged. */
    record Ack(String id, int shard, BigInteger sequence) {}

    @Test
    void acknowledgedRecordsSurviveSigkillExactlyOnceAndInOrder() throws Exception {
        int iterations = Integer.getInteger("tributary.crash.iterations", 20);
        long seed = Long.getLong("tributary.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Map<String, String> attempted = new ConcurrentHashMap<>();
        Map<String, Ack> acked = new ConcurrentHashMap<>();
        try (ForkedServer server = new ForkedServer(dir.resolve("data"), List.of(), Map.of())) {
            server.start();
            server.client().post("/api/streams", Json.mapper().createObjectNode().put("name", STREAM).put("shards", SHARDS));
            for (int i = 0; i < iterations; i++) {
                AtomicBoolean running = new AtomicBoolean(true);
                List<Thread> clients = new ArrayList<>();
                for (int c = 0; c < 3; c++) {
                    String prefix = "i" + i + "c" + c + "-";
                    long clientSeed = random.nextLong();
                    clients.add(Thread.ofPlatform().start(() -> load(server.client(), prefix, new Random(clientSeed), running, attempted, acked)));
                }
                Thread.sleep(150 + random.nextInt(500));
                server.kill();
                running.set(false);
                for (Thread t : clients) {
                    t.join();
                }
                server.start();
                verify(server.client(), attempted, acked, "iteration " + i + " (seed " + seed + ")");
            }
            assertThat(acked.size()).as("the load actually produced acknowledged records").isGreaterThan(iterations * 50);
        }
    }

    private static void load(TributaryClient client, String prefix, Random random, AtomicBoolean running,
            Map<String, String> attempted, Map<String, Ack> acked) {
        int n = 0;
        while (running.get()) {
            int size = 1 + random.nextInt(60);
            ObjectNode request = Json.mapper().createObjectNode().put("StreamName", STREAM);
            ArrayNode records = request.putArray("Records");
            List<String> ids = new ArrayList<>();
            for (int r = 0; r < size; r++) {
                String id = prefix + n++;
                String body = "{\"id\":\"" + id + "\",\"pad\":\"" + "x".repeat(random.nextInt(300)) + "\"}";
                attempted.put(id, body);
                ids.add(id);
                records.addObject().put("PartitionKey", id).put("Data", body.getBytes(StandardCharsets.UTF_8));
            }
            JsonNode response;
            try {
                response = client.kinesis("PutRecords", request);
            } catch (ClientException e) {
                return; // the server died under us: these records are unacknowledged
            }
            for (int r = 0; r < ids.size(); r++) {
                JsonNode result = response.path("Records").path(r);
                if (!result.has("ErrorCode")) {
                    int shard = Integer.parseInt(result.path("ShardId").asText().substring("shardId-".length()));
                    acked.put(ids.get(r), new Ack(ids.get(r), shard, new BigInteger(result.path("SequenceNumber").asText())));
                }
            }
        }
    }

    private static void verify(TributaryClient client, Map<String, String> attempted, Map<String, Ack> acked, String context) {
        Map<String, Integer> seen = new HashMap<>();
        Map<Integer, List<String>> orderByShard = new HashMap<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            long offset = 0;
            List<String> order = new ArrayList<>();
            while (true) {
                JsonNode page = client.get("/api/streams/" + STREAM + "/records?shard=" + shard + "&from=" + offset + "&limit=10000");
                for (JsonNode record : page.path("records")) {
                    String data = record.path("data").asText();
                    String id;
                    try {
                        id = Json.mapper().readTree(data).path("id").asText();
                    } catch (Exception e) {
                        throw new AssertionError(context + ": unreadable record in shard " + shard + ": " + data);
                    }
                    assertThat(attempted.get(id)).as(context + ": record %s is one a client sent, byte for byte", id).isEqualTo(data);
                    seen.merge(id, 1, Integer::sum);
                    order.add(id);
                }
                long next = page.path("nextOffset").asLong();
                if (page.path("records").isEmpty() || next == offset) {
                    break;
                }
                offset = next;
            }
            orderByShard.put(shard, order);
        }
        for (Map.Entry<String, Integer> e : seen.entrySet()) {
            assertThat(e.getValue()).as(context + ": %s appears once", e.getKey()).isEqualTo(1);
        }
        Set<String> missing = new HashSet<>(acked.keySet());
        missing.removeAll(seen.keySet());
        assertThat(missing).as(context + ": acknowledged records lost").isEmpty();
        for (Map.Entry<Integer, List<String>> e : orderByShard.entrySet()) {
            List<String> ackedInLogOrder = e.getValue().stream().filter(acked::containsKey).toList();
            for (String id : ackedInLogOrder) {
                assertThat(acked.get(id).shard()).as(context + ": %s is in the shard it was acknowledged in", id).isEqualTo(e.getKey());
            }
            List<String> bySequence = ackedInLogOrder.stream()
                    .sorted((a, b) -> acked.get(a).sequence().compareTo(acked.get(b).sequence())).toList();
            assertThat(ackedInLogOrder).as(context + ": shard %d keeps acknowledgement order", e.getKey()).isEqualTo(bySequence);
        }
    }
}
