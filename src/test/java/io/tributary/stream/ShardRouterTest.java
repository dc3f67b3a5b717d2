package io.tributary.stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShardRouterTest {
    @Test
    void matchesBigIntegerRangesForManyKeysAndLayouts() throws Exception {
        Random random = new Random(7);
        for (int count : new int[] {1, 2, 3, 4, 7, 16, 100, StreamLimits.MAX_SHARDS_PER_STREAM}) {
            List<ShardDescription> shards = shards(count, 10);
            ShardRouter router = new ShardRouter(shards);
            for (int i = 0; i < 2000; i++) {
                String key = "k" + random.nextLong();
                BigInteger hash = new BigInteger(1, MessageDigest.getInstance("MD5").digest(key.getBytes(UTF_8)));
                assertThat(ShardRouter.hashKey(key)).isEqualTo(hash);
                assertThat(router.route(new AppendRecord(key, new byte[0]))).as("key %s over %d shards", key, count)
                        .isEqualTo(owner(shards, hash));
            }
            List<AppendRecord> batch = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                batch.add(i % 10 == 0
                        ? new AppendRecord("x", Optional.of(new BigInteger(128, random)), new byte[0])
                        : new AppendRecord("batch-\u00e9-" + random.nextInt(), new byte[0]));
            }
            byte[][] keys = batch.stream().map(record -> record.partitionKey().getBytes(UTF_8)).toArray(byte[][]::new);
            int[] routed = new int[batch.size()];
            router.routeAll(batch, keys, routed);
            for (int i = 0; i < batch.size(); i++) {
                assertThat(routed[i]).isEqualTo(router.route(batch.get(i)));
            }
            for (ShardDescription shard : shards) {
                BigInteger start = shard.hashKeyRange().startingHashKey();
                BigInteger end = shard.hashKeyRange().endingHashKey();
                assertThat(route(router, start)).isEqualTo(shard.shard());
                assertThat(route(router, end)).isEqualTo(shard.shard());
                BigInteger random128 = new BigInteger(128, random);
                assertThat(route(router, random128)).isEqualTo(owner(shards, random128));
            }
        }
    }

    @Test
    void hashKeysWithHighBitSetCompareUnsigned() {
        List<ShardDescription> shards = shards(2, 0);
        ShardRouter router = new ShardRouter(shards);

        assertThat(route(router, BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE))).isEqualTo(0);
        assertThat(route(router, BigInteger.ONE.shiftLeft(127))).isEqualTo(1);
        assertThat(route(router, HashKeyRange.MAX_HASH_KEY)).isEqualTo(1);
        assertThat(route(router, BigInteger.ONE.shiftLeft(64))).isEqualTo(0);
    }

    private static int route(ShardRouter router, BigInteger hashKey) {
        return router.route(new AppendRecord("ignored", Optional.of(hashKey), new byte[0]));
    }

    private static List<ShardDescription> shards(int count, int firstIndex) {
        List<ShardDescription> shards = new ArrayList<>();
        List<HashKeyRange> ranges = HashKeyRange.uniform(count);
        for (int i = 0; i < count; i++) {
            shards.add(new ShardDescription(firstIndex + i, ranges.get(i), 0,
                    OptionalLong.empty(), OptionalInt.empty(), OptionalInt.empty(), java.time.Instant.EPOCH, java.util.Optional.empty()));
        }
        // The router must not depend on the order it is given.
        Collections.reverse(shards);
        return shards;
    }

    private static int owner(List<ShardDescription> shards, BigInteger hash) {
        return shards.stream().filter(shard -> shard.hashKeyRange().contains(hash)).findFirst().orElseThrow().shard();
    }
}
