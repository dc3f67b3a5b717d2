package io.tributary.sql;

import static java.util.Objects.requireNonNull;

import io.trino.sql.tree.Array;
import io.trino.sql.tree.CreateTableAsSelect;
import io.trino.sql.tree.Explain;
import io.trino.sql.tree.ExplainFormat;
import io.trino.sql.tree.ExplainOption;
import io.trino.sql.tree.ExplainType;
import io.trino.sql.tree.Expression;
import io.trino.sql.tree.Identifier;
import io.trino.sql.tree.Insert;
import io.trino.sql.tree.NodeLocation;
import io.trino.sql.tree.Property;
import io.trino.sql.tree.Query;
import io.trino.sql.tree.SaveMode;
import io.trino.sql.tree.Statement;
import io.trino.sql.tree.StringLiteral;
import io.tributary.auth.Authorizer;
import io.tributary.auth.Permission;
import io.tributary.auth.Permission.Action;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.lake.ObjectStore;
import io.tributary.sql.QueryEngine.InsertTarget;
import io.tributary.sql.QueryEngine.OutputFormat;
import io.tributary.sql.QueryEngine.ResultSink;
import io.tributary.sql.QueryEngine.TextLayout;
import io.tributary.sql.QueryEngine.WriteResult;
import io.tributary.sql.QueryEngine.WriteSpec;
import io.tributary.sql.catalog.Catalog;
import io.tributary.sql.catalog.Column;
import io.tributary.sql.catalog.DatabaseInfo;
import io.tributary.sql.catalog.Partition;
import io.tributary.sql.catalog.PartitionProjection;
import io.tributary.sql.catalog.PartitionValues;
import io.tributary.sql.catalog.StorageDescriptor;
import io.tributary.sql.catalog.TableDefinition;
import io.tributary.sql.catalog.TableFormat;
import io.tributary.sql.catalog.TableName;
import io.tributary.sql.catalog.TextSerde;
import io.tributary.sql.catalog.ViewDefinition;
import io.tributary.sql.parser.SqlStatement;
import io.tributary.sql.parser.StatementParser;
import io.tributary.sql.parser.TrinoSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs one statement: Hive DDL and utility statements against the catalog, queries and writes
 * through the {@link QueryEngine}. Authorization is checked here for DDL ({@code MANAGE} on the
 * table or database) and by the engine for every table a query reads ({@code READ}).
 *
 * <p>Thread-safe; statements on the same table are not serialised (as in Athena).
 */
public final class StatementRunner {
    /** What a statement did, besides the rows it gave the sink. */
    public record Outcome(QueryStats stats, Optional<String> database) {}

    private final Catalog catalog;
    private final QueryEngine engine;
    private final ObjectStore lake;
    private final Authorizer authorizer;
    private final Clock clock;
    private final Path staging;

    public StatementRunner(Catalog catalog, QueryEngine engine, ObjectStore lake, Authorizer authorizer, Clock clock, Path staging) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.lake = requireNonNull(lake, "lake is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.staging = requireNonNull(staging, "staging is null");
    }

    public Catalog catalog() {
        return catalog;
    }

