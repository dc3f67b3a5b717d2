package io.tributary.search.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FieldComparator;
import org.apache.lucene.search.FieldComparatorSource;
import org.apache.lucene.search.Pruning;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.comparators.TermOrdValComparator;
import org.apache.lucene.util.BytesRef;

/**
 * Sorting on {@code _id}, which is indexed but has no doc values: each segment's ids are
 * uninverted from its terms once and kept while the segment lives, as OpenSearch's {@code _id}
 * field data is (about the id's length plus 40 bytes per document).
 *
 * <p>Thread-safe.
 */
final class IdSort extends FieldComparatorSource {
    private static final IdSort INSTANCE = new IdSort();
    private static final Map<IndexReader.CacheKey, Uninverted> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    /** A segment's ids in term order, and each document's position among them (-1 for none). */
    private record Uninverted(int[] ords, BytesRef[] terms) {}

    private IdSort() {}

    static SortField field(boolean reverse) {
        return new SortField(DocumentParser.ID, INSTANCE, reverse);
    }

    static boolean is(SortField field) {
        return field.getComparatorSource() == INSTANCE;
    }

    @Override
    public FieldComparator<?> newComparator(String field, int numHits, Pruning pruning, boolean reversed) {
        // No pruning: skipping non-competitive documents needs doc values the field does not have.
        return new TermOrdValComparator(numHits, field, false, reversed, Pruning.NONE) {
            @Override
            protected SortedDocValues getSortedDocValues(LeafReaderContext context, String name) throws IOException {
                return values(uninverted(context.reader()));
            }
        };
    }

    private static Uninverted uninverted(LeafReader reader) throws IOException {
        IndexReader.CacheHelper helper = reader.getCoreCacheHelper();
        if (helper == null) {
            return uninvert(reader);
        }
        Uninverted cached = CACHE.get(helper.getKey());
        if (cached == null) {
            cached = uninvert(reader);
            if (CACHE.putIfAbsent(helper.getKey(), cached) == null) {
                helper.addClosedListener(CACHE::remove);
            }
        }
        return cached;
    }

    private static Uninverted uninvert(LeafReader reader) throws IOException {
        int[] ords = new int[reader.maxDoc()];
        Arrays.fill(ords, -1);
        List<BytesRef> terms = new ArrayList<>();
        Terms indexed = reader.terms(DocumentParser.ID);
        if (indexed != null) {
            TermsEnum te = indexed.iterator();
            PostingsEnum postings = null;
            for (BytesRef term = te.next(); term != null; term = te.next()) {
                int ord = terms.size();
                terms.add(BytesRef.deepCopyOf(term));
                postings = te.postings(postings, PostingsEnum.NONE);
                for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                    ords[doc] = ord;
                }
            }
        }
        return new Uninverted(ords, terms.toArray(BytesRef[]::new));
    }

    private static SortedDocValues values(Uninverted u) {
        int[] ords = u.ords();
        return new SortedDocValues() {
            private int doc = -1;

            @Override
            public int ordValue() {
                return ords[doc];
            }

            @Override
            public BytesRef lookupOrd(int ord) {
                return u.terms()[ord];
            }

            @Override
            public int getValueCount() {
                return u.terms().length;
            }

            @Override
            public boolean advanceExact(int target) {
                doc = target;
                return ords[target] >= 0;
            }

            @Override
            public int docID() {
                return doc;
            }

            @Override
            public int nextDoc() {
                return advance(doc + 1);
            }

            @Override
            public int advance(int target) {
                for (int d = target; d < ords.length; d++) {
                    if (ords[d] >= 0) {
                        return doc = d;
                    }
                }
                return doc = DocIdSetIterator.NO_MORE_DOCS;
            }

            @Override
            public long cost() {
                return ords.length;
            }
        };
    }
}
