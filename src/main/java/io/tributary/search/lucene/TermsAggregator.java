package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.search.FieldType;
import io.tributary.search.SearchException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.BytesRefHash;

/**
 * {@code terms}: the most frequent values of a keyword, numeric, date or boolean field
 * ({@code size}, {@code min_doc_count}, {@code order} by {@code _count}, {@code _key} or a metric
 * sub-aggregation). Counts are exact: an embedded index has one shard, so
 * {@code doc_count_error_upper_bound} is always 0.
 */
final class TermsAggregator extends Aggregator {
    private record Order(String path, boolean ascending) {}

    private final Optional<ValueSource> source;
    private final Optional<java.util.function.Function<org.apache.lucene.index.LeafReader, String>> indexNames;
    private final int size;
    private final long minDocCount;
    private final List<Order> order;
    private final Optional<String> format;
    private final boolean showError;
    private final TermFilter filter;

    /**
     * {@code include} and {@code exclude}: a regular expression (Lucene syntax, matching the whole
     * term) or a list of exact values; a term is kept when included (or no include) and not excluded.
     */
    private record TermFilter(Optional<org.apache.lucene.util.automaton.CharacterRunAutomaton> includeRegex, Optional<Set<String>> includeSet,
            Optional<org.apache.lucene.util.automaton.CharacterRunAutomaton> excludeRegex, Optional<Set<String>> excludeSet) {
        static final TermFilter ALL = new TermFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        static TermFilter of(JsonNode include, JsonNode exclude, String name) {
            if (include == null && exclude == null) {
                return ALL;
            }
            if (include != null && include.isObject()) {
                throw SearchException.parsing("[terms] include partitions are not supported by Tributary (aggregation [%s])", name);
            }
            return new TermFilter(regex(include), set(include), regex(exclude), set(exclude));
        }

        private static Optional<org.apache.lucene.util.automaton.CharacterRunAutomaton> regex(JsonNode node) {
            if (node == null || !node.isTextual()) {
                return Optional.empty();
            }
            QueryDsl.checkLength(node.asText(), "include/exclude");
            return Optional.of(new org.apache.lucene.util.automaton.CharacterRunAutomaton(org.apache.lucene.util.automaton.Operations.determinize(
                    new org.apache.lucene.util.automaton.RegExp(node.asText()).toAutomaton(), org.apache.lucene.util.automaton.Operations.DEFAULT_DETERMINIZE_WORK_LIMIT)));
        }

        private static Optional<Set<String>> set(JsonNode node) {
            if (node == null || !node.isArray()) {
                if (node != null && !node.isTextual()) {
                    throw SearchException.parsing("[terms] include and exclude take a regular expression or an array of values");
                }
                return Optional.empty();
            }
            Set<String> values = new java.util.HashSet<>();
            node.forEach(v -> values.add(v.asText()));
            return Optional.of(values);
        }

        boolean accepts(String term) {
            return includeRegex.map(r -> r.run(term)).orElse(true) && includeSet.map(s -> s.contains(term)).orElse(true)
                    && !excludeRegex.map(r -> r.run(term)).orElse(false) && !excludeSet.map(s -> s.contains(term)).orElse(false);
        }

        boolean acceptsNumber(double value, boolean whole) {
            if (this == ALL) {
                return true;
            }
            String text = whole ? Long.toString((long) value) : Double.toString(value);
            return includeSet.map(s -> s.contains(text) || s.contains(Double.toString(value))).orElse(true)
                    && !excludeSet.map(s -> s.contains(text) || s.contains(Double.toString(value))).orElse(false);
        }
    }
    private final BucketOrds ords = new BucketOrds();
    private final BytesRefHash terms = new BytesRefHash();
    /** With min_doc_count 0, every numeric value of the field in the index (keywords are all in {@link #terms}). */
    private final java.util.Set<Long> allNumericKeys = new java.util.HashSet<>();
    private final DocCounts docCounts = new DocCounts(16);

