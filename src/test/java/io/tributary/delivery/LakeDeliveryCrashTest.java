package io.tributary.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.client.ClientException;
import io.tributary.client.TributaryClient;
import io.tributary.common.Json;
import io.tributary.lake.Compression;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.lake.local.LocalObjectStore;
import io.tributary.testing.ForkedServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server JVM ingesting and delivering under load (a 100 ms buffer interval, three dynamic
 * partitions and GZIP, so batches of several objects are in flight all the time) is killed with
 * SIGKILL at random points and restarted on the same data directory. At the end every object in
 * the lake is read back: each acknowledged record is there exactly once, and nothing else is.
 * {@code -Dtributary.crash.iterations=N} raises the number of kills.
 */
class LakeDeliveryCrashTest {
    private static final String STREAM = "crash-src";

    @TempDir
    Path dir;

    @Test
    void acknowledgedRecordsLandInTheLakeExactlyOnceAcrossSigkills() throws Exception {
        int iterations = Integer.getInteger("tributary.crash.iterations", 20);
        long seed = Long.getLong("tributary.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path config = dir.resolve("tributary.yaml");
        Files.writeString(config, """
                pipeline:
                  streams:
                    - name: crash-src
                      shards: 3
                  buckets:
                    - name: crash-lake
                  delivery-streams:
                    - name: crash-delivery
                      source: crash-src
                      destination: s3://crash-lake
                      prefix: "data/p=!{partitionKeyFromQuery:p}/!{timestamp:yyyy/MM/dd/HH}/"
                      error-output-prefix: "errors/!{firehose:error-output-type}/"
                      partition-keys:
                        p: .p
                      compression: GZIP
                      buffering:
                        size: 1MB
                        interval: 100ms
                """);
        Path data = dir.resolve("data");
        Map<String, String> attempted = new ConcurrentHashMap<>();
        Set<String> acked = ConcurrentHashMap.newKeySet();
        try (ForkedServer server = new ForkedServer(data, List.of("--config", config.toString()), Map.of())) {
            server.start();
            for (int i = 0; i < iterations; i++) {
                AtomicBoolean running = new AtomicBoolean(true);
                List<Thread> clients = new ArrayList<>();
                for (int c = 0; c < 2; c++) {
                    String prefix = "i" + i + "c" + c + "-";
                    long clientSeed = random.nextLong();
                    clients.add(Thread.ofPlatform().start(() -> load(server.client(), prefix, new Random(clientSeed), running, attempted, acked)));
                }
                Thread.sleep(300 + random.nextInt(600));
                server.kill();
                running.set(false);
                for (Thread t : clients) {
                    t.join();
                }
                server.start();
            }
            // Let delivery catch up, then stop cleanly (which flushes) and read the lake as it is on disk.
            server.client().post("/api/delivery-streams/crash-delivery/flush", Json.mapper().createObjectNode());
            server.stop();
        }
        assertThat(acked.size()).as("the load produced acknowledged records").isGreaterThan(iterations * 50);
        Map<String, Integer> seen = new HashMap<>();
        int objects = 0;
        try (LocalObjectStore lake = new LocalObjectStore(data.resolve("lake"), Clock.systemUTC());
                Stream<ObjectInfo> all = lake.list(Location.parse("s3://crash-lake/"))) {
            for (ObjectInfo o : all.toList()) {
                assertThat(o.location().key()).as("seed %d: no record went to the error output", seed).startsWith("data/p=");
                objects++;
                try (InputStream in = Compression.decoding(lake.open(o.location()), o.location().fileName())) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        String id = Json.mapper().readTree(line).path("id").asText();
                        assertThat(attempted.get(id)).as("seed %d: %s in %s is a record a client sent, byte for byte", seed, id, o.location())
                                .isEqualTo(line);
                        assertThat(o.location().key()).startsWith("data/p=" + Json.mapper().readTree(line).path("p").asText() + "/");
                        seen.merge(id, 1, Integer::sum);
                    }
                }
            }
        }
        List<String> duplicated = seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        assertThat(duplicated).as("seed %d: records delivered more than once", seed).isEmpty();
        Set<String> missing = new HashSet<>(acked);
        missing.removeAll(seen.keySet());
        assertThat(missing).as("seed %d: acknowledged records missing from the lake", seed).isEmpty();
        assertThat(objects).as("many objects were written across the kills").isGreaterThan(iterations);
    }

    private static void load(TributaryClient client, String prefix, Random random, AtomicBoolean running,
            Map<String, String> attempted, Set<String> acked) {
        int n = 0;
        while (running.get()) {
            int size = 1 + random.nextInt(80);
            ObjectNode request = Json.mapper().createObjectNode().put("StreamName", STREAM);
            ArrayNode records = request.putArray("Records");
            List<String> ids = new ArrayList<>();
            for (int r = 0; r < size; r++) {
                String id = prefix + n++;
                String body = "{\"id\":\"" + id + "\",\"p\":\"" + "abc".charAt(random.nextInt(3)) + "\",\"pad\":\""
                        + "x".repeat(random.nextInt(200)) + "\"}";
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
                if (!response.path("Records").path(r).has("ErrorCode")) {
                    acked.add(ids.get(r));
                }
            }
        }
    }
}
