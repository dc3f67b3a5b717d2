package io.tributary.stream;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Picks the shard for a record as Kinesis does: the MD5 of the partition key, read as an unsigned
 * 128-bit integer (or the explicit hash key when given), falls in exactly one open shard's range.
 *
 * <p>Thread-safe and immutable; build a new router when the set of open shards changes.
 */
public final class ShardRouter {
    // Routing runs for every appended record: keep a digest per thread and compare hash keys as
    // two unsigned longs rather than allocating a MessageDigest and a BigInteger per record.
    private static final ThreadLocal<Md5> MD5 = ThreadLocal.withInitial(Md5::new);

    private final int[] shards;
    private final long[] startsHigh;
    private final long[] startsLow;

    public ShardRouter(List<ShardDescription> openShards) {
        List<ShardDescription> sorted = openShards.stream()
                .sorted((a, b) -> a.hashKeyRange().startingHashKey().compareTo(b.hashKeyRange().startingHashKey()))
                .toList();
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("a stream needs at least one open shard");
        }
        shards = new int[sorted.size()];
        startsHigh = new long[sorted.size()];
        startsLow = new long[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            BigInteger start = sorted.get(i).hashKeyRange().startingHashKey();
            shards[i] = sorted.get(i).shard();
            startsHigh[i] = start.shiftRight(64).longValue();
            startsLow[i] = start.longValue();
        }
    }

    public int route(AppendRecord record) {
        if (record.explicitHashKey().isPresent()) {
            return shardFor(record.explicitHashKey().get());
        }
        Md5 md5 = MD5.get();
        md5.digest(record.partitionKey());
        return shardFor(md5.high(), md5.low());
    }

    /**
     * Routes a batch: {@code shards[i]} receives the shard of {@code records.get(i)}. For callers
     * that already hold the partition keys as UTF-8 ({@code partitionKeysUtf8[i]}), which saves
     * encoding each key again.
     */
    public void routeAll(List<AppendRecord> records, byte[][] partitionKeysUtf8, int[] shards) {
        if (partitionKeysUtf8.length < records.size() || shards.length < records.size()) {
            throw new IllegalArgumentException("arrays are shorter than the batch of " + records.size());
        }
        Md5 md5 = MD5.get();
        for (int i = 0; i < records.size(); i++) {
            AppendRecord record = records.get(i);
            if (record.explicitHashKey().isPresent()) {
                shards[i] = shardFor(record.explicitHashKey().get());
            } else {
                md5.digest(partitionKeysUtf8[i]);
                shards[i] = shardFor(md5.high(), md5.low());
            }
        }
    }

    int shardFor(BigInteger hashKey) {
        return shardFor(hashKey.shiftRight(64).longValue(), hashKey.longValue());
    }

    private int shardFor(long high, long low) {
        int lowIndex = 0;
        int highIndex = startsHigh.length - 1;
        // Last range whose start is <= hashKey; ranges are contiguous and cover the key space.
        while (lowIndex < highIndex) {
            int mid = (lowIndex + highIndex + 1) >>> 1;
            int cmp = Long.compareUnsigned(startsHigh[mid], high);
            if (cmp < 0 || (cmp == 0 && Long.compareUnsigned(startsLow[mid], low) <= 0)) {
                lowIndex = mid;
            } else {
                highIndex = mid - 1;
            }
        }
        return shards[lowIndex];
    }

    public static BigInteger hashKey(String partitionKey) {
        Md5 md5 = MD5.get();
        md5.digest(partitionKey);
        return new BigInteger(1, md5.output);
    }

    private static final class Md5 {
        private final MessageDigest digest;
        private final byte[] output = new byte[16];

        Md5() {
            try {
                digest = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("MD5 is required by the Java platform", e);
            }
        }

        void digest(String partitionKey) {
            digest(partitionKey.getBytes(StandardCharsets.UTF_8));
        }

        void digest(byte[] partitionKeyUtf8) {
            digest.update(partitionKeyUtf8);
            try {
                digest.digest(output, 0, output.length);
            } catch (DigestException e) {
                throw new IllegalStateException("MD5 output buffer is too small", e);
            }
        }

        long high() {
            return longAt(0);
        }

        long low() {
            return longAt(8);
        }

        private long longAt(int index) {
            long value = 0;
            for (int i = index; i < index + 8; i++) {
                value = (value << 8) | (output[i] & 0xFF);
            }
            return value;
        }
    }
}
