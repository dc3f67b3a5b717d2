package io.tributary.schedule;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** One firing of a schedule, as recorded. */
public record ScheduleRun(long id, String schedule, Instant scheduledFor, Optional<Instant> started, Optional<Instant> ended,
        Status status, String message) {
    public ScheduleRun {
        requireNonNull(schedule, "schedule is null");
        requireNonNull(scheduledFor, "scheduledFor is null");
        requireNonNull(started, "started is null");
        requireNonNull(ended, "ended is null");
        requireNonNull(status, "status is null");
        requireNonNull(message, "message is null");
    }

    public Optional<Duration> duration() {
        return started.isPresent() && ended.isPresent() ? Optional.of(Duration.between(started.get(), ended.get())) : Optional.empty();
    }

    public enum Status {
        RUNNING,
        SUCCEEDED,
        FAILED,
        /** The firing time passed while the server was down (or behind); reported, not run. */
        MISSED,
        /** The previous firing was still running. */
        SKIPPED,
    }
}