    public Outcome run(ExecutionContext ctx, SqlStatement statement, ResultSink sink) {
        return switch (statement) {
            case SqlStatement.CreateDatabase s -> {
                check(ctx, Action.MANAGE, "database", s.name());
                s.location().ifPresent(l -> location(l, "database location"));
                catalog.createDatabase(new DatabaseInfo(s.name(), s.comment(), s.location(), s.properties(), clock.instant()), s.ifNotExists());
                yield done(sink);
            }
            case SqlStatement.DropDatabase s -> {
                check(ctx, Action.MANAGE, "database", s.name());
                catalog.dropDatabase(s.name(), s.ifExists(), s.cascade());
                yield done(sink);
            }
            case SqlStatement.ShowDatabases s -> rows(sink, "database_name", catalog.databases().stream().map(DatabaseInfo::name)
                    .filter(n -> s.like().map(p -> like(n, p)).orElse(true)).toList());
            case SqlStatement.ShowTables s -> {
                String db = s.database().orElse(ctx.database());
                yield rows(sink, "tab_name", catalog.relations(db).stream().map(r -> r.name().table())
                        .filter(n -> s.like().map(p -> like(n, p)).orElse(true))
                        .filter(n -> authorizer.allows(ctx.principal(), Permission.of(Action.READ, "table", db + "." + n))).toList());
            }
            case SqlStatement.ShowColumns s -> rows(sink, "field", columnsOf(ctx, s.table()).stream().map(ViewDefinition.Field::name).toList());
            case SqlStatement.ShowViews s -> {
                String db = s.database().orElse(ctx.database());
                yield rows(sink, "views", catalog.relations(db).stream().filter(r -> r instanceof Catalog.ViewRelation).map(r -> r.name().table())
                        .filter(n -> s.like().map(p -> like(n, p)).orElse(true))
                        .filter(n -> authorizer.allows(ctx.principal(), Permission.of(Action.READ, "table", db + "." + n))).toList());
            }
            case SqlStatement.Describe s -> describe(ctx, s, sink);
            case SqlStatement.ShowCreateTable s -> showCreate(ctx, s, sink);
            case SqlStatement.ShowPartitions s -> {
                TableDefinition t = readableTable(ctx, s.table());
                if (!t.partitioned()) {
                    throw TributaryException.invalidArgument("Table %s is not partitioned", t.name());
                }
                yield rows(sink, "partition", catalog.partitions(t.name()).stream().map(p -> p.name(t.partitionKeys())).toList());
            }
            case SqlStatement.ShowTableProperties s -> {
                TableDefinition t = readableTable(ctx, s.table());
                sink.columns(List.of(ResultColumn.of("prpt_name", "varchar"), ResultColumn.of("prpt_value", "varchar")));
                new TreeMap<>(t.properties()).forEach((k, v) -> sink.row(new String[] {k, v}));
                yield new Outcome(QueryStats.none(), Optional.empty());
            }
            case SqlStatement.Use s -> {
                String db = catalog.requireDatabase(s.database()).name();
                done(sink);
                yield new Outcome(QueryStats.none(), Optional.of(db));
            }
            case SqlStatement.CreateTable s -> createTable(ctx, s, sink);
            case SqlStatement.MsckRepair s -> msck(ctx, s, sink);
            case SqlStatement.AddPartitions s -> addPartitions(ctx, s, sink);
            case SqlStatement.DropPartitions s -> dropPartitions(ctx, s, sink);
            case SqlStatement.AlterColumns s -> alterColumns(ctx, s, sink);
            case SqlStatement.SetTableProperties s -> {
                TableDefinition t = managedTable(ctx, s.table());
                Map<String, String> properties = new TreeMap<>(t.properties());
                properties.putAll(s.properties());
                yield altered(new TableDefinition(t.name(), t.columns(), t.partitionKeys(), t.location(), t.storage(), properties, t.comment(),
                        t.createdAt()), sink);
            }
            case SqlStatement.SetLocation s -> setLocation(ctx, s, sink);
            case SqlStatement.DropTable s -> {
                TableName name = s.table().resolve(ctx.database());
                check(ctx, Action.MANAGE, "table", name.toString());
                catalog.dropTable(name, s.ifExists());
                yield done(sink);
            }
            case SqlStatement.CreateView s -> createView(ctx, s, sink);
            case SqlStatement.DropView s -> {
                TableName name = s.name().resolve(ctx.database());
                check(ctx, Action.MANAGE, "table", name.toString());
                catalog.dropView(name, s.ifExists());
                yield done(sink);
            }
            case SqlStatement.Query s -> trino(ctx, s, sink);
            case SqlStatement.Unload s -> unload(ctx, s, sink);
        };
    }

    // ---- DDL

    private Outcome createTable(ExecutionContext ctx, SqlStatement.CreateTable s, ResultSink sink) {
        TableName name = s.name().resolve(ctx.database());
        check(ctx, Action.MANAGE, "table", name.toString());
        Location location = location(s.location(), "table location").asPrefix();
        StorageDescriptor storage = StorageDescriptor.resolve(s.serde(), s.storedAs(), s.inputFormat(), s.outputFormat(), s.serdeProperties());
        TableDefinition table = new TableDefinition(name, s.columns(), s.partitionKeys(), location, storage, s.tableProperties(), s.comment(),
                clock.instant());
        TextSerde.requireReadable(table);
        PartitionProjection.of(table);
        catalog.createTable(table, s.ifNotExists(), false);
        return done(sink);
    }

    /** Parses a location and checks its bucket exists (a missing one is a mistake worth naming at once). */
    Location location(String text, String what) {
        Location location = Location.parse(text.trim());
        if (lake.bucket(location.bucket()).isEmpty()) {
            throw TributaryException.notFound("%s %s: bucket '%s' does not exist; declare it under pipeline.buckets in tributary.yaml "
                    + "(or apply a pipeline that does)", what, location, location.bucket());
        }
        return location;
    }

    private Outcome msck(ExecutionContext ctx, SqlStatement.MsckRepair s, ResultSink sink) {
        TableDefinition table = catalog.requireTable(s.table().resolve(ctx.database()));
        check(ctx, Action.MANAGE, "table", table.name().toString());
        sink.columns(List.of(ResultColumn.of("result", "varchar")));
        if (!table.partitioned()) {
            return new Outcome(QueryStats.none(), Optional.empty());
        }
        PartitionDiscovery.Result found = PartitionDiscovery.discover(lake, table);
        Set<String> registered = new java.util.HashSet<>();
        for (Partition p : catalog.partitions(table.name())) {
            registered.add(p.name(table.partitionKeys()));
        }
        List<Partition> missing = found.partitions().stream().filter(p -> !registered.contains(p.name(table.partitionKeys()))).toList();
        List<Partition> added = catalog.addPartitions(table, missing, true);
        if (!missing.isEmpty()) {
            sink.row(new String[] {"Partitions not in metastore:\t" + String.join("\t",
                    missing.stream().map(p -> table.name().table() + ":" + p.name(table.partitionKeys())).toList())});
        }
        for (Partition p : added) {
            sink.row(new String[] {"Repair: Added partition to metastore " + table.name().table() + ":" + p.name(table.partitionKeys())});
        }
        for (String skipped : found.skipped()) {
            sink.row(new String[] {"Skipped: " + skipped});
        }
        return new Outcome(QueryStats.none(), Optional.empty());
    }

