package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.search.SearchException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Sort;

/**
 * A search request planned against the indexes it reads, as OpenSearch plans it per shard: the
 * query, post filter and alias filters are built from each index's own mapping; an index whose
 * mapping cannot run the request (a {@code text} field sorted or aggregated, a value its field
 * type cannot hold) fails alone and is reported under {@code _shards.failures} while the others
 * answer. When every index fails, the first failure is the request's error. Aggregations and sort
 * then run over the answering indexes with the union of their mappings.
 *
 * <p>Not thread-safe: one per request (or per scroll, whose pages run one at a time).
 */
final class SearchPlan {
    /** An index that could not run the request, and why. */
    record ShardFailure(String index, SearchException error) {}

    final List<SearchTarget> targets;
    final List<IndexSearcher> searchers;
    final List<ShardFailure> failures;
    final int totalShards;
    final IndexReader reader;
    final IndexSearcher searcher;
    final IndexMapping mapping;
    final Query query;
    final Query hitsQuery;
    final Optional<Sort> sort;
    final List<Aggregator> aggs;
    /** Queries named with {@code _name}, by name. */
    final Map<String, Query> named;

    private SearchPlan(List<SearchTarget> targets, List<IndexSearcher> searchers, List<ShardFailure> failures, int totalShards,
            IndexReader reader, IndexSearcher searcher, IndexMapping mapping, Query query, Query hitsQuery, Optional<Sort> sort,
            List<Aggregator> aggs, Map<String, Query> named) {
        this.targets = targets;
        this.searchers = searchers;
        this.failures = failures;
        this.totalShards = totalShards;
        this.reader = reader;
        this.searcher = searcher;
        this.mapping = mapping;
        this.query = query;
        this.hitsQuery = hitsQuery;
        this.sort = sort;
        this.aggs = aggs;
        this.named = named;
    }

    static SearchPlan create(Snapshot snapshot, JsonNode request, long nowMillis) throws java.io.IOException {
        List<SearchTarget> all = snapshot.targets();
        JsonNode queryNode = request.get("query");
        JsonNode postFilterNode = request.get("post_filter");
        JsonNode sortNode = request.get("sort");
        JsonNode aggsNode = request.has("aggs") ? request.get("aggs") : request.get("aggregations");
        boolean several = all.size() > 1;
        List<SearchTarget> targets = new ArrayList<>();
        List<IndexSearcher> searchers = new ArrayList<>();
        List<Query> queries = new ArrayList<>();
        List<Query> postFilters = new ArrayList<>();
        List<Map<String, Query>> named = new ArrayList<>();
        List<ShardFailure> failures = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            SearchTarget t = all.get(i);
            IndexSearcher s = snapshot.searchers().get(i);
            try {
                QueryDsl dsl = QueryDsl.forIndex(t.index(), nowMillis);
                Query q = filtered(dsl.parse(queryNode), t, dsl);
                Query pf = postFilterNode == null ? null : dsl.parse(postFilterNode);
                HitFields.parse(request).check(t.index().mapping());
                if (several) {
                    // Checked per index so that one index's mapping fails only that index, as one shard fails in OpenSearch.
                    Sorts.parse(sortNode, t.index().mapping());
                    Aggregator.parseAll(aggsNode, new Aggregator.Context(t.index().mapping(), s, dsl::parse, nowMillis, leaf -> t.index().name(), q), 0);
                }
                targets.add(t);
                searchers.add(s);
                queries.add(q);
                postFilters.add(pf);
                named.add(dsl.namedQueries());
            } catch (SearchException e) {
                if (!several || e.status() >= 500) {
                    throw e;
                }
                failures.add(new ShardFailure(t.index().name(), e));
            }
        }
        if (several && targets.isEmpty()) {
            throw failures.get(0).error();
        }
        List<IndexReader> readers = searchers.stream().map(IndexSearcher::getIndexReader).toList();
        IndexReader reader = readers.size() == 1 ? readers.get(0) : new MultiReader(readers.toArray(IndexReader[]::new), false);
        IndexSearcher searcher = new IndexSearcher(reader);
        IndexMapping mapping = targets.isEmpty() ? IndexMapping.empty() : IndexMapping.union(targets.stream().map(t -> t.index().mapping()).toList());
        Query query = queries.isEmpty() ? new org.apache.lucene.search.MatchNoDocsQuery() : PerIndexQuery.of(readers, queries);
        Query hitsQuery = query;
        if (postFilterNode != null && !targets.isEmpty()) {
            hitsQuery = new BooleanQuery.Builder().add(query, Occur.MUST).add(PerIndexQuery.of(readers, postFilters), Occur.FILTER).build();
        }
        // Filter aggregations run their query per index too.
        Function<JsonNode, Query> perIndex = node -> {
            List<Query> qs = new ArrayList<>();
            for (SearchTarget t : targets) {
                qs.add(QueryDsl.forIndex(t.index(), nowMillis).parse(node));
            }
            return qs.isEmpty() ? new org.apache.lucene.search.MatchNoDocsQuery() : PerIndexQuery.of(readers, qs);
        };
        // _name: each named query over the indexes that have it, for the hits' matched_queries.
        Map<String, Query> namedQueries = new LinkedHashMap<>();
        named.forEach(m -> m.keySet().forEach(n -> namedQueries.putIfAbsent(n, null)));
        for (String name : namedQueries.keySet()) {
            List<Query> perIndexNamed = new ArrayList<>();
            named.forEach(m -> perIndexNamed.add(m.getOrDefault(name, new org.apache.lucene.search.MatchNoDocsQuery())));
            namedQueries.put(name, PerIndexQuery.of(readers, perIndexNamed));
        }
        java.util.Map<org.apache.lucene.index.LeafReader, String> segmentIndex = new java.util.IdentityHashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            for (org.apache.lucene.index.LeafReaderContext leaf : readers.get(i).leaves()) {
                segmentIndex.put(leaf.reader(), targets.get(i).index().name());
            }
        }
        List<Aggregator> aggs = Aggregator.parseAll(aggsNode, new Aggregator.Context(mapping, searcher, perIndex, nowMillis,
                leaf -> segmentIndex.getOrDefault(leaf, ""), query), 0);
        Optional<Sort> sort = Sorts.parse(sortNode, mapping);
        return new SearchPlan(List.copyOf(targets), List.copyOf(searchers), List.copyOf(failures), all.size(), reader, searcher, mapping,
                query, hitsQuery, sort, aggs, namedQueries);
    }

    /** The query restricted to the documents the target's alias filters let through (any of them). */
    static Query filtered(Query query, SearchTarget target, QueryDsl dsl) {
        if (target.filters().isEmpty()) {
            return query;
        }
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        for (JsonNode filter : target.filters()) {
            any.add(dsl.parse(filter), Occur.SHOULD);
        }
        return new BooleanQuery.Builder().add(query, Occur.MUST).add(any.build(), Occur.FILTER).build();
    }

    /** The name of the index a document (by its id in {@link #reader}) belongs to. */
    String indexOf(int doc) {
        int base = 0;
        for (int i = 0; i < searchers.size(); i++) {
            int max = searchers.get(i).getIndexReader().maxDoc();
            if (doc < base + max) {
                return targets.get(i).index().name();
            }
            base += max;
        }
        return targets.get(targets.size() - 1).index().name();
    }
}
