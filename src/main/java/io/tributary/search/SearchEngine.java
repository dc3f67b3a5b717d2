package io.tributary.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A search engine with OpenSearch's data model: indexes with mappings and settings, aliases,
 * index templates, documents, and the Query DSL with aggregations. The embedded implementation is
 * Lucene ({@code io.tributary.search.lucene}); an OpenSearch cluster can implement the same
 * contract with the opensearch-java client, passing requests through, which is why requests and
 * responses that OpenSearch defines as JSON stay JSON here.
 *
 * <p><b>Expressions.</b> Where a method takes an {@code expression}, it is what OpenSearch accepts
 * in a URL: an index or alias name, a wildcard pattern ({@code retail*}), a comma-separated list,
 * or {@code _all}/{@code *}. A name that matches nothing fails with
 * {@code index_not_found_exception} (404); a pattern that matches nothing resolves to no index.
 *
 * <p><b>Durability and visibility.</b> {@link #bulk} and the index-management methods are durable
 * when they return. Writes become searchable at the next refresh ({@code index.refresh_interval},
 * 1 s by default), or before {@code bulk} returns with {@link Refresh#IMMEDIATE}.
 * {@link #indexDocuments} (the stream sinks' path) is durable only after {@link #commit}, which
 * also stores the caller's checkpoint atomically with the documents.
 *
 * <p><b>Errors.</b> {@link SearchException}s carrying OpenSearch's error type and status; per
 * document failures of a bulk request are results, not exceptions.
 *
 * <p>Implementations are thread-safe.
 */
public interface SearchEngine extends Closeable {
    /** Concrete index names an expression resolves to, sorted. */
    List<String> resolve(String expression);

    /** Whether the name is an existing index or alias. */
    boolean exists(String name);

    /** The index a write to this name goes to: the index itself, or an alias's write index; empty when neither exists. */
    Optional<String> writeIndex(String name);

    /**
     * Creates an index with optional {@code settings}, {@code mappings} and {@code aliases}, after
     * applying the highest-priority matching index template.
     *
     * @throws SearchException {@code resource_already_exists_exception} if an index or alias has the name
     */
    ObjectNode createIndex(String name, JsonNode body);

    /** Deletes the indexes an expression names, with their documents. */
    ObjectNode deleteIndex(String expression);

    ObjectNode getIndex(String expression);

    ObjectNode getMapping(String expression);

    /** Adds fields to the mappings of the named indexes; changing a field's type is refused. */
    ObjectNode putMapping(String expression, JsonNode body);

    ObjectNode getSettings(String expression);

    ObjectNode putSettings(String expression, JsonNode body);

    /**
     * Executes bulk items in order, creating missing indexes on first write. Items that fail (bad
     * line, mapping conflict, version conflict) are reported in their result; the others are
     * applied. Durable when this returns.
     */
    List<BulkResult> bulk(List<BulkItem> items, Refresh refresh);

    /** A document by id (realtime: a document written but not refreshed is found). */
    default Optional<ObjectNode> getDocument(String index, String id) {
        return getDocument(index, id, Optional.empty());
    }

    /**
     * A document by id with its {@code _source} filtered as a search's {@code _source} says
     * ({@code false}, a pattern list, or {@code {"includes": [...], "excludes": [...]}}).
     */
    Optional<ObjectNode> getDocument(String index, String id, Optional<JsonNode> source);

    /** A source as a search's {@code _source} filter leaves it; empty when the filter is {@code false}. */
    Optional<ObjectNode> filterSource(ObjectNode source, JsonNode filter);

    /**
     * Searches the indexes an expression names. With {@link SearchOptions#scroll} the answer
     * carries a {@code _scroll_id} for {@link #scroll}; a body with {@code pit} searches that
     * point in time instead of the expression.
     */
    ObjectNode search(String expression, JsonNode body, SearchOptions options);

    /**
     * The next page of a scroll opened by the same owner, renewing its keep-alive when given.
     *
     * @throws SearchException {@code search_context_missing_exception} (404) when it was cleared, expired or is another's
     */
    ObjectNode scroll(String scrollId, Optional<java.time.Duration> keepAlive, SearchOptions options);

    /** Clears the owner's scrolls ({@code _all} for all of them); {@code num_freed} counts those that were open. */
    ObjectNode clearScroll(List<String> scrollIds, String owner);

    /** Opens a point in time on the indexes an expression names, kept while searches name it within the keep-alive. */
    ObjectNode createPit(String expression, java.time.Duration keepAlive, String owner);

    /** Deletes the owner's points in time ({@code _all} for all of them). */
    ObjectNode deletePits(List<String> pitIds, String owner);

    /** The owner's open points in time. */
    ObjectNode listPits(String owner);

    ObjectNode count(String expression, JsonNode body);

    ObjectNode refresh(String expression);

    ObjectNode fieldCaps(String expression, List<String> fields);

    List<IndexInfo> indices(String expression);

    ObjectNode health(String expression);

    /** {@code POST _aliases}: add and remove actions, applied in order. */
    ObjectNode updateAliases(JsonNode body);

    /** Aliases of the indexes an expression names, filtered by an alias pattern ({@code *} for all). */
    ObjectNode getAliases(String expression, String aliasPattern);

    /**
     * {@code _resolve/index}: the indexes and aliases whose own names an expression matches (names, patterns,
     * {@code -exclusions}); an alias is listed as an alias, not as its indexes, and a name that is neither
     * matches nothing. Without {@code expandWildcards}, patterns match nothing.
     */
    ObjectNode resolveIndex(String expression, boolean expandWildcards);

    ObjectNode putTemplate(String name, JsonNode body);

    ObjectNode getTemplates(String namePattern);

    ObjectNode deleteTemplate(String name);

    /**
     * Writes documents to one index (created with templates if missing) without version lookups
     * and without committing: a document with an existing id replaces it. Per-document failures
     * are results.
     */
    List<BulkResult> indexDocuments(String index, List<SinkDocument> documents);

    /**
     * Records checkpoint entries to be stored by the index's next commit, whoever triggers it (a
     * sink notes how far its writes may reach before it writes, so any commit that makes those
     * writes durable also records that they may exist).
     */
    void stageCheckpoint(String index, Map<String, String> checkpoint);

    /** Commits an index durably, storing {@code checkpoint} entries with its documents. */
    void commit(String index, Map<String, String> checkpoint);

    /** Checkpoint entries (keys starting with {@code prefix}) of an index's last commit. */
    Map<String, String> checkpoint(String index, String prefix);
}