    private Outcome addPartitions(ExecutionContext ctx, SqlStatement.AddPartitions s, ResultSink sink) {
        TableDefinition table = catalog.requireTable(s.table().resolve(ctx.database()));
        check(ctx, Action.MANAGE, "table", table.name().toString());
        requirePartitioned(table);
        List<Partition> partitions = new ArrayList<>();
        for (SqlStatement.PartitionSpec spec : s.partitions()) {
            List<String> values = values(table, spec, true);
            Location location = spec.location().map(l -> location(l, "partition location").asPrefix())
                    .orElseGet(() -> defaultLocation(table, values));
            partitions.add(new Partition(values, location));
        }
        catalog.addPartitions(table, partitions, s.ifNotExists());
        return done(sink);
    }

    static Location defaultLocation(TableDefinition table, List<String> values) {
        Location location = table.location().asPrefix();
        for (int i = 0; i < values.size(); i++) {
            location = location.child(table.partitionKeys().get(i).name() + "=" + PartitionValues.escapePathValue(values.get(i)) + "/");
        }
        return location;
    }

    private Outcome dropPartitions(ExecutionContext ctx, SqlStatement.DropPartitions s, ResultSink sink) {
        TableDefinition table = catalog.requireTable(s.table().resolve(ctx.database()));
        check(ctx, Action.MANAGE, "table", table.name().toString());
        requirePartitioned(table);
        List<List<String>> drop = new ArrayList<>();
        for (SqlStatement.PartitionSpec spec : s.partitions()) {
            Map<Integer, String> wanted = new LinkedHashMap<>();
            spec.values().forEach((k, v) -> {
                int index = keyIndex(table, k);
                wanted.put(index, PartitionValues.require(table.partitionKeys().get(index), v));
            });
            List<List<String>> matching = catalog.partitions(table.name()).stream()
                    .filter(p -> wanted.entrySet().stream().allMatch(e -> p.values().get(e.getKey()).equals(e.getValue())))
                    .map(Partition::values).toList();
            if (matching.isEmpty() && !s.ifExists()) {
                throw TributaryException.notFound("No partition of %s matches %s; use DROP IF EXISTS to skip missing partitions", table.name(),
                        spec.values());
            }
            drop.addAll(matching);
        }
        catalog.dropPartitions(table, drop, true);
        return done(sink);
    }

    private static void requirePartitioned(TableDefinition table) {
        if (!table.partitioned()) {
            throw TributaryException.invalidArgument("Table %s is not partitioned; it has no partitions to add or drop", table.name());
        }
    }

