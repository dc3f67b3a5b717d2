package io.tributary.stream;

import static java.util.Objects.requireNonNull;

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
 */
public record ShardDescription(
        int shard,
        HashKeyRange hashKeyRange,
        long startingOffset,
        OptionalLong endingOffset,
        OptionalInt parent,
        OptionalInt adjacentParent) {
    public ShardDescription {
        requireNonNull(hashKeyRange, "hashKeyRange is null");
        requireNonNull(endingOffset, "endingOffset is null");
        requireNonNull(parent, "parent is null");
        requireNonNull(adjacentParent, "adjacentParent is null");
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
