package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.search.SearchException;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopDocsCollector;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopScoreDocCollectorManager;

/**
 * {@code top_hits}: the best documents of each bucket, by score or by a {@code sort}, as OpenSearch
 * keeps them: one top-documents collector per owning bucket. Scores are the search query's.
 */
final class TopHitsAggregator extends Aggregator {
    /** OpenSearch's {@code index.max_inner_result_window} default. */
    static final int MAX_WINDOW = 100;
    /** Hits kept over all buckets: each bucket's collector allocates its window up front. */
    static final long MAX_KEPT = 1_000_000;

    private static final Set<String> PARAMS = Set.of("size", "from", "sort", "_source", "version", "seq_no_primary_term", "track_scores",
            "docvalue_fields", "fields", "explain", "highlight", "script_fields", "stored_fields");
    private static final Set<String> REFUSED = Set.of("highlight", "script_fields", "stored_fields");

    private final int from;
    private final int size;
    private final Optional<Sort> sort;
    private final boolean trackScores;
    private final HitContent content;
    private final Context context;
    private final Map<Long, TopDocsCollector<?>> collectors = new HashMap<>();
    private final Map<Long, TopDocs> built = new HashMap<>();
    private final DocCounts docCounts = new DocCounts(1);
    private double[] maxScores = new double[1];
    private Scorable scorer;

    private TopHitsAggregator(String name, int from, int size, Optional<Sort> sort, JsonNode p, Context context, Optional<JsonNode> meta) {
        super(name, List.of(), meta);
        this.from = from;
        this.size = size;
        this.sort = sort;
        this.trackScores = p.path("track_scores").asBoolean(false);
        this.content = HitContent.parse(p, SourceFilter.parse(p.get("_source")));
        this.context = context;
        java.util.Arrays.fill(maxScores, Double.NaN);
    }

    static TopHitsAggregator create(String name, JsonNode p, List<Aggregator> subs, Context context, Optional<JsonNode> meta) {
        params(p, "top_hits", PARAMS);
        if (!subs.isEmpty()) {
            throw SearchException.parsing("Aggregator [%s] of type [top_hits] cannot accept sub-aggregations", name);
        }
        for (String refused : REFUSED) {
            JsonNode v = p.get(refused);
            // Dashboards sends script_fields {} and stored_fields ["*"]; anything more would be ignored, so it is refused.
            boolean harmless = v != null && (refused.equals("script_fields") && v.isObject() && v.isEmpty()
                    || refused.equals("stored_fields") && (v.asText().equals("*") || v.isArray() && v.size() == 1 && v.get(0).asText().equals("*")));
            if (v != null && !harmless) {
                throw SearchException.parsing("[top_hits] [%s] is not supported by Tributary; remove it from aggregation [%s]", refused, name);
            }
        }
        if (p.path("explain").asBoolean(false)) {
            throw SearchException.parsing("[top_hits] [explain] is not supported by Tributary; remove it from aggregation [%s]", name);
        }
        int from = count(p, "from", 0, name);
        int size = count(p, "size", 3, name);
        if ((long) from + size > MAX_WINDOW) {
            throw SearchException.illegalArgument("Top hits result window is too large, the top hits aggregator [%s]'s from + size must be less "
                    + "than or equal to: [%d] but was [%d]. This limit can be set by changing the [index.max_inner_result_window] index level setting.",
                    name, MAX_WINDOW, (long) from + size);
        }
        Optional<Sort> sort = Sorts.parse(p.get("sort"), context.mapping());
        HitFields.parse(p).check(context.mapping());
        return new TopHitsAggregator(name, from, size, sort, p, context, meta);
    }