    private static int keyIndex(TableDefinition table, String key) {
        for (int i = 0; i < table.partitionKeys().size(); i++) {
            if (table.partitionKeys().get(i).name().equals(key.toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        throw TributaryException.invalidArgument("'%s' is not a partition key of %s; its partition keys are %s", key, table.name(),
                table.partitionKeys().stream().map(Column::name).toList());
    }

    /** The canonical values of a full partition spec, in key order. */
    private static List<String> values(TableDefinition table, SqlStatement.PartitionSpec spec, boolean full) {
        String[] values = new String[table.partitionKeys().size()];
        spec.values().forEach((k, v) -> {
            int i = keyIndex(table, k);
            values[i] = PartitionValues.require(table.partitionKeys().get(i), v);
        });
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null && full) {
                throw TributaryException.invalidArgument("partition spec %s of %s lacks key '%s'; give a value for every partition key %s",
                        spec.values(), table.name(), table.partitionKeys().get(i).name(), table.partitionKeys().stream().map(Column::name).toList());
            }
        }
        return List.of(values);
    }

    private TableDefinition managedTable(ExecutionContext ctx, io.tributary.sql.parser.ObjectName name) {
        TableDefinition t = catalog.requireTable(name.resolve(ctx.database()));
        check(ctx, Action.MANAGE, "table", t.name().toString());
        return t;
    }

    /** Stores an altered table once it is one Tributary can read, as CREATE checks it. */
    private Outcome altered(TableDefinition table, ResultSink sink) {
        TextSerde.requireReadable(table);
        TextSerde.of(table);
        PartitionProjection.of(table);
        catalog.updateTable(table);
        return done(sink);
    }

    private Outcome alterColumns(ExecutionContext ctx, SqlStatement.AlterColumns s, ResultSink sink) {
        TableDefinition t = managedTable(ctx, s.table());
        List<Column> columns = new ArrayList<>(s.replace() ? List.of() : t.columns());
        columns.addAll(s.columns());
        return altered(new TableDefinition(t.name(), columns, t.partitionKeys(), t.location(), t.storage(), t.properties(), t.comment(),
                t.createdAt()), sink);
    }

    private Outcome setLocation(ExecutionContext ctx, SqlStatement.SetLocation s, ResultSink sink) {
        TableDefinition t = managedTable(ctx, s.table());
        Location location = location(s.location(), s.partition().isPresent() ? "partition location" : "table location").asPrefix();
        if (s.partition().isPresent()) {
            requirePartitioned(t);
            catalog.setPartitionLocation(t, values(t, s.partition().get(), true), location);
            return done(sink);
        }
        return altered(new TableDefinition(t.name(), t.columns(), t.partitionKeys(), location, t.storage(), t.properties(), t.comment(),
                t.createdAt()), sink);
    }

    /** A table's or view's columns with the types Athena reports; a view's from its stored columns, or by planning its query. */
    private List<ViewDefinition.Field> columnsOf(ExecutionContext ctx, io.tributary.sql.parser.ObjectName object) {
        TableName name = object.resolve(ctx.database());
        Catalog.Relation relation = catalog.relation(name).orElseThrow(() -> Catalog.notFoundTable(name));
        readCheck(ctx, name);
        return switch (relation) {
            case Catalog.TableRelation t -> t.table().allColumns().stream().map(c -> new ViewDefinition.Field(c.name(), c.type().text())).toList();
            case Catalog.ViewRelation v -> v.view().columns().isEmpty() ? viewColumns(ctx, name, (Query) parseTrino(ctx, v.view().sql(),
                    new NodeLocation(1, 1))) : v.view().columns();
        };
    }

    /** The columns a view's query gives, found by running it with LIMIT 0. */
    private List<ViewDefinition.Field> viewColumns(ExecutionContext ctx, TableName view, Query query) {
        List<ViewDefinition.Field> fields = new ArrayList<>();
        engine.query(new EngineRequest(ctx.queryId(), view.database(), t -> readCheck(ctx, t), ctx.timeout(), ctx.cancelled()), limitZero(query),
                new QueryEngine.ResultSink() {
                    @Override
                    public void columns(List<ResultColumn> columns) {
                        for (ResultColumn c : columns) {
                            fields.add(new ViewDefinition.Field(c.name(), c.type().equals("decimal") ? "decimal(" + c.precision() + ","
                                    + c.scale() + ")" : c.type()));
                        }
                    }

                    @Override
                    public void row(String[] values) {}
                });
        return fields;
    }

    private Outcome createView(ExecutionContext ctx, SqlStatement.CreateView s, ResultSink sink) {
        TableName name = s.name().resolve(ctx.database());
        check(ctx, Action.MANAGE, "table", name.toString());
        Statement parsed = parseTrino(ctx, s.query(), new NodeLocation(s.queryLine(), s.queryColumn()));
        if (!(parsed instanceof Query)) {
            throw TributaryException.invalidArgument("CREATE VIEW %s AS needs a SELECT", name);
        }
        // A view that names an unknown table fails now, as in Athena, not when it is first used; its columns are kept for DESCRIBE.
        List<ViewDefinition.Field> columns = viewColumns(ctx, name, (Query) parsed);
        catalog.createView(new ViewDefinition(name, s.query(), columns, clock.instant()), s.orReplace());
        return done(sink);
    }

    private static Query limitZero(Query q) {
        return new Query(q.getFunctions(), q.getWith(), new io.trino.sql.tree.TableSubquery(q), Optional.empty(), Optional.empty(),
                Optional.of(new io.trino.sql.tree.Limit(new io.trino.sql.tree.LongLiteral("0"))));
    }

    private Outcome describe(ExecutionContext ctx, SqlStatement.Describe s, ResultSink sink) {
        TableName name = s.table().resolve(ctx.database());
        Catalog.Relation relation = catalog.relation(name).orElseThrow(() -> Catalog.notFoundTable(name));
        readCheck(ctx, name);
        sink.columns(List.of(ResultColumn.of("col_name", "varchar"), ResultColumn.of("data_type", "varchar"), ResultColumn.of("comment", "varchar")));
        if (relation instanceof Catalog.ViewRelation) {
            // Athena describes a view by its columns; SHOW CREATE VIEW gives its query.
            for (ViewDefinition.Field f : columnsOf(ctx, s.table())) {
                sink.row(new String[] {f.name(), f.type(), ""});
            }
            return new Outcome(QueryStats.none(), Optional.empty());
        }
        TableDefinition t = ((Catalog.TableRelation) relation).table();
        for (Column c : t.allColumns()) {
            sink.row(new String[] {c.name(), c.type().text(), c.comment().orElse("")});
        }
        if (t.partitioned()) {
            sink.row(new String[] {"", "", ""});
            sink.row(new String[] {"# Partition Information", "", ""});
            sink.row(new String[] {"# col_name", "data_type", "comment"});
            sink.row(new String[] {"", "", ""});
            for (Column c : t.partitionKeys()) {
                sink.row(new String[] {c.name(), c.type().text(), c.comment().orElse("")});
            }
        }
        if (s.formatted()) {
            sink.row(new String[] {"", "", ""});
            sink.row(new String[] {"# Detailed Table Information", "", ""});
            sink.row(new String[] {"Database:", t.name().database(), ""});
            sink.row(new String[] {"Table:", t.name().table(), ""});
            sink.row(new String[] {"CreateTime:", t.createdAt().toString(), ""});
            sink.row(new String[] {"Location:", t.location().toString(), ""});
            sink.row(new String[] {"Table Type:", "EXTERNAL_TABLE", ""});
            t.comment().ifPresent(c -> sink.row(new String[] {"Comment:", c, ""}));
            sink.row(new String[] {"Table Parameters:", "", ""});
            new TreeMap<>(t.properties()).forEach((k, v) -> sink.row(new String[] {"", k, v}));
            sink.row(new String[] {"", "", ""});
            sink.row(new String[] {"# Storage Information", "", ""});
            sink.row(new String[] {"SerDe Library:", t.storage().serde(), ""});
            sink.row(new String[] {"InputFormat:", t.storage().inputFormat(), ""});
            sink.row(new String[] {"OutputFormat:", t.storage().outputFormat(), ""});
            sink.row(new String[] {"Storage Desc Params:", "", ""});
            new TreeMap<>(t.storage().serdeProperties()).forEach((k, v) -> sink.row(new String[] {"", k, v}));
        }
        return new Outcome(QueryStats.none(), Optional.empty());
    }

    private Outcome showCreate(ExecutionContext ctx, SqlStatement.ShowCreateTable s, ResultSink sink) {
        TableName name = s.table().resolve(ctx.database());
        Catalog.Relation relation = catalog.relation(name).orElseThrow(() -> Catalog.notFoundTable(name));
        readCheck(ctx, name);
        sink.columns(List.of(ResultColumn.of("createtab_stmt", "varchar")));
        String text = switch (relation) {
            case Catalog.ViewRelation v -> {
                if (!s.view()) {
                    throw TributaryException.invalidArgument("%s is a view, not a table; use SHOW CREATE VIEW %s", name, name);
                }
                yield "CREATE VIEW `" + name.database() + "`.`" + name.table() + "` AS\n" + v.view().sql();
            }
            case Catalog.TableRelation t -> {
                if (s.view()) {
                    throw TributaryException.invalidArgument("%s is a table, not a view; use SHOW CREATE TABLE %s", name, name);
                }
                yield HiveDdl.createTable(t.table());
            }
        };
        text.lines().forEach(line -> sink.row(new String[] {line}));
        return new Outcome(QueryStats.none(), Optional.empty());
    }

    private TableDefinition readableTable(ExecutionContext ctx, io.tributary.sql.parser.ObjectName name) {
        TableDefinition t = catalog.requireTable(name.resolve(ctx.database()));
        readCheck(ctx, t.name());
        return t;
    }

    // ---- queries and writes

    private Outcome trino(ExecutionContext ctx, SqlStatement.Query s, ResultSink sink) {
        Statement parsed = parseTrino(ctx, s.sql(), new NodeLocation(1, 1));
        return switch (parsed) {
            case Query q -> new Outcome(engine.query(request(ctx), q, sink), Optional.empty());
            case CreateTableAsSelect ctas -> ctas(ctx, ctas, sink);
            case Insert insert -> insert(ctx, insert, sink);
            case Explain explain -> explain(ctx, explain, sink);
            default -> throw new TributaryException(ErrorCode.UNSUPPORTED, statementName(parsed) + " statements are not supported");
        };
    }

    /** EXPLAIN [(TYPE LOGICAL | DISTRIBUTED | VALIDATE, FORMAT TEXT)] of a query: the embedded engine's plan as text. */
    private Outcome explain(ExecutionContext ctx, Explain explain, ResultSink sink) {
        boolean validate = false;
        for (ExplainOption option : explain.getOptions()) {
            if (option instanceof ExplainFormat f && f.getType() != ExplainFormat.Type.TEXT) {
                throw new TributaryException(ErrorCode.UNSUPPORTED, "EXPLAIN (FORMAT " + f.getType() + ") is not supported; Tributary shows plans "
                        + "as TEXT");
            }
            if (option instanceof ExplainType t) {
                switch (t.getType()) {
                    case LOGICAL, DISTRIBUTED -> {
                    }
                    case VALIDATE -> validate = true;
                    case IO -> throw new TributaryException(ErrorCode.UNSUPPORTED, "EXPLAIN (TYPE IO) is not supported; use EXPLAIN for the plan");
                }
            }
        }
        if (!(explain.getStatement() instanceof Query query)) {
            throw new TributaryException(ErrorCode.UNSUPPORTED, "EXPLAIN of " + statementName(explain.getStatement()) + " is not supported; "
                    + "EXPLAIN the SELECT it runs");
        }
        List<String> plan = engine.explain(request(ctx), query);
        if (validate) {
            sink.columns(List.of(ResultColumn.of("Valid", "boolean")));
            sink.row(new String[] {"true"});
            return new Outcome(QueryStats.none(), Optional.empty());
        }
        // Trino's plan is one text value; the embedded engine's is shown one line per row, readable in a table.
        return rows(sink, "Query Plan", plan);
    }

    /** A parsed statement's name as SQL spells it: {@code ExplainAnalyze} is {@code EXPLAIN ANALYZE}. */
    private static String statementName(Statement statement) {
        return statement.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT);
    }