    private TermsAggregator(String name, Optional<ValueSource> source, Optional<java.util.function.Function<org.apache.lucene.index.LeafReader, String>> indexNames,
            int size, long minDocCount, List<Order> order, Optional<String> format, boolean showError, TermFilter filter, List<Aggregator> subs,
            Optional<JsonNode> meta) {
        super(name, subs, meta);
        this.indexNames = indexNames;
        this.filter = filter;
        this.format = format;
        this.showError = showError;
        this.source = source;
        this.size = size;
        this.minDocCount = minDocCount;
        this.order = order;
    }

    static TermsAggregator create(String name, JsonNode p, List<Aggregator> subs, Context context, Optional<JsonNode> meta) {
        params(p, "terms", Set.of("field", "size", "min_doc_count", "order", "shard_size", "show_term_doc_count_error", "execution_hint",
                "collect_mode", "format", "missing", "include", "exclude"));
        if (p.has("missing")) {
            throw SearchException.parsing("[terms] missing is not supported by Tributary; add a missing aggregation beside it");
        }
        // _index: each segment's documents have its index's name, a keyword-like value.
        boolean byIndex = "_index".equals(p.path("field").asText(null));
        Optional<ValueSource> source = byIndex ? Optional.empty() : ValueSource.of(context.mapping(), p.path("field").asText(null), name);
        int size = p.path("size").asInt(10);
        if (size <= 0) {
            throw SearchException.illegalArgument("[size] must be greater than 0. Found [%d] in [%s]", size, name);
        }
        List<Order> order = new ArrayList<>();
        if (p.has("order")) {
            List<JsonNode> list = new ArrayList<>();
            if (p.get("order").isArray()) {
                p.get("order").forEach(list::add);
            } else {
                list.add(p.get("order"));
            }
            for (JsonNode o : list) {
                if (!o.isObject() || o.size() != 1) {
                    throw SearchException.parsing("[terms] order must be an object such as {\"_count\": \"desc\"}");
                }
                Map.Entry<String, JsonNode> e = o.fields().next();
                String dir = e.getValue().asText();
                if (!dir.equalsIgnoreCase("asc") && !dir.equalsIgnoreCase("desc")) {
                    throw SearchException.parsing("Unknown terms order direction [%s] in terms aggregation [%s]", dir, name);
                }
                String path = e.getKey().equals("_term") ? "_key" : e.getKey();
                order.add(new Order(path, dir.equalsIgnoreCase("asc")));
            }
        }
        if (order.isEmpty()) {
            order.add(new Order("_count", false));
        }
        Optional<String> format = Optional.ofNullable(p.get("format")).map(JsonNode::asText);
        source.ifPresent(src -> src.checkFormat(format));
        TermFilter filter = TermFilter.of(p.get("include"), p.get("exclude"), name);
        if (source.isPresent() && source.get().numeric() && (filter.includeRegex().isPresent() || filter.excludeRegex().isPresent())) {
            throw SearchException.illegalArgument("Aggregation [%s] cannot support regular expression style include/exclude settings as they can "
                    + "only be applied to string fields. Use an array of numeric values for include/exclude clauses used to filter numeric fields", name);
        }
        if (byIndex && format.isPresent()) {
            throw SearchException.illegalArgument("[format] does not apply to [_index] in aggregation [%s]", name);
        }
        TermsAggregator agg = new TermsAggregator(name, source, byIndex ? Optional.of(context.indexNames()) : Optional.empty(), size,
                p.path("min_doc_count").asLong(1), order, format, p.path("show_term_doc_count_error").asBoolean(false), filter, subs, meta);
        for (Order o : order) {
            if (!o.path().equals("_key") && !o.path().equals("_count")) {
                agg.sub(o.path().split("[.>]")[0]);
            }
        }
        return agg;
    }

    @Override
    String typeName() {
        if (source.isEmpty()) {
            return "sterms";
        }
        return switch (source.get().kind()) {
            case KEYWORD -> "sterms";
            case LONG -> "lterms";
            case DOUBLE, FLOAT -> "dterms";
        };
    }

