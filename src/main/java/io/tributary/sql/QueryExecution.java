package io.tributary.sql;

import static java.util.Objects.requireNonNull;

import io.tributary.lake.Location;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One query as Athena reports it: id, text, context, state with the reason for a failure, timing,
 * data scanned and where its results are.
 *
 * @param database the database the query ran in (a {@code USE} statement's new database)
 * @param errorCode the product error code of a failure ({@code INVALID_ARGUMENT}, {@code NOT_FOUND}, ...)
 * @param engineMillis time spent running, excluding the queue
 * @param queueMillis time spent waiting for a slot
 * @param output the CSV holding the result rows, once there is one
 */
public record QueryExecution(String id, String query, String database, String principal, String statementType, String substatementType,
        QueryState state, Optional<String> stateReason, Optional<String> errorCode, Instant submitted, Optional<Instant> completed,
        long engineMillis, long queueMillis, long bytesScanned, long rows, Optional<Location> output, List<ResultColumn> columns) {
    public QueryExecution {
        requireNonNull(id, "id is null");
        requireNonNull(query, "query is null");
        requireNonNull(database, "database is null");
        requireNonNull(principal, "principal is null");
        requireNonNull(statementType, "statementType is null");
        requireNonNull(substatementType, "substatementType is null");
        requireNonNull(state, "state is null");
        requireNonNull(stateReason, "stateReason is null");
        requireNonNull(errorCode, "errorCode is null");
        requireNonNull(submitted, "submitted is null");
        requireNonNull(completed, "completed is null");
        requireNonNull(output, "output is null");
        columns = List.copyOf(columns);
    }

    QueryExecution withState(QueryState newState) {
        return new QueryExecution(id, query, database, principal, statementType, substatementType, newState, stateReason, errorCode, submitted,
                completed, engineMillis, queueMillis, bytesScanned, rows, output, columns);
    }
}
