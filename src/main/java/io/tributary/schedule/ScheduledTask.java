package io.tributary.schedule;

import java.time.Instant;
import java.util.Map;

/**
 * A kind of work a schedule can run. Implementations are thread-safe; the scheduler never runs two
 * firings of one schedule at once.
 */
public interface ScheduledTask {
    /** The kind name used in schedules, such as {@code analytics}. */
    String kind();

    /** Checks a schedule's parameters when it is declared, naming what is wrong. */
    void validate(Map<String, String> parameters);

    /**
     * Runs one firing.
     *
     * @param scheduledFor the firing time (not the start time), so work such as "compact the previous
     *     hour" is the same whether the run starts on time or late
     * @return a one-line summary for the run history
     */
    String run(String schedule, Instant scheduledFor, Map<String, String> parameters) throws Exception;
}