    private static int count(JsonNode p, String key, int fallback, String name) {
        JsonNode v = p.get(key);
        if (v == null) {
            return fallback;
        }
        int value = -1;
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            value = v.asInt();
        } else if (v.isTextual() && v.asText().matches("\\d{1,9}")) {
            value = Integer.parseInt(v.asText());
        }
        if (value < 0) {
            throw SearchException.illegalArgument("[%s] of top_hits aggregation [%s] must be a non-negative integer, got %s", key, name,
                    DateFormat.truncate(v.toString()));
        }
        return value;
    }

    @Override
    String typeName() {
        return "top_hits";
    }

    @Override
    boolean needsScores() {
        return sort.isEmpty() || trackScores || java.util.Arrays.stream(sort.get().getSort()).anyMatch(f -> f.getType() == SortField.Type.SCORE);
    }

    @Override
    void setScorer(Scorable scorer) {
        this.scorer = scorer;
    }

    /** The search's scorer as it is when a document is collected; bucket collectors never raise its minimum score. */
    private final Scorable current = new Scorable() {
        @Override
        public float score() throws IOException {
            return scorer == null ? Float.NaN : scorer.score();
        }
    };

    @Override
    LeafCollector leaf(LeafReaderContext leaf) throws IOException {
        Map<Long, org.apache.lucene.search.LeafCollector> perOwner = new HashMap<>();
        int window = from + size;
        boolean scores = trackScores && sort.isPresent();
        return (doc, owner) -> {
            docCounts.add(owner);
            if (scores) {
                maxScores = grow(maxScores, owner, Double.NaN);
                float s = current.score();
                maxScores[(int) owner] = Double.isNaN(maxScores[(int) owner]) ? s : Math.max(maxScores[(int) owner], s);
            }
            if (window == 0) {
                return;
            }
            org.apache.lucene.search.LeafCollector collector = perOwner.get(owner);
            if (collector == null) {
                TopDocsCollector<?> top = collectors.get(owner);
                if (top == null) {
                    if ((collectors.size() + 1L) * window > MAX_KEPT) {
                        throw SearchException.illegalArgument("top_hits aggregation [%s] would keep more than %d hits (%d per bucket); lower its "
                                + "size or the number of buckets above it", name, MAX_KEPT, window);
                    }
                    // No hit-count threshold: a bucket's collector must never try to skip documents of the shared query.
                    top = sort.isPresent() ? new TopFieldCollectorManager(sort.get(), window, null, Integer.MAX_VALUE).newCollector()
                            : new TopScoreDocCollectorManager(window, null, Integer.MAX_VALUE).newCollector();
                    collectors.put(owner, top);
                }
                collector = top.getLeafCollector(leaf);
                collector.setScorer(current);
                perOwner.put(owner, collector);
            }
            collector.collect(doc);
        };
    }

    @Override
    ObjectNode result(long owner, boolean typedKeys) {
        ObjectNode out = object();
        ObjectNode hits = out.putObject("hits");
        long total = docCounts.get(owner);
        hits.putObject("total").put("value", total).put("relation", "eq");
        TopDocs top = owner < 0 ? null : built.computeIfAbsent(owner, o -> collectors.containsKey(o) ? collectors.get(o).topDocs() : null);
        ScoreDoc[] docs = top == null ? new ScoreDoc[0] : top.scoreDocs;
        boolean scored = sort.isEmpty() || trackScores;
        if (!scored) {
            hits.putNull("max_score");
        } else if (sort.isEmpty()) {
            if (docs.length > 0) {
                hits.put("max_score", docs[0].score);
            } else {
                hits.putNull("max_score");
            }
        } else {
            double max = owner < maxScores.length ? maxScores[(int) owner] : Double.NaN;
            if (Double.isNaN(max)) {
                hits.putNull("max_score");
            } else {
                hits.put("max_score", (float) max);
            }
        }
        ArrayNode array = hits.putArray("hits");
        List<LeafReaderContext> leaves = context.searcher().getIndexReader().leaves();
        try {
            if (trackScores && sort.isPresent() && docs.length > from && Float.isNaN(docs[from].score)) {
                org.apache.lucene.search.TopFieldCollector.populateScores(docs, context.searcher(), context.query());
            }
            for (int i = from; i < docs.length; i++) {
                ScoreDoc sd = docs[i];
                LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sd.doc, leaves));
                int inLeaf = sd.doc - leaf.docBase;
                StoredDocument doc = StoredDocument.read(leaf.reader(), inLeaf);
                ObjectNode hit = array.addObject();
                hit.put("_index", context.indexNames().apply(leaf.reader()));
                hit.put("_id", doc.id());
                content.write(hit, doc, scored ? sd.score : Float.NaN, context.mapping(), leaf, inLeaf);
                if (sd instanceof FieldDoc fd && sort.isPresent()) {
                    hit.set("sort", Sorts.values(fd));
                }
            }
        } catch (IOException e) {
            throw new SearchException(io.tributary.common.ErrorCode.STORAGE_FAILURE, "search_phase_execution_exception", 500,
                    "reading the top hits of [" + name + "] failed: " + e.getMessage(), e);
        }
        return withMeta(out);
    }
}
