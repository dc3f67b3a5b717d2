package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;

/** {@code filter}: one bucket of the documents that also match a query. */
final class FilterAggregator extends SingleBucketAggregator {
    private final Weight weight;

    private FilterAggregator(String name, Weight weight, List<Aggregator> subs, Optional<JsonNode> meta) {
        super(name, subs, meta);
        this.weight = weight;
    }

    static FilterAggregator create(String name, JsonNode p, List<Aggregator> subs, Context context, Optional<JsonNode> meta) {
        Query query = context.queries().apply(p);
        try {
            Weight weight = context.searcher().createWeight(context.searcher().rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1);
            return new FilterAggregator(name, weight, subs, meta);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    String typeName() {
        return "filter";
    }

    @Override
    LeafCollector leaf(LeafReaderContext context) throws IOException {
        Scorer scorer = weight.scorer(context);
        if (scorer == null) {
            return LeafCollector.NONE;
        }
        DocIdSetIterator matches = scorer.iterator();
        LeafCollector[] subCollectors = leaves(subs, context);
        // Parents pass documents in increasing order (a document again for another bucket), so the iterator only moves forward.
        return (doc, owner) -> {
            int current = matches.docID();
            if (current < doc) {
                current = matches.advance(doc);
            }
            if (current == doc) {
                collect(doc, owner, subCollectors);
            }
        };
    }
}
