package io.tributary.analytics;

/**
 * An analytics job, discovered with {@link java.util.ServiceLoader}: a third party puts a jar with
 * {@code META-INF/services/io.tributary.analytics.AnalyticsJob} into the plugins directory and gets
 * a new job, runnable from the CLI, the HTTP API and schedules.
 *
 * <p>A job declares its parameters; the runner checks values before {@link #run} is called. A job
 * reads its input, writes named outputs, and reports problems it met in the data (counted, with a
 * few example objects) instead of failing on the first one. It throws only when it cannot produce
 * its outputs at all.
 *
 * <p>Implementations must be thread-safe (one instance serves concurrent runs) and have a public
 * no-argument constructor.
 */
public interface AnalyticsJob {
    /** Lower-case kebab-case, as typed on the command line: {@code latency-legs}. */
    String name();

    /** One line saying what the job computes. */
    String description();

    java.util.List<JobParameter> parameters();

    void run(JobContext context) throws Exception;
}
