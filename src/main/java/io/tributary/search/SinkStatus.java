package io.tributary.search;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * A sink's state for {@code tributary sinks describe} and {@code /api/sinks}.
 *
 * @param state {@code running}, {@code stopped} or {@code failed}
 * @param positions per shard, the next offset to index (what the last commit stored)
 * @param lagMillis how far behind the stream the sink is: age of the oldest unread record, 0 when caught up
 */
public record SinkStatus(SinkSpec spec, String state, long reads, long writes, long invalid, long indexErrors, long errors,
        Map<Integer, Long> positions, long lagMillis, String deadLetterFile, long deadLetters, Optional<String> lastError) {
    public SinkStatus {
        requireNonNull(spec, "spec is null");
        requireNonNull(state, "state is null");
        positions = Map.copyOf(positions);
        requireNonNull(deadLetterFile, "deadLetterFile is null");
        requireNonNull(lastError, "lastError is null");
    }
}
