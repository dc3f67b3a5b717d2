package io.tributary.stream.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.stream.HashKeyRange;
import io.tributary.stream.ShardDescription;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Resharding plans checked against the rules a Kinesis client relies on when it follows lineage,
 * for every pair of shard counts up to 16 (and chains of them): at most two parents per shard; a
 * single parent's range holds its child's; two parents are adjacent and together are exactly their
 * child's range; every shard that closes has a child; the open shards afterwards are the uniform
 * ranges of the target count.
 */
class ReshardPlanTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T01:00:00Z");

    @Test
    void everyPairOfCountsGivesALineageKinesisClientsCanFollow() {
        for (int from = 1; from <= 16; from++) {
            for (int to = 1; to <= 16; to++) {
                List<ShardDescription> all = initial(from);
                apply(all, to);
                check(all, to, from + " -> " + to);
            }
        }
    }

    @Test
    void chainsOfReshardingsKeepTheLineageValid() {
        List<ShardDescription> all = initial(2);
        for (int to : new int[] {3, 1, 2, 4, 8, 5, 3, 6, 11, 7, 1}) {
            apply(all, to);
            check(all, to, "chain at " + to);
        }
    }

    @Test
    void anOpenShardWhoseRangeIsATargetRangeStaysOpen() {
        List<ShardDescription> all = initial(2);
        ReshardPlan plan = ReshardPlan.of(all, HashKeyRange.uniform(4), 2, T1);
        // 2 -> 4 splits each shard in two; nothing is merged, so no temporary shards.
        assertThat(plan.created()).hasSize(4).allSatisfy(s -> assertThat(s.isOpen()).isTrue());
        assertThat(plan.closed()).containsExactlyInAnyOrder(0, 1);
        ReshardPlan identity = ReshardPlan.of(all, HashKeyRange.uniform(2), 2, T1);
        assertThat(identity.created()).isEmpty();
        assertThat(identity.closed()).isEmpty();
    }

    private static List<ShardDescription> initial(int count) {
        List<ShardDescription> shards = new ArrayList<>();
        List<HashKeyRange> ranges = HashKeyRange.uniform(count);
        for (int i = 0; i < count; i++) {
            shards.add(new ShardDescription(i, ranges.get(i), 0, OptionalLong.empty(), OptionalInt.empty(), OptionalInt.empty(), T0,
                    Optional.empty()));
        }
        return shards;
    }

    /** Applies a plan to the list of all shards, as the log does: closes what it closes, adds what it creates. */
    private static void apply(List<ShardDescription> all, int to) {
        List<ShardDescription> open = all.stream().filter(ShardDescription::isOpen).toList();
        int first = all.stream().mapToInt(ShardDescription::shard).max().orElseThrow() + 1;
        ReshardPlan plan = ReshardPlan.of(open, HashKeyRange.uniform(to), first, T1);
        all.replaceAll(s -> plan.closed().contains(s.shard()) ? s.closedAt(7, T1) : s);
        all.addAll(plan.created());
    }

    private static void check(List<ShardDescription> all, int to, String what) {
        Map<Integer, ShardDescription> byShard = new HashMap<>();
        all.forEach(s -> byShard.put(s.shard(), s));
        Map<Integer, Integer> children = new HashMap<>();
        for (ShardDescription s : all) {
            if (s.parent().isEmpty()) {
                assertThat(s.adjacentParent()).as(what).isEmpty();
                continue;
            }
            ShardDescription parent = byShard.get(s.parent().getAsInt());
            assertThat(parent).as(what).isNotNull();
            assertThat(parent.shard()).as(what + ": a parent is older").isLessThan(s.shard());
            assertThat(parent.isOpen()).as(what + ": a parent is closed").isFalse();
            children.merge(parent.shard(), 1, Integer::sum);
            if (s.adjacentParent().isEmpty()) {
                assertThat(contains(parent.hashKeyRange(), s.hashKeyRange())).as(what + ": split child " + s + " within " + parent).isTrue();
            } else {
                ShardDescription adjacent = byShard.get(s.adjacentParent().getAsInt());
                assertThat(adjacent.isOpen()).as(what).isFalse();
                children.merge(adjacent.shard(), 1, Integer::sum);
                HashKeyRange left = parent.hashKeyRange();
                HashKeyRange right = adjacent.hashKeyRange();
                assertThat(left.endingHashKey().add(BigInteger.ONE)).as(what + ": merged parents are adjacent").isEqualTo(right.startingHashKey());
                assertThat(s.hashKeyRange()).as(what + ": a merge covers exactly its parents")
                        .isEqualTo(new HashKeyRange(left.startingHashKey(), right.endingHashKey()));
            }
        }
        for (ShardDescription s : all) {
            if (!s.isOpen()) {
                assertThat(children.getOrDefault(s.shard(), 0)).as(what + ": closed " + s + " has children").isPositive();
            }
        }
        for (ShardDescription s : all) {
            assertThat(s.closed().isPresent()).as(what + ": a closed shard has its closing time").isEqualTo(!s.isOpen());
        }
        List<HashKeyRange> open = all.stream().filter(ShardDescription::isOpen)
                .map(ShardDescription::hashKeyRange).sorted(Comparator.comparing(HashKeyRange::startingHashKey)).toList();
        assertThat(open).as(what).isEqualTo(HashKeyRange.uniform(to));
    }

    private static boolean contains(HashKeyRange outer, HashKeyRange inner) {
        return outer.startingHashKey().compareTo(inner.startingHashKey()) <= 0 && inner.endingHashKey().compareTo(outer.endingHashKey()) <= 0;
    }
}
