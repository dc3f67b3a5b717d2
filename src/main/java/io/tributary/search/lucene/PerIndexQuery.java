package io.tributary.search.lucene;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;

/**
 * A search over several indexes runs each index's own query on that index's segments: the query
 * is built from the index's mapping (a field may be {@code text} in one index and {@code keyword}
 * in another), its alias filters and its name ({@code _index}), as OpenSearch builds it per shard.
 * Segments are told apart by their reader, which the multi-index reader shares with each index's.
 *
 * <p>Immutable and thread-safe.
 */
final class PerIndexQuery extends Query {
    private final List<IndexReader> readers;
    private final List<Query> queries;

    private PerIndexQuery(List<IndexReader> readers, List<Query> queries) {
        this.readers = List.copyOf(readers);
        this.queries = List.copyOf(queries);
    }

    /** {@code queries.get(i)} on the segments of {@code readers.get(i)}; the query itself for one index. */
    static Query of(List<IndexReader> readers, List<Query> queries) {
        requireNonNull(readers, "readers is null");
        requireNonNull(queries, "queries is null");
        if (readers.size() != queries.size()) {
            throw new IllegalArgumentException("one query per reader: " + readers.size() + " readers, " + queries.size() + " queries");
        }
        return queries.size() == 1 ? queries.get(0) : new PerIndexQuery(readers, queries);
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        List<Query> rewritten = new ArrayList<>(queries.size());
        boolean changed = false;
        for (Query q : queries) {
            Query r = q.rewrite(searcher);
            changed |= r != q;
            rewritten.add(r);
        }
        return changed ? new PerIndexQuery(readers, rewritten) : this;
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        Map<LeafReader, Weight> bySegment = new IdentityHashMap<>();
        for (int i = 0; i < readers.size(); i++) {
            Weight w = queries.get(i).createWeight(searcher, scoreMode, boost);
            for (LeafReaderContext leaf : readers.get(i).leaves()) {
                bySegment.put(leaf.reader(), w);
            }
        }
        return new Weight(this) {
            @Override
            public ScorerSupplier scorerSupplier(LeafReaderContext context) throws IOException {
                Weight w = bySegment.get(context.reader());
                return w == null ? null : w.scorerSupplier(context);
            }

            @Override
            public Explanation explain(LeafReaderContext context, int doc) throws IOException {
                Weight w = bySegment.get(context.reader());
                return w == null ? Explanation.noMatch("segment of no searched index") : w.explain(context, doc);
            }

            @Override
            public int count(LeafReaderContext context) throws IOException {
                Weight w = bySegment.get(context.reader());
                return w == null ? 0 : w.count(context);
            }

            @Override
            public boolean isCacheable(LeafReaderContext context) {
                Weight w = bySegment.get(context.reader());
                return w == null || w.isCacheable(context);
            }
        };
    }

    @Override
    public void visit(QueryVisitor visitor) {
        QueryVisitor sub = visitor.getSubVisitor(BooleanClause.Occur.SHOULD, this);
        queries.forEach(q -> q.visit(sub));
    }

    @Override
    public String toString(String field) {
        StringBuilder sb = new StringBuilder("per_index(");
        for (int i = 0; i < queries.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(queries.get(i).toString(field));
        }
        return sb.append(')').toString();
    }

    @Override
    public boolean equals(Object other) {
        if (!sameClassAs(other)) {
            return false;
        }
        PerIndexQuery o = (PerIndexQuery) other;
        if (readers.size() != o.readers.size() || !queries.equals(o.queries)) {
            return false;
        }
        for (int i = 0; i < readers.size(); i++) {
            if (readers.get(i) != o.readers.get(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = classHash();
        for (IndexReader r : readers) {
            h = 31 * h + System.identityHashCode(r);
        }
        return 31 * h + queries.hashCode();
    }
}
