package io.tributary.schedule;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/** A schedule with its next firing and its latest run. */
public record ScheduleState(ScheduleSpec spec, Optional<Instant> nextFire, Optional<Instant> lastFire, Optional<ScheduleRun> lastRun) {
    public ScheduleState {
        requireNonNull(spec, "spec is null");
        requireNonNull(nextFire, "nextFire is null");
        requireNonNull(lastFire, "lastFire is null");
        requireNonNull(lastRun, "lastRun is null");
    }
}
