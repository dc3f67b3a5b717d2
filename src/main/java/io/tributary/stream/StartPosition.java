package io.tributary.stream;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** Where a reader starts in a shard: Kinesis's shard iterator types. */
public sealed interface StartPosition {
    /** The oldest record still retained. */
    record TrimHorizon() implements StartPosition {}

    /** Just after the newest record: only records appended from now on. */
    record Latest() implements StartPosition {}

    /** At the record with this offset (or the oldest retained one, if it has expired). */
    record AtOffset(long offset) implements StartPosition {}

    /** Just after the record with this offset. */
    record AfterOffset(long offset) implements StartPosition {}

    /** At the first record that arrived at or after this instant. */
    record AtTimestamp(Instant timestamp) implements StartPosition {
        public AtTimestamp {
            requireNonNull(timestamp, "timestamp is null");
        }
    }

    static StartPosition trimHorizon() {
        return new TrimHorizon();
    }

    static StartPosition latest() {
        return new Latest();
    }
}
