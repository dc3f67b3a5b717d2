package io.tributary.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.common.TestingClock;
import io.tributary.server.TestingServer;
import io.tributary.stream.AppendRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sink with daily indexes writes each record to the index of its date, searchable together
 * under the alias named like the sink's index, and deletes the indexes older than its retention
 * when the (test-controlled) clock moves on. Invalid and unreadable records are counted and kept
 * in the dead-letter file.
 */
class SinkRetentionTest {
    @TempDir
    Path dir;

    @Test
    void dailyIndexesUnderAnAliasAndRetention() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        TestingClock clock = new TestingClock(now);
        try (TestingServer server = TestingServer.start(dir.resolve("data"), Map.of("search.commit-interval", "1s"), Map.of(), clock)) {
            server.server().streamLog().createStream("events", 1);
            server.server().sinks().apply(new SinkSpec("daily", "events", "events", "daily", List.of("user"), null, null, null,
                    List.of("at"), null, null, "2d"));
            DateTimeFormatter lab = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
            DateTimeFormatter day = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);
            List<Instant> dates = List.of(now, now.minus(Duration.ofDays(1)), now.minus(Duration.ofDays(4)));
            List<AppendRecord> records = new java.util.ArrayList<>();
            for (Instant d : dates) {
                records.add(new AppendRecord("k", ("{\"user\":\"u\",\"at\":\"" + lab.format(d) + "\"}").getBytes(StandardCharsets.UTF_8)));
            }
            records.add(new AppendRecord("k", "{\"nobody\":1}".getBytes(StandardCharsets.UTF_8)));
            records.add(new AppendRecord("k", "{\"user\":\"u\",\"at\":\"yesterday\"}".getBytes(StandardCharsets.UTF_8)));
            records.add(new AppendRecord("k", "not json".getBytes(StandardCharsets.UTF_8)));
            server.server().streamLog().append("events", records).join();

            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            SinkStatus status;
            do {
                Thread.sleep(50);
                status = server.server().sinks().status("daily").orElseThrow();
            } while (status.writes() + status.invalid() + status.errors() < 6 && System.nanoTime() < deadline);
            assertThat(status.writes()).isEqualTo(3);
            assertThat(status.invalid()).isEqualTo(1);
            assertThat(status.errors()).isEqualTo(2);
            List<String> deadLetters = java.nio.file.Files.readAllLines(Path.of(status.deadLetterFile()));
            assertThat(deadLetters).hasSize(3);
            assertThat(deadLetters.get(1)).contains("\"kind\":\"error\"").contains("yesterday");

            SearchEngine engine = server.server().searchEngine();
            assertThat(engine.resolve("events-*")).containsExactlyInAnyOrder("events-" + day.format(dates.get(0)),
                    "events-" + day.format(dates.get(1)), "events-" + day.format(dates.get(2)));
            engine.refresh("events");
            assertThat(engine.count("events", null).path("count").asLong()).as("the alias searches every day").isEqualTo(3);
            JsonNode doc = engine.search("events", null, SearchOptions.DEFAULT).path("hits").path("hits").get(0).path("_source");
            assertThat(doc.path("at").asText()).as("dates converted to ISO-8601 UTC").endsWith("Z").contains("T");

            clock.advance(Duration.ofMinutes(2));
            deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (engine.exists("events-" + day.format(dates.get(2))) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(engine.resolve("events-*")).as("the 4-day-old index is past the 2-day retention")
                    .containsExactlyInAnyOrder("events-" + day.format(dates.get(0)), "events-" + day.format(dates.get(1)));
            assertThat(engine.count("events", null).path("count").asLong()).isEqualTo(2);
        }
    }
}
