package io.tributary.stream;

import java.util.List;

/**
 * A batch read from one shard.
 *
 * @param nextOffset where the next read continues
 * @param millisBehindLatest how far the last returned record is behind the tip of the shard, 0
 *     when the reader is caught up
 * @param shardEnded true when the shard is closed and the reader has consumed all of it; readers
 *     then move on to its children
 */
public record ReadResult(List<StoredRecord> records, long nextOffset, long millisBehindLatest, boolean shardEnded) {
    public ReadResult {
        records = List.copyOf(records);
    }
}
