package io.tributary.sql;

import static java.util.Objects.requireNonNull;

import io.tributary.auth.Principal;
import io.tributary.lake.Location;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * What a statement runs with: its query id, current database, who runs it, its time limit and
 * where results and CTAS tables without a location go, and whether it has been cancelled.
 */
public record ExecutionContext(String queryId, String database, Principal principal, Duration timeout, Location resultsLocation,
        BooleanSupplier cancelled) {
    public ExecutionContext {
        requireNonNull(queryId, "queryId is null");
        requireNonNull(database, "database is null");
        requireNonNull(principal, "principal is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(resultsLocation, "resultsLocation is null");
        requireNonNull(cancelled, "cancelled is null");
    }

    public ExecutionContext(String queryId, String database, Principal principal, Duration timeout, Location resultsLocation) {
        this(queryId, database, principal, timeout, resultsLocation, () -> false);
    }
}
