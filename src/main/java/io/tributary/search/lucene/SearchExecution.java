package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.search.SearchException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Sort;
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
    private static final Set<String> UNSUPPORTED = Set.of("highlight", "script_fields", "collapse", "suggest", "rescore", "pit",
            "min_score", "profile", "explain", "indices_boost", "docvalue_fields", "fields", "stored_fields");

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
    }

    /** Searches the given indexes (already resolved and authorized). */
    static ObjectNode search(List<LuceneIndex> indexes, JsonNode body, Options options) {
        long start = System.nanoTime();
        JsonNode request = body == null || body.isMissingNode() || body.isNull() ? Json.mapper().createObjectNode() : body;
        checkBody(request);
        int from = integer(request, "from", 0);
        int size = integer(request, "size", 10);
        int window = indexes.stream().mapToInt(i -> i.settings().maxResultWindow()).min().orElse(10000);
        if (from < 0 || size < 0) {
            throw SearchException.illegalArgument("[from] and [size] must not be negative");
        }
        if ((long) from + size > window) {
            throw SearchException.illegalArgument("Result window is too large, from + size must be less than or equal to: [%d] but was [%d]. "
                    + "See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the "
                    + "[index.max_result_window] index level setting.", window, from + size);
        }
        int totalThreshold;
        JsonNode track = request.get("track_total_hits");
        boolean trackTotal = true;
        if (track == null) {
            totalThreshold = 10000;
        } else if (track.isBoolean()) {
            trackTotal = track.asBoolean();
            totalThreshold = trackTotal ? Integer.MAX_VALUE : 0;
        } else if (track.isInt() && track.asInt() >= 0) {
            totalThreshold = track.asInt();
        } else {
            throw SearchException.illegalArgument("[track_total_hits] must be true, false or a non-negative number, got %s", track);
        }

        List<IndexSearcher> searchers = new ArrayList<>();
        try {
            for (LuceneIndex index : indexes) {
                searchers.add(index.acquire());
            }
            IndexReader reader = searchers.size() == 1 ? searchers.get(0).getIndexReader()
                    : new MultiReader(searchers.stream().map(IndexSearcher::getIndexReader).toArray(IndexReader[]::new), false);
            IndexSearcher searcher = new IndexSearcher(reader);
            IndexMapping mapping = IndexMapping.union(indexes.stream().map(LuceneIndex::mapping).toList());
            QueryDsl dsl = new QueryDsl(mapping, options.nowMillis());
            Query query = dsl.parse(request.get("query"));
            JsonNode aggsNode = request.has("aggs") ? request.get("aggs") : request.get("aggregations");
            List<Aggregator> aggs = Aggregator.parseAll(aggsNode, new Aggregator.Context(mapping, searcher, dsl, options.nowMillis()), 0);
            Optional<Sort> sort = Sorts.parse(request.get("sort"), mapping);
            Optional<FieldDoc> after = Optional.empty();
            if (request.has("search_after")) {
                if (sort.isEmpty()) {
                    throw SearchException.illegalArgument("Sort must contain at least one field when using search_after");
                }
                if (from > 0) {
                    throw SearchException.illegalArgument("[from] parameter must be set to 0 when [search_after] is used");
                }
                after = Optional.of(Sorts.after(request.get("search_after"), sort.get()));
            }
            Query hitsQuery = query;
            if (request.has("post_filter")) {
                hitsQuery = new BooleanQuery.Builder().add(query, Occur.MUST).add(dsl.parse(request.get("post_filter")), Occur.FILTER).build();
            }
            TopDocs top;
            int numHits = from + size;
            CollectorManager<? extends Collector, ? extends TopDocs> topManager;
            if (numHits == 0) {
                topManager = null;
            } else if (sort.isPresent()) {
                topManager = new TopFieldCollectorManager(sort.get(), numHits, after.orElse(null), totalThreshold);
            } else {
                topManager = new TopScoreDocCollectorManager(numHits, null, totalThreshold);
            }
            AggregationManager aggManager = new AggregationManager(aggs);
            if (hitsQuery == query && !aggs.isEmpty()) {
                if (topManager == null) {
                    Object[] results = searcher.search(query, new org.apache.lucene.search.MultiCollectorManager(
                            new TotalHitCountCollectorManager(searcher.getSlices()), aggManager));
                    int count = (Integer) results[0];
                    top = new TopDocs(new TotalHits(count, TotalHits.Relation.EQUAL_TO), new ScoreDoc[0]);
                } else {
                    Object[] results = searcher.search(query, new org.apache.lucene.search.MultiCollectorManager(topManager, aggManager));
                    top = (TopDocs) results[0];
                }
            } else {
                if (!aggs.isEmpty()) {
                    searcher.search(query, aggManager);
                }
                if (topManager == null) {
                    int count = searcher.count(hitsQuery);
                    top = new TopDocs(new TotalHits(count, TotalHits.Relation.EQUAL_TO), new ScoreDoc[0]);
                } else {
                    top = searchTop(searcher, hitsQuery, topManager);
                }
            }
            if (sort.isPresent() && request.path("track_scores").asBoolean(false)) {
                org.apache.lucene.search.TopFieldCollector.populateScores(top.scoreDocs, searcher, hitsQuery);
            }

            ObjectNode response = Json.mapper().createObjectNode();
            response.put("took", (System.nanoTime() - start) / 1_000_000);
            response.put("timed_out", false);
            response.putObject("_shards").put("total", indexes.size()).put("successful", indexes.size()).put("skipped", 0).put("failed", 0);
            ObjectNode hits = response.putObject("hits");
            if (trackTotal) {
                long value = top.totalHits.value();
                boolean exact = top.totalHits.relation() == TotalHits.Relation.EQUAL_TO && value <= totalThreshold;
                if (!exact) {
                    value = totalThreshold;
                }
                if (options.totalAsInt()) {
                    hits.put("total", value);
                } else {
                    hits.putObject("total").put("value", value).put("relation", exact ? "eq" : "gte");
                }
            }
            boolean scored = sort.isEmpty() || request.path("track_scores").asBoolean(false);
            ArrayNode hitArray = Json.mapper().createArrayNode();
            float maxScore = Float.NaN;
            SourceFilter filter = SourceFilter.parse(request.get("_source"));
            boolean version = request.path("version").asBoolean(false);
            boolean seqNo = request.path("seq_no_primary_term").asBoolean(false);
            List<LeafReaderContext> leaves = reader.leaves();
            for (int i = from; i < top.scoreDocs.length; i++) {
                ScoreDoc sd = top.scoreDocs[i];
                LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sd.doc, leaves));
                StoredDocument doc = StoredDocument.read(leaf.reader(), sd.doc - leaf.docBase);
                ObjectNode hit = hitArray.addObject();
                hit.put("_index", indexes.get(indexOf(reader, searchers, sd.doc)).name());
                hit.put("_id", doc.id());
                if (version) {
                    hit.put("_version", doc.version());
                }
                if (seqNo) {
                    hit.put("_seq_no", doc.seqNo()).put("_primary_term", 1);
                }
                if (scored && !Float.isNaN(sd.score)) {
                    hit.put("_score", sd.score);
                    maxScore = Float.isNaN(maxScore) ? sd.score : Math.max(maxScore, sd.score);
                } else {
                    hit.putNull("_score");
                }
                filter.apply(doc.source()).ifPresent(s -> hit.set("_source", s));
                if (sd instanceof FieldDoc fd && sort.isPresent()) {
                    hit.set("sort", Sorts.values(fd));
                }
            }
            if (scored && !Float.isNaN(maxScore)) {
                hits.put("max_score", maxScore);
            } else if (scored && sort.isEmpty() && top.scoreDocs.length > 0) {
                hits.put("max_score", top.scoreDocs[0].score);
            } else {
                hits.putNull("max_score");
            }
            hits.set("hits", hitArray);
            if (!aggs.isEmpty()) {
                ObjectNode aggregations = response.putObject("aggregations");
                for (Aggregator agg : aggs) {
                    aggregations.set(agg.key(options.typedKeys()), agg.result(0, options.typedKeys()));
                }
            }
            return response;
        } catch (IOException e) {
            throw new SearchException(ErrorCode.STORAGE_FAILURE, "search_phase_execution_exception", 500, "search failed: " + e.getMessage(), e);
        } catch (IndexSearcher.TooManyClauses e) {
            throw SearchException.queryShard("failed to create query: too many clauses (at most %d); narrow the query",
                    IndexSearcher.getMaxClauseCount());
        } finally {
            for (int i = 0; i < searchers.size(); i++) {
                indexes.get(i).release(searchers.get(i));
            }
        }
    }

    /** {@code _count}: the number of documents matching a query. */
    static ObjectNode count(List<LuceneIndex> indexes, JsonNode body, long nowMillis) {
        JsonNode request = body == null || body.isMissingNode() || body.isNull() ? Json.mapper().createObjectNode() : body;
        for (Iterator<String> it = request.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!key.equals("query")) {
                throw SearchException.parsing("request does not support [%s]", key);
            }
        }
        long total = 0;
        for (LuceneIndex index : indexes) {
            IndexSearcher searcher = index.acquire();
            try {
                total += searcher.count(new QueryDsl(index.mapping(), nowMillis).parse(request.get("query")));
            } catch (IOException e) {
                throw new SearchException(ErrorCode.STORAGE_FAILURE, "exception", 500, "count failed: " + e.getMessage(), e);
            } finally {
                index.release(searcher);
            }
        }
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("count", total);
        out.putObject("_shards").put("total", indexes.size()).put("successful", indexes.size()).put("skipped", 0).put("failed", 0);
        return out;
    }

    private static <C extends Collector, T extends TopDocs> TopDocs searchTop(IndexSearcher searcher, Query query,
            CollectorManager<C, T> manager) throws IOException {
        return searcher.search(query, manager);
    }

    private static int indexOf(IndexReader reader, List<IndexSearcher> searchers, int doc) {
        if (searchers.size() == 1) {
            return 0;
        }
        int base = 0;
        for (int i = 0; i < searchers.size(); i++) {
            int max = searchers.get(i).getIndexReader().maxDoc();
            if (doc < base + max) {
                return i;
            }
            base += max;
        }
        return searchers.size() - 1;
    }

    private static int integer(JsonNode request, String key, int defaultValue) {
        JsonNode v = request.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (v.isInt() || v.isTextual() && v.asText().matches("-?\\d{1,9}")) {
            return v.asInt();
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
                        public void setScorer(org.apache.lucene.search.Scorable scorer) {}

                        @Override
                        public void collect(int doc) throws IOException {
                            Aggregator.collectAll(leaves, doc, 0);
                        }
                    };
                }

                @Override
                public ScoreMode scoreMode() {
                    return ScoreMode.COMPLETE_NO_SCORES;
                }
            };
        }

        @Override
        public Object reduce(java.util.Collection<Collector> collectors) {
            return null;
        }
    }
}
