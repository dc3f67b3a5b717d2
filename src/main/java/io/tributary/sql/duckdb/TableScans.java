package io.tributary.sql.duckdb;

import static io.tributary.sql.duckdb.TrinoToDuckDb.identifier;
import static io.tributary.sql.duckdb.TrinoToDuckDb.string;
import static java.util.Objects.requireNonNull;

import io.trino.sql.tree.Expression;
import io.trino.sql.tree.NodeLocation;
import io.trino.sql.tree.Query;
import io.trino.sql.tree.Statement;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.sql.EngineRequest;
import io.tributary.sql.catalog.Catalog;
import io.tributary.sql.catalog.Column;
import io.tributary.sql.catalog.DataType;
import io.tributary.sql.catalog.Partition;
import io.tributary.sql.catalog.PartitionProjection;
import io.tributary.sql.catalog.PartitionValues;
import io.tributary.sql.catalog.TableDefinition;
import io.tributary.sql.catalog.TableFormat;
import io.tributary.sql.catalog.TableName;
import io.tributary.sql.catalog.TextSerde;
import io.tributary.sql.parser.TrinoSyntax;
import java.time.Duration;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds the DuckDB subquery that reads a catalog table: the files of its registered partitions
 * (pruned by the query's predicates), read with the table's format and SerDe semantics, projected
 * to the table's columns and types, with partition keys taking the catalog's typed values.
 *
 * <p>Hive-style partitions at their canonical folders are read in one scan with DuckDB's
 * {@code hive_partitioning} (as a hand-written DuckDB query over the same files would be);
 * partitions elsewhere are read each on its own with their values as literals.
 *
 * <p>One instance per query; not thread-safe. It records the tables read and the bytes of the
 * files it chose, Athena's "data scanned".
 */
final class TableScans implements RelationSource {
    /** A folder value DuckDB's hive partitioning reads as written (compiled once: it is checked for every partition key of every query). */
    private static final Pattern PLAIN_VALUE = Pattern.compile("[A-Za-z0-9_.+-]+");

    /** The engine's file readers and caches, shared by every query's scans, and the clock partition projection reads NOW from. */
    record Readers(LakeFiles files, JsonKeys jsonKeys, OpenCsvFiles openCsv, Function<List<ObjectInfo>, Map<Path, List<String>>> parquetColumns,
            Clock clock) {
        Readers {
            requireNonNull(clock, "clock is null");
            requireNonNull(files, "files is null");
            requireNonNull(jsonKeys, "jsonKeys is null");
            requireNonNull(openCsv, "openCsv is null");
            requireNonNull(parquetColumns, "parquetColumns is null");
        }
    }

    private final Catalog catalog;
    private final LakeFiles files;
    private final JsonKeys jsonKeys;
    private final OpenCsvFiles openCsv;
    private final Function<List<ObjectInfo>, Map<Path, List<String>>> parquetColumns;
    private final Clock clock;
    private final Consumer<TableName> readCheck;
    private final Duration parseLimit;
    private final Set<TableName> tablesRead = new LinkedHashSet<>();
    private final Map<String, Long> malformedLines = new HashMap<>();
    private long bytesScanned;
    private int filesScanned;

    TableScans(Catalog catalog, Readers readers, EngineRequest request) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.files = readers.files();
        this.jsonKeys = readers.jsonKeys();
        this.openCsv = readers.openCsv();
        this.parquetColumns = readers.parquetColumns();
        this.clock = readers.clock();
        this.readCheck = requireNonNull(request, "request is null").readCheck();
        this.parseLimit = request.timeout();
    }

    Set<TableName> tablesRead() {
        return tablesRead;
    }

    /**
     * The first line of a JSON file read that is not JSON by itself, by the path DuckDB was given:
     * the line OpenX fails on, which DuckDB's messages may place later.
     */
    OptionalLong firstMalformedLine(String path) {
        Long line = malformedLines.get(path);
        return line == null ? OptionalLong.empty() : OptionalLong.of(line);
    }

    long bytesScanned() {
        return bytesScanned;
    }

    int filesScanned() {
        return filesScanned;
    }

    @Override
    public Resolved resolve(TableName name, String alias, List<Expression> conjuncts, boolean soleRelation) {
        if (name.database().equals(InformationSchema.NAME)) {
            return new Scan(InformationSchema.scan(name.table(), catalog, this::readable));
        }
        Catalog.Relation relation = catalog.relation(name).orElseThrow(() -> {
            if (catalog.database(name.database()).isEmpty()) {
                return TributaryException.notFound("Schema '%s' does not exist (table '%s')", name.database(), name);
            }
            return TributaryException.notFound("Table '%s' does not exist", name);
        });
        readCheck.accept(name);
        tablesRead.add(name);
        return switch (relation) {
            case Catalog.ViewRelation view -> new View(parseView(view.view().sql(), name), name.database());
            case Catalog.TableRelation table -> new Scan(scan(table.table(), alias, conjuncts, soleRelation));
        };
    }

    private boolean readable(TableName name) {
        try {
            readCheck.accept(name);
            return true;
        } catch (TributaryException e) {
            if (e.code() == ErrorCode.ACCESS_DENIED) {
                return false;
            }
            throw e;
        }
    }

    Query parseView(String sql, TableName name) {
        try {
            Statement statement = TrinoSyntax.parse(sql, new NodeLocation(1, 1), parseLimit);
            if (statement instanceof Query q) {
                return q;
            }
        } catch (TributaryException e) {
            if (e.code() != ErrorCode.INVALID_ARGUMENT) {
                throw e;
            }
            throw new TributaryException(ErrorCode.INVALID_ARGUMENT, "View '" + name + "' is stale or in invalid state: " + e.getMessage()
                    + "; recreate it with CREATE OR REPLACE VIEW");
        }
        throw new TributaryException(ErrorCode.INVALID_ARGUMENT, "View '" + name + "' is stale or in invalid state: it is not a query; "
                + "recreate it with CREATE OR REPLACE VIEW");
    }

    private record PartitionFiles(Optional<Partition> partition, List<ObjectInfo> objects) {}

    String scan(TableDefinition table, String alias, List<Expression> conjuncts, boolean sole) {
        if (table.storage().format() == TableFormat.ORC || table.storage().format() == TableFormat.AVRO) {
            throw new TributaryException(ErrorCode.UNSUPPORTED, "table " + table.name() + " is stored as " + table.storage().format()
                    + ", which Tributary's SQL engine cannot read yet; store it as Parquet, JSON or text");
        }
        List<PartitionFiles> parts = new ArrayList<>();
        if (table.partitioned()) {
            PartitionFilter filter = new PartitionFilter(table, alias, sole);
            Optional<PartitionProjection> projection = PartitionProjection.of(table);
            if (projection.isPresent()) {
                ProjectedPartitions.of(table, projection.get(), filter, conjuncts, files, clock.instant())
                        .forEach((p, objects) -> parts.add(new PartitionFiles(Optional.of(p), objects)));
            } else {
                for (Partition p : catalog.partitions(table.name())) {
                    if (filter.mayMatch(conjuncts, p)) {
                        parts.add(new PartitionFiles(Optional.of(p), files.list(p.location())));
                    }
                }
            }
        } else {
            parts.add(new PartitionFiles(Optional.empty(), files.list(table.location())));
        }
        List<String> selects = new ArrayList<>();
        List<PartitionFiles> canonical = new ArrayList<>();
        for (PartitionFiles pf : parts) {
            if (pf.objects().isEmpty()) {
                continue;
            }
            for (ObjectInfo o : pf.objects()) {
                bytesScanned += o.size();
                filesScanned++;
            }
            if (pf.partition().isPresent() && canonicalLayout(table, pf)) {
                canonical.add(pf);
            } else {
                selects.addAll(read(table, pf.objects(), pf.partition(), false));
            }
        }
        if (!canonical.isEmpty()) {
            List<ObjectInfo> all = canonical.stream().flatMap(pf -> pf.objects().stream()).toList();
            selects.addAll(0, read(table, all, Optional.empty(), true));
        }
        if (selects.isEmpty()) {
            return "SELECT " + table.allColumns().stream().map(c -> "CAST(NULL AS " + c.type().duckDb() + ") AS " + identifier(c.name()))
                    .collect(Collectors.joining(", ")) + " WHERE FALSE";
        }
        return selects.size() == 1 ? selects.get(0) : selects.stream().map(s -> "(" + s + ")").collect(Collectors.joining(" UNION ALL "));
    }

    /**
     * Whether DuckDB's hive partitioning gives the same values as the catalog: the partition's
     * folder is the table location plus {@code key=value/...} whose values are the registered ones,
     * and no other part of the files' local paths looks like {@code key=value}.
     */
    private boolean canonicalLayout(TableDefinition table, PartitionFiles pf) {
        Partition p = pf.partition().orElseThrow();
        String base = table.location().asPrefix().key();
        String key = p.location().asPrefix().key();
        if (!p.location().bucket().equals(table.location().bucket()) || !key.startsWith(base)) {
            return false;
        }
        String[] segments = key.substring(base.length()).split("/");
        List<Column> keys = table.partitionKeys();
        if (segments.length != keys.size()) {
            return false;
        }
        for (int i = 0; i < keys.size(); i++) {
            String segment = segments[i];
            int eq = segment.indexOf('=');
            if (eq < 0 || !segment.substring(0, eq).equals(keys.get(i).name())) {
                return false;
            }
            String raw = segment.substring(eq + 1);
            if (!PLAIN_VALUE.matcher(raw).matches() || !PartitionValues.canonical(keys.get(i).type(), raw).equals(Optional.of(p.values().get(i)))) {
                return false;
            }
            if (!keys.get(i).type().isNumeric() && !raw.equals(p.values().get(i))) {
                return false;
            }
        }
        for (ObjectInfo o : pf.objects()) {
            Path local = files.local(o);
            long assignments = 0;
            for (Path part : local) {
                if (part.toString().contains("=")) {
                    assignments++;
                }
            }
            if (assignments != keys.size()) {
                return false;
            }
        }
        return true;
    }

    /** SELECT statements reading the objects (more than one when JSON objects spell keys differently). */
    private List<String> read(TableDefinition table, List<ObjectInfo> objects, Optional<Partition> literalPartition, boolean hive) {
        Map<String, String> hiveTypes = new LinkedHashMap<>();
        table.partitionKeys().forEach(k -> hiveTypes.put(k.name(), k.type().duckDb()));
        String hiveOptions = hive ? ", hive_partitioning = true, hive_types = " + struct(hiveTypes) : ", hive_partitioning = false";
        List<String> partitionColumns = new ArrayList<>();
        for (int i = 0; i < table.partitionKeys().size(); i++) {
            Column k = table.partitionKeys().get(i);
            Optional<String> value = literalPartition.map(p -> p.values().get(table.partitionKeys().indexOf(k)))
                    .filter(v -> !v.equals(PartitionValues.DEFAULT_PARTITION));
            partitionColumns.add(hive ? identifier(k.name())
                    : "CAST(" + value.map(TrinoToDuckDb::string).orElse("NULL") + " AS " + k.type().duckDb() + ") AS " + identifier(k.name()));
        }
        List<String> out = new ArrayList<>();
        switch (table.storage().format()) {
            case JSON -> {
                JsonKeys.Layout layout = JsonKeys.Layout.of(table);
                Map<Map<String, String>, List<Path>> groups = new LinkedHashMap<>();
                List<Path> rewritten = new ArrayList<>();
                for (ObjectInfo o : objects) {
                    Path local = files.local(o);
                    JsonKeys.Shape shape = jsonKeys.shape(o, local, layout);
                    Path read = shape.rewrite() ? jsonKeys.rewritten(o, local, layout) : local;
                    shape.firstMalformedLine().ifPresent(line -> malformedLines.put(read.toString(), line));
                    if (shape.rewrite()) {
                        rewritten.add(read);
                    } else {
                        groups.computeIfAbsent(shape.spellings(), k -> new ArrayList<>()).add(local);
                    }
                }
                if (!rewritten.isEmpty()) {
                    // A re-written object has the table's names as its keys.
                    groups.computeIfAbsent(table.columns().stream().collect(Collectors.toMap(Column::name, Column::name)), k -> new ArrayList<>())
                            .addAll(rewritten);
                }
                boolean ignoreMalformed = table.storage().serdeProperty("ignore.malformed.json").map(v -> v.equalsIgnoreCase("true")).orElse(false);
                for (Map.Entry<Map<String, String>, List<Path>> group : groups.entrySet()) {
                    Map<String, String> columns = new LinkedHashMap<>();
                    List<String> projection = new ArrayList<>();
                    for (Column c : table.columns()) {
                        // A key the objects lack reads as NULL; a mapped column never reads its own name.
                        String spelling = group.getKey().getOrDefault(c.name(), layout.keys().get(c.name()));
                        columns.put(spelling, c.type().duckDb());
                        projection.add(identifier(spelling) + " AS " + identifier(c.name()));
                    }
                    projection.addAll(partitionColumns);
                    out.add("SELECT " + String.join(", ", projection) + " FROM read_json(" + fileList(group.getValue())
                            + ", format = 'newline_delimited', columns = " + struct(columns) + ", ignore_errors = " + ignoreMalformed
                            + ", maximum_object_size = 16777216" + hiveOptions + ")");
                }
            }
            case PARQUET -> {
                List<Path> paths = objects.stream().map(files::local).toList();
                Map<Path, List<String>> schemas = parquetColumns.apply(objects);
                Map<String, String> present = new LinkedHashMap<>();
                Set<List<String>> distinct = new LinkedHashSet<>();
                for (List<String> names : schemas.values()) {
                    distinct.add(names);
                    for (String n : names) {
                        present.putIfAbsent(n.toLowerCase(Locale.ROOT), n);
                    }
                }
                List<String> projection = new ArrayList<>();
                for (Column c : table.columns()) {
                    String actual = present.get(c.name());
                    projection.add(actual == null ? "CAST(NULL AS " + c.type().duckDb() + ") AS " + identifier(c.name())
                            : "CAST(" + identifier(actual) + " AS " + c.type().duckDb() + ") AS " + identifier(c.name()));
                }
                projection.addAll(partitionColumns);
                out.add("SELECT " + String.join(", ", projection) + " FROM read_parquet(" + fileList(paths)
                        + (distinct.size() > 1 ? ", union_by_name = true" : "") + hiveOptions + ")");
            }
            case TEXT -> {
                TextSerde serde = TextSerde.of(table);
                TextSerde.requireReadable(table);
                List<Path> direct = new ArrayList<>();
                List<Path> rewritten = new ArrayList<>();
                for (ObjectInfo o : objects) {
                    Path local = files.local(o);
                    if (serde.openCsv()) {
                        OpenCsvFiles.Readable r = openCsv.readable(o, local, serde);
                        (r.rewritten() ? rewritten : direct).add(r.path());
                    } else {
                        direct.add(local);
                    }
                }
                Map<String, String> columns = new LinkedHashMap<>();
                List<String> projection = new ArrayList<>();
                for (int i = 0; i < table.columns().size(); i++) {
                    Column c = table.columns().get(i);
                    columns.put("c" + i, "VARCHAR");
                    projection.add(textValue(identifier("c" + i), c, serde, table) + " AS " + identifier(c.name()));
                }
                projection.addAll(partitionColumns);
                String select = "SELECT " + String.join(", ", projection) + " FROM read_csv(";
                String rest = ", columns = " + struct(columns) + hiveOptions + ")";
                if (!direct.isEmpty()) {
                    out.add(select + fileList(direct) + ", " + csvOptions(serde) + rest);
                }
                if (!rewritten.isEmpty()) {
                    // Re-quoted by OpenCsvFiles: plain CSV, header lines already dropped.
                    out.add(select + fileList(rewritten) + ", delim = ',', quote = '\"', escape = '\"', header = false, skip = 0, "
                            + "auto_detect = false, null_padding = true, strict_mode = false, nullstr = ''" + rest);
                }
            }
            case ORC, AVRO -> throw new IllegalStateException("refused above");
        }
        return out;
    }

    private static String csvOptions(TextSerde serde) {
        String quote = serde.quote().orElse("");
        // OpenCSV objects read here hold no escape character, so a doubled quote is the only escape (opencsv reads "" as ").
        String escape = serde.openCsv() ? quote : serde.escape().orElse("");
        return "delim = " + string(serde.fieldDelimiter()) + ", quote = " + string(quote) + ", escape = " + string(escape)
                + ", header = false, skip = " + serde.headerLines() + ", auto_detect = false, null_padding = true, strict_mode = false, "
                + "nullstr = " + string(serde.nullFormat());
    }

    /**
     * A text field as the column's type, as LazySimpleSerDe reads it: a value that does not parse is
     * NULL; an array is its items split by the collection delimiter (an empty field is an empty
     * array), a map its entries split again at the first map-key delimiter (the first of repeated
     * keys wins, an entry without a key is skipped), a struct its fields in order; an item equal to
     * the NULL format is NULL.
     */
    private static String textValue(String field, Column column, TextSerde serde, TableDefinition table) {
        DataType type = column.type();
        String nullFormat = string(serde.nullFormat());
        String items = "string_split(" + field + ", " + string(serde.collectionDelimiter()) + ")";
        return switch (type.kind()) {
            case STRING, VARCHAR, CHAR -> field;
            case ARRAY -> "CASE WHEN " + field + " IS NULL THEN NULL WHEN " + field + " = '' THEN CAST([] AS " + type.duckDb() + ") ELSE "
                    + "list_transform(" + items + ", lambda x: " + item("x", type.parameters().get(0), nullFormat) + ") END";
            case MAP -> {
                String mapKey = string(serde.mapKeyDelimiter());
                String at = "strpos(x, " + mapKey + ")";
                String key = item("CASE WHEN " + at + " = 0 THEN x ELSE substr(x, 1, " + at + " - 1) END", type.parameters().get(0), nullFormat);
                String value = item("CASE WHEN " + at + " = 0 THEN NULL ELSE substr(x, " + at + " + length(" + mapKey + ")) END",
                        type.parameters().get(1), nullFormat);
                String entries = "list_transform(" + items + ", lambda x: {'key': " + key + ", 'value': " + value + "})";
                yield "CASE WHEN " + field + " IS NULL THEN NULL WHEN " + field + " = '' THEN CAST(MAP {} AS " + type.duckDb() + ") ELSE CAST("
                        + "map_from_entries(list_filter(" + entries + ", lambda e, i: e.key IS NOT NULL AND list_position(list_transform("
                        + entries + ", lambda f: f.key), e.key) = i)) AS " + type.duckDb() + ") END";
            }
            case STRUCT -> {
                List<String> fields = new ArrayList<>();
                for (int i = 0; i < type.parameters().size(); i++) {
                    fields.add(identifier(type.fieldNames().get(i)) + " := " + item("list_extract(" + items + ", " + (i + 1) + ")",
                            type.parameters().get(i), nullFormat));
                }
                yield "CASE WHEN " + field + " IS NULL THEN NULL ELSE struct_pack(" + String.join(", ", fields) + ") END";
            }
            // nullif() keeps DuckDB from pushing the cast into the CSV reader, which would make it a strict cast that fails the query.
            default -> "TRY_CAST(nullif(" + field + ", chr(0)) AS " + type.duckDb() + ")";
        };
    }

    private static String item(String text, DataType type, String nullFormat) {
        String value = "nullif(" + text + ", " + nullFormat + ")";
        return switch (type.kind()) {
            case STRING, VARCHAR, CHAR -> value;
            default -> "TRY_CAST(" + value + " AS " + type.duckDb() + ")";
        };
    }

    private static String fileList(List<Path> paths) {
        return "[" + paths.stream().map(p -> string(p.toString())).collect(Collectors.joining(", ")) + "]";
    }

    private static String struct(Map<String, String> entries) {
        return "{" + entries.entrySet().stream().map(e -> string(e.getKey()) + ": " + string(e.getValue())).collect(Collectors.joining(", ")) + "}";
    }
}
