package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.search.SearchException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.TotalHitCountCollectorManager;
import org.apache.lucene.search.TotalHits;

/**
 * Runs one search request over one or more indexes: the query, hits with sort, paging,
 * {@code search_after} and {@code _source} filtering, the total as {@code track_total_hits}
 * asks, and aggregations, in one pass over the matching documents. Answers in OpenSearch's
 * response shape.
 */
final class SearchExecution {
    private static final Set<String> BODY_KEYS = Set.of("query", "aggs", "aggregations", "size", "from", "sort", "_source",
            "track_total_hits", "search_after", "post_filter", "track_scores", "timeout", "version", "seq_no_primary_term",
            "stored_fields", "explain", "terminate_after", "profile", "min_score", "highlight", "docvalue_fields", "fields",
            "script_fields", "collapse", "suggest", "indices_boost", "pit", "rescore", "ext", "stats");
    private static final Set<String> UNSUPPORTED = Set.of("highlight", "collapse", "suggest", "rescore", "pit", "min_score", "indices_boost",
            "terminate_after");

    /**
     * @param typedKeys prefix aggregation names with their type ({@code sum#total}), as clients asking {@code typed_keys} expect
     * @param totalAsInt {@code rest_total_hits_as_int}: the total as a bare number
     */
    record Options(boolean typedKeys, boolean totalAsInt, long nowMillis) {}

    private SearchExecution() {}

