package io.tributary.sql.duckdb;

import static io.tributary.sql.duckdb.TrinoToDuckDb.identifier;
import static io.tributary.sql.duckdb.TrinoToDuckDb.string;
import static java.util.Objects.requireNonNull;

import io.trino.sql.tree.Query;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.lake.ObjectStore;
import io.tributary.sql.EngineRequest;
import io.tributary.sql.QueryEngine;
import io.tributary.sql.QueryStats;
import io.tributary.sql.ResultColumn;
import io.tributary.sql.catalog.Catalog;
import io.tributary.sql.catalog.Column;
import io.tributary.sql.catalog.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded engine: one in-memory DuckDB instance, locked down before any user query runs.
 * External file access is off except for the lake's directories (or the S3 read-through cache),
 * the staging directory writes go to and DuckDB's spill directory; extensions cannot be installed
 * or loaded; the configuration is locked, so no statement can loosen it. User SQL never reaches
 * DuckDB as written: it is parsed by Trino's parser and re-written by {@link TrinoToDuckDb}, which
 * emits only constructs it knows, with catalog tables as the only sources of data.
 *
 * <p>DuckDB's memory limit is per instance, so {@code memoryLimit} is shared by the queries running
 * at once; Tributary bounds how many run at once (sql.max-concurrent-queries), and a query that
 * needs more than the instance has fails with {@code LIMIT_EXCEEDED} instead of taking the server
 * down.
 *
 * <p>Thread-safe: each query runs on its own DuckDB connection.
 */
public final class DuckDbEngine implements QueryEngine {
    private static final Logger LOG = LoggerFactory.getLogger(DuckDbEngine.class);

    /**
     * @param workDirectory holds the spill directory, the S3 cache and the extension directory
     * @param stagingDirectory where writes (CTAS, INSERT, UNLOAD) put their files before they go to the lake
     */
    public record Config(Path workDirectory, Path stagingDirectory, String memoryLimit, int threads, long cacheBytes) {
        public Config {
            requireNonNull(workDirectory, "workDirectory is null");
            requireNonNull(stagingDirectory, "stagingDirectory is null");
            requireNonNull(memoryLimit, "memoryLimit is null");
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
        }
    }

