package io.tributary.analytics;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job: checks its parameters, gives it a context, and records the run (parameters, start
 * and end, status, outputs, report, log). The record is also written next to the outputs as
 * {@code run-report.json}, so a standalone run leaves the same trace as a server run.
 *
 * <p>Thread-safe.
 */
public final class JobRunner {
    public static final String RUN_REPORT = "run-report.json";
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final Clock clock;
    private final Map<String, String> environment;

    public JobRunner(Clock clock, Map<String, String> environment) {
        this.clock = requireNonNull(clock, "clock is null");
        this.environment = Map.copyOf(environment);
    }

    /**
     * Runs the job to completion. Invalid parameters are refused before anything runs; a job that
     * throws ends FAILED with its error recorded (and still leaves its run report).
     *
     * @param onStart receives the RUNNING record before the job starts, for callers that track runs live
     */
    public RunRecord run(AnalyticsJob job, JobInput input, JobOutput output, Map<String, String> parameters,
            ProgressListener progress, Consumer<RunRecord> onStart) {
        JobParameters checked = JobParameters.of(job, parameters);
        String id = UUID.randomUUID().toString();
        Instant started = clock.instant();
        RunReport report = new RunReport(clock);
        onStart.accept(new RunRecord(id, job.name(), input.describe(), output.describe(), checked.asText(), started, Optional.empty(),
                RunRecord.Status.RUNNING, java.util.List.of(), Map.of(), Map.of(), java.util.List.of(), Optional.empty()));
        JobContext context = new JobContext(job.name(), input, output, checked, report, progress, environment, clock);
        Optional<String> error = Optional.empty();
        RunRecord.Status status;
        try {
            job.run(context);
            status = RunRecord.Status.SUCCEEDED;
        } catch (TributaryException e) {
            status = RunRecord.Status.FAILED;
            error = Optional.of(e.getMessage());
            report.log("FAILED: " + e.getMessage());
        } catch (Exception | Error e) {
            LOG.error("Job {} run {} failed", job.name(), id, e);
            status = RunRecord.Status.FAILED;
            error = Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
            report.log("FAILED: " + error.get());
        }
        RunRecord record = new RunRecord(id, job.name(), input.describe(), output.describe(), checked.asText(), started,
                Optional.of(clock.instant()), status, output.written(), report.counters(), report.examples(), report.logLines(), error);
        try {
            ObjectNode json = Json.mapper().valueToTree(record);
            output.write(RUN_REPORT, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        } catch (Exception e) {
            LOG.warn("Could not write the run report of {} to {}: {}", job.name(), output.describe(), e.getMessage());
        }
        return record;
    }
}
