package io.tributary.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** One measured configuration: throughput and, where measured, latency percentiles. */
public record BenchResult(String name, long records, long bytes, Duration elapsed, double p50Millis, double p99Millis) {
    public BenchResult {
        requireNonNull(name, "name is null");
        requireNonNull(elapsed, "elapsed is null");
    }

    public double recordsPerSecond() {
        return records * 1e9 / Math.max(1, elapsed.toNanos());
    }

    public double megabytesPerSecond() {
        return bytes / 1048576.0 * 1e9 / Math.max(1, elapsed.toNanos());
    }
}
