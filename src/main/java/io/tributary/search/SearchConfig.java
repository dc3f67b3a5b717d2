package io.tributary.search;

import static java.util.Objects.requireNonNull;

import io.tributary.common.DataSize;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The embedded search engine's configuration.
 *
 * @param directory where indexes live ({@code <data-dir>/search})
 * @param ramBuffer per index, how much the writer buffers before flushing a segment
 * @param commitInterval how often stream sinks commit their indexes together with their stream positions
 */
public record SearchConfig(Path directory, DataSize ramBuffer, Duration commitInterval) {
    public SearchConfig {
        requireNonNull(directory, "directory is null");
        requireNonNull(ramBuffer, "ramBuffer is null");
        requireNonNull(commitInterval, "commitInterval is null");
        if (ramBuffer.bytes() < 1024 * 1024) {
            throw new IllegalArgumentException("search.ram-buffer-size must be at least 1MB, got " + ramBuffer);
        }
        if (commitInterval.isNegative() || commitInterval.isZero()) {
            throw new IllegalArgumentException("search.commit-interval must be positive, got " + commitInterval);
        }
    }

    public static SearchConfig defaults(Path directory) {
        return new SearchConfig(directory, DataSize.ofMegabytes(64), Duration.ofSeconds(5));
    }
}
