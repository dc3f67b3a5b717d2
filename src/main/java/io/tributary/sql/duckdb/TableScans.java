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
import io.tributary.lake.ObjectInfo;
import io.tributary.sql.EngineRequest;
import io.tributary.sql.catalog.Catalog;
import io.tributary.sql.catalog.Column;
import io.tributary.sql.catalog.Partition;
import io.tributary.sql.catalog.PartitionValues;
import io.tributary.sql.catalog.TableDefinition;
import io.tributary.sql.catalog.TableFormat;
import io.tributary.sql.catalog.TableName;
import io.tributary.sql.parser.TrinoSyntax;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
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
    private final Catalog catalog;
    private final LakeFiles files;
    private final JsonKeys jsonKeys;
    private final Function<List<ObjectInfo>, Map<Path, List<String>>> parquetColumns;
    private final Consumer<TableName> readCheck;
    private final Duration parseLimit;
    private final Set<TableName> tablesRead = new LinkedHashSet<>();
    private long bytesScanned;
    private int filesScanned;

    TableScans(Catalog catalog, LakeFiles files, JsonKeys jsonKeys, Function<List<ObjectInfo>, Map<Path, List<String>>> parquetColumns,
            EngineRequest request) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.files = requireNonNull(files, "files is null");
        this.jsonKeys = requireNonNull(jsonKeys, "jsonKeys is null");
        this.parquetColumns = requireNonNull(parquetColumns, "parquetColumns is null");
        this.readCheck = requireNonNull(request, "request is null").readCheck();
        this.parseLimit = request.timeout();
    }

    Set<TableName> tablesRead() {
        return tablesRead;
    }

    long bytesScanned() {
        return bytesScanned;
    }

    int filesScanned() {
        return filesScanned;
    }

    @Override
    public Resolved resolve(TableName name, String alias, List<Expression> conjuncts, boolean soleRelation) {
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
            for (Partition p : catalog.partitions(table.name())) {
                if (filter.mayMatch(conjuncts, p)) {
                    parts.add(new PartitionFiles(Optional.of(p), files.list(p.location())));
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
            if (!raw.matches("[A-Za-z0-9_.+-]+") || !PartitionValues.canonical(keys.get(i).type(), raw).equals(Optional.of(p.values().get(i)))) {
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
            partitionColumns.add(hive ? identifier(k.name())
                    : literalPartition.map(p -> "CAST(" + string(p.values().get(table.partitionKeys().indexOf(k))) + " AS " + k.type().duckDb() + ") AS "
                            + identifier(k.name())).orElse("CAST(NULL AS " + k.type().duckDb() + ") AS " + identifier(k.name())));
        }
        List<String> out = new ArrayList<>();
        switch (table.storage().format()) {
            case JSON -> {
                Set<String> names = table.columns().stream().map(Column::name).collect(Collectors.toCollection(LinkedHashSet::new));
                Map<Map<String, String>, List<Path>> groups = new LinkedHashMap<>();
                for (ObjectInfo o : objects) {
                    Path local = files.local(o);
                    groups.computeIfAbsent(jsonKeys.spellings(o, local, names), k -> new ArrayList<>()).add(local);
                }
                boolean ignoreMalformed = table.storage().serdeProperty("ignore.malformed.json").map(v -> v.equalsIgnoreCase("true")).orElse(false);
                for (Map.Entry<Map<String, String>, List<Path>> group : groups.entrySet()) {
                    Map<String, String> columns = new LinkedHashMap<>();
                    List<String> projection = new ArrayList<>();
                    for (Column c : table.columns()) {
                        String spelling = group.getKey().getOrDefault(c.name(), c.name());
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
                List<Path> paths = objects.stream().map(files::local).toList();
                Map<String, String> columns = new LinkedHashMap<>();
                List<String> projection = new ArrayList<>();
                for (int i = 0; i < table.columns().size(); i++) {
                    Column c = table.columns().get(i);
                    columns.put("c" + i, "VARCHAR");
                    // Hive's text SerDe reads a value that does not parse as NULL. nullif() keeps DuckDB from pushing the
                    // cast into the CSV reader, which would make it a strict cast that fails the query.
                    projection.add(c.type().duckDb().equals("VARCHAR") ? identifier("c" + i) + " AS " + identifier(c.name())
                            : "TRY_CAST(nullif(" + identifier("c" + i) + ", chr(0)) AS " + c.type().duckDb() + ") AS " + identifier(c.name()));
                }
                projection.addAll(partitionColumns);
                out.add("SELECT " + String.join(", ", projection) + " FROM read_csv(" + fileList(paths) + ", " + csvOptions(table)
                        + ", columns = " + struct(columns) + hiveOptions + ")");
            }
            case ORC, AVRO -> throw new IllegalStateException("refused above");
        }
        return out;
    }

    private static String csvOptions(TableDefinition table) {
        var serde = table.storage();
        boolean openCsv = serde.serde().equals(TableFormat.OPEN_CSV_SERDE);
        String delimiter = openCsv ? serde.serdeProperty("separatorChar").orElse(",")
                : serde.serdeProperty("field.delim").or(() -> serde.serdeProperty("serialization.format")).orElse("\u0001");
        if (delimiter.matches("\\d+") && !openCsv) {
            // Hive accepts a delimiter given as its character code ('1' in serialization.format means ^A).
            delimiter = String.valueOf((char) Integer.parseInt(delimiter));
        }
        String quote = openCsv ? serde.serdeProperty("quoteChar").orElse("\"") : "";
        String escape = openCsv ? serde.serdeProperty("escapeChar").orElse("\\") : serde.serdeProperty("escape.delim").orElse("");
        int skip = table.property("skip.header.line.count").map(v -> {
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw TributaryException.invalidArgument("table %s: skip.header.line.count '%s' is not a number", table.name(), v);
            }
        }).orElse(0);
        String nullFormat = openCsv ? "" : serde.serdeProperty("serialization.null.format").orElse("\\N");
        return "delim = " + string(delimiter) + ", quote = " + string(quote) + ", escape = " + string(escape) + ", header = false, skip = "
                + skip + ", auto_detect = false, null_padding = true, strict_mode = false, nullstr = " + string(nullFormat);
    }

    private static String fileList(List<Path> paths) {
        return "[" + paths.stream().map(p -> string(p.toString())).collect(Collectors.joining(", ")) + "]";
    }

    private static String struct(Map<String, String> entries) {
        return "{" + entries.entrySet().stream().map(e -> string(e.getKey()) + ": " + string(e.getValue())).collect(Collectors.joining(", ")) + "}";
    }
}
