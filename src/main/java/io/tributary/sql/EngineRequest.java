package io.tributary.sql;

import static java.util.Objects.requireNonNull;

import io.tributary.sql.catalog.TableName;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One query for a {@link QueryEngine}.
 *
 * @param database the current database, for unqualified table names
 * @param readCheck called with every table and view the query reads, before reading; throws to refuse
 * @param timeout the query's time limit
 */
public record EngineRequest(String queryId, String database, Consumer<TableName> readCheck, Duration timeout) {
    public EngineRequest {
        requireNonNull(queryId, "queryId is null");
        requireNonNull(database, "database is null");
        requireNonNull(readCheck, "readCheck is null");
        requireNonNull(timeout, "timeout is null");
    }
}