    @Override
    LeafCollector leaf(LeafReaderContext context) throws IOException {
        if (indexNames.isPresent()) {
            String index = indexNames.get().apply(context.reader());
            if (!filter.accepts(index)) {
                return LeafCollector.NONE;
            }
            int added = terms.add(new BytesRef(index));
            long id = added < 0 ? -added - 1 : added;
            LeafCollector[] subCollectors = leaves(subs, context);
            return (doc, owner) -> bucket(doc, owner, id, subCollectors);
        }
        if (source.isEmpty()) {
            return LeafCollector.NONE;
        }
        ValueSource src = source.get();
        LeafCollector[] subCollectors = leaves(subs, context);
        if (minDocCount == 0) {
            // Terms no matching document has are buckets too (doc_count 0), as OpenSearch lists every term of the field.
            allTerms(src, context);
        }
        if (src.kind() == ValueSource.Kind.KEYWORD) {
            SortedSetDocValues values = src.ordinals(context);
            long[] global = new long[(int) Math.min(Integer.MAX_VALUE - 8, values.getValueCount())];
            Arrays.fill(global, -1);
            return (doc, owner) -> {
                if (!values.advanceExact(doc)) {
                    return;
                }
                int n = values.docValueCount();
                for (int i = 0; i < n; i++) {
                    int segOrd = (int) values.nextOrd();
                    if (global[segOrd] == -1) {
                        BytesRef term = values.lookupOrd(segOrd);
                        if (filter == TermFilter.ALL || filter.accepts(term.utf8ToString())) {
                            int id = terms.add(term);
                            global[segOrd] = id < 0 ? -id - 1 : id;
                        } else {
                            global[segOrd] = -2;
                        }
                    }
                    if (global[segOrd] >= 0) {
                        bucket(doc, owner, global[segOrd], subCollectors);
                    }
                }
            };
        }
        SortedNumericDocValues values = src.numeric(context);
        boolean floating = src.kind() != ValueSource.Kind.LONG;
        return (doc, owner) -> {
            if (!values.advanceExact(doc)) {
                return;
            }
            int n = values.docValueCount();
            long previous = 0;
            for (int i = 0; i < n; i++) {
                long raw = values.nextValue();
                long key = floating ? Double.doubleToLongBits(src.decode(raw)) : raw;
                if (i > 0 && key == previous) {
                    continue;
                }
                previous = key;
                if (filter.acceptsNumber(src.decode(raw), !floating)) {
                    bucket(doc, owner, key, subCollectors);
                }
            }
        };
    }

    private void allTerms(ValueSource src, LeafReaderContext context) throws IOException {
        if (src.kind() == ValueSource.Kind.KEYWORD) {
            org.apache.lucene.index.TermsEnum te = src.ordinals(context).termsEnum();
            for (BytesRef term = te.next(); term != null; term = te.next()) {
                if (filter.accepts(term.utf8ToString())) {
                    terms.add(term);
                }
            }
            return;
        }
        SortedNumericDocValues all = src.numeric(context);
        org.apache.lucene.util.Bits live = context.reader().getLiveDocs();
        boolean floating = src.kind() != ValueSource.Kind.LONG;
        for (int doc = all.nextDoc(); doc != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS; doc = all.nextDoc()) {
            if (live != null && !live.get(doc)) {
                continue;
            }
            for (int i = 0; i < all.docValueCount(); i++) {
                long raw = all.nextValue();
                if (filter.acceptsNumber(src.decode(raw), !floating)) {
                    allNumericKeys.add(floating ? Double.doubleToLongBits(src.decode(raw)) : raw);
                }
            }
        }
    }

    private void bucket(int doc, long owner, long key, LeafCollector[] subCollectors) throws IOException {
        long ord = ords.add(owner, key);
        collectInBucket(docCounts, subCollectors, doc, ord);
    }

