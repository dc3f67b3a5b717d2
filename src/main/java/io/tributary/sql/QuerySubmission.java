package io.tributary.sql;

import static java.util.Objects.requireNonNull;

import io.tributary.auth.Principal;
import io.tributary.lake.Location;
import java.util.Optional;

/**
 * A query to run: its text, the database unqualified names resolve in, who runs it, and optionally
 * where its results go (Athena's ResultConfiguration.OutputLocation).
 */
public record QuerySubmission(String query, String database, Principal principal, Optional<Location> outputLocation) {
    public QuerySubmission {
        requireNonNull(query, "query is null");
        requireNonNull(database, "database is null");
        requireNonNull(principal, "principal is null");
        requireNonNull(outputLocation, "outputLocation is null");
        if (query.length() > 262_144) {
            throw io.tributary.common.TributaryException.invalidArgument("the query is longer than 262144 characters, Athena's limit");
        }
    }

    public static QuerySubmission of(String query, String database, Principal principal) {
        return new QuerySubmission(query, database, principal, Optional.empty());
    }
}
