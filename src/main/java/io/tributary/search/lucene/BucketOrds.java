package io.tributary.search.lucene;

import io.tributary.search.SearchException;
import java.util.Arrays;

/**
 * Maps (owning bucket, key) pairs to dense bucket ordinals with open addressing on primitive
 * arrays: a date histogram over ten million documents looks a bucket up per document, so boxing
 * keys into a HashMap would dominate the aggregation.
 *
 * <p>Not thread-safe.
 */
final class BucketOrds {
    private long[] owners = new long[16];
    private long[] keys = new long[16];
    private int[] table = new int[32];
    private int size;

    long add(long owner, long key) {
        int mask = table.length - 1;
        int slot = hash(owner, key) & mask;
        while (true) {
            int ord = table[slot] - 1;
            if (ord < 0) {
                break;
            }
            if (owners[ord] == owner && keys[ord] == key) {
                return ord;
            }
            slot = (slot + 1) & mask;
        }
        if (size >= Aggregator.MAX_BUCKETS * 16) {
            throw tooMany();
        }
        if (size == owners.length) {
            owners = Arrays.copyOf(owners, size * 2);
            keys = Arrays.copyOf(keys, size * 2);
        }
        owners[size] = owner;
        keys[size] = key;
        table[slot] = size + 1;
        size++;
        if (size * 2 > table.length) {
            rehash();
        }
        return size - 1;
    }

    static SearchException tooMany() {
        return new SearchException(io.tributary.common.ErrorCode.LIMIT_EXCEEDED, "too_many_buckets_exception", 400,
                "Trying to create too many buckets. Must be less than or equal to: [" + Aggregator.MAX_BUCKETS
                        + "] but was larger. This limit can be set by changing the [search.max_buckets] cluster level setting.");
    }

    int size() {
        return size;
    }

    long owner(int ord) {
        return owners[ord];
    }

    long key(int ord) {
        return keys[ord];
    }

    private void rehash() {
        int[] bigger = new int[table.length * 2];
        int mask = bigger.length - 1;
        for (int ord = 0; ord < size; ord++) {
            int slot = hash(owners[ord], keys[ord]) & mask;
            while (bigger[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            bigger[slot] = ord + 1;
        }
        table = bigger;
    }

    private static int hash(long owner, long key) {
        long h = key * 0x9E3779B97F4A7C15L + owner * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 32;
        h *= 0x165667B19E3779F9L;
        return (int) (h ^ (h >>> 29));
    }
}
