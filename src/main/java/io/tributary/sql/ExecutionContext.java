package io.tributary.sql;

import static java.util.Objects.requireNonNull;

import io.tributary.auth.Principal;
import io.tributary.lake.Location;
import java.time.Duration;

/**
 * What a statement runs with: its query id, current database, who runs it, its time limit and
 * where results and CTAS tables without a location go.
 */
public record ExecutionContext(String queryId, String database, Principal principal, Duration timeout, Location resultsLocation) {
    public ExecutionContext {
        requireNonNull(queryId, "queryId is null");
        requireNonNull(database, "database is null");
        requireNonNull(principal, "principal is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(resultsLocation, "resultsLocation is null");
    }
}
