package io.tributary.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.server.TestingServer;
import io.tributary.stream.AppendRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping a sink while it indexes and commits (delete, re-apply) must leave its index healthy: a
 * thread interrupted during Lucene's file I/O closes the file's channel and fails the index writer for
 * good, so a stop may only ask the sink to finish its batch. After many stops under load, the index
 * holds every record exactly once and the sink still runs.
 */
class SinkStopTest {
    @TempDir
    Path dir;

    @Test
    void stoppingUnderLoadKeepsTheIndexWritable() throws Exception {
        try (TestingServer server = TestingServer.start(dir.resolve("data"), Map.of("search.commit-interval", "100ms"))) {
            server.server().streamLog().createStream("events", 1);
            SinkSpec spec = new SinkSpec("busy", "events", "events", null, List.of("user"), null, null, null, null, null, null, null);
            SearchSinks sinks = server.server().sinks();
            sinks.apply(spec);
            AtomicBoolean appending = new AtomicBoolean(true);
            AtomicLong appended = new AtomicLong();
            Thread producer = Thread.ofPlatform().start(() -> {
                String pad = "x".repeat(200);
                while (appending.get() && appended.get() < 300_000) {
                    List<AppendRecord> batch = new ArrayList<>();
                    for (int i = 0; i < 2_000; i++) {
                        batch.add(new AppendRecord("k", ("{\"user\":\"u" + (appended.get() + i) + "\",\"text\":\"" + pad + "\"}")
                                .getBytes(StandardCharsets.UTF_8)));
                    }
                    server.server().streamLog().append("events", batch).join();
                    appended.addAndGet(batch.size());
                }
            });
            for (int i = 0; i < 25; i++) {
                // Stops land while records are being indexed and committed.
                Thread.sleep(ThreadLocalRandom.current().nextInt(20, 150));
                sinks.delete("busy");
                sinks.apply(spec);
            }
            appending.set(false);
            producer.join();

            SearchEngine engine = server.server().searchEngine();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long count = -1;
            while (System.nanoTime() < deadline) {
                SinkStatus status = sinks.status("busy").orElseThrow();
                assertThat(status.state()).as("sink state (last error %s)", status.lastError()).isNotEqualTo("failed");
                engine.refresh("events");
                count = engine.count("events", null).path("count").asLong();
                if (count == appended.get()) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(appended.get()).isGreaterThan(10_000);
            assertThat(count).as("every record indexed exactly once after 25 stops").isEqualTo(appended.get());
        }
    }
}