    private EngineRequest request(ExecutionContext ctx) {
        return new EngineRequest(ctx.queryId(), ctx.database(), t -> readCheck(ctx, t), ctx.timeout(), ctx.cancelled());
    }

    static Statement parseTrino(ExecutionContext ctx, String sql, NodeLocation start) {
        return TrinoSyntax.parse(sql, start, ctx.timeout());
    }

    private Outcome ctas(ExecutionContext ctx, CreateTableAsSelect ctas, ResultSink sink) {
        TableName name = tableName(ctas.getName().getParts(), ctx.database());
        check(ctx, Action.MANAGE, "table", name.toString());
        if (ctas.getColumnAliases().isPresent()) {
            throw new TributaryException(ErrorCode.UNSUPPORTED, "column aliases in CREATE TABLE ... (a, b) AS are not supported; alias the SELECT's columns");
        }
        Map<String, String> props = properties(ctas.getProperties());
        for (String key : props.keySet()) {
            if (!Set.of("external_location", "format", "parquet_compression", "write_compression", "orc_compression", "partitioned_by",
                    "field_delimiter", "is_external", "compression_level").contains(key)) {
                throw new TributaryException(ErrorCode.UNSUPPORTED, "CTAS property '" + key + "' is not supported; use external_location, format, "
                        + "write_compression (or parquet_compression), partitioned_by and field_delimiter");
            }
        }
        catalog.requireDatabase(name.database());
        if (catalog.relation(name).isPresent()) {
            if (ctas.getSaveMode() == SaveMode.IGNORE) {
                return done(sink);
            }
            throw new TributaryException(ErrorCode.ALREADY_EXISTS, "Table " + name + " already exists");
        }
        Location location = props.containsKey("external_location") ? location(props.get("external_location"), "external_location").asPrefix()
                : ctx.resultsLocation().asPrefix().child("tables/").child(ctx.queryId() + "/");
        requireEmpty(location, name.toString());
        check(ctx, Action.WRITE, "bucket", location.bucket());
        Format format = Format.of(props, "PARQUET", "GZIP");
        List<String> partitionBy = partitionedBy(props);
        WriteResult written;
        if (ctas.isWithData()) {
            written = write(ctx, ctas.getQuery(), format, partitionBy, Optional.empty(), location, Optional.empty());
        } else {
            written = write(ctx, limitZero(ctas.getQuery()), format, partitionBy, Optional.empty(), location, Optional.empty());
        }
        List<Column> columns = written.columns().stream().filter(c -> !partitionBy.contains(c.name())).toList();
        List<Column> keys = written.columns().stream().filter(c -> partitionBy.contains(c.name())).toList();
        Map<String, String> tableProps = new TreeMap<>();
        if (format.format() == OutputFormat.PARQUET) {
            tableProps.put("parquet.compression", format.compression());
        } else if (!format.compression().equals("NONE")) {
            tableProps.put("write.compression", format.compression());
        }
        Map<String, String> serde = format.format() == OutputFormat.TEXTFILE ? Map.of("field.delim", format.text().fieldDelimiter()) : Map.of();
        TableDefinition table = new TableDefinition(name, columns, keys, location,
                StorageDescriptor.of(format.tableFormat(), serde), tableProps, Optional.empty(), clock.instant());
        catalog.createTable(table, false, false);
        registerWritten(table, written, location);
        return done(sink, written.stats());
    }

