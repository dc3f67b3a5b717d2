package io.tributary.search;

/**
 * How a search answers, from the request's URL parameters.
 *
 * @param typedKeys {@code typed_keys}: aggregation names prefixed with their type ({@code sum#total}), which opensearch-java asks for
 * @param totalAsInt {@code rest_total_hits_as_int}: {@code hits.total} as a bare number, for older clients
 */
public record SearchOptions(boolean typedKeys, boolean totalAsInt) {
    public static final SearchOptions DEFAULT = new SearchOptions(false, false);
}
