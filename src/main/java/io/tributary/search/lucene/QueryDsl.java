package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.search.FieldType;
import io.tributary.search.SearchException;
import io.tributary.search.lucene.IndexMapping.Field;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.DoubleField;
import org.apache.lucene.document.FloatField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RegexpQuery;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;
import org.apache.lucene.util.automaton.Operations;
import org.apache.lucene.util.automaton.RegExp;
import org.apache.lucene.util.automaton.TooComplexToDeterminizeException;

/**
 * OpenSearch's Query DSL to Lucene queries, by the mapping of the indexes searched. Every query
 * type checks its parameters and refuses unknown ones with {@code parsing_exception}, as
 * OpenSearch does, so a typo is an error rather than a silently different query. Patterns
 * (wildcard, regexp, query_string) are bounded in length and automaton size.
 *
 * <p>Not thread-safe: one instance per request.
 */
final class QueryDsl {
    static final int MAX_PATTERN_LENGTH = 1000;
    private static final int DETERMINIZE_WORK_LIMIT = Operations.DEFAULT_DETERMINIZE_WORK_LIMIT;

    private final IndexMapping mapping;
    private final long nowMillis;
    private final Optional<String> indexName;
    private final List<String> defaultFields;
    private final Analyzer analyzer;
    private final Map<String, Query> named = new java.util.LinkedHashMap<>();

    /** A parser for checking queries (alias filters) with no index to answer {@code _index} queries. */
    QueryDsl(IndexMapping mapping, long nowMillis) {
        this(mapping, nowMillis, Optional.empty());
    }

    /** @param indexName the index the queries run on, which queries on {@code _index} compare with */
    QueryDsl(IndexMapping mapping, long nowMillis, String indexName) {
        this(mapping, nowMillis, Optional.of(indexName));
    }

    private QueryDsl(IndexMapping mapping, long nowMillis, Optional<String> indexName) {
        this(mapping, nowMillis, indexName, List.of("*"));
    }

    /** A parser for the queries that run on an index: its mapping, name and {@code index.query.default_field}. */
    static QueryDsl forIndex(LuceneIndex index, long nowMillis) {
        String defaults = index.settings().get("index.query.default_field");
        List<String> fields = defaults == null ? List.of("*") : java.util.Arrays.stream(defaults.split(",")).map(String::trim)
                .filter(f -> !f.isEmpty()).toList();
        return new QueryDsl(index.mapping(), nowMillis, Optional.of(index.name()), fields.isEmpty() ? List.of("*") : fields);
    }

    private QueryDsl(IndexMapping mapping, long nowMillis, Optional<String> indexName, List<String> defaultFields) {
        this.mapping = mapping;
        this.nowMillis = nowMillis;
        this.indexName = indexName;
        this.defaultFields = List.copyOf(defaultFields);
        this.analyzer = Analyzers.forSearch(() -> mapping);
    }

