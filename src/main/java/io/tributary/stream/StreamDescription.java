package io.tributary.stream;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A stream and its shards, open and closed, in shard order. */
public record StreamDescription(
        String name,
        StreamStatus status,
        Instant created,
        Duration retention,
        List<ShardDescription> shards) {
    public StreamDescription {
        requireNonNull(name, "name is null");
        requireNonNull(status, "status is null");
        requireNonNull(created, "created is null");
        requireNonNull(retention, "retention is null");
        shards = List.copyOf(shards);
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
