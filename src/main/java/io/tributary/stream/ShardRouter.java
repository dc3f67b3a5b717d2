package io.tributary.stream;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
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
    private final int[] shards;
    private final BigInteger[] starts;

    public ShardRouter(List<ShardDescription> openShards) {
        List<ShardDescription> sorted = openShards.stream()
                .sorted((a, b) -> a.hashKeyRange().startingHashKey().compareTo(b.hashKeyRange().startingHashKey()))
                .toList();
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("a stream needs at least one open shard");
        }
        shards = new int[sorted.size()];
        starts = new BigInteger[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            shards[i] = sorted.get(i).shard();
            starts[i] = sorted.get(i).hashKeyRange().startingHashKey();
        }
    }

    public int route(AppendRecord record) {
        BigInteger hashKey = record.explicitHashKey().orElseGet(() -> hashKey(record.partitionKey()));
        return shardFor(hashKey);
    }

    int shardFor(BigInteger hashKey) {
        int low = 0;
        int high = starts.length - 1;
        // Last range whose start is <= hashKey; ranges are contiguous and cover the key space.
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (starts[mid].compareTo(hashKey) <= 0) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return shards[low];
    }

    public static BigInteger hashKey(String partitionKey) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return new BigInteger(1, md5.digest(partitionKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by the Java platform", e);
        }
    }
}
