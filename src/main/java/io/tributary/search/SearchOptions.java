package io.tributary.search;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * How a search answers, from the request's URL parameters.
 *
 * @param typedKeys {@code typed_keys}: aggregation names prefixed with their type ({@code sum#total}), which opensearch-java asks for
 * @param totalAsInt {@code rest_total_hits_as_int}: {@code hits.total} as a bare number, for older clients
 * @param scroll {@code scroll}: keep the search open this long for its next pages ({@code _scroll_id})
 * @param owner who searches: a scroll or point in time can be continued only by whoever opened it
 */
public record SearchOptions(boolean typedKeys, boolean totalAsInt, Optional<Duration> scroll, String owner) {
    public static final SearchOptions DEFAULT = new SearchOptions(false, false);

    public SearchOptions {
        requireNonNull(scroll, "scroll is null");
        requireNonNull(owner, "owner is null");
    }

    public SearchOptions(boolean typedKeys, boolean totalAsInt) {
        this(typedKeys, totalAsInt, Optional.empty(), "");
    }

    public SearchOptions withOwner(String newOwner) {
        return new SearchOptions(typedKeys, totalAsInt, scroll, newOwner);
    }
}
