package io.tributary.sql;

import static java.util.Objects.requireNonNull;

import io.tributary.sql.catalog.TableName;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One query for a {@link QueryEngine}.
 *
 * @param database the current database, for unqualified table names
 * @param readCheck called with every table and view the query reads, before reading; throws to refuse
 * @param timeout the query's time limit
 * @param cancelled whether the query was cancelled before the engine started it (a cancel that
 *     comes while tables are still being resolved must not be lost)
 */
public record EngineRequest(String queryId, String database, Consumer<TableName> readCheck, Duration timeout, BooleanSupplier cancelled) {
    public EngineRequest {
        requireNonNull(queryId, "queryId is null");
        requireNonNull(database, "database is null");
        requireNonNull(readCheck, "readCheck is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(cancelled, "cancelled is null");
    }

    public EngineRequest(String queryId, String database, Consumer<TableName> readCheck, Duration timeout) {
        this(queryId, database, readCheck, timeout, () -> false);
    }
}
