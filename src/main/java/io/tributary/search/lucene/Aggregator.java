package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import io.tributary.search.SearchException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.IndexSearcher;

/**
 * One aggregation of a search request, holding its state for every bucket of its parent (an
 * "owning bucket ordinal", 0 at the top level), as OpenSearch's aggregators do: a terms
 * aggregation under a date histogram keeps one set of terms per histogram bucket. Documents are
 * collected segment by segment; results are built per owning bucket.
 *
 * <p>Not thread-safe: one tree per request.
 */
abstract class Aggregator {
    /**
     * What aggregations need besides their own parameters.
     *
     * @param queries builds a query from its JSON for the indexes searched (each with its own mapping)
     * @param indexNames the name of the index a segment belongs to, for aggregations on {@code _index}
     * @param query the search's query, whose scores {@code top_hits} reports
     */
    record Context(IndexMapping mapping, IndexSearcher searcher, java.util.function.Function<JsonNode, org.apache.lucene.search.Query> queries,
            long nowMillis, java.util.function.Function<org.apache.lucene.index.LeafReader, String> indexNames, org.apache.lucene.search.Query query) {}

    /** Collects one segment's documents for an aggregator. */
    @FunctionalInterface
    interface LeafCollector {
        LeafCollector NONE = (doc, owner) -> {};

        void collect(int doc, long owner) throws IOException;
    }

    static final int MAX_BUCKETS = 65535;

    final String name;
    final List<Aggregator> subs;
    final Optional<JsonNode> meta;

    Aggregator(String name, List<Aggregator> subs, Optional<JsonNode> meta) {
        this.name = name;
        this.subs = List.copyOf(subs);
        this.meta = meta;
    }

    abstract LeafCollector leaf(LeafReaderContext context) throws IOException;

    /** The result for one owning bucket; {@code owner < 0} asks for the empty result (a bucket no document fell into). */
    abstract ObjectNode result(long owner, boolean typedKeys);

    /** OpenSearch's type name, the prefix of the name with {@code typed_keys}. */
    abstract String typeName();

    /** A single value for ordering buckets by this aggregation ({@code "order": {"total": "desc"}}). */
    double sortValue(long owner, String metric) {
        throw SearchException.illegalArgument("Buckets can only be sorted on a sub-aggregator path that is built out of zero or more single-bucket "
                + "aggregations within the path and a final single-bucket or a metrics aggregation; [%s] is not one", name);
    }

    /** Whether this aggregation or one under it reads the search query's scores ({@code top_hits} by score). */
    boolean needsScores() {
        return subs.stream().anyMatch(Aggregator::needsScores);
    }

    /** The scorer of the segment being collected, for aggregations that read scores. */
    void setScorer(org.apache.lucene.search.Scorable scorer) {
        subs.forEach(s -> s.setScorer(scorer));
    }

    String key(boolean typedKeys) {
        return typedKeys ? typeName() + "#" + name : name;
    }

    final ObjectNode withMeta(ObjectNode node) {
        meta.ifPresent(m -> node.set("meta", m));
        return node;
    }

    static LeafCollector[] leaves(List<Aggregator> aggs, LeafReaderContext context) throws IOException {
        LeafCollector[] out = new LeafCollector[aggs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = aggs.get(i).leaf(context);
        }
        return out;
    }

    static void collectAll(LeafCollector[] collectors, int doc, long owner) throws IOException {
        for (LeafCollector c : collectors) {
            c.collect(doc, owner);
        }
    }

    /** Puts a document into a bucket: counted there, and collected by the sub-aggregations under it. */
    static void collectInBucket(DocCounts docCounts, LeafCollector[] subCollectors, int doc, long ord) throws IOException {
        docCounts.add(ord);
        collectAll(subCollectors, doc, ord);
    }

    void addSubResults(ObjectNode bucket, long ord, boolean typedKeys) {
        for (Aggregator sub : subs) {
            bucket.set(sub.key(typedKeys), sub.result(ord, typedKeys));
        }
    }

    /** A bucket's {@code doc_count} and its sub-aggregations' results; under a bucket without documents they answer empty. */
    final void fillBucket(ObjectNode bucket, long docCount, long ord, boolean typedKeys) {
        bucket.put("doc_count", docCount);
        addSubResults(bucket, docCount == 0 ? -1 : ord, typedKeys);
    }

    Aggregator sub(String name) {
        for (Aggregator a : subs) {
            if (a.name.equals(name)) {
                return a;
            }
        }
        throw SearchException.illegalArgument("Invalid aggregator order path [%s]. Unknown aggregation [%s]", name, name);
    }

