package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code buckets} of a multi-bucket aggregation's result: with {@code keyed}, an object of
 * buckets by key; without, an array in order, as OpenSearch answers range, filters and histograms.
 */
final class Buckets {
    private final ObjectNode byKey;
    private final ArrayNode inOrder;

    /** Adds an empty {@code buckets} member to the result. */
    Buckets(ObjectNode result, boolean keyed) {
        this.byKey = keyed ? result.putObject("buckets") : null;
        this.inOrder = keyed ? null : result.putArray("buckets");
    }

    void add(String key, ObjectNode bucket) {
        if (byKey != null) {
            byKey.set(key, bucket);
        } else {
            inOrder.add(bucket);
        }
    }
}
