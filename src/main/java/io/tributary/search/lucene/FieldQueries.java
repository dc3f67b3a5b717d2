package io.tributary.search.lucene;

import io.tributary.search.FieldType;
import io.tributary.search.SearchException;
import io.tributary.search.lucene.IndexMapping.Field;
import java.util.Collection;
import java.util.List;
import org.apache.lucene.document.DoubleField;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.FloatField;
import org.apache.lucene.document.FloatPoint;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.SortedNumericDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.NumericUtils;

/**
 * Exact-value and range queries on a field by what it was indexed with: the index (terms or
 * points) and doc values together, the index only ({@code doc_values: false}), or doc values only
 * ({@code index: false}, which OpenSearch still answers term and range queries on, more slowly).
 * A field with neither cannot be searched, and says so.
 */
final class FieldQueries {
    private FieldQueries() {}

    private static void requireSearchable(Field f) {
        if (!f.indexed() && (!f.docValues() || f.type() == FieldType.TEXT)) {
            throw SearchException.queryShard("failed to create query: Cannot search on field [%s] since it is not indexed.", f.path());
        }
    }

    /** Terms of a keyword or text field. */
    static Query term(Field f, String value) {
        requireSearchable(f);
        if (f.indexed()) {
            return new TermQuery(new Term(f.path(), value));
        }
        return SortedSetDocValuesField.newSlowExactQuery(f.path(), new BytesRef(value));
    }

    static Query terms(Field f, Collection<BytesRef> values) {
        requireSearchable(f);
        if (f.indexed()) {
            return new ConstantScoreQuery(new TermInSetQuery(f.path(), values));
        }
        return new ConstantScoreQuery(SortedSetDocValuesField.newSlowSetQuery(f.path(), values));
    }

    static Query termRange(Field f, String lower, String upper, boolean includeLower, boolean includeUpper) {
        requireSearchable(f);
        if (f.indexed()) {
            return TermRangeQuery.newStringRange(f.path(), lower, upper, includeLower, includeUpper);
        }
        return SortedSetDocValuesField.newSlowRangeQuery(f.path(), lower == null ? null : new BytesRef(lower),
                upper == null ? null : new BytesRef(upper), includeLower, includeUpper);
    }

    /** Whole numbers, dates (epoch milliseconds) and booleans (0 and 1 in doc values). */
    static Query longRange(Field f, long lower, long upper) {
        requireSearchable(f);
        if (f.indexed() && f.docValues()) {
            return LongField.newRangeQuery(f.path(), lower, upper);
        }
        if (f.indexed()) {
            return LongPoint.newRangeQuery(f.path(), lower, upper);
        }
        return SortedNumericDocValuesField.newSlowRangeQuery(f.path(), lower, upper);
    }

    static Query doubleRange(Field f, double lower, double upper) {
        requireSearchable(f);
        if (f.indexed() && f.docValues()) {
            return DoubleField.newRangeQuery(f.path(), lower, upper);
        }
        if (f.indexed()) {
            return DoublePoint.newRangeQuery(f.path(), lower, upper);
        }
        return SortedNumericDocValuesField.newSlowRangeQuery(f.path(), NumericUtils.doubleToSortableLong(lower),
                NumericUtils.doubleToSortableLong(upper));
    }

    static Query floatRange(Field f, float lower, float upper) {
        requireSearchable(f);
        if (f.indexed() && f.docValues()) {
            return FloatField.newRangeQuery(f.path(), lower, upper);
        }
        if (f.indexed()) {
            return FloatPoint.newRangeQuery(f.path(), lower, upper);
        }
        return SortedNumericDocValuesField.newSlowRangeQuery(f.path(), NumericUtils.floatToSortableInt(lower), NumericUtils.floatToSortableInt(upper));
    }

    static Query bool(Field f, boolean value) {
        requireSearchable(f);
        if (f.indexed()) {
            return new TermQuery(new Term(f.path(), value ? "T" : "F"));
        }
        return SortedNumericDocValuesField.newSlowExactQuery(f.path(), value ? 1 : 0);
    }

    /** Documents with a value: by doc values or norms where the field has them, else by its terms or points. */
    static Query exists(Field f) {
        if (f.docValues() || f.type() == FieldType.TEXT && f.params().norms() && f.indexed()) {
            return new FieldExistsQuery(f.path());
        }
        if (!f.indexed()) {
            // Neither index nor doc values: OpenSearch cannot tell either.
            return new org.apache.lucene.search.MatchNoDocsQuery("[" + f.path() + "] is neither indexed nor has doc values");
        }
        return switch (f.type()) {
            case LONG, INTEGER, SHORT, BYTE, DATE -> LongPoint.newRangeQuery(f.path(), Long.MIN_VALUE, Long.MAX_VALUE);
            case DOUBLE -> DoublePoint.newRangeQuery(f.path(), Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
            case FLOAT -> FloatPoint.newRangeQuery(f.path(), Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
            case TEXT, KEYWORD, BOOLEAN -> new TermRangeQuery(f.path(), null, null, true, true);
            case OBJECT -> throw new IllegalArgumentException("objects have no values: " + f.path());
        };
    }

    /** Analyzed queries need the field's terms; keywords with doc values only are matched through them. */
    static void requireTerms(Field f, String query) {
        if (!f.indexed() && !(f.type() == FieldType.KEYWORD && f.docValues())) {
            throw SearchException.queryShard("failed to create query: Cannot search on field [%s] since it is not indexed (a %s query needs its terms).",
                    f.path(), query);
        }
    }

    /** Phrases need positions, which index_options docs and freqs leave out. */
    static void requirePositions(Field f) {
        String options = f.params().indexOptions().orElse(f.type() == FieldType.TEXT ? "positions" : "docs");
        if (options.equals("docs") || options.equals("freqs")) {
            throw SearchException.queryShard("failed to create query: field:[%s] was indexed without position data; cannot run PhraseQuery", f.path());
        }
    }

    /** How a prefix, wildcard or regexp query finds its terms: in the index, or for an index:false keyword in its doc values. */
    static org.apache.lucene.search.MultiTermQuery.RewriteMethod rewrite(Field f) {
        return f.indexed() ? org.apache.lucene.search.MultiTermQuery.CONSTANT_SCORE_BLENDED_REWRITE
                : org.apache.lucene.search.MultiTermQuery.DOC_VALUES_REWRITE;
    }

    static List<BytesRef> bytes(Collection<String> values) {
        return values.stream().map(BytesRef::new).toList();
    }
}
