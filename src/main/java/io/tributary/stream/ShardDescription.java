package io.tributary.stream;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One shard of a stream. An open shard accepts appends; a closed shard (a parent after
 * resharding) keeps its records until retention removes them and has an ending offset.
 *
 * @param startingOffset the offset of the first record the shard ever held
 * @param endingOffset for a closed shard, the offset after its last record
 * @param parent the shard this one was split from or merged from, if any
 * @param adjacentParent the second parent of a merge, if any
 * @param opened when the shard was created (for streams written before shard times were kept, of a
 *     shard created by resharding: the stream's creation time, an earlier bound)
 * @param closed when a closed shard was closed; empty while it is open, and for shards closed
 *     before shard times were kept
 */
public record ShardDescription(
        int shard,
        HashKeyRange hashKeyRange,
        long startingOffset,
        OptionalLong endingOffset,
        OptionalInt parent,
        OptionalInt adjacentParent,
        Instant opened,
        Optional<Instant> closed) {
    public ShardDescription {
        requireNonNull(hashKeyRange, "hashKeyRange is null");
        requireNonNull(endingOffset, "endingOffset is null");
        requireNonNull(parent, "parent is null");
        requireNonNull(adjacentParent, "adjacentParent is null");
        requireNonNull(opened, "opened is null");
        requireNonNull(closed, "closed is null");
        if (closed.isPresent() && endingOffset.isEmpty()) {
            throw new IllegalArgumentException("shard " + shard + " has a closing time but no ending offset");
        }
    }

    /** This shard closed at {@code endingOffset}, at {@code when}. */
    public ShardDescription closedAt(long endingOffset, Instant when) {
        return new ShardDescription(shard, hashKeyRange, startingOffset, OptionalLong.of(endingOffset), parent, adjacentParent, opened,
                Optional.of(when));
    }

    /**
     * Whether the shard was open at an instant (opened at or before it, closed at or after it). A
     * shard closed at an unknown time counts as open until now, so it is never missed.
     */
    public boolean wasOpenAt(Instant instant) {
        return !opened.isAfter(instant) && closed.map(c -> !c.isBefore(instant)).orElse(true);
    }

    public String shardId() {
        return ShardIds.format(shard);
    }

    public boolean isOpen() {
        return endingOffset.isEmpty();
    }

    public Optional<String> parentShardId() {
        return parent.isPresent() ? Optional.of(ShardIds.format(parent.getAsInt())) : Optional.empty();
    }

    public Optional<String> adjacentParentShardId() {
        return adjacentParent.isPresent() ? Optional.of(ShardIds.format(adjacentParent.getAsInt())) : Optional.empty();
    }
}
