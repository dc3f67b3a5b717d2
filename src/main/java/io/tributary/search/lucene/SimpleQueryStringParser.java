package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.node.TextNode;
import io.tributary.search.FieldType;
import io.tributary.search.SearchException;
import io.tributary.search.lucene.IndexMapping.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.simple.SimpleQueryParser;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
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

    @FunctionalInterface
    private interface PerField {
        Query build(Field f);
    }

    private Query each(PerField perField, boolean dismax) {
        List<Query> queries = new ArrayList<>();
        for (QueryStringParser.Target t : targets) {
            Query q;
            try {
                q = perField.build(t.field());
            } catch (SearchException e) {
                if (lenient) {
                    continue;
                }
                throw e;
            }
            if (q != null) {
                queries.add(t.boost() == 1f ? q : new BoostQuery(q, t.boost()));
            }
        }
        if (queries.isEmpty()) {
            return null;
        }
        if (queries.size() == 1) {
            return queries.get(0);
        }
        if (dismax) {
            return new DisjunctionMaxQuery(queries, 0);
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        queries.forEach(q -> b.add(q, Occur.SHOULD));
        return b.build();
    }

    private static boolean isText(Field f) {
        return f.type() == FieldType.TEXT;
    }

    private static void requireString(Field f, String query) {
        if (f.type() != FieldType.TEXT && f.type() != FieldType.KEYWORD) {
            throw SearchException.queryShard("Can only use %s queries on keyword and text fields - not on [%s] which is of type [%s]", query,
                    f.path(), f.type().jsonName());
        }
        FieldQueries.requireTerms(f, query);
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
            requireString(f, "prefix");
            String normalized = isText(f) ? getAnalyzer().normalize(f.path(), text).utf8ToString() : text;
            return new PrefixQuery(new Term(f.path(), normalized), FieldQueries.rewrite(f));
        }, false);
    }

    @Override
    protected Query newFuzzyQuery(String text, int fuzziness) {
        return each(f -> {
            requireString(f, "fuzzy");
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
