package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * An aggregation with one bucket per owning bucket ({@code filter}, {@code missing}): subclasses
 * decide which documents fall into it; counting them, ordering by the count and the result are
 * the same for all.
 */
abstract class SingleBucketAggregator extends Aggregator {
    private final DocCounts docCounts = new DocCounts(1);

    SingleBucketAggregator(String name, List<Aggregator> subs, Optional<JsonNode> meta) {
        super(name, subs, meta);
    }

    /** Puts a document into the owner's bucket: counted, and passed on to the sub-aggregations. */
    final void collect(int doc, long owner, LeafCollector[] subCollectors) throws IOException {
        collectInBucket(docCounts, subCollectors, doc, owner);
    }

    @Override
    final double sortValue(long owner, String metric) {
        return docCounts.get(owner);
    }

    @Override
    final ObjectNode result(long owner, boolean typedKeys) {
        ObjectNode out = object();
        fillBucket(out, docCounts.get(owner), owner, typedKeys);
        return withMeta(out);
    }
}
