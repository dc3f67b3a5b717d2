package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.search.SearchException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;

/** {@code missing}: one bucket of the documents without a value in a field (all of them when the field is not mapped). */
final class MissingAggregator extends SingleBucketAggregator {
    private final Optional<ValueSource> source;

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
            return (doc, owner) -> collect(doc, owner, subCollectors);
        }
        if (source.get().kind() == ValueSource.Kind.KEYWORD) {
            SortedSetDocValues values = source.get().ordinals(context);
            return (doc, owner) -> {
                if (!values.advanceExact(doc)) {
                    collect(doc, owner, subCollectors);
                }
            };
        }
        SortedNumericDocValues values = source.get().numeric(context);
        return (doc, owner) -> {
            if (!values.advanceExact(doc)) {
                collect(doc, owner, subCollectors);
            }
        };
    }
}
