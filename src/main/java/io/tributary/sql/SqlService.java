package io.tributary.sql;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.auth.Authorizer;
import io.tributary.auth.Permission;
import io.tributary.auth.Principal;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.lake.BucketSpec;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectStore;
import io.tributary.sql.catalog.Catalog;
import io.tributary.sql.parser.SqlStatement;
import io.tributary.sql.parser.StatementParser;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Query execution as Athena runs it: a submitted query gets an id at once and runs asynchronously
 * (QUEUED, RUNNING, then SUCCEEDED, FAILED or CANCELLED), at most {@code maxConcurrent} at a time
 * with up to {@code maxQueued} waiting; its result rows go to the results location as CSV with a
 * metadata file and are read back in pages; it can be cancelled; every query is kept in the history.
 * A statement that cannot be parsed still gets an id and FAILS, as in Athena.
 *
 * <p>Thread-safe.
 */
public final class SqlService implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(SqlService.class);
    public static final int MAX_PAGE = 1000;

    private final Catalog catalog;
    private final QueryEngine engine;
    private final ObjectStore lake;
    private final Authorizer authorizer;
    private final Clock clock;
    private final SqlConfig config;
    private final StatementRunner runner;
    private final ThreadPoolExecutor executor;
    private final Map<String, QueryExecution> active = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<QueryExecution>> completions = new ConcurrentHashMap<>();
    private final Path spool;

    public SqlService(Catalog catalog, QueryEngine engine, ObjectStore lake, Authorizer authorizer, Clock clock, SqlConfig config) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.lake = requireNonNull(lake, "lake is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.config = requireNonNull(config, "config is null");
        this.spool = config.workDirectory().resolve("spool");
        this.runner = new StatementRunner(catalog, engine, lake, authorizer, clock, config.workDirectory().resolve("staging"));
        try {
            Files.createDirectories(spool);
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "cannot create " + spool + ": " + e.getMessage(), e);
        }
        this.executor = new ThreadPoolExecutor(config.maxConcurrent(), config.maxConcurrent(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(Math.max(1, config.maxQueued())), Thread.ofPlatform().name("sql-query-", 0).daemon().factory());
        failInterrupted();
    }

    public Catalog catalog() {
        return catalog;
    }

    public StatementRunner runner() {
        return runner;
    }

    public SqlConfig config() {
        return config;
    }

    /** Queries left QUEUED or RUNNING by a previous process cannot finish: mark them FAILED. */
    private void failInterrupted() {
        catalog.store().run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE sql_queries SET state = 'FAILED', state_reason = ?, error_code = 'INTERNAL', "
                    + "completed_at = ? WHERE state IN ('QUEUED', 'RUNNING')")) {
                ps.setString(1, "the server stopped while the query was running; run it again");
                ps.setLong(2, clock.millis());
                ps.executeUpdate();
            }
        });
    }

    /**
     * Submits a query; returns at once with its id (state QUEUED, or FAILED when it cannot be parsed).
     *
     * @throws TributaryException {@code THROTTLED} when the queue is full
     */
    public QueryExecution submit(QuerySubmission submission) {
        String id = UUID.randomUUID().toString();
        Location output = submission.outputLocation().orElse(config.resultsLocation()).asPrefix();
        String database = submission.database().toLowerCase(java.util.Locale.ROOT);
        SqlStatement statement;
        try {
            statement = StatementParser.parse(submission.query());
        } catch (TributaryException e) {
            QueryExecution failed = new QueryExecution(id, submission.query(), database, submission.principal().name(), "UNKNOWN", "UNKNOWN",
                    QueryState.FAILED, Optional.of(e.getMessage()), Optional.of(e.code().name()), clock.instant(), Optional.of(clock.instant()),
                    0, 0, 0, 0, Optional.empty(), List.of());
            insert(failed);
            return failed;
        }
        QueryExecution queued = new QueryExecution(id, submission.query(), database, submission.principal().name(), statement.statementType(),
                statement.substatementType(), QueryState.QUEUED, Optional.empty(), Optional.empty(), clock.instant(), Optional.empty(), 0, 0, 0, 0,
                Optional.empty(), List.of());
        insert(queued);
        active.put(id, queued);
        completions.put(id, new CompletableFuture<>());
        long queuedAt = System.nanoTime();
        try {
            executor.execute(() -> execute(queued, statement, submission.principal(), output, queuedAt));
        } catch (RejectedExecutionException e) {
            active.remove(id);
            completions.remove(id);
            catalog.store().run(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM sql_queries WHERE id = ?")) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
            });
            throw new TributaryException(ErrorCode.THROTTLED, "too many queries are running or queued (sql.max-concurrent-queries "
                    + config.maxConcurrent() + ", sql.max-queued-queries " + config.maxQueued() + "); retry shortly");
        }
        return queued;
    }

    /** Submits and waits for the end: for schedule tasks and declarations, which run statements in order. */
    public QueryExecution run(QuerySubmission submission) {
        QueryExecution e = submit(submission);
        return e.state().done() ? e : await(e.id(), config.queryTimeout().plusMinutes(1));
    }

    /** Waits up to {@code timeout} for a query to end; returns its state then. */
    public QueryExecution await(String id, Duration timeout) {
        CompletableFuture<QueryExecution> done = completions.get(id);
        if (done != null) {
            try {
                return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return find(id).orElseThrow();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TributaryException(ErrorCode.CANCELLED, "interrupted while waiting for query " + id);
            } catch (ExecutionException e) {
                throw new TributaryException(ErrorCode.INTERNAL, "query " + id + " failed: " + e.getCause(), e.getCause());
            }
        }
        return find(id).orElseThrow(() -> notFound(id));
    }

    private void execute(QueryExecution queued, SqlStatement statement, Principal principal, Location output, long queuedAt) {
        String id = queued.id();
        long started = System.nanoTime();
        long queueMillis = (started - queuedAt) / 1_000_000;
        QueryExecution current = active.get(id);
        if (current == null || current.state() != QueryState.QUEUED) {
            complete(id);
            return;
        }
        QueryExecution running = new QueryExecution(id, queued.query(), queued.database(), queued.principal(), queued.statementType(),
                queued.substatementType(), QueryState.RUNNING, Optional.empty(), Optional.empty(), queued.submitted(), Optional.empty(), 0,
                queueMillis, 0, 0, Optional.empty(), List.of());
        // RUNNING lives in memory only (readers see the active map); the history keeps QUEUED until the end,
        // and a query left QUEUED by a stop is failed at the next start, so one write per query is saved.
        active.put(id, running);
        Path csv = spool.resolve(id + ".csv");
        CsvSink sink = new CsvSink(csv);
        QueryExecution finished;
        try {
            StatementRunner.Outcome outcome;
            try {
                outcome = runner.run(new ExecutionContext(id, queued.database(), principal, config.queryTimeout(), output,
                        () -> Optional.ofNullable(active.get(id)).map(a -> a.state() == QueryState.CANCELLED).orElse(false)), statement, sink);
            } finally {
                sink.close();
            }
            long engineMillis = (System.nanoTime() - started) / 1_000_000;
            Optional<Location> resultObject = Optional.empty();
            if (!sink.columns.isEmpty()) {
                Location target = output.child(id + ".csv");
                lake.put(target, csv);
                lake.put(output.child(id + ".csv.metadata"), metadata(sink).getBytes(StandardCharsets.UTF_8));
                resultObject = Optional.of(target);
            }
            // A write reports the rows it wrote; anything else the rows it returned.
            long rows = statement instanceof SqlStatement.Query q && (q.kind() == SqlStatement.Query.Kind.INSERT
                    || q.kind() == SqlStatement.Query.Kind.CREATE_TABLE_AS_SELECT) ? outcome.stats().rows() : sink.rows;
            finished = new QueryExecution(id, queued.query(), outcome.database().orElse(queued.database()), queued.principal(),
                    queued.statementType(), queued.substatementType(), QueryState.SUCCEEDED, Optional.empty(), Optional.empty(), queued.submitted(),
                    Optional.of(clock.instant()), engineMillis, queueMillis, outcome.stats().bytesScanned(), rows, resultObject, sink.columns);
        } catch (RuntimeException e) {
            TributaryException t = e instanceof TributaryException te ? te
                    : new TributaryException(ErrorCode.INTERNAL, "internal error (" + e.getClass().getSimpleName() + "): " + e.getMessage(), e);
            if (t.code().category() == io.tributary.common.ErrorCategory.INTERNAL_ERROR) {
                LOG.error("Query {} failed", id, e);
            } else {
                LOG.debug("Query {} failed: {}", id, t.getMessage());
            }
            boolean cancelled = t.code() == ErrorCode.CANCELLED || Optional.ofNullable(active.get(id)).map(a -> a.state() == QueryState.CANCELLED).orElse(false);
            finished = new QueryExecution(id, queued.query(), queued.database(), queued.principal(), queued.statementType(), queued.substatementType(),
                    cancelled ? QueryState.CANCELLED : QueryState.FAILED, Optional.of(cancelled ? "Query cancelled by user" : t.getMessage()),
                    Optional.of(cancelled ? ErrorCode.CANCELLED.name() : t.code().name()), queued.submitted(), Optional.of(clock.instant()),
                    (System.nanoTime() - started) / 1_000_000, queueMillis, 0, 0, Optional.empty(), List.of());
        } finally {
            try {
                Files.deleteIfExists(csv);
            } catch (IOException e) {
                LOG.debug("Could not delete {}: {}", csv, e.getMessage());
            }
        }
        update(finished);
        active.remove(id);
        CompletableFuture<QueryExecution> done = completions.remove(id);
        if (done != null) {
            done.complete(finished);
        }
    }

    private void complete(String id) {
        active.remove(id);
        CompletableFuture<QueryExecution> done = completions.remove(id);
        if (done != null) {
            done.complete(find(id).orElseThrow());
        }
    }

    /** Stops a query; a finished query is left as it is, as in Athena. */
    public QueryExecution cancel(String id, Principal principal) {
        QueryExecution e = require(id, principal);
        if (e.state().done()) {
            return e;
        }
        QueryExecution cancelled = new QueryExecution(id, e.query(), e.database(), e.principal(), e.statementType(), e.substatementType(),
                QueryState.CANCELLED, Optional.of("Query cancelled by user"), Optional.of(ErrorCode.CANCELLED.name()), e.submitted(),
                Optional.of(clock.instant()), e.engineMillis(), e.queueMillis(), 0, 0, Optional.empty(), List.of());
        active.put(id, cancelled);
        update(cancelled);
        if (e.state() == QueryState.QUEUED) {
            complete(id);
        } else {
            engine.cancel(id);
        }
        return cancelled;
    }

    public Optional<QueryExecution> find(String id) {
        QueryExecution a = active.get(id);
        if (a != null) {
            return Optional.of(a);
        }
        return catalog.store().transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    /** A query the principal may see: their own, or any with READ on {@code query-history}. */
    public QueryExecution require(String id, Principal principal) {
        QueryExecution e = find(id).orElseThrow(() -> notFound(id));
        if (!e.principal().equals(principal.name()) && !authorizer.allows(principal, Permission.of(Permission.Action.READ, "query-history", "*"))) {
            throw notFound(id);
        }
        return e;
    }

    private static TributaryException notFound(String id) {
        return TributaryException.notFound("QueryExecution %s was not found", id);
    }

    /** The newest queries first. */
    public List<QueryExecution> list(Principal principal, int limit) {
        boolean all = authorizer.allows(principal, Permission.of(Permission.Action.READ, "query-history", "*"));
        return catalog.store().transaction(c -> {
            List<QueryExecution> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SELECT + (all ? "" : " WHERE principal = ?") + " ORDER BY submitted_at DESC, id LIMIT ?")) {
                int i = 1;
                if (!all) {
                    ps.setString(i++, principal.name());
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        QueryExecution e = read(rs);
                        out.add(active.getOrDefault(e.id(), e));
                    }
                }
            }
            return out;
        });
    }

    /**
     * A page of a finished query's rows, read back from its result CSV.
     *
     * @param offset rows to skip (a previous page's next token)
     */
    public ResultPage results(String id, Principal principal, long offset, int max) {
        QueryExecution e = require(id, principal);
        if (e.state() != QueryState.SUCCEEDED) {
            throw TributaryException.invalidArgument("Query has not yet finished. Current state: %s", e.state());
        }
        if (e.output().isEmpty()) {
            return new ResultPage(e.columns(), List.of(), Optional.empty());
        }
        int limit = Math.max(1, Math.min(max, MAX_PAGE));
        List<String[]> rows = new ArrayList<>();
        boolean more = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(lake.open(e.output().get()), StandardCharsets.UTF_8))) {
            ResultCsv.readRow(in);
            long skipped = 0;
            Optional<String[]> row;
            while ((row = ResultCsv.readRow(in)).isPresent()) {
                if (skipped < offset) {
                    skipped++;
                    continue;
                }
                if (rows.size() == limit) {
                    more = true;
                    break;
                }
                rows.add(row.get());
            }
        } catch (IOException ex) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "reading the results of query " + id + " from " + e.output().get()
                    + " failed: " + ex.getMessage(), ex);
        }
        return new ResultPage(e.columns(), rows, more ? Optional.of(Long.toString(offset + rows.size())) : Optional.empty());
    }

    /**
     * The whole result of a finished query as the CSV file the engine wrote (a header row, then the
     * rows), for downloads. The caller closes the stream.
     */
    public InputStream openResultCsv(String id, Principal principal) {
        QueryExecution e = require(id, principal);
        if (e.state() != QueryState.SUCCEEDED) {
            throw TributaryException.invalidArgument("Query has not yet finished. Current state: %s", e.state());
        }
        if (e.output().isEmpty()) {
            throw TributaryException.invalidArgument("query %s (%s) has no result file to download", id, e.statementType());
        }
        return lake.open(e.output().get());
    }

    /** Makes sure the results bucket exists, creating it (as Athena's console does for its default results bucket). */
    public void ensureResultsBucket() {
        String bucket = config.resultsLocation().bucket();
        if (lake.bucket(bucket).isEmpty()) {
            lake.createBucket(BucketSpec.mutable(bucket));
            LOG.info("Created bucket {} for query results ({})", bucket, config.resultsLocation());
        }
    }

    // ---- history

    private static final String SELECT = "SELECT id, query, database_name, principal, statement_type, state, state_reason, error_code, "
            + "output_location, submitted_at, completed_at, engine_millis, bytes_scanned, result_rows, result_columns FROM sql_queries";

    private static QueryExecution read(ResultSet rs) throws SQLException {
        String[] types = rs.getString(5).split("/", 2);
        long completed = rs.getLong(11);
        boolean noCompletion = rs.wasNull();
        String columns = rs.getString(15);
        long engine = rs.getLong(12);
        long queue = 0;
        return new QueryExecution(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), types[0], types.length > 1 ? types[1] : types[0],
                QueryState.valueOf(rs.getString(6)), Optional.ofNullable(rs.getString(7)), Optional.ofNullable(rs.getString(8)),
                Instant.ofEpochMilli(rs.getLong(10)), noCompletion ? Optional.empty() : Optional.of(Instant.ofEpochMilli(completed)), engine, queue,
                rs.getLong(13), rs.getLong(14), Optional.ofNullable(rs.getString(9)).map(Location::parse), columns(columns));
    }

    private static List<ResultColumn> columns(String json) {
        List<ResultColumn> out = new ArrayList<>();
        if (json == null) {
            return out;
        }
        try {
            for (JsonNode c : Json.mapper().readTree(json)) {
                out.add(new ResultColumn(c.path("name").asText(), c.path("type").asText(), c.path("precision").asInt(), c.path("scale").asInt()));
            }
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.INTERNAL, "stored result columns are unreadable: " + e.getMessage(), e);
        }
        return out;
    }

    private static String columnsJson(List<ResultColumn> columns) {
        ArrayNode array = Json.mapper().createArrayNode();
        for (ResultColumn c : columns) {
            array.addObject().put("name", c.name()).put("type", c.type()).put("precision", c.precision()).put("scale", c.scale());
        }
        return array.toString();
    }

    private void insert(QueryExecution e) {
        catalog.store().run(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sql_queries (id, query, database_name, principal, statement_type, state, "
                    + "state_reason, error_code, output_location, submitted_at, completed_at, engine_millis, bytes_scanned, result_rows, result_columns) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, e.id());
                ps.setString(2, e.query());
                ps.setString(3, e.database());
                ps.setString(4, e.principal());
                ps.setString(5, e.statementType() + "/" + e.substatementType());
                bind(ps, 6, e);
                ps.executeUpdate();
            }
        });
    }

    private void update(QueryExecution e) {
        catalog.store().run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE sql_queries SET database_name = ?, state = ?, state_reason = ?, error_code = ?, "
                    + "output_location = ?, submitted_at = ?, completed_at = ?, engine_millis = ?, bytes_scanned = ?, result_rows = ?, "
                    + "result_columns = ? WHERE id = ?")) {
                ps.setString(1, e.database());
                bind(ps, 2, e);
                ps.setString(12, e.id());
                ps.executeUpdate();
            }
        });
    }

    private static void bind(PreparedStatement ps, int first, QueryExecution e) throws SQLException {
        ps.setString(first, e.state().name());
        ps.setString(first + 1, e.stateReason().orElse(null));
        ps.setString(first + 2, e.errorCode().orElse(null));
        ps.setString(first + 3, e.output().map(Location::toString).orElse(null));
        ps.setLong(first + 4, e.submitted().toEpochMilli());
        if (e.completed().isPresent()) {
            ps.setLong(first + 5, e.completed().get().toEpochMilli());
        } else {
            ps.setNull(first + 5, Types.BIGINT);
        }
        ps.setLong(first + 6, e.engineMillis());
        ps.setLong(first + 7, e.bytesScanned());
        ps.setLong(first + 8, e.rows());
        ps.setString(first + 9, columnsJson(e.columns()));
    }

    private static String metadata(CsvSink sink) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.set("columns", Json.mapper().valueToTree(sink.columns.stream().map(c -> Map.of("name", c.name(), "type", c.type(),
                "precision", c.precision(), "scale", c.scale())).toList()));
        node.put("rows", sink.rows);
        return node.toString();
    }

    /** Writes a statement's result to the spool as Athena's CSV. Not thread-safe; one per query. */
    private static final class CsvSink implements QueryEngine.ResultSink {
        private final Path file;
        private Writer out;
        List<ResultColumn> columns = List.of();
        long rows;

        CsvSink(Path file) {
            this.file = file;
        }

        @Override
        public void columns(List<ResultColumn> columns) {
            this.columns = List.copyOf(columns);
            if (columns.isEmpty()) {
                return;
            }
            try {
                out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
                ResultCsv.writeRow(out, columns.stream().map(ResultColumn::name).toArray(String[]::new));
            } catch (IOException e) {
                throw new TributaryException(ErrorCode.STORAGE_FAILURE, "writing results to " + file + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void row(String[] values) {
            try {
                ResultCsv.writeRow(out, values);
                rows++;
            } catch (IOException e) {
                throw new TributaryException(ErrorCode.STORAGE_FAILURE, "writing results to " + file + " failed: " + e.getMessage(), e);
            }
        }

        void close() {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException e) {
                    throw new TributaryException(ErrorCode.STORAGE_FAILURE, "writing results to " + file + " failed: " + e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        for (String id : List.copyOf(active.keySet())) {
            engine.cancel(id);
        }
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
