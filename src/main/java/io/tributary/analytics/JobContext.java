package io.tributary.analytics;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Everything a job run gets: input, output, checked parameters, the report, progress, environment and clock. */
public final class JobContext {
    private static final Logger LOG = LoggerFactory.getLogger(JobContext.class);

    private final String jobName;
    private final JobInput input;
    private final JobOutput output;
    private final JobParameters parameters;
    private final RunReport report;
    private final ProgressListener progress;
    private final Map<String, String> environment;
    private final Clock clock;

    public JobContext(String jobName, JobInput input, JobOutput output, JobParameters parameters, RunReport report,
            ProgressListener progress, Map<String, String> environment, Clock clock) {
        this.jobName = requireNonNull(jobName, "jobName is null");
        this.input = requireNonNull(input, "input is null");
        this.output = requireNonNull(output, "output is null");
        this.parameters = requireNonNull(parameters, "parameters is null");
        this.report = requireNonNull(report, "report is null");
        this.progress = requireNonNull(progress, "progress is null");
        this.environment = Map.copyOf(environment);
        this.clock = requireNonNull(clock, "clock is null");
    }

    public JobInput input() {
        return input;
    }

    public JobOutput output() {
        return output;
    }

    public JobParameters parameters() {
        return parameters;
    }

    public RunReport report() {
        return report;
    }

    public ProgressListener progress() {
        return progress;
    }

    public Clock clock() {
        return clock;
    }

    public Optional<String> environment(String name) {
        return Optional.ofNullable(environment.get(name)).filter(v -> !v.isBlank());
    }

    /** Logs a line to the run's own log (kept with the run record) and the server log. */
    public void log(String format, Object... args) {
        String line = format.formatted(args);
        report.log(line);
        LOG.info("{}: {}", jobName, line);
    }
}
