package io.tributary.stream;

import static java.util.Objects.requireNonNull;

import io.tributary.common.DataSize;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the embedded stream log (keys {@code stream.*}).
 *
 * @param directory where stream folders live ({@code <data-dir>/streams})
 * @param segmentSize a shard's active segment rolls when it passes this size
 * @param retention records older than this are deleted, a whole segment at a time
 * @param retentionSize per shard; 0 means no size bound
 * @param maxInFlight appends are refused with THROTTLED while this many bytes are accepted but not yet durable
 */
public record StreamLogConfig(
        Path directory,
        FsyncPolicy fsync,
        Duration fsyncInterval,
        DataSize segmentSize,
        Duration retention,
        DataSize retentionSize,
        DataSize maxInFlight) {
    public StreamLogConfig {
        requireNonNull(directory, "directory is null");
        requireNonNull(fsync, "fsync is null");
        requireNonNull(fsyncInterval, "fsyncInterval is null");
        requireNonNull(segmentSize, "segmentSize is null");
        requireNonNull(retention, "retention is null");
        requireNonNull(retentionSize, "retentionSize is null");
        requireNonNull(maxInFlight, "maxInFlight is null");
        if (segmentSize.bytes() < 4096) {
            throw new IllegalArgumentException("stream.segment-size must be at least 4KB, got " + segmentSize);
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("stream.retention must be positive, got " + retention);
        }
        if (maxInFlight.bytes() < StreamLimits.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("stream.max-in-flight must be at least 1MB, got " + maxInFlight);
        }
    }

    public static StreamLogConfig defaults(Path directory) {
        return new StreamLogConfig(
                directory,
                FsyncPolicy.ALWAYS,
                Duration.ofSeconds(1),
                DataSize.ofMegabytes(128),
                Duration.ofHours(24),
                DataSize.ofBytes(0),
                DataSize.ofMegabytes(256));
    }
}
