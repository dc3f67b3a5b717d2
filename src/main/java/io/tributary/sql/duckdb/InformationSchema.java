package io.tributary.sql.duckdb;

import static io.tributary.sql.duckdb.TrinoToDuckDb.identifier;
import static io.tributary.sql.duckdb.TrinoToDuckDb.string;

import io.tributary.common.TributaryException;
import io.tributary.sql.catalog.Catalog;
import io.tributary.sql.catalog.Column;
import io.tributary.sql.catalog.DatabaseInfo;
import io.tributary.sql.catalog.TableDefinition;
import io.tributary.sql.catalog.TableName;
import io.tributary.sql.catalog.ViewDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The {@code information_schema} tables as Athena answers them, which JDBC and ODBC drivers and BI
 * tools read: {@code schemata}, {@code tables}, {@code columns} (with Athena's {@code comment} and
 * {@code extra_info}, {@code 'partition key'} for partition keys) and {@code views}, built from the
 * catalog as a DuckDB {@code VALUES} list. Only tables and views the principal may read are listed.
 *
 * <p>Stateless.
 */
final class InformationSchema {
    static final String NAME = "information_schema";
    private static final String CATALOG = "awsdatacatalog";

    private static final Map<String, List<String>> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("columns", List.of("table_catalog", "table_schema", "table_name", "column_name", "ordinal_position:BIGINT", "column_default",
                "is_nullable", "data_type", "comment", "extra_info"));
        TABLES.put("schemata", List.of("catalog_name", "schema_name"));
        TABLES.put("tables", List.of("table_catalog", "table_schema", "table_name", "table_type"));
        TABLES.put("views", List.of("table_catalog", "table_schema", "table_name", "view_definition"));
    }

    private InformationSchema() {}

    /**
     * @param readable whether the principal may read a table or view
     * @throws TributaryException {@code NOT_FOUND} for a table information_schema does not have
     */
    static String scan(String table, Catalog catalog, Predicate<TableName> readable) {
        List<String> columns = TABLES.get(table);
        if (columns == null) {
            throw TributaryException.notFound("Table '%s.%s' does not exist; information_schema has %s", NAME, table, TABLES.keySet());
        }
        List<List<Object>> rows = new ArrayList<>();
        List<DatabaseInfo> databases = catalog.databases();
        switch (table) {
            case "schemata" -> {
                rows.add(List.of(CATALOG, NAME));
                databases.forEach(d -> rows.add(List.of(CATALOG, d.name())));
            }
            case "tables" -> {
                TABLES.keySet().forEach(t -> rows.add(List.of(CATALOG, NAME, t, "BASE TABLE")));
                relations(catalog, databases, readable).forEach(r -> rows.add(List.of(CATALOG, r.name().database(), r.name().table(),
                        r instanceof Catalog.ViewRelation ? "VIEW" : "BASE TABLE")));
            }
            case "columns" -> {
                for (Catalog.Relation r : relations(catalog, databases, readable)) {
                    switch (r) {
                        case Catalog.TableRelation t -> {
                            TableDefinition d = t.table();
                            List<Column> all = d.allColumns();
                            for (int i = 0; i < all.size(); i++) {
                                Column c = all.get(i);
                                rows.add(Arrays.asList(CATALOG, d.name().database(), d.name().table(), c.name(), (long) i + 1, null, "YES",
                                        c.type().trino(), c.comment().orElse(null), i >= d.columns().size() ? "partition key" : null));
                            }
                        }
                        case Catalog.ViewRelation v -> {
                            List<ViewDefinition.Field> fields = v.view().columns();
                            for (int i = 0; i < fields.size(); i++) {
                                rows.add(Arrays.asList(CATALOG, v.name().database(), v.name().table(), fields.get(i).name(), (long) i + 1, null,
                                        "YES", fields.get(i).type(), null, null));
                            }
                        }
                    }
                }
            }
            case "views" -> relations(catalog, databases, readable).stream().filter(r -> r instanceof Catalog.ViewRelation)
                    .map(r -> ((Catalog.ViewRelation) r).view())
                    .forEach(v -> rows.add(List.of(CATALOG, v.name().database(), v.name().table(), v.sql())));
            default -> throw new IllegalStateException("listed above: " + table);
        }
        List<String> names = columns.stream().map(c -> c.split(":")[0]).toList();
        List<String> types = columns.stream().map(c -> c.contains(":") ? c.split(":")[1] : "VARCHAR").toList();
        if (rows.isEmpty()) {
            List<String> nulls = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                nulls.add("CAST(NULL AS " + types.get(i) + ") AS " + identifier(names.get(i)));
            }
            return "SELECT " + String.join(", ", nulls) + " WHERE FALSE";
        }
        List<String> projection = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            projection.add("CAST(" + identifier("c" + i) + " AS " + types.get(i) + ") AS " + identifier(names.get(i)));
        }
        String values = rows.stream().map(row -> row.stream().map(v -> v == null ? "NULL" : v instanceof Long l ? l.toString() : string(v.toString()))
                .collect(Collectors.joining(", ", "(", ")"))).collect(Collectors.joining(", "));
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            aliases.add(identifier("c" + i));
        }
        return "SELECT " + String.join(", ", projection) + " FROM (VALUES " + values + ") AS v(" + String.join(", ", aliases) + ")";
    }

    private static List<Catalog.Relation> relations(Catalog catalog, List<DatabaseInfo> databases, Predicate<TableName> readable) {
        List<Catalog.Relation> out = new ArrayList<>();
        for (DatabaseInfo d : databases) {
            catalog.relations(d.name()).stream().filter(r -> readable.test(r.name())).forEach(out::add);
        }
        return out;
    }
}