    static void checkBody(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return;
        }
        if (!body.isObject()) {
            throw SearchException.parsing("the search request body must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!BODY_KEYS.contains(key)) {
                throw SearchException.parsing("Unknown key for a %s in [%s].", body.get(key).isObject() ? "START_OBJECT" : "VALUE", key);
            }
            if (UNSUPPORTED.contains(key)) {
                throw SearchException.parsing("[%s] is not supported by Tributary's search API", key);
            }
        }
        // Forms that ask for nothing Tributary lacks are accepted (OpenSearch Dashboards sends them); the others are refused by name.
        JsonNode scripts = body.get("script_fields");
        if (scripts != null && !(scripts.isObject() && scripts.isEmpty())) {
            throw SearchException.parsing("[script_fields] %s: scripts are not supported by Tributary", DateFormat.truncate(scripts.toString()));
        }
        for (String flag : List.of("profile", "explain")) {
            if (body.has(flag) && body.get(flag).asBoolean(false)) {
                throw SearchException.parsing("[%s: true] is not supported by Tributary's search API", flag);
            }
        }
        JsonNode ext = body.get("ext");
        if (ext != null && !ext.isEmpty()) {
            throw SearchException.parsing("[ext] %s: search extensions are not supported by Tributary", DateFormat.truncate(ext.toString()));
        }
        JsonNode stored = body.get("stored_fields");
        if (stored != null && !stored.isTextual() && !stored.isArray()) {
            throw SearchException.parsing("[stored_fields] must be a field name or an array of them");
        }
    }

    /** Searches the given indexes (already resolved and authorized). */
    static ObjectNode search(List<SearchTarget> targets, JsonNode body, Options options) {
        Snapshot snapshot = Snapshot.acquire(targets);
        try {
            return search(snapshot, body, options);
        } finally {
            snapshot.release();
        }
    }

    /** Searches a snapshot, which the caller releases. */
    static ObjectNode search(Snapshot snapshot, JsonNode body, Options options) {
        return run(snapshot, body, options, false).response();
    }

    /** A search's response with what a scroll needs for its next pages. */
    record Outcome(ObjectNode response, SearchPlan plan, JsonNode request, int size, Optional<ScoreDoc> last, Optional<JsonNode> total) {}

    /**
     * The first page of a search. A scroll's first page must start at 0 without
     * {@code search_after}, has a size, and counts its total exactly unless told otherwise.
     */
    static Outcome run(Snapshot snapshot, JsonNode body, Options options, boolean scroll) {
        long start = System.nanoTime();
        JsonNode request = body == null || body.isMissingNode() || body.isNull() ? Json.mapper().createObjectNode() : body;
        checkBody(request);
        int from = integer(request, "from", 0);
        int size = integer(request, "size", 10);
        if (scroll) {
            List<String> problems = new ArrayList<>();
            if (size == 0) {
                problems.add("[size] cannot be [0] in a scroll context");
            }
            if (from > 0) {
                problems.add("using [from] is not allowed in a scroll context");
            }
            if (request.has("search_after")) {
                problems.add("`search_after` cannot be used in a scroll context");
            }
            if (!problems.isEmpty()) {
                throw new SearchException(ErrorCode.INVALID_ARGUMENT, "action_request_validation_exception", 400,
                        "Validation Failed: " + String.join(";", java.util.stream.IntStream.range(0, problems.size())
                                .mapToObj(i -> (i + 1) + ": " + problems.get(i)).toList()) + ";");
            }
        }
        int window = snapshot.targets().stream().mapToInt(t -> t.index().settings().maxResultWindow()).min().orElse(10000);
        if (from < 0 || size < 0) {
            throw SearchException.illegalArgument("[from] and [size] must not be negative");
        }
        if ((long) from + size > window) {
            throw SearchException.illegalArgument("Result window is too large, from + size must be less than or equal to: [%d] but was [%d]. "
                    + "See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the "
                    + "[index.max_result_window] index level setting.", window, (long) from + size);
        }
        JsonNode track = request.get("track_total_hits");
        if (scroll && track == null) {
            // Scrolls count every hit, as OpenSearch's do: the client pages until it has them all.
            track = Json.mapper().getNodeFactory().booleanNode(true);
        }
        TotalHitsTracking total = TotalHitsTracking.of(track, options.totalAsInt());
        try {
            SearchPlan plan = SearchPlan.create(snapshot, request, options.nowMillis());
            Optional<FieldDoc> after = Optional.empty();
            if (request.has("search_after")) {
                if (plan.sort.isEmpty()) {
                    throw SearchException.illegalArgument("Sort must contain at least one field when using search_after");
                }
                if (from > 0) {
                    throw SearchException.illegalArgument("[from] parameter must be set to 0 when [search_after] is used");
                }
                after = Optional.of(Sorts.after(request.get("search_after"), plan.sort.get(), plan.mapping));
            }
            TopDocs top = collect(plan, from + size, after.orElse(null), total.threshold(), true);
            ObjectNode response = Json.mapper().createObjectNode();
            response.put("took", (System.nanoTime() - start) / 1_000_000);
            response.put("timed_out", false);
            response.set("_shards", shards(plan));
            ObjectNode hits = response.putObject("hits");
            total.write(hits, top.totalHits, options.totalAsInt());
            writeHits(plan, request, top, from, hits);
            if (!plan.aggs.isEmpty()) {
                ObjectNode aggregations = response.putObject("aggregations");
                for (Aggregator agg : plan.aggs) {
                    aggregations.set(agg.key(options.typedKeys()), agg.result(0, options.typedKeys()));
                }
            }
            Optional<ScoreDoc> last = top.scoreDocs.length == 0 ? Optional.empty() : Optional.of(top.scoreDocs[top.scoreDocs.length - 1]);
            return new Outcome(response, plan, request, size, last, Optional.ofNullable(hits.get("total")));
        } catch (IOException e) {
            throw new SearchException(ErrorCode.STORAGE_FAILURE, "search_phase_execution_exception", 500, "search failed: " + e.getMessage(), e);
        } catch (IndexSearcher.TooManyClauses e) {
            throw SearchException.queryShard("failed to create query: too many clauses (at most %d); narrow the query",
                    IndexSearcher.getMaxClauseCount());
        }
    }

    /** The next page of a scroll: the hits after the last one returned, with the first page's total. */
    static ObjectNode nextPage(SearchContexts.Scroll scroll) {
        long start = System.nanoTime();
        synchronized (scroll) {
            try {
                TopDocs top = collect(scroll.plan, scroll.size, scroll.last, 0, false);
                ObjectNode response = Json.mapper().createObjectNode();
                response.put("_scroll_id", scroll.id);
                response.put("took", (System.nanoTime() - start) / 1_000_000);
                response.put("timed_out", false);
                response.set("_shards", shards(scroll.plan));
                ObjectNode hits = response.putObject("hits");
                scroll.total.ifPresent(t -> hits.set("total", t));
                writeHits(scroll.plan, scroll.request, top, 0, hits);
                if (top.scoreDocs.length > 0) {
                    scroll.last = top.scoreDocs[top.scoreDocs.length - 1];
                }
                return response;
            } catch (IOException e) {
                throw new SearchException(ErrorCode.STORAGE_FAILURE, "search_phase_execution_exception", 500, "scroll failed: " + e.getMessage(), e);
            } catch (org.apache.lucene.store.AlreadyClosedException e) {
                throw SearchContexts.missing(scroll.id);
            }
        }
    }

    /**
     * {@code track_total_hits} (and {@code rest_total_hits_as_int}, which needs an exact total):
     * count up to {@code threshold}, or not at all.
     */
    record TotalHitsTracking(boolean enabled, int threshold) {
        static TotalHitsTracking of(JsonNode track, boolean totalAsInt) {
            if (track == null || track.isNull()) {
                // A bare number cannot say "at least", so OpenSearch counts exactly when asked for one.
                return new TotalHitsTracking(true, totalAsInt ? Integer.MAX_VALUE : 10000);
            }
            if (track.isTextual() && (track.asText().equals("true") || track.asText().equals("false"))) {
                track = BooleanNode.valueOf(Boolean.parseBoolean(track.asText()));
            } else if (track.isTextual() && track.asText().matches("-?\\d{1,9}")) {
                track = Json.mapper().getNodeFactory().numberNode(Integer.parseInt(track.asText()));
            }
            if (track.isInt() && track.asInt() == -1) {
                // -1 turns counting off, as false does.
                track = BooleanNode.FALSE;
            }
            if (track.isBoolean()) {
                return new TotalHitsTracking(track.asBoolean(), track.asBoolean() ? Integer.MAX_VALUE : 0);
            }
            if (track.isInt() && track.asInt() >= 0) {
                if (totalAsInt && track.asInt() != Integer.MAX_VALUE) {
                    throw SearchException.illegalArgument("[rest_total_hits_as_int] cannot be used if the tracking of total hits is not accurate, got %d",
                            track.asInt());
                }
                return new TotalHitsTracking(true, track.asInt());
            }
            throw SearchException.illegalArgument("[track_total_hits] must be true, false or a non-negative number, got %s", track);
        }

        void write(ObjectNode hits, TotalHits totalHits, boolean totalAsInt) {
            if (!enabled) {
                if (totalAsInt) {
                    hits.put("total", -1);
                }
                return;
            }
            long value = totalHits.value();
            boolean exact = totalHits.relation() == TotalHits.Relation.EQUAL_TO && value <= threshold;
            if (!exact) {
                value = threshold;
            }
            if (totalAsInt) {
                hits.put("total", value);
            } else {
                hits.putObject("total").put("value", value).put("relation", exact ? "eq" : "gte");
            }
        }
    }

    /**
     * The top {@code numHits} hits after {@code after} (a {@link FieldDoc} when sorted, a
     * {@link ScoreDoc} by score), with the aggregations collected in the same pass when asked.
     */
    static TopDocs collect(SearchPlan plan, int numHits, ScoreDoc after, int totalThreshold, boolean aggregate) throws IOException {
        IndexSearcher searcher = plan.searcher;
        List<Aggregator> aggs = aggregate ? plan.aggs : List.of();
        CollectorManager<? extends Collector, ? extends TopDocs> topManager;
        if (numHits == 0) {
            topManager = null;
        } else if (plan.sort.isPresent()) {
            topManager = new TopFieldCollectorManager(plan.sort.get(), numHits, (FieldDoc) after, totalThreshold);
        } else {
            topManager = new TopScoreDocCollectorManager(numHits, after, totalThreshold);
        }
        AggregationManager aggManager = new AggregationManager(aggs);
        TopDocs top;
        try {
            if (plan.hitsQuery == plan.query && !aggs.isEmpty()) {
                if (topManager == null) {
                    Object[] results = searcher.search(plan.query, new org.apache.lucene.search.MultiCollectorManager(
                            new TotalHitCountCollectorManager(searcher.getSlices()), aggManager));
                    top = new TopDocs(new TotalHits((Integer) results[0], TotalHits.Relation.EQUAL_TO), new ScoreDoc[0]);
                } else {
                    Object[] results = searcher.search(plan.query, new org.apache.lucene.search.MultiCollectorManager(topManager, aggManager));
                    top = (TopDocs) results[0];
                }
            } else {
                if (!aggs.isEmpty()) {
                    searcher.search(plan.query, aggManager);
                }
                if (topManager == null) {
                    int count = totalThreshold == 0 ? 0 : searcher.count(plan.hitsQuery);
                    top = new TopDocs(new TotalHits(count, TotalHits.Relation.EQUAL_TO), new ScoreDoc[0]);
                } else {
                    top = searchTop(searcher, plan.hitsQuery, topManager);
                }
            }
        } catch (IllegalStateException e) {
            if (String.valueOf(e.getMessage()).contains("docvalues type")) {
                // Doc values of another type than the sort expects: the field has different types in the indexes searched.
                throw SearchException.illegalArgument("cannot sort or aggregate: a field has different types in the indexes searched (%s); "
                        + "search the indexes separately or give the field one type", e.getMessage());
            }
            throw SearchException.queryShard("failed to run the query: %s", String.valueOf(e.getMessage()));
        }
        return top;
    }

    static ObjectNode shards(SearchPlan plan) {
        ObjectNode shards = Json.mapper().createObjectNode();
        shards.put("total", plan.totalShards).put("successful", plan.totalShards - plan.failures.size()).put("skipped", 0)
                .put("failed", plan.failures.size());
        if (!plan.failures.isEmpty()) {
            ArrayNode list = shards.putArray("failures");
            for (SearchPlan.ShardFailure f : plan.failures) {
                ObjectNode failure = list.addObject().put("shard", 0).put("index", f.index()).put("node", "tributary");
                failure.putObject("reason").put("type", f.error().type()).put("reason", f.error().getMessage());
            }
        }
        return shards;
    }

    /** Writes {@code hits.hits} (from the {@code from}-th) and {@code max_score}. */
    static void writeHits(SearchPlan plan, JsonNode request, TopDocs top, int from, ObjectNode hits) throws IOException {
        if (plan.sort.isPresent() && request.path("track_scores").asBoolean(false)) {
            org.apache.lucene.search.TopFieldCollector.populateScores(top.scoreDocs, plan.searcher, plan.hitsQuery);
        }
        boolean scored = plan.sort.isEmpty() || request.path("track_scores").asBoolean(false);
        ArrayNode hitArray = Json.mapper().createArrayNode();
        float maxScore = Float.NaN;
        // stored_fields: only _source is stored, so asking for stored fields leaves _source out unless asked for too; _none_ also the _id.
        JsonNode stored = request.get("stored_fields");
        boolean noMetadata = stored != null && (stored.asText().equals("_none_") || stored.isArray() && stored.size() == 1
                && stored.get(0).asText().equals("_none_"));
        SourceFilter filter = stored != null && !request.has("_source") || noMetadata ? SourceFilter.parse(BooleanNode.FALSE)
                : SourceFilter.parse(request.get("_source"));
        HitContent content = HitContent.parse(request, filter);
        List<LeafReaderContext> leaves = plan.reader.leaves();
        Map<String, org.apache.lucene.search.Weight> named = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Query> e : plan.named.entrySet()) {
            named.put(e.getKey(), plan.searcher.createWeight(plan.searcher.rewrite(e.getValue()), ScoreMode.COMPLETE_NO_SCORES, 1));
        }
        for (int i = from; i < top.scoreDocs.length; i++) {
            ScoreDoc sd = top.scoreDocs[i];
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sd.doc, leaves));
            StoredDocument doc = StoredDocument.read(leaf.reader(), sd.doc - leaf.docBase);
            ObjectNode hit = hitArray.addObject();
            hit.put("_index", plan.indexOf(sd.doc));
            if (!noMetadata) {
                hit.put("_id", doc.id());
            }
            float score = scored ? sd.score : Float.NaN;
            if (!Float.isNaN(score)) {
                maxScore = Float.isNaN(maxScore) ? score : Math.max(maxScore, score);
            }
            content.write(hit, doc, score, plan.mapping, leaf, sd.doc - leaf.docBase);
            if (!named.isEmpty()) {
                ArrayNode matched = Json.mapper().createArrayNode();
                int inLeaf = sd.doc - leaf.docBase;
                for (Map.Entry<String, org.apache.lucene.search.Weight> e : named.entrySet()) {
                    org.apache.lucene.search.Scorer scorer = e.getValue().scorer(leaf);
                    if (scorer != null && scorer.iterator().advance(inLeaf) == inLeaf) {
                        matched.add(e.getKey());
                    }
                }
                if (!matched.isEmpty()) {
                    hit.set("matched_queries", matched);
                }
            }
            if (sd instanceof FieldDoc fd && plan.sort.isPresent()) {
                hit.set("sort", Sorts.values(fd));
            }
        }
        if (scored && plan.sort.isPresent() && top.scoreDocs.length > 0) {
            // Sorted with track_scores: OpenSearch reports the best score of every match, not of this page.
            TopDocs best = plan.searcher.search(plan.hitsQuery, new TopScoreDocCollectorManager(1, null, 1));
            hits.put("max_score", best.scoreDocs.length > 0 ? best.scoreDocs[0].score : maxScore);
        } else if (scored && !Float.isNaN(maxScore)) {
            hits.put("max_score", maxScore);
        } else if (scored && plan.sort.isEmpty() && top.scoreDocs.length > 0) {
            hits.put("max_score", top.scoreDocs[0].score);
        } else {
            hits.putNull("max_score");
        }
        hits.set("hits", hitArray);
    }

    /** {@code _count}: the number of documents matching a query, per index with its own mapping and alias filters. */
    static ObjectNode count(List<SearchTarget> targets, JsonNode body, long nowMillis) {
        JsonNode request = body == null || body.isMissingNode() || body.isNull() ? Json.mapper().createObjectNode() : body;
        for (Iterator<String> it = request.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!key.equals("query")) {
                throw SearchException.parsing("request does not support [%s]", key);
            }
        }
        long total = 0;
        List<SearchPlan.ShardFailure> failures = new ArrayList<>();
        for (SearchTarget target : targets) {
            IndexSearcher searcher = target.index().acquire();
            try {
                QueryDsl dsl = QueryDsl.forIndex(target.index(), nowMillis);
                total += searcher.count(SearchPlan.filtered(dsl.parse(request.get("query")), target, dsl));
            } catch (SearchException e) {
                if (targets.size() == 1 || e.status() >= 500) {
                    throw e;
                }
                failures.add(new SearchPlan.ShardFailure(target.index().name(), e));
            } catch (IOException e) {
                throw new SearchException(ErrorCode.STORAGE_FAILURE, "exception", 500, "count failed: " + e.getMessage(), e);
            } finally {
                target.index().release(searcher);
            }
        }
        if (!targets.isEmpty() && failures.size() == targets.size()) {
            throw failures.get(0).error();
        }
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("count", total);
        ObjectNode shards = out.putObject("_shards").put("total", targets.size()).put("successful", targets.size() - failures.size())
                .put("skipped", 0).put("failed", failures.size());
        if (!failures.isEmpty()) {
            ArrayNode list = shards.putArray("failures");
            failures.forEach(f -> list.addObject().put("shard", 0).put("index", f.index()).put("node", "tributary").putObject("reason")
                    .put("type", f.error().type()).put("reason", f.error().getMessage()));
        }
        return out;
    }

    private static <C extends Collector, T extends TopDocs> TopDocs searchTop(IndexSearcher searcher, Query query,
            CollectorManager<C, T> manager) throws IOException {
        return searcher.search(query, manager);
    }

    private static int integer(JsonNode request, String key, int defaultValue) {
        JsonNode v = request.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (v.isInt() || v.isTextual() && v.asText().matches("-?\\d{1,9}")) {
            return v.asInt();
        }
        if (v.isFloatingPointNumber() && Math.abs(v.asDouble()) < Integer.MAX_VALUE) {
            // OpenSearch reads 1.5 as 1.
            return (int) v.asDouble();
        }
        throw SearchException.parsing("[%s] must be a whole number, got %s", key, DateFormat.truncate(v.toString()));
    }

    /** Collects the aggregation tree; the searcher runs one slice (no executor), so one collector. */
    private static final class AggregationManager implements CollectorManager<Collector, Object> {
        private final List<Aggregator> aggs;
        private boolean created;

        AggregationManager(List<Aggregator> aggs) {
            this.aggs = aggs;
        }

        @Override
        public Collector newCollector() {
            if (created) {
                throw new IllegalStateException("aggregations are collected in one slice");
            }
            created = true;
            return new Collector() {
                @Override
                public org.apache.lucene.search.LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
                    Aggregator.LeafCollector[] leaves = Aggregator.leaves(aggs, context);
                    return new org.apache.lucene.search.LeafCollector() {
                        @Override
                        public void setScorer(org.apache.lucene.search.Scorable scorer) {
                            aggs.forEach(a -> a.setScorer(scorer));
                        }

                        @Override
                        public void collect(int doc) throws IOException {
                            Aggregator.collectAll(leaves, doc, 0);
                        }
                    };
                }

                @Override
                public ScoreMode scoreMode() {
                    return aggs.stream().anyMatch(Aggregator::needsScores) ? ScoreMode.COMPLETE : ScoreMode.COMPLETE_NO_SCORES;
                }
            };
        }

        @Override
        public Object reduce(java.util.Collection<Collector> collectors) {
            return null;
        }
    }
}
