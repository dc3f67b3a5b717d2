package io.tributary.search.lucene;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.MultiPhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.BytesRef;

/**
 * {@code match_phrase_prefix}: the analyzed words as a phrase whose last word is a prefix,
 * expanded to at most {@code maxExpansions} terms of the index in term order (OpenSearch's
 * MultiPhrasePrefixQuery), so "white he" finds "white heart" and "white hearts".
 *
 * <p>Immutable and thread-safe.
 */
final class PhrasePrefixQuery extends Query {
    private final String field;
    private final List<List<Term>> positions;
    private final String prefix;
    private final int maxExpansions;
    private final int slop;

    /** @param positions the terms at each position before the last (several at one position for synonyms) */
    PhrasePrefixQuery(String field, List<List<Term>> positions, String prefix, int maxExpansions, int slop) {
        this.field = requireNonNull(field, "field is null");
        this.positions = positions.stream().map(List::copyOf).toList();
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.maxExpansions = maxExpansions;
        this.slop = slop;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        TreeSet<BytesRef> expansions = new TreeSet<>();
        BytesRef p = new BytesRef(prefix);
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Terms terms = leaf.reader().terms(field);
            if (terms == null) {
                continue;
            }
            TermsEnum te = terms.iterator();
            if (te.seekCeil(p) == TermsEnum.SeekStatus.END) {
                continue;
            }
            for (BytesRef t = te.term(); t != null && org.apache.lucene.util.StringHelper.startsWith(t, p); t = te.next()) {
                expansions.add(BytesRef.deepCopyOf(t));
                if (expansions.size() > maxExpansions) {
                    expansions.pollLast();
                    break;
                }
            }
        }
        if (expansions.isEmpty()) {
            return new MatchNoDocsQuery("no term starts with [" + prefix + "]");
        }
        MultiPhraseQuery.Builder b = new MultiPhraseQuery.Builder();
        for (List<Term> at : positions) {
            b.add(at.toArray(Term[]::new));
        }
        List<Term> last = new ArrayList<>();
        expansions.forEach(t -> last.add(new Term(field, t)));
        b.add(last.toArray(Term[]::new));
        b.setSlop(slop);
        return b.build();
    }

    @Override
    public void visit(QueryVisitor visitor) {
        visitor.visitLeaf(this);
    }

    @Override
    public String toString(String f) {
        return field + ":\"" + positions + " " + prefix + "*\"~" + slop;
    }

    @Override
    public boolean equals(Object other) {
        return sameClassAs(other) && field.equals(((PhrasePrefixQuery) other).field) && positions.equals(((PhrasePrefixQuery) other).positions)
                && prefix.equals(((PhrasePrefixQuery) other).prefix) && maxExpansions == ((PhrasePrefixQuery) other).maxExpansions
                && slop == ((PhrasePrefixQuery) other).slop;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(classHash(), field, positions, prefix, maxExpansions, slop);
    }
}
