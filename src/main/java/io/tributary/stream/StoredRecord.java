package io.tributary.stream;

import static java.util.Objects.requireNonNull;

/**
 * A record as read back from a shard.
 *
 * @param shard the shard index (see {@link ShardIds})
 * @param offset the record's position in its shard; strictly increasing, never reused
 * @param arrivalTimeMillis when the log accepted the record (Kinesis's approximate arrival
 *     timestamp), epoch milliseconds; non-decreasing within a shard
 * @param data the payload; callers must not change the array
 */
public record StoredRecord(int shard, long offset, long arrivalTimeMillis, String partitionKey, byte[] data) {
    public StoredRecord {
        requireNonNull(partitionKey, "partitionKey is null");
        requireNonNull(data, "data is null");
        if (shard < 0 || offset < 0) {
            throw new IllegalArgumentException("shard and offset must not be negative");
        }
    }

    public String shardId() {
        return ShardIds.format(shard);
    }

    /** The Kinesis-style sequence number of this record. */
    public String sequenceNumber() {
        return SequenceNumbers.format(shard, offset);
    }
}