    private Outcome insert(ExecutionContext ctx, Insert insert, ResultSink sink) {
        TableName name = tableName(insert.getTarget().getParts(), ctx.database());
        TableDefinition table = catalog.requireTable(name);
        check(ctx, Action.WRITE, "table", name.toString());
        if (PartitionProjection.of(table).map(p -> !p.writable()).orElse(false)) {
            throw new TributaryException(ErrorCode.UNSUPPORTED, "INSERT INTO " + name + ": the table projects its partitions with "
                    + "storage.location.template or a date format, and Tributary writes partitions only at <location>/key=value/ "
                    + "(as Trino does); write with UNLOAD to the template's locations instead");
        }
        List<Column> columns = table.allColumns();
        List<OptionalInt> sources = new ArrayList<>();
        if (insert.getColumns().isPresent()) {
            // A column list may name a subset in any order; the columns it leaves out are NULL, as in Trino.
            List<String> given = new ArrayList<>();
            for (Identifier id : insert.getColumns().get()) {
                String column = id.getValue().toLowerCase(Locale.ROOT);
                if (columns.stream().noneMatch(c -> c.name().equals(column))) {
                    throw TributaryException.invalidArgument("Insert column name does not exist: %s (the columns of %s are %s)", column, name,
                            columns.stream().map(Column::name).toList());
                }
                if (given.contains(column)) {
                    throw TributaryException.invalidArgument("Insert column name is specified more than once: %s", column);
                }
                given.add(column);
            }
            for (Column c : columns) {
                int i = given.indexOf(c.name());
                sources.add(i < 0 ? OptionalInt.empty() : OptionalInt.of(i));
            }
        } else {
            for (int i = 0; i < columns.size(); i++) {
                sources.add(OptionalInt.of(i));
            }
        }
        TextLayout text = TextLayout.delimited("\u0001");
        Format format = switch (table.storage().format()) {
            case PARQUET -> new Format(OutputFormat.PARQUET, table.property("parquet.compression").orElse("GZIP").toUpperCase(Locale.ROOT), text);
            case JSON -> new Format(OutputFormat.JSON, "GZIP", text);
            case TEXT -> new Format(OutputFormat.TEXTFILE, "GZIP", textLayout(table));
            case ORC, AVRO -> throw new TributaryException(ErrorCode.UNSUPPORTED, "INSERT INTO " + name + ": " + table.storage().format()
                    + " tables cannot be written");
        };
        List<String> fileNames = columns.stream().map(c -> table.storage().format() == TableFormat.JSON
                ? table.storage().serdeProperty("mapping." + c.name()).orElse(c.name()) : c.name()).toList();
        List<String> partitionBy = table.partitionKeys().stream().map(Column::name).toList();
        WriteResult written = write(ctx, insert.getQuery(), format, partitionBy, Optional.of(new InsertTarget(name.toString(), columns, sources,
                fileNames)), table.location(), Optional.of(table));
        return done(sink, written.stats());
    }

