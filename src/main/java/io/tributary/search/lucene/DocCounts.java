package io.tributary.search.lucene;

/**
 * The number of documents in each bucket, by bucket ordinal, grown as ordinals appear: every
 * bucket aggregation keeps one. An ordinal never counted, or a negative one (the empty bucket of
 * {@link Aggregator#result}), has no documents.
 *
 * <p>Not thread-safe.
 */
final class DocCounts {
    private long[] counts;

    DocCounts(int initialCapacity) {
        this.counts = new long[initialCapacity];
    }

    /** Counts one more document in the bucket. */
    void add(long ord) {
        counts = Aggregator.grow(counts, ord);
        counts[(int) ord]++;
    }

    long get(long ord) {
        return ord >= 0 && ord < counts.length ? counts[(int) ord] : 0;
    }
}
