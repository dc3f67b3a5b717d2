package io.tributary.stream;

/**
 * Point-in-time figures for a shard, for metrics, lag and the UI.
 *
 * @param startOffset the oldest retained offset
 * @param endOffset the offset the next appended record will get (records below it are readable)
 * @param sizeBytes bytes on disk (or in the backing system) for this shard
 * @param lastArrivalTimeMillis arrival time of the newest record, 0 when empty
 */
public record ShardStats(int shard, long startOffset, long endOffset, long sizeBytes, long lastArrivalTimeMillis) {}
