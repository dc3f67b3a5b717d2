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
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sink's counters are committed with its positions, so a restart continues them. */
class SinkCountersTest {
    private static final SinkSpec SPEC = new SinkSpec("counted", "events", "events", null, List.of("user"), null, null, null, null, null, null,
            null);

    @TempDir
    Path dir;

    @Test
    void countersSurviveARestart() throws Exception {
        Map<String, String> settings = Map.of("search.commit-interval", "100ms");
        int valid = 0;
        int invalid = 0;
        try (TestingServer server = TestingServer.start(dir.resolve("data"), settings)) {
            server.server().streamLog().createStream("events", 2);
            server.server().sinks().apply(SPEC);
            List<AppendRecord> batch = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                // Every seventh record lacks the required field.
                boolean ok = i % 7 != 0;
                batch.add(new AppendRecord("k" + i, (ok ? "{\"user\":\"u" + i + "\"}" : "{\"other\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
                if (ok) {
                    valid++;
                } else {
                    invalid++;
                }
            }
            server.server().streamLog().append("events", batch).join();
            int v = valid;
            awaitStatus(server, s -> s.writes() == v && s.positions().values().stream().mapToLong(Long::longValue).sum() == 1_000);
        }
        try (TestingServer server = TestingServer.start(dir.resolve("data"), settings)) {
            SearchSinks sinks = server.server().sinks();
            if (sinks.status("counted").isEmpty()) {
                sinks.apply(SPEC);
            }
            SinkStatus restarted = awaitStatus(server, s -> s.state().equals("running"));
            assertThat(restarted.reads()).isEqualTo(1_000);
            assertThat(restarted.writes()).isEqualTo(valid);
            assertThat(restarted.invalid()).isEqualTo(invalid);
            server.server().streamLog().append("events", List.of(new AppendRecord("k", "{\"user\":\"late\"}".getBytes(StandardCharsets.UTF_8)))).join();
            int v = valid;
            SinkStatus after = awaitStatus(server, s -> s.writes() == v + 1);
            assertThat(after.reads()).isEqualTo(1_001);
            assertThat(after.invalid()).isEqualTo(invalid);
        }
    }

    private static SinkStatus awaitStatus(TestingServer server, Predicate<SinkStatus> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        SinkStatus status = null;
        while (System.nanoTime() < deadline) {
            status = server.server().sinks().status("counted").orElse(null);
            if (status != null && condition.test(status)) {
                return status;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("sink status never matched; last: " + status);
    }
}
