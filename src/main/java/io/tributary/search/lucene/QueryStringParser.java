package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tributary.common.Json;
import io.tributary.search.FieldType;
import io.tributary.search.SearchException;
import io.tributary.search.lucene.IndexMapping.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;

/**
 * Lucene's classic query syntax with OpenSearch's {@code query_string} extensions, by the
 * mapping: a term without a field searches the default fields (every field, including numbers
 * and dates, when the default is {@code *}, then leniently), as a {@code dis_max} over the fields
 * ({@code tie_breaker}; a boolean with {@code type: most_fields}); field names may be patterns
 * ({@code Desc*}); {@code field:>40}, {@code >=}, {@code <}, {@code <=} are open ranges;
 * {@code field:*} and {@code _exists_:field} find documents with a value; a query of only
 * negative clauses ({@code NOT x}, {@code -x}) matches everything else; ranges and terms on
 * numbers and dates use the field's type (dates with {@code time_zone}). With {@code lenient},
 * a value a field's type cannot hold makes that field match nothing instead of failing.
 *
 * <p>Not thread-safe: one per query.
 */
final class QueryStringParser extends QueryParser {
    static final String EXISTS_FIELD = "_exists_";

    /** A field a term searches, with its boost. */
    record Target(Field field, float boost) {}

    private final QueryDsl dsl;
    private final IndexMapping mapping;
    private final List<String> defaultPatterns;
    private final Map<String, Float> defaultBoosts;
    private final boolean lenient;
    private final float tieBreaker;
    private final boolean mostFields;
    private final Optional<String> timeZone;

    /**
     * @param defaultFields field names or patterns ({@code *} for all), each with a boost, searched by terms without a field
     * @param analyzer analyzes text fields (the mapping's analyzers, or the request's {@code analyzer})
     */
    QueryStringParser(QueryDsl dsl, IndexMapping mapping, Map<String, Float> defaultFields, Analyzer analyzer, boolean lenient, float tieBreaker,
            boolean mostFields, Optional<String> timeZone) {
        super(null, analyzer);
        this.dsl = dsl;
        this.mapping = mapping;
        this.defaultPatterns = List.copyOf(defaultFields.keySet());
        this.defaultBoosts = Map.copyOf(defaultFields);
        this.lenient = lenient;
        this.tieBreaker = tieBreaker;
        this.mostFields = mostFields;
        this.timeZone = timeZone;
    }

    private Fuzzy fuzzy = new Fuzzy(-1, 3, 6, 0, 50, true);

    /** Parses the query text; a query of only negative clauses also matches every other document. */
    Query parseQuery(String text) throws ParseException {
        return fixNegative(parse(text));
    }

    /** The fields a field name in the query (or the default fields when it has none) stands for, leaving out objects. */
    private List<Target> targets(String field) {
        List<Target> out = new ArrayList<>();
        if (field == null) {
            for (String pattern : defaultPatterns) {
                out.addAll(expand(pattern, defaultBoosts.get(pattern)));
            }
        } else {
            out.addAll(expand(field, 1f));
        }
        Map<String, Target> unique = new LinkedHashMap<>();
        out.forEach(t -> unique.putIfAbsent(t.field().path(), t));
        return List.copyOf(unique.values());
    }

    /** The mapped fields (objects left out) the patterns name, each with its pattern's boost, once each. */
    static List<Target> resolve(IndexMapping mapping, Map<String, Float> patterns) {
        Map<String, Target> unique = new LinkedHashMap<>();
        patterns.forEach((pattern, boost) -> expand(mapping, pattern, boost).forEach(t -> unique.putIfAbsent(t.field().path(), t)));
        return List.copyOf(unique.values());
    }

    private List<Target> expand(String pattern, float boost) {
        return expand(mapping, pattern, boost);
    }

    private static List<Target> expand(IndexMapping mapping, String pattern, float boost) {
        List<Target> out = new ArrayList<>();
        if (pattern.contains("*") || pattern.contains("?")) {
            for (Field f : mapping.fields().values()) {
                if (f.type() != FieldType.OBJECT && Wildcards.matches(pattern, f.path())) {
                    out.add(new Target(f, boost));
                }
            }
        } else {
            mapping.field(pattern).filter(f -> f.type() != FieldType.OBJECT).ifPresent(f -> out.add(new Target(f, boost)));
        }
        return out;
    }

    private boolean allFields(String field) {
        return field == null ? defaultPatterns.contains("*") : field.equals("*");
    }

    /** Builds the query for one field a term searches; null leaves the field out. */
    @FunctionalInterface
    interface PerField<E extends Exception> {
        Query build(Field field) throws E;
    }

