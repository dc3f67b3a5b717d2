package io.tributary.stream;

/** Where an appended record landed: its shard and offset (and so its sequence number). */
public record AppendResult(int shard, long offset) {
    public String shardId() {
        return ShardIds.format(shard);
    }

    public String sequenceNumber() {
        return SequenceNumbers.format(shard, offset);
    }
}