    private Comparable<?> keyOf(long key) {
        ValueSource.Kind kind = indexNames.isPresent() ? ValueSource.Kind.KEYWORD : source.orElseThrow().kind();
        return switch (kind) {
            case KEYWORD -> terms.get((int) key, new BytesRef()).utf8ToString();
            case LONG -> key;
            case DOUBLE, FLOAT -> Double.longBitsToDouble(key);
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Comparator<long[]> comparator() {
        Comparator<long[]> byKey = (a, b) -> ((Comparable) keyOf(a[0])).compareTo(keyOf(b[0]));
        Comparator<long[]> result = null;
        for (Order o : order) {
            Comparator<long[]> c;
            if (o.path().equals("_count")) {
                c = Comparator.comparingLong(b -> b[2]);
            } else if (o.path().equals("_key")) {
                c = byKey;
            } else {
                String[] parts = o.path().split("\\.", 2);
                Aggregator sub = sub(parts[0].split(">")[0]);
                String metric = parts.length > 1 ? parts[1] : null;
                c = Comparator.comparingDouble(b -> sub.sortValue(b[1], metric));
            }
            if (!o.ascending()) {
                c = c.reversed();
            }
            result = result == null ? c : result.thenComparing(c);
        }
        // OpenSearch breaks ties by key, ascending.
        return result.thenComparing(byKey);
    }

    @Override
    ObjectNode result(long owner, boolean typedKeys) {
        ObjectNode out = object();
        out.put("doc_count_error_upper_bound", 0);
        List<long[]> buckets = new ArrayList<>();
        java.util.Set<Long> present = new java.util.HashSet<>();
        for (int ord = 0; ord < ords.size(); ord++) {
            if (ords.owner(ord) == owner && docCounts.get(ord) >= minDocCount) {
                buckets.add(new long[] {ords.key(ord), ord, docCounts.get(ord)});
                present.add(ords.key(ord));
            }
        }
        if (minDocCount == 0 && (source.isPresent() || indexNames.isPresent())) {
            if (indexNames.isPresent() || source.get().kind() == ValueSource.Kind.KEYWORD) {
                for (long id = 0; id < terms.size(); id++) {
                    if (!present.contains(id)) {
                        buckets.add(new long[] {id, -1, 0});
                    }
                }
            } else {
                for (long key : allNumericKeys) {
                    if (!present.contains(key)) {
                        buckets.add(new long[] {key, -1, 0});
                    }
                }
            }
        }
        buckets.sort(comparator());
        long other = 0;
        for (int i = size; i < buckets.size(); i++) {
            other += buckets.get(i)[2];
        }
        out.put("sum_other_doc_count", other);
        ArrayNode array = out.putArray("buckets");
        // The buckets answered count against the limit, not the size asked for (OpenSearch checks what it builds).
        if (Math.min(size, buckets.size()) > MAX_BUCKETS) {
            throw BucketOrds.tooMany();
        }
        for (int i = 0; i < Math.min(size, buckets.size()); i++) {
            long[] b = buckets.get(i);
            ObjectNode bucket = array.addObject();
            Comparable<?> key = keyOf(b[0]);
            FieldType type = source.map(x -> x.field().type()).orElse(FieldType.KEYWORD);
            switch (key) {
                case String s -> bucket.put("key", s);
                case Long l -> {
                    bucket.put("key", l);
                    if (type == FieldType.BOOLEAN) {
                        bucket.put("key_as_string", l == 1 ? "true" : "false");
                    } else {
                        source.get().asString(l, format).ifPresent(x -> bucket.put("key_as_string", x));
                    }
                }
                case Double d -> {
                    bucket.put("key", d);
                    source.get().asString(d, format).ifPresent(x -> bucket.put("key_as_string", x));
                }
                default -> bucket.put("key", key.toString());
            }
            bucket.put("doc_count", b[2]);
            if (showError) {
                // One shard: every count is exact.
                bucket.put("doc_count_error_upper_bound", 0);
            }
            addSubResults(bucket, b[1], typedKeys);
        }
        return withMeta(out);
    }
}