    /** The layout a text table's SerDe reads back; Trino refuses the same headers and footers on INSERT. */
    private static TextLayout textLayout(TableDefinition table) {
        TextSerde serde = TextSerde.of(table);
        if (serde.headerLines() > 1) {
            throw new TributaryException(ErrorCode.UNSUPPORTED, "INSERT INTO " + table.name() + ": inserting into a table with "
                    + "skip.header.line.count greater than 1 is not supported (as in Trino)");
        }
        if (table.property("skip.footer.line.count").isPresent()) {
            throw new TributaryException(ErrorCode.UNSUPPORTED, "INSERT INTO " + table.name() + ": inserting into a table with "
                    + "skip.footer.line.count is not supported (as in Trino)");
        }
        return new TextLayout(serde.fieldDelimiter(), serde.nullFormat(), serde.quote(), serde.escape().filter(e -> serde.openCsv()),
                serde.headerLines(), serde.collectionDelimiter(), serde.mapKeyDelimiter());
    }

    private Outcome unload(ExecutionContext ctx, SqlStatement.Unload s, ResultSink sink) {
        Statement parsed = parseTrino(ctx, s.query(), new NodeLocation(s.queryLine(), s.queryColumn()));
        if (!(parsed instanceof Query query)) {
            throw TributaryException.invalidArgument("UNLOAD needs a SELECT in its parentheses");
        }
        Location location = location(s.location(), "UNLOAD location").asPrefix();
        check(ctx, Action.WRITE, "bucket", location.bucket());
        requireEmpty(location, "UNLOAD");
        Map<String, String> props = new LinkedHashMap<>(s.properties());
        for (String key : props.keySet()) {
            if (!Set.of("format", "compression", "partitioned_by", "field_delimiter").contains(key)) {
                throw new TributaryException(ErrorCode.UNSUPPORTED, "UNLOAD property '" + key + "' is not supported; use format, compression, "
                        + "partitioned_by and field_delimiter");
            }
        }
        if (props.containsKey("compression")) {
            props.put("write_compression", props.remove("compression"));
        }
        Format format = Format.of(props, "TEXTFILE", "GZIP");
        List<String> partitionBy = partitionedBy(props);
        WriteResult written = write(ctx, query, format, partitionBy, Optional.empty(), location, Optional.empty());
        return done(sink, written.stats());
    }

    private record Format(OutputFormat format, String compression, TextLayout text) {
        static Format of(Map<String, String> props, String defaultFormat, String defaultCompression) {
            String f = props.getOrDefault("format", defaultFormat).toUpperCase(Locale.ROOT);
            OutputFormat format = switch (f) {
                case "PARQUET" -> OutputFormat.PARQUET;
                case "JSON" -> OutputFormat.JSON;
                case "TEXTFILE" -> OutputFormat.TEXTFILE;
                default -> throw new TributaryException(ErrorCode.UNSUPPORTED, "format '" + f + "' cannot be written by Tributary; use PARQUET, "
                        + "JSON or TEXTFILE");
            };
            String compression = Optional.ofNullable(props.get("write_compression")).or(() -> Optional.ofNullable(props.get("parquet_compression")))
                    .orElse(defaultCompression).toUpperCase(Locale.ROOT);
            if (!Set.of("SNAPPY", "GZIP", "ZSTD", "NONE", "UNCOMPRESSED").contains(compression)
                    || (format != OutputFormat.PARQUET && compression.equals("SNAPPY"))) {
                throw TributaryException.invalidArgument("compression '%s' is not supported for %s; use %s", compression, f,
                        format == OutputFormat.PARQUET ? "SNAPPY, GZIP, ZSTD or NONE" : "GZIP, ZSTD or NONE");
            }
            return new Format(format, compression.equals("UNCOMPRESSED") ? "NONE" : compression,
                    TextLayout.delimited(props.getOrDefault("field_delimiter", "\u0001")));
        }

        TableFormat tableFormat() {
            return switch (format) {
                case PARQUET -> TableFormat.PARQUET;
                case JSON -> TableFormat.JSON;
                case TEXTFILE -> TableFormat.TEXT;
            };
        }
    }

    private static List<String> partitionedBy(Map<String, String> props) {
        String value = props.get("partitioned_by");
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(value.split(",")).map(v -> v.trim().toLowerCase(Locale.ROOT)).toList();
    }

