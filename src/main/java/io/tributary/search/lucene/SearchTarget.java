package io.tributary.search.lucene;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One index a search reads, with the filters of the aliases it was reached through: a document
 * is searched when it matches any of them. Empty when the index was named directly, through an
 * alias without a filter, or by {@code _all}, as OpenSearch applies alias filters only when every
 * way the request reached the index is a filtered alias.
 */
record SearchTarget(LuceneIndex index, List<JsonNode> filters) {
    SearchTarget {
        requireNonNull(index, "index is null");
        filters = List.copyOf(filters);
    }

    static SearchTarget unfiltered(LuceneIndex index) {
        return new SearchTarget(index, List.of());
    }
}
