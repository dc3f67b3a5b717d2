package io.tributary.sql;

import io.trino.sql.tree.Query;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs queries in Athena's dialect (Trino's SQL) over the catalog's tables. The embedded
 * implementation translates to DuckDB ({@code io.tributary.sql.duckdb.DuckDbEngine}); a Trino
 * implementation would send the same query to a Trino cluster whose Hive connector shares the
 * catalog.
 *
 * <p>Every table or view a query reads is passed to {@link EngineRequest#readCheck} before any of
 * its data is read, so authorization cannot be bypassed through an engine. Errors are
 * {@link io.tributary.common.TributaryException}s: {@code INVALID_ARGUMENT} or {@code UNSUPPORTED}
 * naming the construct, {@code NOT_FOUND} for unknown tables, {@code CANCELLED} when
 * {@link #cancel} stopped the query, {@code TIMEOUT} past the request's time limit,
 * {@code LIMIT_EXCEEDED} when memory runs out.
 *
 * <p>Implementations are thread-safe and run queries concurrently.
 */
public interface QueryEngine extends Closeable {
    /** Runs a query, giving its columns and then its rows to {@code sink}. */
    QueryStats query(EngineRequest request, Query query, ResultSink sink);

    /**
     * Runs a query and writes its rows as files under {@code spec.directory()} (a local staging
     * directory the caller then puts into the lake): CTAS, INSERT INTO and UNLOAD.
     */
    WriteResult write(EngineRequest request, Query query, WriteSpec spec);

    /** Stops a running query; does nothing if it is not running. */
    void cancel(String queryId);

    /** Receives a query's result. Values are rendered as Athena renders them; {@code null} is SQL NULL. */
    interface ResultSink {
        void columns(List<ResultColumn> columns);

        void row(String[] values);
    }

    /** How a write stores its rows. */
    enum OutputFormat {
        PARQUET, JSON, TEXTFILE
    }

    /**
     * @param compression {@code SNAPPY}, {@code GZIP}, {@code ZSTD} or {@code NONE}
     * @param fieldDelimiter for TEXTFILE
     * @param partitionBy trailing result columns that become {@code key=value/} folders
     * @param filePrefix file names start with it (Athena names files by query id)
     * @param columnNames names for the result columns (an INSERT writes the table's names); empty to keep the query's
     */
    record WriteSpec(Path directory, OutputFormat format, String compression, String fieldDelimiter, List<String> partitionBy, String filePrefix,
            List<String> columnNames) {
        public WriteSpec {
            java.util.Objects.requireNonNull(directory, "directory is null");
            java.util.Objects.requireNonNull(format, "format is null");
            java.util.Objects.requireNonNull(compression, "compression is null");
            java.util.Objects.requireNonNull(fieldDelimiter, "fieldDelimiter is null");
            partitionBy = List.copyOf(partitionBy);
            java.util.Objects.requireNonNull(filePrefix, "filePrefix is null");
            columnNames = List.copyOf(columnNames);
        }
    }

    /**
     * @param columns the written columns with their Hive types (for the catalog)
     * @param files the files written, relative to the staging directory
     */
    record WriteResult(QueryStats stats, List<io.tributary.sql.catalog.Column> columns, long rows, List<Path> files) {
        public WriteResult {
            columns = List.copyOf(columns);
            files = List.copyOf(files);
        }
    }
}
