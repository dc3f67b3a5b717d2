package io.tributary.analytics;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of a job, as recorded: what ran with which parameters, when, how it ended, what it wrote
 * and what it met.
 *
 * @param error why the run failed, when it did
 */
public record RunRecord(
        String id,
        String job,
        String input,
        String output,
        Map<String, String> parameters,
        Instant started,
        Optional<Instant> ended,
        Status status,
        List<String> outputs,
        Map<String, Long> counters,
        Map<String, List<String>> problemExamples,
        List<String> log,
        Optional<String> error) {
    public RunRecord {
        requireNonNull(id, "id is null");
        requireNonNull(job, "job is null");
        parameters = Map.copyOf(parameters);
        outputs = List.copyOf(outputs);
        counters = Map.copyOf(counters);
        problemExamples = Map.copyOf(problemExamples);
        log = List.copyOf(log);
        requireNonNull(ended, "ended is null");
        requireNonNull(error, "error is null");
    }

    public enum Status {
        RUNNING,
        SUCCEEDED,
        FAILED,
    }
}