    /** Parses an {@code aggs} object. */
    static List<Aggregator> parseAll(JsonNode aggs, Context context, int depth) {
        if (aggs == null || aggs.isNull() || aggs.isMissingNode()) {
            return List.of();
        }
        if (!aggs.isObject()) {
            throw SearchException.parsing("Expected [START_OBJECT] under [aggregations], but got a %s", aggs.getNodeType());
        }
        if (depth > 20) {
            throw SearchException.illegalArgument("aggregations are nested deeper than 20 levels");
        }
        List<Aggregator> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = aggs.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(parse(e.getKey(), e.getValue(), context, depth));
        }
        return out;
    }

    private static Aggregator parse(String name, JsonNode def, Context context, int depth) {
        if (!name.matches("[^\\[\\]>]+")) {
            throw SearchException.parsing("Invalid aggregation name [%s]. Aggregation names can contain any character except '[', ']', and '>'", name);
        }
        if (!def.isObject()) {
            throw SearchException.parsing("Expected [START_OBJECT] under [%s], but got a %s", name, def.getNodeType());
        }
        String type = null;
        JsonNode params = null;
        JsonNode subDefs = null;
        Optional<JsonNode> meta = Optional.empty();
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        def.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        for (Map.Entry<String, JsonNode> e : fields.entrySet()) {
            switch (e.getKey()) {
                case "aggs", "aggregations" -> subDefs = e.getValue();
                case "meta" -> meta = Optional.of(e.getValue());
                default -> {
                    if (type != null) {
                        throw SearchException.parsing("Found two aggregation type definitions in [%s]: [%s] and [%s]", name, type, e.getKey());
                    }
                    type = e.getKey();
                    params = e.getValue();
                }
            }
        }
        if (type == null) {
            throw SearchException.parsing("Missing definition for aggregation [%s]", name);
        }
        // opensearch-java 3.x writes a bucket aggregation's sub-aggregations inside its parameters; accept both places.
        if (params != null && params.isObject() && (params.has("aggs") || params.has("aggregations"))) {
            com.fasterxml.jackson.databind.node.ObjectNode copy = params.deepCopy();
            JsonNode inner = copy.has("aggs") ? copy.remove("aggs") : copy.remove("aggregations");
            com.fasterxml.jackson.databind.node.ObjectNode merged = object();
            if (subDefs != null && subDefs.isObject()) {
                merged.setAll((com.fasterxml.jackson.databind.node.ObjectNode) subDefs);
            }
            if (inner.isObject()) {
                merged.setAll((com.fasterxml.jackson.databind.node.ObjectNode) inner);
            }
            subDefs = merged;
            params = copy;
        }
        List<Aggregator> subs = parseAll(subDefs, context, depth + 1);
        JsonNode p = params;
        return switch (type) {
            case "sum", "avg", "min", "max", "value_count", "cardinality", "stats", "extended_stats", "percentiles" -> {
                if (!subs.isEmpty()) {
                    throw SearchException.parsing("Aggregator [%s] of type [%s] cannot accept sub-aggregations", name, type);
                }
                yield MetricAggregator.create(name, type, p, context, meta);
            }
            case "date_histogram", "histogram" -> HistogramAggregator.create(name, type, p, subs, context, meta);
            case "terms" -> TermsAggregator.create(name, p, subs, context, meta);
            case "range", "date_range" -> RangeAggregator.create(name, p, subs, context, meta);
            case "filter" -> FilterAggregator.create(name, p, subs, context, meta);
            case "filters" -> FiltersAggregator.create(name, p, subs, context, meta);
            case "missing" -> MissingAggregator.create(name, p, subs, context, meta);
            case "top_hits" -> TopHitsAggregator.create(name, p, subs, context, meta);
            default -> throw SearchException.parsing("Unknown aggregation type [%s] did you mean one of: date_histogram, histogram, terms, "
                    + "range, date_range, filter, filters, missing, sum, avg, min, max, value_count, cardinality, stats, extended_stats, "
                    + "percentiles, top_hits", type);
        };
    }

    /** Rejects parameters an aggregation does not know. */
    static JsonNode params(JsonNode p, String type, java.util.Set<String> allowed) {
        if (p == null || !p.isObject()) {
            throw SearchException.parsing("[%s] aggregation expects an object of parameters", type);
        }
        Iterator<String> names = p.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                throw SearchException.parsing("[%s] unknown field [%s]%s", type, n,
                        n.equals("script") ? "; scripts are not supported by Tributary" : "");
            }
        }
        return p;
    }

    static ObjectNode object() {
        return Json.mapper().createObjectNode();
    }

    static long[] grow(long[] array, long index) {
        if (index < array.length) {
            return array;
        }
        return java.util.Arrays.copyOf(array, (int) Math.max(index + 1, array.length * 2L));
    }

    static double[] grow(double[] array, long index, double fill) {
        if (index < array.length) {
            return array;
        }
        int old = array.length;
        double[] out = java.util.Arrays.copyOf(array, (int) Math.max(index + 1, old * 2L));
        java.util.Arrays.fill(out, old, out.length, fill);
        return out;
    }
}
