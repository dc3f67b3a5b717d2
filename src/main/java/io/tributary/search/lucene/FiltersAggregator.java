package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.search.SearchException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;

/**
 * {@code filters}: one bucket per query, named ({@code {"errors": {...}}}, answered keyed) or
 * anonymous (an array, answered as one), and with {@code other_bucket} one more for the documents
 * no query matched. A document may fall into several buckets.
 */
final class FiltersAggregator extends Aggregator {
    private final List<String> keys;
    private final List<Weight> weights;
    private final boolean keyed;
    private final Optional<String> otherKey;
    private final DocCounts docCounts = new DocCounts(8);

    private FiltersAggregator(String name, List<String> keys, List<Weight> weights, boolean keyed, Optional<String> otherKey,
            List<Aggregator> subs, Optional<JsonNode> meta) {
        super(name, subs, meta);
        this.keys = List.copyOf(keys);
        this.weights = List.copyOf(weights);
        this.keyed = keyed;
        this.otherKey = otherKey;
    }

    static FiltersAggregator create(String name, JsonNode p, List<Aggregator> subs, Context context, Optional<JsonNode> meta) {
        params(p, "filters", Set.of("filters", "other_bucket", "other_bucket_key", "keyed"));
        JsonNode filters = p.get("filters");
        List<String> keys = new ArrayList<>();
        List<Query> queries = new ArrayList<>();
        boolean keyed;
        if (filters != null && filters.isObject()) {
            keyed = p.path("keyed").asBoolean(true);
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) filters::fields) {
                keys.add(e.getKey());
                queries.add(context.queries().apply(e.getValue()));
            }
        } else if (filters != null && filters.isArray()) {
            keyed = false;
            int i = 0;
            for (JsonNode f : filters) {
                keys.add(Integer.toString(i++));
                queries.add(context.queries().apply(f));
            }
        } else {
            throw SearchException.parsing("[filters] of aggregation [%s] must be an object of named queries or an array of queries", name);
        }
        if (keys.isEmpty()) {
            throw SearchException.illegalArgument("[filters] cannot be empty in aggregation [%s]", name);
        }
        Optional<String> other = p.path("other_bucket").asBoolean(p.has("other_bucket_key"))
                ? Optional.of(p.path("other_bucket_key").asText("_other_")) : Optional.empty();
        List<Weight> weights = new ArrayList<>();
        try {
            for (Query q : queries) {
                weights.add(context.searcher().createWeight(context.searcher().rewrite(q), ScoreMode.COMPLETE_NO_SCORES, 1));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new FiltersAggregator(name, keys, weights, keyed, other, subs, meta);
    }

    @Override
    String typeName() {
        return "filters";
    }

    private int slots() {
        return keys.size() + (otherKey.isPresent() ? 1 : 0);
    }

    @Override
    LeafCollector leaf(LeafReaderContext context) throws IOException {
        DocIdSetIterator[] matches = new DocIdSetIterator[weights.size()];
        for (int i = 0; i < matches.length; i++) {
            Scorer s = weights.get(i).scorer(context);
            matches[i] = s == null ? DocIdSetIterator.empty() : s.iterator();
        }
        LeafCollector[] subCollectors = leaves(subs, context);
        int slots = slots();
        return (doc, owner) -> {
            boolean any = false;
            for (int i = 0; i < matches.length; i++) {
                int current = matches[i].docID();
                if (current < doc) {
                    current = matches[i].advance(doc);
                }
                if (current == doc) {
                    any = true;
                    collectInBucket(docCounts, subCollectors, doc, owner * slots + i);
                }
            }
            if (!any && otherKey.isPresent()) {
                collectInBucket(docCounts, subCollectors, doc, owner * slots + keys.size());
            }
        };
    }

    @Override
    ObjectNode result(long owner, boolean typedKeys) {
        ObjectNode out = object();
        Buckets buckets = new Buckets(out, keyed);
        int slots = slots();
        for (int i = 0; i < slots; i++) {
            long ord = owner < 0 ? -1 : owner * slots + i;
            ObjectNode bucket = object();
            fillBucket(bucket, docCounts.get(ord), ord, typedKeys);
            buckets.add(i < keys.size() ? keys.get(i) : otherKey.orElseThrow(), bucket);
        }
        return withMeta(out);
    }
}
