package io.tributary.sql;

import static java.util.Objects.requireNonNull;

import io.trino.sql.tree.Query;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

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

    /**
     * The plan the engine would run the query with, as text lines, without running it (EXPLAIN).
     * Tables are resolved and checked as for {@link #query}.
     */
    List<String> explain(EngineRequest request, Query query);

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
     * @param text how TEXTFILE rows are laid out
     * @param partitionBy trailing result columns that become {@code key=value/} folders
     * @param filePrefix file names start with it (Athena names files by query id)
     * @param insert for an INSERT, the table's columns the rows must fit; empty to keep the query's names and types
     */
    record WriteSpec(Path directory, OutputFormat format, String compression, TextLayout text, List<String> partitionBy, String filePrefix,
            Optional<InsertTarget> insert) {
        public WriteSpec {
            requireNonNull(directory, "directory is null");
            requireNonNull(format, "format is null");
            requireNonNull(compression, "compression is null");
            requireNonNull(text, "text is null");
            partitionBy = List.copyOf(partitionBy);
            requireNonNull(filePrefix, "filePrefix is null");
            requireNonNull(insert, "insert is null");
        }
    }

    /**
     * How a TEXTFILE write lays out a row, so the table's SerDe reads it back: Hive's LazySimpleSerDe
     * (delimited, NULL as {@code nullFormat}, nothing quoted, arrays and maps with the collection
     * and map-key delimiters) or, with a quote, OpenCSVSerde (every field quoted, quote and escape
     * characters escaped).
     *
     * @param headerLines lines of column names before the rows (0 or 1), for {@code skip.header.line.count}
     */
    record TextLayout(String fieldDelimiter, String nullFormat, Optional<String> quote, Optional<String> escape, int headerLines,
            String collectionDelimiter, String mapKeyDelimiter) {
        public TextLayout {
            requireNonNull(fieldDelimiter, "fieldDelimiter is null");
            requireNonNull(nullFormat, "nullFormat is null");
            requireNonNull(quote, "quote is null");
            requireNonNull(escape, "escape is null");
            requireNonNull(collectionDelimiter, "collectionDelimiter is null");
            requireNonNull(mapKeyDelimiter, "mapKeyDelimiter is null");
            if (headerLines < 0 || headerLines > 1) {
                throw new IllegalArgumentException("headerLines must be 0 or 1");
            }
        }

        /** Hive's default text layout with the given field delimiter. */
        public static TextLayout delimited(String fieldDelimiter) {
            return new TextLayout(fieldDelimiter, "\\N", Optional.empty(), Optional.empty(), 0, "\u0002", "\u0003");
        }
    }

    /**
     * An INSERT's target: the table's columns in order (data columns, then partition keys), and for
     * each the index of the query column that fills it, or empty for NULL (a column the INSERT's
     * column list leaves out).
     *
     * @param fileNames the name each column has in the files (a JSON table's {@code mapping.*} key)
     */
    record InsertTarget(String table, List<io.tributary.sql.catalog.Column> columns, List<OptionalInt> sources, List<String> fileNames) {
        public InsertTarget {
            requireNonNull(table, "table is null");
            columns = List.copyOf(columns);
            sources = List.copyOf(sources);
            fileNames = List.copyOf(fileNames);
            if (sources.size() != columns.size() || fileNames.size() != columns.size()) {
                throw new IllegalArgumentException("one source and one file name per column");
            }
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