    private final Catalog catalog;
    private final LakeFiles files;
    private final TableScans.Readers readers;
    private final DuckDBConnection root;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, List<String>> parquetSchemas = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("sql-timeouts").factory());

    private static final class Running {
        final Statement statement;
        volatile String reason;

        Running(Statement statement) {
            this.statement = statement;
        }
    }

    public DuckDbEngine(ObjectStore lake, Catalog catalog, Config config) {
        this(lake, catalog, config, Clock.systemUTC());
    }

    /** @param clock what {@code NOW} means in partition projection ranges */
    public DuckDbEngine(ObjectStore lake, Catalog catalog, Config config, Clock clock) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        requireNonNull(clock, "clock is null");
        Path work = config.workDirectory().toAbsolutePath().normalize();
        Path staging = config.stagingDirectory().toAbsolutePath().normalize();
        this.files = new LakeFiles(lake, work.resolve("cache"), config.cacheBytes());
        this.readers = new TableScans.Readers(files, new JsonKeys(files), new OpenCsvFiles(files), this::parquetColumns, clock);
        NativeLibraryLeftovers.sweepOnce();
        try {
            for (Path dir : List.of(work, staging, work.resolve("spill"), work.resolve("extensions"))) {
                Files.createDirectories(dir);
            }
            this.root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
            List<String> allowed = new ArrayList<>();
            for (Path dir : files.readableDirectories()) {
                allowed.add(dir + "/");
            }
            allowed.add(staging + "/");
            try (Statement s = root.createStatement()) {
                for (String macro : TrinoMacros.statements()) {
                    s.execute(macro);
                }
                for (String setting : List.of(
                        "SET autoinstall_known_extensions = false",
                        "SET autoload_known_extensions = false",
                        "SET extension_directory = " + string(work.resolve("extensions").toString()),
                        "SET temp_directory = " + string(work.resolve("spill").toString()),
                        "SET memory_limit = " + string(config.memoryLimit()),
                        "SET threads = " + config.threads(),
                        "SET TimeZone = 'UTC'",
                        // Trino's integer division truncates; DuckDB's / would answer 2.5 for 5/2.
                        "SET integer_division = true",
                        // Hourly compaction leaves many small Parquet files; re-reading every footer per query costs more than
                        // the scan of a small one. DuckDB revalidates a cached footer against the file's modification time.
                        "SET parquet_metadata_cache = true",
                        "SET allowed_directories = [" + allowed.stream().map(TrinoToDuckDb::string).collect(Collectors.joining(", ")) + "]",
                        "SET enable_external_access = false",
                        "SET allow_community_extensions = false",
                        "SET lock_configuration = true")) {
                    s.execute(setting);
                }
            }
        } catch (SQLException | IOException e) {
            throw new TributaryException(ErrorCode.INTERNAL, "cannot start the embedded SQL engine (DuckDB): " + e.getMessage(), e);
        }
        LOG.info("SQL engine: DuckDB, memory limit {}, {} thread(s), reading {}", config.memoryLimit(), config.threads(),
                files.readableDirectories());
    }

    /** The lake as the engine reads it, for callers that list partitions the same way. */
    public Optional<Path> localDirectory() {
        return files.readableDirectories().stream().skip(1).findFirst();
    }

    @Override
    public QueryStats query(EngineRequest request, Query query, ResultSink sink) {
        long planning = System.nanoTime();
        TableScans scans = scans(request);
        String sql = TrinoToDuckDb.translate(query, scans, request.database(), this::columnTypes);
        LOG.debug("Query {} planned in {} ms as DuckDB SQL: {}", request.queryId(), (System.nanoTime() - planning) / 1_000_000, sql);
        long rows = running(request, scans, query, s -> {
            long count = 0;
            try (ResultSet rs = s.executeQuery(sql)) {
                ResultSetMetaData meta = rs.getMetaData();
                int n = meta.getColumnCount();
                List<ResultColumn> columns = new ArrayList<>();
                String[] types = new String[n];
                for (int i = 1; i <= n; i++) {
                    types[i - 1] = meta.getColumnTypeName(i);
                    columns.add(DuckDbTypes.column(meta.getColumnLabel(i), types[i - 1]));
                }
                sink.columns(columns);
                while (rs.next()) {
                    String[] values = new String[n];
                    for (int i = 1; i <= n; i++) {
                        values[i - 1] = DuckDbTypes.render(rs, i, types[i - 1]);
                    }
                    sink.row(values);
                    count++;
                }
            }
            return count;
        });
        return new QueryStats(scans.bytesScanned(), scans.filesScanned(), rows, List.copyOf(scans.tablesRead()));
    }

    @Override
    public List<String> explain(EngineRequest request, Query query) {
        TableScans scans = scans(request);
        String sql = TrinoToDuckDb.translate(query, scans, request.database());
        return running(request, scans, query, s -> {
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
                while (rs.next()) {
                    files.describe(rs.getString(2)).lines().map(String::stripTrailing).filter(l -> !l.isEmpty()).forEach(lines::add);
                }
            }
            return lines;
        });
    }

    @Override
    public WriteResult write(EngineRequest request, Query query, WriteSpec spec) {
        TableScans scans = scans(request);
        String sql = TrinoToDuckDb.translate(query, scans, request.database(), this::columnTypes);
        Path dir = spec.directory().toAbsolutePath().normalize();
        try {
            return running(request, scans, query, s -> {
                List<String[]> described = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("DESCRIBE " + sql)) {
                    while (rs.next()) {
                        described.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
                WrittenColumns written = spec.insert().isPresent() ? WrittenColumns.insert(spec.insert().get(), described)
                        : WrittenColumns.query(described);
                for (String p : spec.partitionBy()) {
                    if (written.columns().stream().noneMatch(col -> col.name().equals(p))) {
                        throw TributaryException.invalidArgument("partitioned_by names column '%s', which the query does not have", p);
                    }
                }
                List<String> projection = new ArrayList<>();
                List<Column> ordered = new ArrayList<>();
                // Data columns in order, then the partition keys, which COPY turns into folders.
                for (int i = 0; i < written.columns().size(); i++) {
                    Column col = written.columns().get(i);
                    if (!spec.partitionBy().contains(col.name())) {
                        String value = spec.format() == OutputFormat.TEXTFILE
                                ? TextValues.serialize(written.expressions().get(i), col, spec.text(), written.statement()) : written.expressions().get(i);
                        projection.add(value + " AS " + identifier(written.fileNames().get(i)));
                        ordered.add(col);
                    }
                }
                for (String p : spec.partitionBy()) {
                    int i = written.columns().stream().map(Column::name).toList().indexOf(p);
                    projection.add(written.expressions().get(i) + " AS " + identifier(p));
                    ordered.add(written.columns().get(i));
                }
                List<String> aliases = new ArrayList<>();
                for (int i = 0; i < described.size(); i++) {
                    aliases.add(identifier("c" + i));
                }
                Files.createDirectories(dir);
                String copy = "COPY (SELECT " + String.join(", ", projection) + " FROM (" + sql + ") AS q(" + String.join(", ", aliases) + ")) TO "
                        + string(dir.toString()) + " (" + copyOptions(spec) + ")";
                long rows;
                if (s.execute(copy)) {
                    try (ResultSet rs = s.getResultSet()) {
                        rows = rs.next() ? rs.getLong(1) : 0;
                    }
                } else {
                    rows = s.getUpdateCount();
                }
                List<Path> files;
                try (Stream<Path> walk = Files.walk(dir)) {
                    files = walk.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
                }
                QueryStats stats = new QueryStats(scans.bytesScanned(), scans.filesScanned(), Math.max(rows, 0), List.copyOf(scans.tablesRead()));
                return new WriteResult(stats, ordered, rows, files);
            });
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "writing query results to " + dir + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The columns a write stores, each with the expression over the query's columns ({@code q.c0},
     * {@code q.c1}, ...) that gives its value and its name in the files.
     */
    private record WrittenColumns(String statement, List<Column> columns, List<String> expressions, List<String> fileNames) {
        /** CTAS and UNLOAD: the query's columns, named as the query names them, with the Hive types of their DuckDB types. */
        static WrittenColumns query(List<String[]> described) {
            List<Column> columns = new ArrayList<>();
            List<String> expressions = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < described.size(); i++) {
                String name = described.get(i)[0].toLowerCase(Locale.ROOT);
                if (!seen.add(name)) {
                    throw TributaryException.invalidArgument("column name '%s' appears twice in the query's result; give the columns "
                            + "distinct aliases", name);
                }
                String duckType = described.get(i)[1];
                String original = described.get(i)[0];
                DataType hive = DuckDbTypes.hiveType(duckType).orElseThrow(() -> TributaryException.invalidArgument(
                        "column '%s' has type %s, which cannot be stored in a table; cast it to varchar, bigint, double or timestamp",
                        original, duckType));
                columns.add(new Column(name, hive, Optional.empty()));
                expressions.add("CAST(q." + identifier("c" + i) + " AS " + hive.duckDb() + ")");
            }
            return new WrittenColumns("The write", columns, expressions, columns.stream().map(Column::name).toList());
        }

        /** INSERT: the table's columns, each converted from its query column as Trino would, or NULL. */
        static WrittenColumns insert(QueryEngine.InsertTarget target, List<String[]> described) {
            List<InsertCoercion.DuckType> types = described.stream().map(d -> InsertCoercion.DuckType.parse(d[1])).toList();
            long given = target.sources().stream().filter(OptionalInt::isPresent).count();
            List<String> expressions = new ArrayList<>();
            boolean mismatch = given != described.size();
            for (int j = 0; j < target.columns().size() && !mismatch; j++) {
                Column col = target.columns().get(j);
                OptionalInt source = target.sources().get(j);
                if (source.isEmpty()) {
                    expressions.add("CAST(NULL AS " + col.type().duckDb() + ")");
                    continue;
                }
                Optional<String> converted = InsertCoercion.convert("q." + identifier("c" + source.getAsInt()), types.get(source.getAsInt()), col.type());
                mismatch = converted.isEmpty();
                converted.ifPresent(expressions::add);
            }
            if (mismatch) {
                // Trino lists the table's types in the order the INSERT gives its columns.
                TreeMap<Integer, String> bySource = new TreeMap<>();
                for (int j = 0; j < target.columns().size(); j++) {
                    if (target.sources().get(j).isPresent()) {
                        bySource.put(target.sources().get(j).getAsInt(), target.columns().get(j).type().trino());
                    }
                }
                throw TributaryException.invalidArgument("Insert query has mismatched column types: Table: [%s], Query: [%s]",
                        String.join(", ", bySource.values()), String.join(", ", types.stream().map(InsertCoercion.DuckType::trino).toList()));
            }
            return new WrittenColumns("INSERT INTO " + target.table(), target.columns(), expressions, target.fileNames());
        }
    }

    private static String copyOptions(WriteSpec spec) {
        List<String> options = new ArrayList<>();
        String compression = spec.compression().toLowerCase(Locale.ROOT);
        switch (spec.format()) {
            case PARQUET -> {
                options.add("FORMAT PARQUET");
                options.add("COMPRESSION " + string(compression.equals("none") ? "uncompressed" : compression));
            }
            case JSON -> {
                options.add("FORMAT JSON");
                options.add("COMPRESSION " + string(compression.equals("none") ? "uncompressed" : compression));
            }
            case TEXTFILE -> {
                QueryEngine.TextLayout text = spec.text();
                options.add("FORMAT CSV");
                options.add("HEADER " + (text.headerLines() > 0));
                options.add("DELIMITER " + string(text.fieldDelimiter()));
                if (text.quote().isPresent()) {
                    // OpenCSVSerde: every field quoted, the quote and escape characters escaped, as opencsv writes them.
                    options.add("QUOTE " + string(text.quote().get()));
                    options.add("ESCAPE " + string(text.escape().orElse(text.quote().get())));
                    options.add("FORCE_QUOTE *");
                } else {
                    options.add("QUOTE ''");
                }
                options.add("NULLSTR " + string(text.nullFormat()));
                options.add("COMPRESSION " + string(compression.equals("none") ? "uncompressed" : compression));
            }
        }
        if (!spec.partitionBy().isEmpty()) {
            options.add("PARTITION_BY (" + spec.partitionBy().stream().map(TrinoToDuckDb::identifier).collect(Collectors.joining(", ")) + ")");
        } else {
            options.add("FILE_SIZE_BYTES '512MB'");
        }
        options.add("FILENAME_PATTERN " + string(spec.filePrefix() + "_{i}"));
        return String.join(", ", options);
    }

    @Override
    public void cancel(String queryId) {
        // A query cancelled while it is still being planned has no statement yet; start() sees the request's cancelled flag.
        Running r = running.get(queryId);
        if (r != null) {
            r.reason = "cancelled";
            try {
                r.statement.cancel();
            } catch (SQLException e) {
                LOG.warn("Cancelling query {} failed: {}", queryId, e.getMessage());
            }
        }
    }

    /** The column types of a query Tributary wrote, without running it; empty when DuckDB cannot bind it alone. */
    private Optional<List<String>> columnTypes(String sql) {
        try (Connection c = root.duplicate(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE " + sql)) {
            List<String> types = new ArrayList<>();
            while (rs.next()) {
                types.add(rs.getString("column_type"));
            }
            return Optional.of(types);
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /** What {@link #running} does with the statement; a write may also throw {@code X} (IOException) for its files. */
    @FunctionalInterface
    private interface Work<T, X extends Exception> {
        T on(Statement s) throws SQLException, X;
    }

    /**
     * Does work on a statement of a connection of its own, registered under the request's id while
     * it runs, so that a cancel or the time limit can stop it. SQLExceptions are translated into
     * Tributary's errors; those from the work name a cancel or time limit that interrupted it.
     */
    private <T, X extends Exception> T running(EngineRequest request, TableScans scans, Query query, Work<T, X> work) throws X {
        try (Connection c = root.duplicate(); Statement s = c.createStatement()) {
            Running r = start(request, s);
            try {
                return work.on(s);
            } catch (SQLException e) {
                throw translate(e, r, request, scans, query);
            } finally {
                finish(request);
            }
        } catch (SQLException e) {
            throw translate(e, null, request, scans, query);
        }
    }

    private TableScans scans(EngineRequest request) {
        return new TableScans(catalog, readers, request);
    }

    private Running start(EngineRequest request, Statement s) {
        Running r = new Running(s);
        running.put(request.queryId(), r);
        // A cancel that came before the query was registered (while it was planned) found nothing to stop; the request remembers it.
        if (request.cancelled().getAsBoolean()) {
            running.remove(request.queryId());
            throw new TributaryException(ErrorCode.CANCELLED, "Query cancelled by user");
        }
        ScheduledFuture<?> timeout = timer.schedule(() -> {
            r.reason = "timeout";
            try {
                s.cancel();
            } catch (SQLException e) {
                LOG.warn("Stopping query {} at its time limit failed: {}", request.queryId(), e.getMessage());
            }
        }, request.timeout().toMillis(), TimeUnit.MILLISECONDS);
        timeouts.put(request.queryId(), timeout);
        return r;
    }

    private final Map<String, ScheduledFuture<?>> timeouts = new ConcurrentHashMap<>();

    private void finish(EngineRequest request) {
        running.remove(request.queryId());
        ScheduledFuture<?> t = timeouts.remove(request.queryId());
        if (t != null) {
            t.cancel(false);
        }
    }

    private static final Pattern MALFORMED_AT = Pattern.compile(
            "Malformed JSON in file \"([^\"]+)\", at byte \\d+ in line (\\d+)(: [^\n]*)?");

    private TributaryException translate(SQLException e, Running r, EngineRequest request, TableScans scans, Query query) {
        String raw = String.valueOf(e.getMessage());
        // DuckDB reads on past a line break inside an unfinished object and names the line after; OpenX names the line itself.
        Matcher at = MALFORMED_AT.matcher(raw);
        if (at.find()) {
            OptionalLong line = scans.firstMalformedLine(at.group(1));
            if (line.isPresent() && line.getAsLong() < Long.parseLong(at.group(2))) {
                raw = raw.substring(0, at.start()) + "Malformed JSON in file \"" + at.group(1) + "\", in line " + line.getAsLong()
                        + ": the line is not a complete JSON object" + raw.substring(at.end());
            }
        }
        String message = files.describe(raw);
        int context = message.indexOf("\n\nLINE ");
        if (context >= 0) {
            message = message.substring(0, context);
        }
        message = DuckDbErrors.rewrite(message.strip(), Optional.of(query));
        if (r != null && r.reason != null && (message.contains("Interrupt") || message.contains("INTERRUPT"))) {
            return r.reason.equals("timeout")
                    ? new TributaryException(ErrorCode.TIMEOUT, "Query exhausted resources at this scale factor: it ran longer than its "
                            + "time limit of " + io.tributary.common.Durations.format(request.timeout()) + " (sql.query-timeout)")
                    : new TributaryException(ErrorCode.CANCELLED, "Query cancelled by user");
        }
        if (message.startsWith("Out of Memory Error")) {
            return new TributaryException(ErrorCode.LIMIT_EXCEEDED, "Query exhausted resources: " + message
                    + ". Raise sql.memory-limit, lower sql.max-concurrent-queries, or make the query read less");
        }
        if (message.startsWith("Permission Error")) {
            return new TributaryException(ErrorCode.ACCESS_DENIED, "the SQL engine refused to touch a file outside the lake: " + message);
        }
        boolean inFile = message.contains(" in file ");
        if ((message.startsWith("Invalid Input Error: Malformed JSON") || message.contains("JSON transform error")) && inFile) {
            return new TributaryException(ErrorCode.INVALID_ARGUMENT, "HIVE_BAD_DATA: " + message.replace("Invalid Input Error: ", "")
                    + (message.contains("Malformed") ? " (set 'ignore.malformed.json'='true' in the table's SERDEPROPERTIES to skip such rows)" : ""));
        }
        if (message.startsWith("Invalid Input Error: Malformed JSON")) {
            // A JSON function's argument, not a table's data: no SerDe property helps.
            return new TributaryException(ErrorCode.INVALID_ARGUMENT, message.replace("Invalid Input Error: ", ""));
        }
        return new TributaryException(ErrorCode.INVALID_ARGUMENT, message, e);
    }

    /** The top-level column names of Parquet files, read from their footers once per file version. */
    private Map<java.nio.file.Path, List<String>> parquetColumns(List<io.tributary.lake.ObjectInfo> objects) {
        Map<Path, List<String>> out = new LinkedHashMap<>();
        List<Path> missing = new ArrayList<>();
        Map<Path, String> keys = new LinkedHashMap<>();
        for (io.tributary.lake.ObjectInfo o : objects) {
            Path p = files.local(o);
            String key = o.location() + "|" + o.size() + "|" + o.lastModified().toEpochMilli();
            keys.put(p, key);
            List<String> cached = parquetSchemas.get(key);
            if (cached != null) {
                out.put(p, cached);
            } else {
                missing.add(p);
            }
        }
        if (!missing.isEmpty()) {
            String sql = "SELECT file_name, name, num_children FROM parquet_schema(["
                    + missing.stream().map(p -> string(p.toString())).collect(Collectors.joining(", ")) + "])";
            Map<String, List<String>> byFile = new LinkedHashMap<>();
            try (Connection c = root.duplicate(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                // Rows come depth-first per file: the root, then each element; a stack of remaining
                // child counts tells which elements sit directly under the root.
                String file = null;
                java.util.ArrayDeque<int[]> stack = new java.util.ArrayDeque<>();
                while (rs.next()) {
                    String f = rs.getString(1);
                    int children = rs.getInt(3);
                    if (!f.equals(file) || stack.isEmpty()) {
                        file = f;
                        stack.clear();
                        stack.push(new int[] {children});
                        byFile.putIfAbsent(f, new ArrayList<>());
                        continue;
                    }
                    if (stack.size() == 1) {
                        byFile.get(f).add(rs.getString(2));
                    }
                    stack.peek()[0]--;
                    if (children > 0) {
                        stack.push(new int[] {children});
                    }
                    while (!stack.isEmpty() && stack.peek()[0] == 0) {
                        stack.pop();
                    }
                }
            } catch (SQLException e) {
                throw new TributaryException(ErrorCode.INVALID_ARGUMENT, "reading Parquet footers failed: " + files.describe(String.valueOf(e.getMessage())), e);
            }
            for (Path p : missing) {
                List<String> names = byFile.getOrDefault(p.toString(), List.of());
                parquetSchemas.put(keys.get(p), names);
                out.put(p, names);
            }
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            root.close();
        } catch (SQLException e) {
            LOG.warn("Closing DuckDB failed: {}", e.getMessage());
        }
    }
}
