package io.tributary.sql;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.auth.Authorizer;
import io.tributary.auth.Principal;
import io.tributary.lake.BucketSpec;
import io.tributary.lake.Location;
import io.tributary.lake.local.LocalObjectStore;
import io.tributary.metadata.JdbcMetadataStore;
import io.tributary.sql.catalog.Catalog;
import io.tributary.sql.duckdb.DuckDbEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The SQL capability without the server: SQLite catalog, local lake, DuckDB engine and the query
 * service, for tests that run statements directly. The short helpers run in the database {@code
 * default}, where most tests work, and fail with the statement and the state reason so that a
 * failing test says which statement went wrong and why.
 */
public final class SqlStack implements AutoCloseable {
    /** The database the helpers that take none run in. */
    public static final String DEFAULT_DATABASE = "default";

    public final JdbcMetadataStore metadata;
    public final LocalObjectStore lake;
    public final Catalog catalog;
    public final DuckDbEngine engine;
    public final SqlService service;

    public SqlStack(Path dir, String... buckets) {
        this(dir, 2, 20, Duration.ofMinutes(5), buckets);
    }

    public SqlStack(Path dir, int maxConcurrent, int maxQueued, Duration timeout, String... buckets) {
        metadata = JdbcMetadataStore.sqlite(dir.resolve("metadata.db"));
        lake = new LocalObjectStore(dir.resolve("lake"), Clock.systemUTC());
        for (String b : buckets) {
            lake.createBucket(BucketSpec.mutable(b));
        }
        lake.createBucket(BucketSpec.mutable("query-results"));
        catalog = new Catalog(metadata, Clock.systemUTC());
        engine = new DuckDbEngine(lake, catalog, new DuckDbEngine.Config(dir.resolve("sql"), dir.resolve("sql").resolve("staging"), "1GB", 2,
                1L << 30));
        service = new SqlService(catalog, engine, lake, new Authorizer(), Clock.systemUTC(),
                new SqlConfig(Location.parse("s3://query-results/athena-results/"), maxConcurrent, maxQueued, timeout, dir.resolve("sql")));
    }

    /** Runs a statement to its end as the anonymous operator. */
    public QueryExecution run(String sql, String database) {
        return service.run(QuerySubmission.of(sql, database, Principal.anonymous()));
    }

    /** Runs a statement that must succeed and returns every result row. */
    public List<String[]> rows(String sql, String database) {
        QueryExecution e = run(sql, database);
        if (e.state() != QueryState.SUCCEEDED) {
            throw new AssertionError("query failed: " + e.stateReason().orElse("?") + "\n" + sql);
        }
        List<String[]> rows = new ArrayList<>();
        Optional<String> token = Optional.of("0");
        while (token.isPresent()) {
            ResultPage page = service.results(e.id(), Principal.anonymous(), Long.parseLong(token.get()), SqlService.MAX_PAGE);
            rows.addAll(page.rows());
            token = page.nextToken();
        }
        return rows;
    }

    /** Writes text, as UTF-8, at an {@code s3://} location of the lake. */
    public void put(String location, String content) {
        put(location, requireNonNull(content, "content").getBytes(StandardCharsets.UTF_8));
    }

    /** Writes bytes at an {@code s3://} location of the lake. */
    public void put(String location, byte[] content) {
        lake.put(Location.parse(requireNonNull(location, "location")), requireNonNull(content, "content"));
    }

    /** Runs a statement that must succeed in a database. */
    public void ok(String sql, String database) {
        QueryExecution e = run(sql, database);
        assertThat(e.state()).as("%s: %s", sql, e.stateReason()).isEqualTo(QueryState.SUCCEEDED);
    }

    /** Runs a statement that must succeed. */
    public void ok(String sql) {
        ok(sql, DEFAULT_DATABASE);
    }

    /** Runs a statement that must fail and returns its execution. */
    public QueryExecution failed(String sql) {
        QueryExecution e = run(sql, DEFAULT_DATABASE);
        assertThat(e.state()).as(sql).isEqualTo(QueryState.FAILED);
        return e;
    }

    /** Runs a statement that must fail and returns why it failed. */
    public String failure(String sql) {
        return failed(sql).stateReason().orElseThrow();
    }

    /** Runs a query that must succeed and returns its rows as lists, which compare by value (arrays do not). */
    public List<List<String>> table(String sql) {
        return rows(sql, DEFAULT_DATABASE).stream().map(Arrays::asList).toList();
    }

    /** Runs a query that must succeed and returns its first row. */
    public List<String> row(String sql) {
        return Arrays.asList(rows(sql, DEFAULT_DATABASE).get(0));
    }

    /** Runs a query that must succeed and returns its first column. */
    public List<String> column(String sql) {
        return rows(sql, DEFAULT_DATABASE).stream().map(r -> r[0]).toList();
    }

    @Override
    public void close() {
        service.close();
        engine.close();
        metadata.close();
    }
}
