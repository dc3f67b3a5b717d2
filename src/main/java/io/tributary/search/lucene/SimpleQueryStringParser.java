package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.node.TextNode;
import io.tributary.search.FieldType;
import io.tributary.search.lucene.IndexMapping.Field;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.simple.SimpleQueryParser;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;

/**
 * {@code simple_query_string}: Lucene's forgiving syntax (+, |, -, "phrase", prefix*, ~fuzziness)
 * over fields resolved by the mapping, where a word is matched on every field (text analyzed,
 * other types exactly, leniently for the default of every field) and the fields' matches add up,
 * as OpenSearch's most-fields parser does.
 *
 * <p>Not thread-safe: one per query.
 */
final class SimpleQueryStringParser extends SimpleQueryParser {
    private final QueryDsl dsl;
    private final List<QueryStringParser.Target> targets;
    private final boolean lenient;

    SimpleQueryStringParser(QueryDsl dsl, Analyzer analyzer, List<QueryStringParser.Target> targets, boolean lenient, int flags) {
        super(analyzer, Map.of(), flags);
        this.dsl = dsl;
        this.targets = List.copyOf(targets);
        this.lenient = lenient;
    }

    /** The word's query on every target field, as one query; null when no field can take it. */
    private Query each(QueryStringParser.PerField<RuntimeException> perField, boolean dismax) {
        List<Query> queries = QueryStringParser.perTarget(targets, lenient, perField);
        return queries.isEmpty() ? null : QueryStringParser.combined(queries, dismax, 0);
    }

    private static boolean isText(Field f) {
        return f.type() == FieldType.TEXT;
    }

    @Override
    protected Query newDefaultQuery(String text) {
        return each(f -> {
            if (isText(f)) {
                FieldQueries.requireTerms(f, "match");
                return createBooleanQuery(f.path(), text, getDefaultOperator());
            }
            return dsl.exactQuery(f, TextNode.valueOf(text));
        }, false);
    }

    @Override
    protected Query newPhraseQuery(String text, int slop) {
        return each(f -> {
            if (isText(f)) {
                FieldQueries.requireTerms(f, "phrase");
                FieldQueries.requirePositions(f);
                return createPhraseQuery(f.path(), text, slop);
            }
            return dsl.exactQuery(f, TextNode.valueOf(text));
        }, true);
    }

    @Override
    protected Query newPrefixQuery(String text) {
        return each(f -> {
            QueryStringParser.requireString(f, "prefix");
            String normalized = isText(f) ? getAnalyzer().normalize(f.path(), text).utf8ToString() : text;
            return new PrefixQuery(new Term(f.path(), normalized), FieldQueries.rewrite(f));
        }, false);
    }

    @Override
    protected Query newFuzzyQuery(String text, int fuzziness) {
        return each(f -> {
            QueryStringParser.requireString(f, "fuzzy");
            String normalized = isText(f) ? getAnalyzer().normalize(f.path(), text).utf8ToString() : text;
            return new FuzzyQuery(new Term(f.path(), normalized), Math.min(fuzziness, 2));
        }, false);
    }

    /** A query that analyzed to nothing matches nothing, as in OpenSearch. */
    Query parseQuery(String text) {
        Query q = parse(text);
        return q == null ? new MatchNoDocsQuery("empty simple_query_string") : QueryStringParser.fixNegative(q);
    }
}