    private static Map<String, String> properties(List<Property> properties) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Property p : properties) {
            String key = p.getName().getValue().toLowerCase(java.util.Locale.ROOT);
            if (p.isSetToDefault()) {
                continue;
            }
            Expression value = p.getNonDefaultValue();
            if (value instanceof StringLiteral s) {
                out.put(key, s.getValue());
            } else if (value instanceof Array a) {
                List<String> items = new ArrayList<>();
                for (Expression e : a.getValues()) {
                    if (!(e instanceof StringLiteral s)) {
                        throw TributaryException.invalidArgument("property '%s' must be an ARRAY of strings", key);
                    }
                    items.add(s.getValue());
                }
                out.put(key, String.join(",", items));
            } else if (value instanceof io.trino.sql.tree.BooleanLiteral b) {
                out.put(key, Boolean.toString(b.getValue()));
            } else if (value instanceof io.trino.sql.tree.LongLiteral l) {
                out.put(key, l.getValue());
            } else {
                throw TributaryException.invalidArgument("property '%s' must be a string literal, such as %s = 'PARQUET'", key, key);
            }
        }
        return out;
    }

    private void requireEmpty(Location location, String what) {
        try (Stream<ObjectInfo> objects = lake.list(location.asPrefix())) {
            if (objects.findAny().isPresent()) {
                throw new TributaryException(ErrorCode.ALREADY_EXISTS, "HIVE_PATH_ALREADY_EXISTS: Target directory for " + what + " already exists: "
                        + location + ". You may need to manually clean the data at location before retrying; Tributary, like Athena, "
                        + "does not delete data at a CTAS or UNLOAD location");
            }
        }
    }

    /**
     * Runs the query into the staging directory, then puts the files into the lake: under
     * {@code location} as written (CTAS, UNLOAD), or, for an INSERT into {@code table}, each file
     * into its partition's registered location, registering partitions that are new.
     */
    private WriteResult write(ExecutionContext ctx, Query query, Format format, List<String> partitionBy, Optional<InsertTarget> insert,
            Location location, Optional<TableDefinition> table) {
        Path dir = staging.resolve(ctx.queryId());
        try {
            WriteResult result = engine.write(request(ctx), query,
                    new WriteSpec(dir, format.format(), format.compression(), format.text(), partitionBy, ctx.queryId(), insert));
            if (table.isEmpty() || !table.get().partitioned()) {
                for (Path file : result.files()) {
                    lake.put(location.asPrefix().child(relativeKey(file)), dir.resolve(file));
                }
                return result;
            }
            TableDefinition t = table.get();
            Map<String, Partition> registered = new LinkedHashMap<>();
            for (Partition p : catalog.partitions(t.name())) {
                registered.put(p.name(t.partitionKeys()), p);
            }
            Map<String, Partition> added = new LinkedHashMap<>();
            for (Path file : result.files()) {
                List<String> values = folderValues(t, file);
                Partition fresh = new Partition(values, defaultLocation(t, values));
                String name = fresh.name(t.partitionKeys());
                Partition target = registered.containsKey(name) ? registered.get(name) : added.computeIfAbsent(name, n -> fresh);
                lake.put(target.location().asPrefix().child(file.getFileName().toString()), dir.resolve(file));
            }
            catalog.addPartitions(t, List.copyOf(added.values()), true);
            return result;
        } finally {
            deleteRecursively(dir);
        }
    }

    /** Registers the partitions a CTAS wrote under its location, each at the folder DuckDB wrote. */
    private void registerWritten(TableDefinition table, WriteResult written, Location location) {
        if (!table.partitioned()) {
            return;
        }
        Map<String, Partition> partitions = new LinkedHashMap<>();
        for (Path file : written.files()) {
            List<String> values = folderValues(table, file);
            Location folder = location.asPrefix().child(relativeKey(file.getParent()) + "/");
            Partition p = new Partition(values, folder);
            partitions.putIfAbsent(p.name(table.partitionKeys()), p);
        }
        catalog.addPartitions(table, List.copyOf(partitions.values()), true);
    }

    /** The typed values of the {@code key=value/...} folders a written file sits in. */
    private static List<String> folderValues(TableDefinition table, Path file) {
        Path folder = file.getParent();
        if (folder == null || folder.getNameCount() != table.partitionKeys().size()) {
            throw new TributaryException(ErrorCode.INTERNAL, "written file " + file + " is not in a partition folder of " + table.name());
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < folder.getNameCount(); i++) {
            String segment = folder.getName(i).toString();
            String raw = PartitionValues.unescapePathValue(segment.substring(segment.indexOf('=') + 1));
            values.add(PartitionValues.canonical(table.partitionKeys().get(i).type(), raw).orElse(raw));
        }
        return values;
    }

    private static String relativeKey(Path file) {
        List<String> parts = new ArrayList<>();
        file.forEach(p -> parts.add(p.toString()));
        return String.join("/", parts);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left for the next start's cleanup
                }
            });
        } catch (IOException e) {
            // left for the next start's cleanup
        }
    }

    private static TableName tableName(List<String> parts, String database) {
        return switch (parts.size()) {
            case 1 -> new TableName(database, parts.get(0));
            case 2 -> new TableName(parts.get(0), parts.get(1));
            case 3 -> new TableName(parts.get(1), parts.get(2));
            default -> throw TributaryException.invalidArgument("'%s' is not a table name", String.join(".", parts));
        };
    }

    // ---- helpers

    private void check(ExecutionContext ctx, Action action, String type, String resource) {
        authorizer.check(ctx.principal(), Permission.of(action, type, resource));
    }

    private void readCheck(ExecutionContext ctx, TableName table) {
        authorizer.check(ctx.principal(), Permission.of(Action.READ, "table", table.toString()));
    }

    private static Outcome done(ResultSink sink) {
        return done(sink, QueryStats.none());
    }

    private static Outcome done(ResultSink sink, QueryStats stats) {
        sink.columns(List.of());
        return new Outcome(stats, Optional.empty());
    }

    private static Outcome rows(ResultSink sink, String column, List<String> values) {
        sink.columns(List.of(ResultColumn.of(column, "varchar")));
        values.forEach(v -> sink.row(new String[] {v}));
        return new Outcome(QueryStats.none(), Optional.empty());
    }

    /** Hive's SHOW ... LIKE patterns: '*' any characters, '|' alternatives, case-insensitive. */
    static boolean like(String name, String pattern) {
        for (String alternative : pattern.toLowerCase(Locale.ROOT).split("\\|")) {
            String regex = java.util.regex.Pattern.quote(alternative.trim()).replace("*", "\\E.*\\Q");
            if (name.toLowerCase(Locale.ROOT).matches(regex)) {
                return true;
            }
        }
        return false;
    }

    /** Parses one statement of Athena's dialect. */
    public static SqlStatement parse(String sql) {
        return StatementParser.parse(sql);
    }
}
