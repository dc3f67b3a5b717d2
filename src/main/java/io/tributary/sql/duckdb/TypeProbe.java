package io.tributary.sql.duckdb;

import java.util.List;
import java.util.Optional;

/**
 * The DuckDB types of a query's columns, for the few translations that depend on a type DuckDB
 * cannot dispatch on when it binds (UNNEST of a map, of an array of rows, or of anything else).
 * The query is Tributary's own translation.
 */
@FunctionalInterface
interface TypeProbe {
    /** A probe that knows nothing; translations fall back to their default. */
    TypeProbe NONE = sql -> Optional.empty();

    /** The column types of {@code sql}, as DuckDB names them, or empty when DuckDB cannot bind it on its own. */
    Optional<List<String>> columnTypes(String sql);
}
