package io.tributary.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.common.TestingClock;
import io.tributary.metadata.JdbcMetadataStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerTest {
    @TempDir
    Path dir;

    /** A task that records the firing times it was given and fails or blocks when told to. */
    static final class RecordingTask implements ScheduledTask {
        final List<Instant> fired = new CopyOnWriteArrayList<>();
        volatile CountDownLatch gate;

        @Override
        public String kind() {
            return "record";
        }

        @Override
        public void validate(Map<String, String> parameters) {
            if (parameters.containsKey("bad")) {
                throw new IllegalArgumentException("parameter 'bad' is not allowed");
            }
        }

        @Override
        public String run(String schedule, Instant scheduledFor, Map<String, String> parameters) throws Exception {
            fired.add(scheduledFor);
            if (gate != null) {
                gate.await(10, TimeUnit.SECONDS);
            }
            if (parameters.containsKey("fail")) {
                throw new IllegalStateException("the task failed on purpose");
            }
            return "recorded " + scheduledFor;
        }
    }

    @Test
    void firesOnTimeReportsMissedRunsAndSurvivesRestarts() throws Exception {
        TestingClock clock = new TestingClock(Instant.parse("2026-11-25T10:02:00Z"));
        RecordingTask task = new RecordingTask();
        try (JdbcMetadataStore store = JdbcMetadataStore.sqlite(dir.resolve("m.db"))) {
            Scheduler scheduler = new Scheduler(store, clock, List.of(task));
            scheduler.put(new ScheduleSpec("every-5", "rate(5 minutes)", "record", Map.of("x", "1"), true));
            assertThat(scheduler.find("every-5").orElseThrow().nextFire()).contains(Instant.parse("2026-11-25T10:05:00Z"));
            scheduler.tick();
            assertThat(task.fired).isEmpty();
            clock.set(Instant.parse("2026-11-25T10:05:10Z"));
            scheduler.tick();
            assertThat(scheduler.awaitIdle(Duration.ofSeconds(5))).isTrue();
            assertThat(task.fired).containsExactly(Instant.parse("2026-11-25T10:05:00Z"));
            ScheduleRun first = scheduler.runs("every-5", 10).get(0);
            assertThat(first.status()).isEqualTo(ScheduleRun.Status.SUCCEEDED);
            assertThat(first.message()).contains("recorded");
            assertThat(first.duration()).isPresent();
            scheduler.close();

            // Down for half an hour: five firings missed, the latest one runs.
            clock.set(Instant.parse("2026-11-25T10:37:00Z"));
            Scheduler restarted = new Scheduler(store, clock, List.of(task));
            restarted.tick();
            assertThat(restarted.awaitIdle(Duration.ofSeconds(5))).isTrue();
            assertThat(task.fired).last().isEqualTo(Instant.parse("2026-11-25T10:35:00Z"));
            List<ScheduleRun> runs = restarted.runs("every-5", 20);
            assertThat(runs).filteredOn(r -> r.status() == ScheduleRun.Status.MISSED).extracting(ScheduleRun::scheduledFor)
                    .containsExactlyInAnyOrder(Instant.parse("2026-11-25T10:10:00Z"), Instant.parse("2026-11-25T10:15:00Z"),
                            Instant.parse("2026-11-25T10:20:00Z"), Instant.parse("2026-11-25T10:25:00Z"), Instant.parse("2026-11-25T10:30:00Z"));
            assertThat(restarted.find("every-5").orElseThrow().lastRun()).hasValueSatisfying(
                    r -> assertThat(r.status()).isEqualTo(ScheduleRun.Status.SUCCEEDED));
            restarted.close();
        }
    }

    @Test
    void failuresAndOverlapsAreRecorded() throws Exception {
        TestingClock clock = new TestingClock(Instant.parse("2026-11-25T10:00:30Z"));
        RecordingTask task = new RecordingTask();
        try (JdbcMetadataStore store = JdbcMetadataStore.sqlite(dir.resolve("m.db")); Scheduler scheduler = new Scheduler(store, clock, List.of(task))) {
            scheduler.put(new ScheduleSpec("failing", "rate(1 minute)", "record", Map.of("fail", "yes"), true));
            clock.advance(Duration.ofMinutes(1));
            scheduler.tick();
            scheduler.awaitIdle(Duration.ofSeconds(5));
            assertThat(scheduler.runs("failing", 1).get(0)).satisfies(r -> {
                assertThat(r.status()).isEqualTo(ScheduleRun.Status.FAILED);
                assertThat(r.message()).contains("failed on purpose");
            });
            scheduler.put(new ScheduleSpec("failing", "rate(1 minute)", "record", Map.of(), true));
            task.gate = new CountDownLatch(1);
            clock.advance(Duration.ofMinutes(1));
            scheduler.tick();
            clock.advance(Duration.ofMinutes(1));
            scheduler.tick();
            task.gate.countDown();
            scheduler.awaitIdle(Duration.ofSeconds(5));
            assertThat(scheduler.runs("failing", 3)).extracting(ScheduleRun::status)
                    .contains(ScheduleRun.Status.SKIPPED, ScheduleRun.Status.SUCCEEDED);
            long manual = scheduler.runNow("failing");
            scheduler.awaitIdle(Duration.ofSeconds(5));
            assertThat(scheduler.runs("failing", 1).get(0).id()).isEqualTo(manual);
        }
    }

    @Test
    void refusesUnknownTasksBadParametersAndBadExpressions() throws Exception {
        try (JdbcMetadataStore store = JdbcMetadataStore.sqlite(dir.resolve("m.db"));
                Scheduler scheduler = new Scheduler(store, new TestingClock(), List.of(new RecordingTask()))) {
            assertThatThrownBy(() -> scheduler.put(new ScheduleSpec("s", "rate(5 minutes)", "compress", Map.of(), true)))
                    .hasMessageContaining("task 'compress'").hasMessageContaining("record");
            assertThatThrownBy(() -> scheduler.put(new ScheduleSpec("s", "rate(5 minutes)", "record", Map.of("bad", "1"), true)))
                    .hasMessageContaining("'bad'");
            assertThatThrownBy(() -> new ScheduleSpec("s", "every five minutes", "record", Map.of(), true))
                    .hasMessageContaining("every five minutes");
            assertThatThrownBy(() -> scheduler.runNow("nope")).hasMessageContaining("'nope' does not exist");
            scheduler.put(new ScheduleSpec("off", "rate(1 minute)", "record", Map.of(), false));
            assertThat(scheduler.find("off").orElseThrow().nextFire()).isEmpty();
            scheduler.delete("off");
            assertThat(scheduler.list()).isEmpty();
        }
    }
}