    /**
     * One query per target field, each with its target's boost. When lenient, a field that cannot
     * take the value (its query fails) is left out instead of failing the search; this parser and
     * simple_query_string share it so both treat fields alike.
     */
    static <E extends Exception> List<Query> perTarget(List<Target> targets, boolean lenient, PerField<E> perField) throws E {
        List<Query> queries = new ArrayList<>();
        for (Target t : targets) {
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
        return queries;
    }

    /** Several fields' queries (at least one) as one: a dis_max with the tie breaker, or a boolean whose matches add up. */
    static Query combined(List<Query> queries, boolean dismax, float tieBreaker) {
        if (queries.size() == 1) {
            return queries.get(0);
        }
        if (dismax) {
            return new DisjunctionMaxQuery(queries, tieBreaker);
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        queries.forEach(q -> b.add(q, Occur.SHOULD));
        return b.build();
    }

    /** One query per target field, combined as a dis_max (or a boolean for most_fields); fields that cannot take the value are left out when lenient. */
    private Query combine(String field, PerField<ParseException> perField) throws ParseException {
        List<Query> queries = perTarget(targets(field), lenient, perField);
        if (queries.isEmpty()) {
            return new MatchNoDocsQuery("no field to search for [" + field + "]");
        }
        return combined(queries, !mostFields, tieBreaker);
    }

    /** {@link #combine} for the term queries only keyword and text fields take (wildcard, prefix, regexp, fuzzy). */
    private Query combineStrings(String field, String query, PerField<ParseException> perField) throws ParseException {
        return combine(field, f -> {
            requireString(f, query);
            return perField.build(f);
        });
    }

    private static boolean isText(Field f) {
        return f.type() == FieldType.TEXT;
    }

    private static boolean isString(Field f) {
        return f.type() == FieldType.TEXT || f.type() == FieldType.KEYWORD;
    }

    @Override
    protected Query getFieldQuery(String field, String queryText, boolean quoted) throws ParseException {
        if (EXISTS_FIELD.equals(field)) {
            return dsl.existsQuery(queryText);
        }
        if (quoted) {
            return getFieldQuery(field, queryText, getPhraseSlop());
        }
        if (field != null && queryText.length() > 1) {
            // OpenSearch's one-sided ranges: field:>10, field:>=10, field:<10, field:<=10.
            if (queryText.startsWith(">=") && queryText.length() > 2) {
                return getRangeQuery(field, queryText.substring(2), null, true, true);
            }
            if (queryText.startsWith(">")) {
                return getRangeQuery(field, queryText.substring(1), null, false, true);
            }
            if (queryText.startsWith("<=") && queryText.length() > 2) {
                return getRangeQuery(field, null, queryText.substring(2), true, true);
            }
            if (queryText.startsWith("<")) {
                return getRangeQuery(field, null, queryText.substring(1), true, false);
            }
        }
        return combine(field, f -> {
            if (isText(f)) {
                FieldQueries.requireTerms(f, "match");
                return newFieldQuery(getAnalyzer(), f.path(), queryText, false);
            }
            return exact(f, queryText);
        });
    }

    @Override
    protected Query getFieldQuery(String field, String queryText, int slop) throws ParseException {
        if (EXISTS_FIELD.equals(field)) {
            return dsl.existsQuery(queryText);
        }
        return combine(field, f -> {
            if (isText(f)) {
                FieldQueries.requireTerms(f, "phrase");
                FieldQueries.requirePositions(f);
                return createFieldQuery(getAnalyzer(), getDefaultOperator() == Operator.AND ? Occur.MUST : Occur.SHOULD, f.path(), queryText,
                        true, slop);
            }
            return exact(f, queryText);
        });
    }

    private Query exact(Field f, String text) {
        if (f.type() == FieldType.DATE && timeZone.isPresent()) {
            return range(f, text, text, true, true);
        }
        return dsl.exactQuery(f, TextNode.valueOf(text));
    }

    private Query range(Field f, String lower, String upper, boolean includeLower, boolean includeUpper) {
        ObjectNode spec = Json.mapper().createObjectNode();
        ObjectNode bounds = spec.putObject(f.path());
        if (lower != null && !lower.equals("*")) {
            bounds.put(includeLower ? "gte" : "gt", lower);
        }
        if (upper != null && !upper.equals("*")) {
            bounds.put(includeUpper ? "lte" : "lt", upper);
        }
        timeZone.filter(z -> f.type() == FieldType.DATE).ifPresent(z -> bounds.put("time_zone", z));
        return dsl.parse(Json.mapper().createObjectNode().set("range", spec));
    }

    @Override
    protected Query getRangeQuery(String field, String part1, String part2, boolean startInclusive, boolean endInclusive)
            throws ParseException {
        return combine(field, f -> range(f, part1, part2, startInclusive, endInclusive));
    }

    @Override
    protected Query getWildcardQuery(String field, String termStr) throws ParseException {
        QueryDsl.checkLength(termStr, "wildcard");
        if (termStr.equals("*")) {
            // field:* is "has a value"; a bare * over every field is every document.
            if (allFields(field)) {
                return new MatchAllDocsQuery();
            }
            if (field != null && !field.contains("*")) {
                return dsl.existsQuery(field);
            }
            BooleanQuery.Builder any = new BooleanQuery.Builder();
            for (Target t : targets(field)) {
                any.add(dsl.existsQuery(t.field().path()), Occur.SHOULD);
            }
            return any.build();
        }
        return combineStrings(field, "wildcard", f -> super.getWildcardQuery(f.path(), termStr));
    }

    @Override
    protected Query getPrefixQuery(String field, String termStr) throws ParseException {
        QueryDsl.checkLength(termStr, "prefix");
        return combineStrings(field, "prefix", f -> super.getPrefixQuery(f.path(), termStr));
    }

    @Override
    protected Query getRegexpQuery(String field, String termStr) throws ParseException {
        QueryDsl.checkLength(termStr, "regexp");
        return combineStrings(field, "regexp", f -> super.getRegexpQuery(f.path(), termStr));
    }

    /** The request's {@code fuzziness} (AUTO by default) and fuzzy options, for {@code term~}. */
    void setFuzzy(Fuzzy fuzzy) {
        this.fuzzy = java.util.Objects.requireNonNull(fuzzy, "fuzzy is null");
    }

    /** A bare {@code term~} takes the request's fuzziness, as in OpenSearch (Lucene would allow 2 edits); {@code term~N} at most 2. */
    @Override
    protected float getFuzzyDistance(org.apache.lucene.queryparser.classic.Token fuzzySlop, String termStr) {
        if (fuzzySlop.image.length() == 1) {
            return fuzzy.edits(termStr);
        }
        String given = fuzzySlop.image.substring(1);
        return Fuzzy.parse(com.fasterxml.jackson.databind.node.TextNode.valueOf(given), com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode(), "transpositions").edits(termStr);
    }

    @Override
    protected Query newFuzzyQuery(org.apache.lucene.index.Term term, float minimumSimilarity, int prefixLength) {
        return new org.apache.lucene.search.FuzzyQuery(term, (int) minimumSimilarity, prefixLength, fuzzy.maxExpansions(), fuzzy.transpositions());
    }

    @Override
    protected Query getFuzzyQuery(String field, String termStr, float minSimilarity) throws ParseException {
        return combineStrings(field, "fuzzy", f -> super.getFuzzyQuery(f.path(), termStr, minSimilarity));
    }

    @Override
    protected Query newPrefixQuery(org.apache.lucene.index.Term prefix) {
        return new org.apache.lucene.search.PrefixQuery(prefix, rewriteFor(prefix.field()));
    }

    @Override
    protected Query newWildcardQuery(org.apache.lucene.index.Term t) {
        return new org.apache.lucene.search.WildcardQuery(t, getDeterminizeWorkLimit(), rewriteFor(t.field()));
    }

    @Override
    protected Query newRegexpQuery(org.apache.lucene.index.Term regexp) {
        return new org.apache.lucene.search.RegexpQuery(regexp, org.apache.lucene.util.automaton.RegExp.ALL, 0,
                org.apache.lucene.search.RegexpQuery.DEFAULT_PROVIDER, getDeterminizeWorkLimit(), rewriteFor(regexp.field()));
    }

    private org.apache.lucene.search.MultiTermQuery.RewriteMethod rewriteFor(String field) {
        return mapping.field(field).map(FieldQueries::rewrite).orElse(org.apache.lucene.search.MultiTermQuery.CONSTANT_SCORE_BLENDED_REWRITE);
    }

    /** Fails for a field that is neither keyword nor text, or that indexes no terms, as OpenSearch does for term-level queries. */
    static void requireString(Field f, String query) {
        if (!isString(f)) {
            throw SearchException.queryShard("Can only use %s queries on keyword and text fields - not on [%s] which is of type [%s]", query,
                    f.path(), f.type().jsonName());
        }
        FieldQueries.requireTerms(f, query);
    }

    @Override
    protected Query getBooleanQuery(List<BooleanClause> clauses) throws ParseException {
        Query q = super.getBooleanQuery(clauses);
        return q == null ? null : fixNegative(q);
    }

    /** A boolean of only must_not clauses matches nothing in Lucene; OpenSearch means "everything but". */
    static Query fixNegative(Query q) {
        if (!(q instanceof BooleanQuery bq) || bq.clauses().isEmpty()
                || !bq.clauses().stream().allMatch(c -> c.occur() == Occur.MUST_NOT)) {
            return q;
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        bq.clauses().forEach(b::add);
        b.add(new MatchAllDocsQuery(), Occur.FILTER);
        return b.build();
    }
}