    Query parse(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return new MatchAllDocsQuery();
        }
        if (!node.isObject() || node.size() != 1) {
            throw SearchException.parsing("[_na] query malformed, must start with start_object and have exactly one query type, got %s",
                    DateFormat.truncate(node.toString()));
        }
        Map.Entry<String, JsonNode> e = node.fields().next();
        JsonNode body = e.getValue();
        try {
            return switch (e.getKey()) {
                case "match_all" -> boosted(new MatchAllDocsQuery(), params(body, "match_all", Set.of("boost", "_name")));
                case "match_none" -> new MatchNoDocsQuery();
                case "match" -> match(body, false);
                case "match_phrase" -> match(body, true);
                case "multi_match" -> multiMatch(body);
                case "term" -> term(body);
                case "terms" -> terms(body);
                case "range" -> range(body);
                case "exists" -> exists(body);
                case "prefix" -> prefix(body);
                case "wildcard" -> wildcard(body);
                case "regexp" -> regexp(body);
                case "query_string" -> queryString(body);
                case "simple_query_string" -> simpleQueryString(body);
                case "match_phrase_prefix" -> matchPhrasePrefix(body);
                case "bool" -> boolQuery(body);
                case "constant_score" -> constantScore(body);
                case "ids" -> ids(body);
                case "fuzzy" -> fuzzy(body);
                case "dis_max" -> disMax(body);
                default -> throw SearchException.parsing("unknown query [%s]; Tributary supports match_all, match_none, match, match_phrase, "
                        + "match_phrase_prefix, multi_match, term, terms, range, exists, prefix, wildcard, regexp, fuzzy, query_string, "
                        + "simple_query_string, bool, dis_max, constant_score and ids", e.getKey());
            };
        } catch (TooComplexToDeterminizeException ex) {
            throw SearchException.queryShard("failed to create query: the pattern is too complex (it would need more than %d automaton states); simplify it",
                    DETERMINIZE_WORK_LIMIT);
        } catch (IllegalArgumentException ex) {
            throw SearchException.queryShard("failed to create query: %s", String.valueOf(ex.getMessage()));
        } catch (IndexSearcher.TooManyClauses ex) {
            throw SearchException.queryShard("failed to create query: too many clauses (at most %d); narrow the query",
                    IndexSearcher.getMaxClauseCount());
        }
    }

    private static JsonNode params(JsonNode body, String query, Set<String> allowed) {
        if (!body.isObject()) {
            throw SearchException.parsing("[%s] query malformed, expected an object, got %s", query, DateFormat.truncate(body.toString()));
        }
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw SearchException.parsing("[%s] query does not support [%s]", query, name);
            }
        }
        return body;
    }

    /** Queries the request named with {@code _name}, for each hit's {@code matched_queries}, in the order they appear. */
    Map<String, Query> namedQueries() {
        return java.util.Collections.unmodifiableMap(named);
    }

    private Query boosted(Query q, JsonNode params) {
        JsonNode name = params.get("_name");
        if (name != null && !name.isNull()) {
            named.putIfAbsent(name.asText(), q);
        }
        JsonNode boost = params.get("boost");
        if (boost == null || boost.asDouble() == 1.0) {
            return q;
        }
        return new BoostQuery(q, (float) boost.asDouble());
    }

    /** {@code {"field": value}} or {@code {"field": {"query"|"value": ..., params}}}: the field name and its parameters. */
    private static Map.Entry<String, JsonNode> single(JsonNode body, String query) {
        if (!body.isObject()) {
            throw SearchException.parsing("[%s] query malformed, expected an object", query);
        }
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        fields.remove("boost");
        fields.remove("_name");
        if (fields.size() != 1) {
            throw SearchException.parsing("[%s] query doesn't support multiple fields, found [%s]", query, String.join("] and [", fields));
        }
        return Map.entry(fields.get(0), body.get(fields.get(0)));
    }

    private Query match(JsonNode body, boolean phrase) {
        String name = phrase ? "match_phrase" : "match";
        Map.Entry<String, JsonNode> f = single(body, name);
        JsonNode spec = f.getValue();
        JsonNode value = spec;
        JsonNode p = null;
        if (spec.isObject()) {
            p = params(spec, name, phrase ? Set.of("query", "slop", "boost", "analyzer", "_name", "zero_terms_query")
                    : Set.of("query", "operator", "minimum_should_match", "boost", "analyzer", "lenient", "fuzziness",
                            "zero_terms_query", "auto_generate_synonyms_phrase_query", "_name", "prefix_length", "max_expansions",
                            "fuzzy_transpositions"));
            value = spec.get("query");
            if (value == null) {
                throw SearchException.parsing("[%s] requires query value", name);
            }
        }
        if (value.isContainerNode()) {
            throw SearchException.parsing("[%s] unknown token [%s] after [query]", name, value.isArray() ? "START_ARRAY" : "START_OBJECT");
        }
        Query q = fieldMatch(f.getKey(), value, MatchOptions.of(p, phrase));
        return p == null ? q : boosted(q, p);
    }

    /** How a match-style query analyzes and combines its terms. */
    private record MatchOptions(boolean phrase, int slop, boolean and, Optional<String> msm, boolean lenient, Optional<String> analyzer,
            boolean zeroTermsAll, Optional<Fuzzy> fuzzy) {
        static MatchOptions of(JsonNode p, boolean phrase) {
            if (p == null) {
                return new MatchOptions(phrase, 0, false, Optional.empty(), false, Optional.empty(), false, Optional.empty());
            }
            String zeroTerms = p.path("zero_terms_query").asText("none").toLowerCase(java.util.Locale.ROOT);
            if (!zeroTerms.equals("none") && !zeroTerms.equals("all")) {
                throw SearchException.illegalArgument("Unsupported zero_terms_query value [%s]; use none or all", zeroTerms);
            }
            Optional<String> analyzer = Optional.ofNullable(p.get("analyzer")).map(JsonNode::asText);
            analyzer.ifPresent(a -> {
                if (!IndexMapping.ANALYZERS.contains(a)) {
                    throw SearchException.illegalArgument("analyzer [%s] not found; Tributary knows %s", a, new java.util.TreeSet<>(IndexMapping.ANALYZERS));
                }
            });
            Optional<Fuzzy> fuzzy = p.has("fuzziness") ? Optional.of(Fuzzy.parse(p.get("fuzziness"), p, "fuzzy_transpositions")) : Optional.empty();
            return new MatchOptions(phrase, p.path("slop").asInt(0), p.path("operator").asText("or").equalsIgnoreCase("and"),
                    Optional.ofNullable(p.get("minimum_should_match")).map(JsonNode::asText), p.path("lenient").asBoolean(false), analyzer,
                    zeroTerms.equals("all"), fuzzy);
        }

        MatchOptions withPhrase(boolean phrase, int slop) {
            return new MatchOptions(phrase, slop, and, msm, lenient, analyzer, zeroTermsAll, fuzzy);
        }
    }

    private Query fieldMatch(String fieldName, JsonNode value, MatchOptions o) {
        if (isMetadata(fieldName) && o.fuzzy().isPresent()) {
            throw SearchException.queryShard("failed to create query: Can only use fuzzy queries on keyword and text fields - not on [%s]", fieldName);
        }
        if (isMetadata(fieldName)) {
            return metadataTerms(fieldName, List.of(value.asText()));
        }
        Optional<Field> field = mapping.field(fieldName);
        if (field.isEmpty()) {
            return new MatchNoDocsQuery("unmapped field [" + fieldName + "]");
        }
        Field fld = field.get();
        if (fld.type() == FieldType.OBJECT) {
            return new MatchNoDocsQuery("[" + fieldName + "] is an object");
        }
        if (fld.type() != FieldType.TEXT) {
            try {
                return o.fuzzy().isPresent() ? o.fuzzy().get().query(fld, value.asText()) : exact(fld, value);
            } catch (SearchException e) {
                if (o.lenient()) {
                    return new MatchNoDocsQuery();
                }
                throw e;
            }
        }
        FieldQueries.requireTerms(fld, o.phrase() ? "match_phrase" : "match");
        if (o.phrase()) {
            FieldQueries.requirePositions(fld);
        }
        QueryBuilder builder = o.fuzzy().isEmpty() ? new QueryBuilder(o.analyzer().map(Analyzers::named).orElse(analyzer))
                : new QueryBuilder(o.analyzer().map(Analyzers::named).orElse(analyzer)) {
                    @Override
                    protected Query newTermQuery(org.apache.lucene.index.Term term, float boost) {
                        // Each analyzed term is matched fuzzily, with AUTO judged on the term's own length.
                        return o.fuzzy().get().query(fld, term.text());
                    }
                };
        String text = value.asText();
        Query q = o.phrase() ? builder.createPhraseQuery(fldPath(fld), text, o.slop())
                : builder.createBooleanQuery(fldPath(fld), text, o.and() ? Occur.MUST : Occur.SHOULD);
        if (q == null) {
            // Only stop words or nothing at all: zero_terms_query decides.
            return o.zeroTermsAll() ? new MatchAllDocsQuery() : new MatchNoDocsQuery("no terms");
        }
        if (o.msm().isPresent() && q instanceof BooleanQuery bq) {
            int should = (int) bq.clauses().stream().filter(c -> c.occur() == Occur.SHOULD).count();
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            bq.clauses().forEach(b::add);
            b.setMinimumNumberShouldMatch(minimumShouldMatch(o.msm().get(), should));
            q = b.build();
        }
        return q;
    }

    private static String fldPath(Field f) {
        return f.path();
    }

    private Query multiMatch(JsonNode body) {
        JsonNode p = params(body, "multi_match", Set.of("query", "fields", "type", "operator", "tie_breaker", "boost", "lenient",
                "minimum_should_match", "analyzer", "_name", "slop", "zero_terms_query", "fuzziness", "prefix_length", "max_expansions",
                "fuzzy_transpositions"));
        JsonNode value = p.get("query");
        if (value == null) {
            throw SearchException.parsing("[multi_match] requires query value");
        }
        List<Map.Entry<Field, Float>> fields = new ArrayList<>();
        List<String> patterns = new ArrayList<>();
        if (p.has("fields")) {
            p.get("fields").forEach(n -> patterns.add(n.asText()));
        } else {
            patterns.add("*");
        }
        boolean defaultFields = !p.has("fields");
        for (String pattern : patterns) {
            Map.Entry<String, Float> spec = fieldBoost(pattern, "multi_match");
            String name = spec.getKey();
            float boost = spec.getValue();
            for (Field f : mapping.fields().values()) {
                if (f.type() != FieldType.OBJECT && Wildcards.matches(name, f.path())
                        && (!defaultFields && !name.contains("*") || f.type() == FieldType.TEXT || f.type() == FieldType.KEYWORD)) {
                    fields.add(Map.entry(f, boost));
                }
            }
        }
        String type = p.path("type").asText("best_fields");
        boolean lenient = p.path("lenient").asBoolean(defaultFields || patterns.stream().anyMatch(s -> s.contains("*")));
        MatchOptions options = MatchOptions.of(p, false);
        options = new MatchOptions(false, 0, options.and(), options.msm(), lenient, options.analyzer(), options.zeroTermsAll(), options.fuzzy());
        if (options.fuzzy().isPresent() && !type.equals("best_fields") && !type.equals("most_fields")) {
            throw SearchException.parsing("Fuzziness not allowed for type [%s]", type);
        }
        List<Query> perField = new ArrayList<>();
        for (Map.Entry<Field, Float> f : fields) {
            Query q = switch (type) {
                case "best_fields", "most_fields" -> fieldMatch(f.getKey().path(), value, options);
                case "phrase" -> fieldMatch(f.getKey().path(), value, options.withPhrase(true, p.path("slop").asInt(0)));
                default -> throw SearchException.parsing("[multi_match] type [%s] is not supported; use best_fields, most_fields or phrase", type);
            };
            perField.add(f.getValue() == 1f ? q : new BoostQuery(q, f.getValue()));
        }
        if (perField.isEmpty()) {
            return new MatchNoDocsQuery();
        }
        Query q;
        if (type.equals("most_fields")) {
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            perField.forEach(x -> b.add(x, Occur.SHOULD));
            q = b.build();
        } else {
            q = new DisjunctionMaxQuery(perField, (float) p.path("tie_breaker").asDouble(0));
        }
        return boosted(q, p);
    }

    private Query term(JsonNode body) {
        Map.Entry<String, JsonNode> f = single(body, "term");
        JsonNode value = f.getValue();
        JsonNode p = null;
        if (value.isObject()) {
            p = params(value, "term", Set.of("value", "boost", "_name", "case_insensitive"));
            if (p.path("case_insensitive").asBoolean(false)) {
                throw SearchException.parsing("[term] case_insensitive is not supported by Tributary; use a keyword field with lower-case values");
            }
            value = p.get("value");
            if (value == null) {
                throw SearchException.parsing("[term] query requires a value");
            }
        }
        if (value.isContainerNode()) {
            throw SearchException.parsing("[term] query does not support array of values");
        }
        if (isMetadata(f.getKey())) {
            Query q = metadataTerms(f.getKey(), List.of(value.asText()));
            return p == null ? q : boosted(q, p);
        }
        Optional<Field> field = mapping.field(f.getKey());
        Query q = field.isEmpty() ? new MatchNoDocsQuery() : exact(field.get(), value);
        return p == null ? q : boosted(q, p);
    }

    /** The query for one exact value of a field, by its type. */
    Query exactQuery(Field f, JsonNode value) {
        return exact(f, value);
    }

    private Query exact(Field f, JsonNode value) {
        String path = f.path();
        return switch (f.type()) {
            case TEXT -> FieldQueries.term(f, value.asText());
            // A keyword matches or not; OpenSearch scores an exact keyword match 1.0 rather than by term statistics.
            case KEYWORD -> new ConstantScoreQuery(FieldQueries.term(f, value.asText()));
            case LONG, INTEGER, SHORT, BYTE -> {
                double d = number(f, value);
                yield d == Math.rint(d) ? FieldQueries.longRange(f, (long) d, (long) d) : new MatchNoDocsQuery();
            }
            case DOUBLE -> {
                double d = number(f, value);
                yield FieldQueries.doubleRange(f, d, d);
            }
            case FLOAT -> {
                float x = (float) number(f, value);
                yield FieldQueries.floatRange(f, x, x);
            }
            case DATE -> {
                // A date matches the whole span it names: "2026-03-05" is that day, as OpenSearch answers a term on a date.
                String text = value.isNumber() ? DateFormat.numberText(value) : value.asText();
                yield FieldQueries.longRange(f, date(f, text, ZoneOffset.UTC, false, Optional.empty()),
                        date(f, text, ZoneOffset.UTC, true, Optional.empty()));
            }
            case BOOLEAN -> FieldQueries.bool(f, bool(value));
            case OBJECT -> throw SearchException.queryShard("failed to create query: [%s] is an object field; name one of its fields", path);
        };
    }

    private static boolean bool(JsonNode value) {
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        return switch (value.asText()) {
            case "true" -> true;
            case "false", "" -> false;
            default -> throw SearchException.queryShard("failed to create query: Can't parse boolean value [%s], expected [true] or [false]",
                    DateFormat.truncate(value.asText()));
        };
    }

    private static double number(Field f, JsonNode value) {
        if (value.isNumber()) {
            return value.asDouble();
        }
        try {
            return Double.parseDouble(value.asText().trim());
        } catch (NumberFormatException e) {
            throw SearchException.queryShard("failed to create query: For input string: \"%s\" (field [%s] is of type [%s])",
                    DateFormat.truncate(value.asText()), f.path(), f.type().jsonName());
        }
    }

    private long date(Field f, String text, ZoneId zone, boolean roundUp, Optional<String> format) {
        DateFormat df = format.map(DateFormat::of).orElse(f.dateFormat());
        try {
            return DateMath.parse(text, df, zone, nowMillis, roundUp);
        } catch (SearchException e) {
            if (e.type().equals("parse_exception")) {
                throw e;
            }
            // OpenSearch's wording, which repeats the inner message.
            throw new SearchException(io.tributary.common.ErrorCode.INVALID_ARGUMENT, "parse_exception", 400, "failed to parse date field ["
                    + DateFormat.truncate(text) + "] with format [" + df.spec() + "]: [" + e.getMessage() + "]");
        }
    }

    private Query terms(JsonNode body) {
        if (!body.isObject()) {
            throw SearchException.parsing("[terms] query malformed, expected an object");
        }
        String fieldName = null;
        JsonNode values = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("boost") || e.getKey().equals("_name")) {
                continue;
            }
            if (fieldName != null) {
                throw SearchException.parsing("[terms] query does not support multiple fields");
            }
            fieldName = e.getKey();
            values = e.getValue();
        }
        if (fieldName == null || values == null || !values.isArray()) {
            throw SearchException.parsing("[terms] query requires a field and an array of values");
        }
        if (values.size() > 65536) {
            throw SearchException.illegalArgument("The number of terms [%d] used in the Terms Query request has exceeded the allowed maximum of [65536]",
                    values.size());
        }
        if (isMetadata(fieldName)) {
            List<String> list = new ArrayList<>();
            values.forEach(v -> list.add(v.asText()));
            return boosted(metadataTerms(fieldName, list), body);
        }
        Optional<Field> field = mapping.field(fieldName);
        if (field.isEmpty()) {
            return new MatchNoDocsQuery();
        }
        Field f = field.get();
        Query q;
        if (f.type() == FieldType.TEXT || f.type() == FieldType.KEYWORD) {
            List<BytesRef> terms = new ArrayList<>();
            values.forEach(v -> terms.add(new BytesRef(v.asText())));
            q = FieldQueries.terms(f, terms);
        } else {
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            values.forEach(v -> b.add(exact(f, v), Occur.SHOULD));
            q = new ConstantScoreQuery(b.build());
        }
        return boosted(new ConstantScoreQuery(q), body);
    }

    private Query range(JsonNode body) {
        Map.Entry<String, JsonNode> f = single(body, "range");
        JsonNode p = params(f.getValue(), "range", Set.of("gte", "gt", "lte", "lt", "from", "to", "include_lower", "include_upper",
                "format", "time_zone", "boost", "relation", "_name"));
        if (isMetadata(f.getKey())) {
            throw SearchException.queryShard("failed to create query: Field [%s] of type [%s] does not support range queries", f.getKey(), f.getKey());
        }
        Optional<Field> field = mapping.field(f.getKey());
        if (field.isEmpty()) {
            return new MatchNoDocsQuery();
        }
        Field fld = field.get();
        JsonNode lower = p.has("gte") ? p.get("gte") : p.has("gt") ? p.get("gt") : p.get("from");
        JsonNode upper = p.has("lte") ? p.get("lte") : p.has("lt") ? p.get("lt") : p.get("to");
        boolean includeLower = p.has("gte") || (!p.has("gt") && p.path("include_lower").asBoolean(true));
        boolean includeUpper = p.has("lte") || (!p.has("lt") && p.path("include_upper").asBoolean(true));
        if (lower != null && lower.isNull()) {
            lower = null;
        }
        if (upper != null && upper.isNull()) {
            upper = null;
        }
        ZoneId zone = p.has("time_zone") ? zone(p.get("time_zone").asText()) : ZoneOffset.UTC;
        Optional<String> format = Optional.ofNullable(p.get("format")).map(JsonNode::asText);
        Query q = switch (fld.type()) {
            case LONG, INTEGER, SHORT, BYTE -> {
                long lo = Long.MIN_VALUE;
                long hi = Long.MAX_VALUE;
                if (lower != null) {
                    double d = number(fld, lower);
                    lo = includeLower ? (long) Math.ceil(d) : (long) Math.floor(d) + 1;
                }
                if (upper != null) {
                    double d = number(fld, upper);
                    hi = includeUpper ? (long) Math.floor(d) : (long) Math.ceil(d) - 1;
                }
                yield lo > hi ? new MatchNoDocsQuery() : FieldQueries.longRange(fld, lo, hi);
            }
            case DATE -> {
                long lo = Long.MIN_VALUE;
                long hi = Long.MAX_VALUE;
                // Numbers are read through the field's format too (seconds for epoch_second), as OpenSearch reads them.
                if (lower != null) {
                    long v = date(fld, lower.isNumber() ? DateFormat.numberText(lower) : lower.asText(), zone, !includeLower, format);
                    lo = includeLower ? v : v + 1;
                }
                if (upper != null) {
                    long v = date(fld, upper.isNumber() ? DateFormat.numberText(upper) : upper.asText(), zone, includeUpper, format);
                    hi = includeUpper ? v : v - 1;
                }
                yield lo > hi ? new MatchNoDocsQuery() : FieldQueries.longRange(fld, lo, hi);
            }
            case DOUBLE -> {
                double lo = lower == null ? Double.NEGATIVE_INFINITY : number(fld, lower);
                double hi = upper == null ? Double.POSITIVE_INFINITY : number(fld, upper);
                if (lower != null && !includeLower) {
                    lo = Math.nextUp(lo);
                }
                if (upper != null && !includeUpper) {
                    hi = Math.nextDown(hi);
                }
                yield FieldQueries.doubleRange(fld, lo, hi);
            }
            case FLOAT -> {
                float lo = lower == null ? Float.NEGATIVE_INFINITY : (float) number(fld, lower);
                float hi = upper == null ? Float.POSITIVE_INFINITY : (float) number(fld, upper);
                if (lower != null && !includeLower) {
                    lo = Math.nextUp(lo);
                }
                if (upper != null && !includeUpper) {
                    hi = Math.nextDown(hi);
                }
                yield FieldQueries.floatRange(fld, lo, hi);
            }
            case TEXT, KEYWORD -> FieldQueries.termRange(fld, lower == null ? null : lower.asText(), upper == null ? null : upper.asText(),
                    includeLower, includeUpper);
            case BOOLEAN -> throw SearchException.queryShard("failed to create query: range queries are not supported on boolean field [%s]", fld.path());
            case OBJECT -> throw SearchException.queryShard("failed to create query: [%s] is an object field", fld.path());
        };
        return boosted(new ConstantScoreQuery(q), p);
    }

    static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (RuntimeException e) {
            throw SearchException.illegalArgument("The datetime zone id '%s' is not recognised", DateFormat.truncate(id));
        }
    }

    private Query exists(JsonNode body) {
        JsonNode p = params(body, "exists", Set.of("field", "boost", "_name"));
        String name = p.path("field").asText(null);
        if (name == null) {
            throw SearchException.parsing("[exists] must be provided with a [field]");
        }
        if (name.isEmpty()) {
            throw SearchException.illegalArgument("field name is null or empty");
        }
        if (name.equals(DocumentParser.IGNORED)) {
            return boosted(new ConstantScoreQuery(new org.apache.lucene.search.TermRangeQuery(name, null, null, true, true)), p);
        }
        if (isMetadata(name)) {
            return boosted(new ConstantScoreQuery(new MatchAllDocsQuery()), p);
        }
        return boosted(new ConstantScoreQuery(existsQuery(name)), p);
    }

    /** Documents with a value in the field, in a field under the object, or (a pattern such as {@code meta.*}) in any matching field. */
    Query existsQuery(String name) {
        List<String> roots = new ArrayList<>();
        if (name.contains("*")) {
            mapping.fields().keySet().stream().filter(path -> Wildcards.matches(name, path)).forEach(roots::add);
        } else {
            roots.add(name);
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        int clauses = 0;
        for (String root : roots) {
            for (Field f : mapping.fieldsUnder(root)) {
                if (f.parent().isPresent() && !f.path().equals(root) && !name.contains("*")) {
                    continue;
                }
                b.add(existsQuery(f), Occur.SHOULD);
                clauses++;
            }
        }
        return clauses == 0 ? new MatchNoDocsQuery("no field matches [" + name + "]") : b.build();
    }

    /** The metadata fields a query may name: {@code _id} and {@code _index}. */
    static boolean isMetadata(String field) {
        return field.equals(DocumentParser.ID) || field.equals("_index") || field.equals(DocumentParser.IGNORED);
    }

    /** Exact values of {@code _id} (the ids) or {@code _index} (this index's name). */
    private Query metadataTerms(String field, List<String> values) {
        if (field.equals(DocumentParser.ID) || field.equals(DocumentParser.IGNORED)) {
            return new ConstantScoreQuery(new TermInSetQuery(field, values.stream().map(BytesRef::new).toList()));
        }
        return indexName.isEmpty() || values.contains(indexName.get()) ? new ConstantScoreQuery(new MatchAllDocsQuery())
                : new MatchNoDocsQuery("index [" + indexName.orElse("") + "] is not one of " + values);
    }

    /** {@code prefix}, {@code wildcard} and {@code regexp} on {@code _index} match this index's name. */
    private Query metadataPattern(String field, String query, java.util.function.Predicate<String> matchesName) {
        if (field.equals(DocumentParser.ID) || field.equals(DocumentParser.IGNORED)) {
            throw SearchException.queryShard("Can only use %s queries on keyword and text fields - not on [_id] which is of type [_id]", query);
        }
        return indexName.isEmpty() || matchesName.test(indexName.get()) ? new ConstantScoreQuery(new MatchAllDocsQuery())
                : new MatchNoDocsQuery("index name does not match");
    }

    private static Query existsQuery(Field f) {
        return FieldQueries.exists(f);
    }

    private Field textLike(String name, String query) {
        Optional<Field> field = mapping.field(name);
        if (field.isEmpty()) {
            return null;
        }
        if (field.get().type() != FieldType.TEXT && field.get().type() != FieldType.KEYWORD) {
            throw SearchException.queryShard("failed to create query: Can only use %s queries on keyword and text fields - not on [%s] which is of type [%s]",
                    query, name, field.get().type().jsonName());
        }
        FieldQueries.requireTerms(field.get(), query);
        return field.get();
    }

    private Query prefix(JsonNode body) {
        Map.Entry<String, JsonNode> f = single(body, "prefix");
        JsonNode value = f.getValue();
        JsonNode p = null;
        if (value.isObject()) {
            p = params(value, "prefix", Set.of("value", "boost", "rewrite", "_name", "case_insensitive"));
            if (p.path("case_insensitive").asBoolean(false)) {
                throw SearchException.parsing("[prefix] case_insensitive is not supported by Tributary");
            }
            value = p.get("value");
        }
        if (value == null || value.isContainerNode()) {
            throw SearchException.parsing("[prefix] requires a string value");
        }
        checkLength(value.asText(), "prefix");
        checkRewrite(p, "prefix");
        if (isMetadata(f.getKey())) {
            String prefix = value.asText();
            Query q = metadataPattern(f.getKey(), "prefix", n -> n.startsWith(prefix));
            return p == null ? q : boosted(q, p);
        }
        Field fld = textLike(f.getKey(), "prefix");
        Query q = fld == null ? new MatchNoDocsQuery() : new PrefixQuery(new Term(fld.path(), value.asText()), FieldQueries.rewrite(fld));
        return p == null ? q : boosted(q, p);
    }

    /** {@code fuzzy}: one term, not analyzed, within AUTO (or the given) edits. */
    private Query fuzzy(JsonNode body) {
        Map.Entry<String, JsonNode> f = single(body, "fuzzy");
        JsonNode value = f.getValue();
        JsonNode p = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        if (value.isObject()) {
            p = params(value, "fuzzy", Set.of("value", "fuzziness", "prefix_length", "max_expansions", "transpositions", "boost", "_name", "rewrite"));
            if (p.has("rewrite")) {
                throw SearchException.parsing("[fuzzy] rewrite is not supported by Tributary; remove it to keep the best max_expansions terms");
            }
            value = p.get("value");
        }
        if (value == null || value.isContainerNode()) {
            throw SearchException.parsing("[fuzzy] requires a value");
        }
        Fuzzy fuzzy = Fuzzy.parse(p.has("fuzziness") ? p.get("fuzziness") : com.fasterxml.jackson.databind.node.TextNode.valueOf("AUTO"), p, "transpositions");
        if (isMetadata(f.getKey())) {
            throw SearchException.queryShard("failed to create query: Can only use fuzzy queries on keyword and text fields - not on [%s]", f.getKey());
        }
        Optional<Field> field = mapping.field(f.getKey());
        Query q = field.isEmpty() ? new MatchNoDocsQuery("unmapped field [" + f.getKey() + "]") : fuzzy.query(field.get(), value.asText());
        return boosted(q, p);
    }

    /** {@code dis_max}: the best clause's score, plus {@code tie_breaker} times the others'. */
    private Query disMax(JsonNode body) {
        JsonNode p = params(body, "dis_max", Set.of("queries", "tie_breaker", "boost", "_name"));
        JsonNode queries = p.get("queries");
        if (queries == null || !queries.isArray() || queries.isEmpty()) {
            throw SearchException.parsing("[dis_max] requires 'queries' field with at least one clause");
        }
        List<Query> clauses = new ArrayList<>();
        queries.forEach(q -> clauses.add(parse(q)));
        double tie = p.path("tie_breaker").asDouble(0);
        if (tie < 0 || tie > 1) {
            throw SearchException.illegalArgument("[dis_max] tie_breaker must be in [0, 1], got %s", tie);
        }
        return boosted(new DisjunctionMaxQuery(clauses, (float) tie), p);
    }

    private Query wildcard(JsonNode body) {
        Map.Entry<String, JsonNode> f = single(body, "wildcard");
        JsonNode value = f.getValue();
        JsonNode p = null;
        if (value.isObject()) {
            p = params(value, "wildcard", Set.of("value", "wildcard", "boost", "rewrite", "_name", "case_insensitive"));
            if (p.path("case_insensitive").asBoolean(false)) {
                throw SearchException.parsing("[wildcard] case_insensitive is not supported by Tributary");
            }
            value = p.has("value") ? p.get("value") : p.get("wildcard");
        }
        if (value == null || value.isContainerNode()) {
            throw SearchException.parsing("[wildcard] requires a string value");
        }
        checkLength(value.asText(), "wildcard");
        checkRewrite(p, "wildcard");
        if (isMetadata(f.getKey())) {
            String pattern = value.asText();
            Query q = metadataPattern(f.getKey(), "wildcard", n -> Wildcards.matches(pattern, n));
            return p == null ? q : boosted(q, p);
        }
        Field fld = textLike(f.getKey(), "wildcard");
        Query q = fld == null ? new MatchNoDocsQuery() : new WildcardQuery(new Term(fld.path(), value.asText()), DETERMINIZE_WORK_LIMIT,
                FieldQueries.rewrite(fld));
        return p == null ? q : boosted(q, p);
    }

    private Query regexp(JsonNode body) {
        Map.Entry<String, JsonNode> f = single(body, "regexp");
        JsonNode value = f.getValue();
        JsonNode p = null;
        if (value.isObject()) {
            p = params(value, "regexp", Set.of("value", "boost", "flags", "max_determinized_states", "rewrite", "_name", "case_insensitive"));
            value = p.get("value");
        }
        if (value == null || value.isContainerNode()) {
            throw SearchException.parsing("[regexp] requires a string value");
        }
        checkLength(value.asText(), "regexp");
        checkRewrite(p, "regexp");
        if (isMetadata(f.getKey())) {
            org.apache.lucene.util.automaton.CharacterRunAutomaton run = new org.apache.lucene.util.automaton.CharacterRunAutomaton(
                    Operations.determinize(new RegExp(value.asText()).toAutomaton(), DETERMINIZE_WORK_LIMIT));
            Query q = metadataPattern(f.getKey(), "regexp", run::run);
            return p == null ? q : boosted(q, p);
        }
        Field fld = textLike(f.getKey(), "regexp");
        if (fld == null) {
            return new MatchNoDocsQuery();
        }
        int states = p == null ? DETERMINIZE_WORK_LIMIT : Math.min(DETERMINIZE_WORK_LIMIT, p.path("max_determinized_states").asInt(DETERMINIZE_WORK_LIMIT));
        Query q = new RegexpQuery(new Term(fld.path(), value.asText()), p == null ? RegExp.ALL : regexpFlags(p.path("flags").asText("ALL")),
                p != null && p.path("case_insensitive").asBoolean(false) ? RegExp.ASCII_CASE_INSENSITIVE : 0,
                RegexpQuery.DEFAULT_PROVIDER, states, FieldQueries.rewrite(fld));
        return p == null ? q : boosted(q, p);
    }

    /** OpenSearch's regexp {@code flags}: ALL (the default), NONE, or a |-list of ANYSTRING, COMPLEMENT, EMPTY, INTERSECTION, INTERVAL. */
    static int regexpFlags(String spec) {
        int flags = 0;
        for (String f : spec.split("\\|")) {
            flags |= switch (f.trim().toUpperCase(java.util.Locale.ROOT)) {
                case "ALL", "" -> RegExp.ALL;
                case "NONE" -> RegExp.NONE;
                case "ANYSTRING" -> RegExp.ANYSTRING;
                case "COMPLEMENT" -> RegExp.DEPRECATED_COMPLEMENT;
                case "EMPTY" -> RegExp.EMPTY;
                case "INTERSECTION" -> RegExp.INTERSECTION;
                case "INTERVAL" -> RegExp.INTERVAL;
                default -> throw SearchException.illegalArgument("Unknown regexp flag [%s]; use ALL, NONE, ANYSTRING, COMPLEMENT, EMPTY, INTERSECTION "
                        + "or INTERVAL joined with |", f);
            };
        }
        return flags;
    }

    /** Multi-term queries score constantly, OpenSearch's default rewrite; other rewrites would change scores and are refused. */
    private static void checkRewrite(JsonNode p, String query) {
        if (p != null && p.has("rewrite")) {
            String r = p.get("rewrite").asText();
            if (!r.equals("constant_score") && !r.equals("constant_score_blended") && !r.equals("constant_score_boolean")) {
                throw SearchException.parsing("[%s] rewrite [%s] is not supported by Tributary; multi-term queries score constantly", query, r);
            }
        }
    }

    static void checkLength(String pattern, String query) {
        if (pattern.length() > MAX_PATTERN_LENGTH) {
            throw SearchException.illegalArgument(
                    "The length of [%s] pattern [%d] used in the query has exceeded the allowed maximum of [%d]", query, pattern.length(),
                    MAX_PATTERN_LENGTH);
        }
    }

    private Query queryString(JsonNode body) {
        JsonNode p = params(body, "query_string", Set.of("query", "default_field", "fields", "default_operator", "analyze_wildcard",
                "lenient", "boost", "allow_leading_wildcard", "_name", "time_zone", "analyzer", "minimum_should_match", "type", "tie_breaker",
                "phrase_slop", "fuzzy_prefix_length", "fuzzy_max_expansions", "fuzzy_transpositions", "max_determinized_states",
                "auto_generate_synonyms_phrase_query", "enable_position_increments", "escape", "quote_analyzer", "quote_field_suffix",
                "fuzziness", "rewrite", "fuzzy_rewrite", "auto_generate_phrase_queries"));
        String text = p.path("query").asText(null);
        if (text == null) {
            throw SearchException.parsing("[query_string] must be provided with a [query]");
        }
        if (text.length() > 10 * MAX_PATTERN_LENGTH) {
            throw SearchException.illegalArgument("[query_string] query is too long: %d characters, at most %d", text.length(), 10 * MAX_PATTERN_LENGTH);
        }
        for (String unsupported : List.of("quote_analyzer", "quote_field_suffix", "rewrite", "fuzzy_rewrite", "auto_generate_phrase_queries")) {
            if (p.has(unsupported)) {
                throw SearchException.parsing("[query_string] [%s] is not supported by Tributary", unsupported);
            }
        }
        if (p.has("escape") && p.get("escape").asBoolean()) {
            throw SearchException.parsing("[query_string] [escape] is not supported by Tributary; escape reserved characters with \\");
        }
        if (!p.path("enable_position_increments").asBoolean(true)) {
            throw SearchException.parsing("[query_string] [enable_position_increments: false] is not supported by Tributary");
        }
        String type = p.path("type").asText("best_fields");
        if (!type.equals("best_fields") && !type.equals("most_fields")) {
            throw SearchException.parsing("[query_string] type [%s] is not supported by Tributary; use best_fields or most_fields", type);
        }
        // The fields a term without a field name searches, as OpenSearch picks them.
        Map<String, Float> fields = new java.util.LinkedHashMap<>();
        if (p.has("fields") && p.has("default_field")) {
            throw SearchException.parsing("[query_string] use either [fields] or [default_field], not both");
        }
        if (p.has("fields")) {
            for (JsonNode n : p.get("fields")) {
                Map.Entry<String, Float> field = fieldBoost(n.asText(), "query_string");
                fields.put(field.getKey(), field.getValue());
            }
        } else if (p.has("default_field")) {
            fields.put(p.get("default_field").asText(), 1f);
        } else {
            defaultFields.forEach(f -> fields.put(f, 1f));
        }
        // Searching every field leniently is OpenSearch's default: a word is no number, and that is no error.
        boolean lenient = p.path("lenient").asBoolean(fields.containsKey("*"));
        Analyzer fieldAnalyzer = requestAnalyzer(p, "query_string");
        if (p.has("time_zone")) {
            zone(p.get("time_zone").asText());
        }
        QueryStringParser parser = new QueryStringParser(this, mapping, fields, fieldAnalyzer, lenient, (float) p.path("tie_breaker").asDouble(0),
                type.equals("most_fields"), Optional.ofNullable(p.get("time_zone")).map(JsonNode::asText));
        parser.setAllowLeadingWildcard(p.path("allow_leading_wildcard").asBoolean(true));
        parser.setDefaultOperator(p.path("default_operator").asText("or").equalsIgnoreCase("and") ? QueryParser.Operator.AND : QueryParser.Operator.OR);
        parser.setDeterminizeWorkLimit(Math.min(DETERMINIZE_WORK_LIMIT, p.path("max_determinized_states").asInt(DETERMINIZE_WORK_LIMIT)));
        parser.setPhraseSlop(p.path("phrase_slop").asInt(0));
        com.fasterxml.jackson.databind.node.ObjectNode fuzzyOptions = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("prefix_length", p.path("fuzzy_prefix_length").asInt(0)).put("max_expansions", p.path("fuzzy_max_expansions").asInt(50))
                .put("transpositions", p.path("fuzzy_transpositions").asBoolean(true));
        Fuzzy fuzzy = Fuzzy.parse(p.has("fuzziness") ? p.get("fuzziness") : com.fasterxml.jackson.databind.node.TextNode.valueOf("AUTO"), fuzzyOptions,
                "transpositions");
        parser.setFuzzyPrefixLength(fuzzy.prefixLength());
        parser.setFuzzy(fuzzy);
        Query q;
        try {
            q = parser.parseQuery(text);
        } catch (ParseException e) {
            throw SearchException.queryShard("Failed to parse query [%s]: %s", DateFormat.truncate(text),
                    String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        return boosted(withMinimumShouldMatch(q, p), p);
    }

    private Query simpleQueryString(JsonNode body) {
        JsonNode p = params(body, "simple_query_string", Set.of("query", "fields", "default_operator", "analyzer", "flags", "lenient",
                "minimum_should_match", "analyze_wildcard", "auto_generate_synonyms_phrase_query", "fuzzy_prefix_length", "fuzzy_max_expansions",
                "fuzzy_transpositions", "boost", "_name", "quote_field_suffix"));
        String text = p.path("query").asText(null);
        if (text == null) {
            throw SearchException.parsing("[simple_query_string] must be provided with a [query]");
        }
        if (p.has("quote_field_suffix")) {
            throw SearchException.parsing("[simple_query_string] [quote_field_suffix] is not supported by Tributary");
        }
        if (p.path("fuzzy_prefix_length").asInt(0) != 0 || p.path("fuzzy_max_expansions").asInt(50) != 50
                || !p.path("fuzzy_transpositions").asBoolean(true)) {
            throw SearchException.parsing("[simple_query_string] only the default fuzzy_prefix_length (0), fuzzy_max_expansions (50) and "
                    + "fuzzy_transpositions (true) are supported");
        }
        Map<String, Float> patterns = new java.util.LinkedHashMap<>();
        if (p.has("fields")) {
            for (JsonNode n : p.get("fields")) {
                Map.Entry<String, Float> field = fieldBoost(n.asText(), "simple_query_string");
                patterns.put(field.getKey(), field.getValue());
            }
        } else {
            defaultFields.forEach(f -> patterns.put(f, 1f));
        }
        boolean lenient = p.path("lenient").asBoolean(patterns.containsKey("*"));
        Analyzer fieldAnalyzer = requestAnalyzer(p, "simple_query_string");
        SimpleQueryStringParser parser = new SimpleQueryStringParser(this, fieldAnalyzer, QueryStringParser.resolve(mapping, patterns), lenient,
                simpleFlags(p.path("flags").asText("ALL")));
        parser.setDefaultOperator(p.path("default_operator").asText("or").equalsIgnoreCase("and") ? Occur.MUST : Occur.SHOULD);
        Query q = parser.parseQuery(text);
        return boosted(withMinimumShouldMatch(q, p), p);
    }

    /** A {@code fields} entry of query_string, simple_query_string or multi_match: {@code name^boost}, or a name with boost 1. */
    private static Map.Entry<String, Float> fieldBoost(String spec, String query) {
        int caret = spec.indexOf('^');
        if (caret <= 0) {
            return Map.entry(spec, 1f);
        }
        try {
            return Map.entry(spec.substring(0, caret), Float.parseFloat(spec.substring(caret + 1)));
        } catch (NumberFormatException e) {
            throw SearchException.parsing("[%s] field boost of [%s] is not a number", query, spec);
        }
    }

    /** The request's {@code analyzer} for every field of a query string; without one, each field's own from the mapping. */
    private Analyzer requestAnalyzer(JsonNode p, String query) {
        if (!p.has("analyzer")) {
            return analyzer;
        }
        String name = p.get("analyzer").asText();
        if (!IndexMapping.ANALYZERS.contains(name)) {
            throw SearchException.illegalArgument("[%s] analyzer [%s] not found; Tributary knows %s", query, name,
                    new java.util.TreeSet<>(IndexMapping.ANALYZERS));
        }
        return Analyzers.forced(name, () -> mapping);
    }

    /** A query string's {@code minimum_should_match}, on its top-level optional clauses; a query with none is left as parsed. */
    private static Query withMinimumShouldMatch(Query q, JsonNode p) {
        if (!p.has("minimum_should_match") || !(q instanceof BooleanQuery bq)) {
            return q;
        }
        int should = (int) bq.clauses().stream().filter(c -> c.occur() == Occur.SHOULD).count();
        if (should == 0) {
            return q;
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        bq.clauses().forEach(b::add);
        b.setMinimumNumberShouldMatch(minimumShouldMatch(p.get("minimum_should_match").asText(), should));
        return b.build();
    }

    /** simple_query_string {@code flags}: ALL, NONE, or a |-list of AND, OR, NOT, PHRASE, PRECEDENCE, ESCAPE, WHITESPACE, FUZZY, NEAR, SLOP, PREFIX. */
    private static int simpleFlags(String spec) {
        int flags = 0;
        for (String f : spec.split("\\|")) {
            flags |= switch (f.trim().toUpperCase(java.util.Locale.ROOT)) {
                case "ALL", "" -> -1;
                case "NONE" -> 0;
                case "AND" -> org.apache.lucene.queryparser.simple.SimpleQueryParser.AND_OPERATOR;
                case "OR" -> org.apache.lucene.queryparser.simple.SimpleQueryParser.OR_OPERATOR;
                case "NOT" -> org.apache.lucene.queryparser.simple.SimpleQueryParser.NOT_OPERATOR;
                case "PHRASE" -> org.apache.lucene.queryparser.simple.SimpleQueryParser.PHRASE_OPERATOR;
                case "PRECEDENCE" -> org.apache.lucene.queryparser.simple.SimpleQueryParser.PRECEDENCE_OPERATORS;
                case "ESCAPE" -> org.apache.lucene.queryparser.simple.SimpleQueryParser.ESCAPE_OPERATOR;
                case "WHITESPACE" -> org.apache.lucene.queryparser.simple.SimpleQueryParser.WHITESPACE_OPERATOR;
                case "FUZZY" -> org.apache.lucene.queryparser.simple.SimpleQueryParser.FUZZY_OPERATOR;
                case "NEAR", "SLOP" -> org.apache.lucene.queryparser.simple.SimpleQueryParser.NEAR_OPERATOR;
                case "PREFIX" -> org.apache.lucene.queryparser.simple.SimpleQueryParser.PREFIX_OPERATOR;
                default -> throw SearchException.illegalArgument("Unknown [simple_query_string] flag [%s]", f);
            };
        }
        return flags;
    }

    private Query matchPhrasePrefix(JsonNode body) {
        Map.Entry<String, JsonNode> f = single(body, "match_phrase_prefix");
        JsonNode spec = f.getValue();
        JsonNode value = spec;
        JsonNode p = null;
        if (spec.isObject()) {
            p = params(spec, "match_phrase_prefix", Set.of("query", "analyzer", "max_expansions", "slop", "zero_terms_query", "boost", "_name"));
            value = spec.get("query");
            if (value == null) {
                throw SearchException.parsing("[match_phrase_prefix] requires query value");
            }
        }
        if (value.isContainerNode()) {
            throw SearchException.parsing("[match_phrase_prefix] unknown token [%s] after [query]", value.isArray() ? "START_ARRAY" : "START_OBJECT");
        }
        MatchOptions o = MatchOptions.of(p, true);
        Optional<Field> field = mapping.field(f.getKey());
        if (field.isEmpty() || field.get().type() == FieldType.OBJECT) {
            return new MatchNoDocsQuery("unmapped field [" + f.getKey() + "]");
        }
        Field fld = field.get();
        if (fld.type() != FieldType.TEXT) {
            throw SearchException.queryShard("failed to create query: Can only use phrase prefix queries on text fields - not on [%s] which is of type [%s]",
                    fld.path(), fld.type().jsonName());
        }
        FieldQueries.requireTerms(fld, "match_phrase_prefix");
        FieldQueries.requirePositions(fld);
        Analyzer a = o.analyzer().map(Analyzers::named).orElse(analyzer);
        List<List<Term>> positions = new ArrayList<>();
        try (org.apache.lucene.analysis.TokenStream ts = a.tokenStream(fld.path(), value.asText())) {
            var term = ts.addAttribute(org.apache.lucene.analysis.tokenattributes.CharTermAttribute.class);
            var increment = ts.addAttribute(org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                if (increment.getPositionIncrement() > 0 || positions.isEmpty()) {
                    positions.add(new ArrayList<>());
                }
                positions.get(positions.size() - 1).add(new Term(fld.path(), term.toString()));
            }
            ts.end();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (positions.isEmpty()) {
            return o.zeroTermsAll() ? new MatchAllDocsQuery() : new MatchNoDocsQuery("no terms");
        }
        List<Term> last = positions.remove(positions.size() - 1);
        int maxExpansions = p == null ? 50 : p.path("max_expansions").asInt(50);
        if (maxExpansions <= 0 || maxExpansions > 1024) {
            throw SearchException.illegalArgument("[match_phrase_prefix] max_expansions must be between 1 and 1024, got [%d]", maxExpansions);
        }
        Query q = new PhrasePrefixQuery(fld.path(), positions, last.get(0).text(), maxExpansions, o.slop());
        return p == null ? q : boosted(q, p);
    }

    private Query boolQuery(JsonNode body) {
        JsonNode p = params(body, "bool", Set.of("must", "should", "filter", "must_not", "minimum_should_match", "boost", "_name",
                "adjust_pure_negative"));
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        int should = 0;
        int required = 0;
        for (String occur : List.of("must", "filter", "should", "must_not")) {
            JsonNode clauses = p.get(occur);
            if (clauses == null) {
                continue;
            }
            List<JsonNode> list = new ArrayList<>();
            if (clauses.isArray()) {
                clauses.forEach(list::add);
            } else {
                list.add(clauses);
            }
            for (JsonNode clause : list) {
                Query q = parse(clause);
                switch (occur) {
                    case "must" -> {
                        b.add(q, Occur.MUST);
                        required++;
                    }
                    case "filter" -> {
                        b.add(q, Occur.FILTER);
                        required++;
                    }
                    case "should" -> {
                        b.add(q, Occur.SHOULD);
                        should++;
                    }
                    default -> b.add(q, Occur.MUST_NOT);
                }
            }
        }
        if (p.has("minimum_should_match")) {
            b.setMinimumNumberShouldMatch(minimumShouldMatch(p.get("minimum_should_match").asText(), should));
        } else if (should > 0 && required == 0) {
            b.setMinimumNumberShouldMatch(1);
        }
        if (required == 0 && should == 0 && p.path("adjust_pure_negative").asBoolean(true)) {
            // Only must_not (or nothing): everything but the excluded, as OpenSearch answers unless adjust_pure_negative is false.
            b.add(new MatchAllDocsQuery(), Occur.MUST);
        }
        return boosted(b.build(), p);
    }

    static int minimumShouldMatch(String spec, int optional) {
        String s = spec.trim();
        try {
            int result;
            if (s.endsWith("%")) {
                int percent = Integer.parseInt(s.substring(0, s.length() - 1));
                result = percent < 0 ? optional + (int) (optional * percent / 100.0) : (int) (optional * percent / 100.0);
            } else {
                int n = Integer.parseInt(s);
                result = n < 0 ? optional + n : n;
            }
            // Not capped at the number of optional clauses: asking for more than there are matches nothing, as in OpenSearch.
            return Math.max(0, result);
        } catch (NumberFormatException e) {
            throw SearchException.parsing("[minimum_should_match] must be a whole number or a percentage, got [%s]; combinations are not supported",
                    DateFormat.truncate(spec));
        }
    }

    private Query constantScore(JsonNode body) {
        JsonNode p = params(body, "constant_score", Set.of("filter", "boost", "_name"));
        if (!p.has("filter")) {
            throw SearchException.parsing("[constant_score] requires a 'filter' element");
        }
        return boosted(new ConstantScoreQuery(parse(p.get("filter"))), p);
    }

    private Query ids(JsonNode body) {
        JsonNode p = params(body, "ids", Set.of("values", "boost", "_name"));
        List<BytesRef> ids = new ArrayList<>();
        p.path("values").forEach(v -> ids.add(new BytesRef(v.asText())));
        return boosted(new ConstantScoreQuery(new TermInSetQuery(DocumentParser.ID, ids)), p);
    }
}
