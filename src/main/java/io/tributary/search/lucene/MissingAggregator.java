package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.search.SearchException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;

/** {@code missing}: one bucket of the documents without a value in a field (all of them when the field is not mapped). */
final class MissingAggregator extends Aggregator {
    private final Optional<ValueSource> source;
    private long[] docCounts = new long[1];

    private MissingAggregator(String name, Optional<ValueSource> source, List<Aggregator> subs, Optional<JsonNode> meta) {
        super(name, subs, meta);
        this.source = source;
    }

    static MissingAggregator create(String name, JsonNode p, List<Aggregator> subs, Context context, Optional<JsonNode> meta) {
        params(p, "missing", Set.of("field"));
        if (!p.has("field")) {
            throw SearchException.illegalArgument("Required one of fields [field, script], but none were specified for aggregation [%s]", name);
        }
        return new MissingAggregator(name, ValueSource.of(context.mapping(), p.get("field").asText(), name), subs, meta);
    }

    @Override
    String typeName() {
        return "missing";
    }

    @Override
    LeafCollector leaf(LeafReaderContext context) throws IOException {
        LeafCollector[] subCollectors = leaves(subs, context);
        if (source.isEmpty()) {
            return (doc, owner) -> count(doc, owner, subCollectors);
        }
        if (source.get().kind() == ValueSource.Kind.KEYWORD) {
            SortedSetDocValues values = source.get().ordinals(context);
            return (doc, owner) -> {
                if (!values.advanceExact(doc)) {
                    count(doc, owner, subCollectors);
                }
            };
        }
        SortedNumericDocValues values = source.get().numeric(context);
        return (doc, owner) -> {
            if (!values.advanceExact(doc)) {
                count(doc, owner, subCollectors);
            }
        };
    }

    private void count(int doc, long owner, LeafCollector[] subCollectors) throws IOException {
        docCounts = grow(docCounts, owner);
        docCounts[(int) owner]++;
        collectAll(subCollectors, doc, owner);
    }

    @Override
    double sortValue(long owner, String metric) {
        return owner >= 0 && owner < docCounts.length ? docCounts[(int) owner] : 0;
    }

    @Override
    ObjectNode result(long owner, boolean typedKeys) {
        ObjectNode out = object();
        long count = owner >= 0 && owner < docCounts.length ? docCounts[(int) owner] : 0;
        out.put("doc_count", count);
        addSubResults(out, count == 0 ? -1 : owner, typedKeys);
        return withMeta(out);
    }
}
