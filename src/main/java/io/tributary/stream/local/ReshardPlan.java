package io.tributary.stream.local;

import static java.util.Objects.requireNonNull;

import io.tributary.stream.HashKeyRange;
import io.tributary.stream.ShardDescription;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Uniform resharding as Kinesis's {@code UpdateShardCount} performs it: a sequence of splits and
 * merges, so that the lineage stays one Kinesis clients can follow. Every new shard names one
 * parent (a split: its range lies within the parent's) or two adjacent parents (a merge: its range
 * is exactly theirs together), and every shard that closes has children. The open shards are split
 * at each boundary of the target ranges, then the pieces inside each target range are merged left
 * to right. Shards made on the way (a split's half that is merged at once, a first merge of three)
 * are closed as soon as they exist and hold no records, as Kinesis's temporary shards.
 *
 * <p>An open shard whose range is already a target range stays open.
 *
 * @param created the new shards, in shard order: intermediate ones with an ending offset of 0, the
 *     resulting open ones without
 * @param closed the formerly open shards that this closes
 */
record ReshardPlan(List<ShardDescription> created, Set<Integer> closed) {
    ReshardPlan {
        created = List.copyOf(created);
        closed = Set.copyOf(closed);
    }

    /**
     * @param open the stream's open shards, whose ranges cover the key space without gaps
     * @param target the ranges the open shards must have afterwards, covering the key space
     * @param firstShard the index of the first new shard
     * @param now when the shards open and close
     */
    static ReshardPlan of(List<ShardDescription> open, List<HashKeyRange> target, int firstShard, Instant now) {
        requireNonNull(open, "open is null");
        requireNonNull(target, "target is null");
        List<ShardDescription> sorted = open.stream()
                .sorted(Comparator.comparing(s -> s.hashKeyRange().startingHashKey())).toList();
        List<BigInteger> cuts = target.stream().map(HashKeyRange::startingHashKey).filter(k -> k.signum() > 0).toList();
        Builder b = new Builder(firstShard, now);
        List<Piece> pieces = new ArrayList<>();
        for (ShardDescription shard : sorted) {
            Piece piece = new Piece(shard.shard(), shard.hashKeyRange());
            for (BigInteger cut : cuts) {
                HashKeyRange r = piece.range();
                if (r.startingHashKey().compareTo(cut) < 0 && cut.compareTo(r.endingHashKey()) <= 0) {
                    Piece left = b.add(new HashKeyRange(r.startingHashKey(), cut.subtract(BigInteger.ONE)), piece.shard(), OptionalInt.empty());
                    Piece right = b.add(new HashKeyRange(cut, r.endingHashKey()), piece.shard(), OptionalInt.empty());
                    b.close(piece.shard());
                    pieces.add(left);
                    piece = right;
                }
            }
            pieces.add(piece);
        }
        int next = 0;
        for (HashKeyRange range : target) {
            Piece merged = pieces.get(next++);
            if (!merged.range().startingHashKey().equals(range.startingHashKey())) {
                throw new IllegalStateException("piece " + merged + " does not start target range " + range);
            }
            while (merged.range().endingHashKey().compareTo(range.endingHashKey()) < 0) {
                Piece left = merged;
                Piece adjacent = pieces.get(next++);
                merged = b.add(new HashKeyRange(left.range().startingHashKey(), adjacent.range().endingHashKey()), left.shard(),
                        OptionalInt.of(adjacent.shard()));
                b.close(left.shard());
                b.close(adjacent.shard());
            }
            if (!merged.range().endingHashKey().equals(range.endingHashKey())) {
                throw new IllegalStateException("pieces do not end at the end of target range " + range);
            }
        }
        return b.build(sorted);
    }

    private record Piece(int shard, HashKeyRange range) {}

    /** Collects new shards and which shards (old or new) are closed. Not thread-safe. */
    private static final class Builder {
        private final List<ShardDescription> created = new ArrayList<>();
        private final Set<Integer> closedShards = new TreeSet<>();
        private final Instant now;
        private int next;

        Builder(int firstShard, Instant now) {
            this.next = firstShard;
            this.now = requireNonNull(now, "now is null");
        }

        Piece add(HashKeyRange range, int parent, OptionalInt adjacentParent) {
            int shard = next++;
            created.add(new ShardDescription(shard, range, 0, OptionalLong.empty(), OptionalInt.of(parent), adjacentParent, now,
                    Optional.empty()));
            return new Piece(shard, range);
        }

        void close(int shard) {
            closedShards.add(shard);
        }

        ReshardPlan build(List<ShardDescription> open) {
            List<ShardDescription> out = new ArrayList<>();
            for (ShardDescription s : created) {
                out.add(closedShards.contains(s.shard()) ? s.closedAt(0, now) : s);
            }
            Set<Integer> closedOpen = new TreeSet<>();
            for (ShardDescription s : open) {
                if (closedShards.contains(s.shard())) {
                    closedOpen.add(s.shard());
                }
            }
            return new ReshardPlan(out, closedOpen);
        }
    }
}
