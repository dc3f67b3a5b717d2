package io.tributary.stream;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A stream and its shards, open and closed, in shard order.
 *
 * @param retention how long its records are kept: its own (Kinesis's retention period) or {@code stream.retention}
 * @param tags its tags, by key
 */
public record StreamDescription(
        String name,
        StreamStatus status,
        Instant created,
        Duration retention,
        List<ShardDescription> shards,
        Map<String, String> tags) {
    public StreamDescription {
        requireNonNull(name, "name is null");
        requireNonNull(status, "status is null");
        requireNonNull(created, "created is null");
        requireNonNull(retention, "retention is null");
        shards = List.copyOf(shards);
        tags = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tags));
    }

    public List<ShardDescription> openShards() {
        return shards.stream().filter(ShardDescription::isOpen).toList();
    }

    public ShardDescription shard(int shard) {
        return shards.stream()
                .filter(s -> s.shard() == shard)
                .findFirst()
                .orElseThrow(() -> StreamLimits.shardNotFound(name, shard));
    }

    public enum StreamStatus {
        CREATING,
        ACTIVE,
        UPDATING,
        DELETING,
    }
}
