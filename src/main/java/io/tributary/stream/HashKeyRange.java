package io.tributary.stream;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** An inclusive range of 128-bit hash keys owned by one shard, as Kinesis assigns them. */
public record HashKeyRange(BigInteger startingHashKey, BigInteger endingHashKey) {
    public static final BigInteger MAX_HASH_KEY = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    public HashKeyRange {
        requireNonNull(startingHashKey, "startingHashKey is null");
        requireNonNull(endingHashKey, "endingHashKey is null");
        if (startingHashKey.signum() < 0 || endingHashKey.compareTo(MAX_HASH_KEY) > 0
                || startingHashKey.compareTo(endingHashKey) > 0) {
            throw new IllegalArgumentException("invalid hash key range " + startingHashKey + ".." + endingHashKey);
        }
    }

    public boolean contains(BigInteger hashKey) {
        return startingHashKey.compareTo(hashKey) <= 0 && hashKey.compareTo(endingHashKey) <= 0;
    }

    /**
     * Splits the whole key space into {@code count} contiguous ranges of equal width (the last one
     * takes the remainder), as Kinesis does for a new stream or a uniform resharding.
     */
    public static List<HashKeyRange> uniform(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        BigInteger width = BigInteger.ONE.shiftLeft(128).divide(BigInteger.valueOf(count));
        List<HashKeyRange> ranges = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            BigInteger start = width.multiply(BigInteger.valueOf(i));
            BigInteger end = i == count - 1 ? MAX_HASH_KEY : start.add(width).subtract(BigInteger.ONE);
            ranges.add(new HashKeyRange(start, end));
        }
        return List.copyOf(ranges);
    }
}
