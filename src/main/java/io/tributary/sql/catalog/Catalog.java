package io.tributary.sql.catalog;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.lake.Location;
import io.tributary.metadata.MetadataStore;
import io.tributary.metadata.Migration;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The SQL catalog in the metadata store: databases, tables (definition as JSON, so the schema
 * needs no migration per new property), partitions (one row each, keyed by the canonical
 * partition name), views, saved queries and the links from delivery streams to tables. SQL is
 * the portable subset SQLite and PostgreSQL share; inserts that may repeat use
 * {@code ON CONFLICT DO NOTHING}, which both understand.
 *
 * <p>Thread-safe: every method is one metadata transaction.
 */
public final class Catalog {
    public static final String DEFAULT_DATABASE = "default";

    private final MetadataStore store;
    private final Clock clock;

    public Catalog(MetadataStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        store.migrate(migrations());
        createDatabase(new DatabaseInfo(DEFAULT_DATABASE, Optional.empty(), Optional.empty(), Map.of(), clock.instant()), true);
    }

    public static List<Migration> migrations() {
        return List.of(new Migration("sql", 1, "catalog: databases, tables, partitions, views, saved queries, table links, query history",
                List.of("CREATE TABLE sql_databases (name TEXT PRIMARY KEY, comment TEXT, location TEXT, properties TEXT NOT NULL, "
                                + "created_at BIGINT NOT NULL)",
                        "CREATE TABLE sql_tables (database_name TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, definition TEXT NOT NULL, "
                                + "created_at BIGINT NOT NULL, declared INTEGER NOT NULL, PRIMARY KEY (database_name, name))",
                        "CREATE TABLE sql_partitions (database_name TEXT NOT NULL, table_name TEXT NOT NULL, partition_name TEXT NOT NULL, "
                                + "partition_values TEXT NOT NULL, location TEXT NOT NULL, created_at BIGINT NOT NULL, "
                                + "PRIMARY KEY (database_name, table_name, partition_name))",
                        "CREATE TABLE sql_saved_queries (id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT, database_name TEXT NOT NULL, "
                                + "query TEXT NOT NULL, created_at BIGINT NOT NULL)",
                        "CREATE TABLE sql_table_links (delivery_stream TEXT NOT NULL, database_name TEXT NOT NULL, table_name TEXT NOT NULL, "
                                + "PRIMARY KEY (delivery_stream, database_name, table_name))",
                        "CREATE TABLE sql_queries (id TEXT PRIMARY KEY, query TEXT NOT NULL, database_name TEXT NOT NULL, principal TEXT NOT NULL, "
                                + "statement_type TEXT NOT NULL, state TEXT NOT NULL, state_reason TEXT, error_code TEXT, output_location TEXT, "
                                + "submitted_at BIGINT NOT NULL, completed_at BIGINT, engine_millis BIGINT NOT NULL, bytes_scanned BIGINT NOT NULL, "
                                + "result_rows BIGINT NOT NULL, result_columns TEXT)",
                        "CREATE INDEX sql_queries_by_time ON sql_queries (submitted_at)")),
                new Migration("sql", 2, "view columns, for DESCRIBE and information_schema.columns",
                        List.of("ALTER TABLE sql_tables ADD COLUMN view_columns TEXT")));
    }

    public MetadataStore store() {
        return store;
    }

    // ---- databases

    /** @return false if it existed (and {@code ifNotExists}) */
    public boolean createDatabase(DatabaseInfo database, boolean ifNotExists) {
        return store.transaction(c -> {
            if (databaseExists(c, database.name())) {
                if (ifNotExists) {
                    return false;
                }
                throw new TributaryException(ErrorCode.ALREADY_EXISTS, "Database " + database.name() + " already exists");
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO sql_databases (name, comment, location, properties, created_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, database.name());
                ps.setString(2, database.comment().orElse(null));
                ps.setString(3, database.location().orElse(null));
                ps.setString(4, Json.mapper().valueToTree(new TreeMap<>(database.properties())).toString());
                ps.setLong(5, database.createdAt().toEpochMilli());
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** Drops a database; with {@code cascade} its tables and views too (their data stays in the lake). */
    public boolean dropDatabase(String name, boolean ifExists, boolean cascade) {
        String db = TableName.validate(name, "database");
        return store.transaction(c -> {
            if (!databaseExists(c, db)) {
                if (ifExists) {
                    return false;
                }
                throw notFoundDatabase(db);
            }
            if (db.equals(DEFAULT_DATABASE)) {
                throw TributaryException.invalidArgument("database 'default' cannot be dropped");
            }
            int tables = count(c, "SELECT COUNT(*) FROM sql_tables WHERE database_name = ?", db);
            if (tables > 0 && !cascade) {
                throw new TributaryException(ErrorCode.RESOURCE_IN_USE, "Database " + db + " is not empty: it has " + tables
                        + " table(s) or view(s); drop them first or use DROP DATABASE " + db + " CASCADE");
            }
            for (String sql : List.of("DELETE FROM sql_partitions WHERE database_name = ?", "DELETE FROM sql_table_links WHERE database_name = ?",
                    "DELETE FROM sql_tables WHERE database_name = ?", "DELETE FROM sql_databases WHERE name = ?")) {
                update(c, sql, db);
            }
            return true;
        });
    }

    public List<DatabaseInfo> databases() {
        return store.transaction(c -> {
            List<DatabaseInfo> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, comment, location, properties, created_at FROM sql_databases ORDER BY name");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DatabaseInfo(rs.getString(1), Optional.ofNullable(rs.getString(2)), Optional.ofNullable(rs.getString(3)),
                            stringMap(Json.mapper().readTree(rs.getString(4))), Instant.ofEpochMilli(rs.getLong(5))));
                }
            } catch (IOException e) {
                throw corrupt("database properties", e);
            }
            return out;
        });
    }

    public Optional<DatabaseInfo> database(String name) {
        String db = name.toLowerCase(java.util.Locale.ROOT);
        return databases().stream().filter(d -> d.name().equals(db)).findFirst();
    }

    public DatabaseInfo requireDatabase(String name) {
        return database(name).orElseThrow(() -> notFoundDatabase(name));
    }

    private static TributaryException notFoundDatabase(String name) {
        return TributaryException.notFound("Database '%s' does not exist; create it with CREATE DATABASE %s or choose another with USE",
                name, name);
    }

    private static boolean databaseExists(Connection c, String name) throws SQLException {
        return count(c, "SELECT COUNT(*) FROM sql_databases WHERE name = ?", name) > 0;
    }

    // ---- tables and views

    /** A table or a view. */
    public sealed interface Relation permits TableRelation, ViewRelation {
        TableName name();
    }

    public record TableRelation(TableDefinition table) implements Relation {
        @Override
        public TableName name() {
            return table.name();
        }
    }

    public record ViewRelation(ViewDefinition view) implements Relation {
        @Override
        public TableName name() {
            return view.name();
        }
    }

    /** @return false if a table or view of that name existed (and {@code ifNotExists}) */
    public boolean createTable(TableDefinition table, boolean ifNotExists, boolean declared) {
        return store.transaction(c -> {
            requireDatabase(c, table.name().database());
            Optional<String> kind = kind(c, table.name());
            if (kind.isPresent()) {
                if (ifNotExists) {
                    return false;
                }
                throw new TributaryException(ErrorCode.ALREADY_EXISTS, (kind.get().equals("VIEW") ? "View " : "Table ") + table.name()
                        + " already exists");
            }
            insertRelation(c, table.name(), "TABLE", encode(table).toString(), table.createdAt(), declared);
            return true;
        });
    }

    /**
     * Replaces a table's definition. Its partitions are kept when the partition keys are unchanged,
     * dropped otherwise (they would no longer fit).
     */
    public void replaceTable(TableDefinition table, boolean declared) {
        store.run(c -> {
            requireDatabase(c, table.name().database());
            Optional<Relation> existing = relation(c, table.name());
            if (existing.isPresent() && existing.get() instanceof TableRelation old && !old.table().partitionKeys().equals(table.partitionKeys())) {
                update(c, "DELETE FROM sql_partitions WHERE database_name = ? AND table_name = ?", table.name().database(), table.name().table());
            }
            update(c, "DELETE FROM sql_tables WHERE database_name = ? AND name = ?", table.name().database(), table.name().table());
            insertRelation(c, table.name(), "TABLE", encode(table).toString(), table.createdAt(), declared);
        });
    }

    /**
     * Changes a table's definition in place (ALTER TABLE): whether a pipeline declared it and its
     * registered partitions are kept, so its partition keys must not change.
     */
    public void updateTable(TableDefinition table) {
        store.run(c -> {
            Optional<Relation> existing = relation(c, table.name());
            if (existing.isEmpty() || !(existing.get() instanceof TableRelation old)) {
                throw existing.isEmpty() ? notFoundTable(table.name())
                        : TributaryException.invalidArgument("%s is a view, not a table; replace it with CREATE OR REPLACE VIEW", table.name());
            }
            if (!old.table().partitionKeys().equals(table.partitionKeys())) {
                throw new IllegalArgumentException("ALTER TABLE keeps the partition keys of " + table.name());
            }
            update(c, "UPDATE sql_tables SET definition = ? WHERE database_name = ? AND name = ?", encode(table).toString(),
                    table.name().database(), table.name().table());
        });
    }

    /** Moves a registered partition ({@code ALTER TABLE t PARTITION (...) SET LOCATION}). */
    public void setPartitionLocation(TableDefinition table, List<String> values, Location location) {
        String name = new Partition(values, location).name(table.partitionKeys());
        store.run(c -> {
            if (update(c, "UPDATE sql_partitions SET location = ? WHERE database_name = ? AND table_name = ? AND partition_name = ?",
                    location.toString(), table.name().database(), table.name().table(), name) == 0) {
                throw TributaryException.notFound("Partition %s of table %s does not exist; add it with ALTER TABLE ... ADD PARTITION", name,
                        table.name());
            }
        });
    }

    public boolean dropTable(TableName name, boolean ifExists) {
        return store.transaction(c -> {
            Optional<String> kind = kind(c, name);
            if (kind.isEmpty() || !kind.get().equals("TABLE")) {
                if (ifExists && kind.isEmpty()) {
                    return false;
                }
                throw kind.isEmpty() ? notFoundTable(name)
                        : TributaryException.invalidArgument("%s is a view; drop it with DROP VIEW %s", name, name);
            }
            update(c, "DELETE FROM sql_partitions WHERE database_name = ? AND table_name = ?", name.database(), name.table());
            update(c, "DELETE FROM sql_table_links WHERE database_name = ? AND table_name = ?", name.database(), name.table());
            update(c, "DELETE FROM sql_tables WHERE database_name = ? AND name = ?", name.database(), name.table());
            return true;
        });
    }

    public void createView(ViewDefinition view, boolean orReplace) {
        store.run(c -> {
            requireDatabase(c, view.name().database());
            Optional<String> kind = kind(c, view.name());
            if (kind.isPresent()) {
                if (kind.get().equals("TABLE")) {
                    throw new TributaryException(ErrorCode.ALREADY_EXISTS, "Table " + view.name() + " already exists; a view cannot replace a table");
                }
                if (!orReplace) {
                    throw new TributaryException(ErrorCode.ALREADY_EXISTS, "View " + view.name() + " already exists; use CREATE OR REPLACE VIEW");
                }
                update(c, "DELETE FROM sql_tables WHERE database_name = ? AND name = ?", view.name().database(), view.name().table());
            }
            insertRelation(c, view.name(), "VIEW", view.sql(), view.createdAt(), false);
            ArrayNode columns = Json.mapper().createArrayNode();
            view.columns().forEach(f -> columns.addObject().put("name", f.name()).put("type", f.type()));
            update(c, "UPDATE sql_tables SET view_columns = ? WHERE database_name = ? AND name = ?", columns.toString(), view.name().database(),
                    view.name().table());
        });
    }

    public boolean dropView(TableName name, boolean ifExists) {
        return store.transaction(c -> {
            Optional<String> kind = kind(c, name);
            if (kind.isEmpty() || !kind.get().equals("VIEW")) {
                if (ifExists && kind.isEmpty()) {
                    return false;
                }
                throw kind.isEmpty() ? TributaryException.notFound("View '%s' does not exist", name)
                        : TributaryException.invalidArgument("%s is a table, not a view; drop it with DROP TABLE %s", name, name);
            }
            update(c, "DELETE FROM sql_tables WHERE database_name = ? AND name = ?", name.database(), name.table());
            return true;
        });
    }

    public Optional<Relation> relation(TableName name) {
        return store.transaction(c -> relation(c, name));
    }

    public TableDefinition requireTable(TableName name) {
        Relation r = relation(name).orElseThrow(() -> notFoundTable(name));
        if (r instanceof TableRelation t) {
            return t.table();
        }
        throw TributaryException.invalidArgument("%s is a view, not a table", name);
    }

    public static TributaryException notFoundTable(TableName name) {
        return TributaryException.notFound("Table '%s' does not exist", name);
    }

    /** Tables and views of a database, by name. */
    public List<Relation> relations(String database) {
        String db = TableName.validate(database, "database");
        return store.transaction(c -> {
            requireDatabase(c, db);
            List<Relation> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, kind, definition, created_at, view_columns FROM sql_tables WHERE database_name = ? ORDER BY name")) {
                ps.setString(1, db);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(decodeRelation(new TableName(db, rs.getString(1)), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5)));
                    }
                }
            }
            return out;
        });
    }

    /** Names of the tables that pipeline declarations created, for pruning. */
    public List<TableName> declaredTables() {
        return store.transaction(c -> {
            List<TableName> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT database_name, name FROM sql_tables WHERE declared = 1 ORDER BY database_name, name");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TableName(rs.getString(1), rs.getString(2)));
                }
            }
            return out;
        });
    }

    private static void requireDatabase(Connection c, String db) throws SQLException {
        if (!databaseExists(c, db)) {
            throw notFoundDatabase(db);
        }
    }

    private static Optional<String> kind(Connection c, TableName name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT kind FROM sql_tables WHERE database_name = ? AND name = ?")) {
            ps.setString(1, name.database());
            ps.setString(2, name.table());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static Optional<Relation> relation(Connection c, TableName name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT kind, definition, created_at, view_columns FROM sql_tables WHERE database_name = ? AND name = ?")) {
            ps.setString(1, name.database());
            ps.setString(2, name.table());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(decodeRelation(name, rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)))
                        : Optional.empty();
            }
        }
    }

    private static void insertRelation(Connection c, TableName name, String kind, String definition, Instant created, boolean declared)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO sql_tables (database_name, name, kind, definition, created_at, declared) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, name.database());
            ps.setString(2, name.table());
            ps.setString(3, kind);
            ps.setString(4, definition);
            ps.setLong(5, created.toEpochMilli());
            ps.setInt(6, declared ? 1 : 0);
            ps.executeUpdate();
        }
    }

    private static Relation decodeRelation(TableName name, String kind, String definition, long created, String viewColumns) {
        if (kind.equals("VIEW")) {
            List<ViewDefinition.Field> columns = new ArrayList<>();
            if (viewColumns != null) {
                try {
                    Json.mapper().readTree(viewColumns).forEach(f -> columns.add(new ViewDefinition.Field(f.path("name").asText(),
                            f.path("type").asText())));
                } catch (IOException e) {
                    throw corrupt("view " + name, e);
                }
            }
            return new ViewRelation(new ViewDefinition(name, definition, columns, Instant.ofEpochMilli(created)));
        }
        try {
            return new TableRelation(decode(name, Json.mapper().readTree(definition), Instant.ofEpochMilli(created)));
        } catch (IOException e) {
            throw corrupt("table " + name, e);
        }
    }

    // ---- partitions

    public List<Partition> partitions(TableName table) {
        return store.transaction(c -> {
            List<Partition> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT partition_values, location FROM sql_partitions "
                    + "WHERE database_name = ? AND table_name = ? ORDER BY partition_name")) {
                ps.setString(1, table.database());
                ps.setString(2, table.table());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<String> values = new ArrayList<>();
                        Json.mapper().readTree(rs.getString(1)).forEach(v -> values.add(v.asText()));
                        out.add(new Partition(values, Location.parse(rs.getString(2))));
                    }
                }
            } catch (IOException e) {
                throw corrupt("partitions of " + table, e);
            }
            return out;
        });
    }

    /**
     * Registers partitions; one whose values are already registered is left as it is (its location
     * unchanged), as {@code ADD IF NOT EXISTS} does.
     *
     * @return the partitions that were added
     */
    public List<Partition> addPartitions(TableDefinition table, List<Partition> partitions, boolean ifNotExists) {
        if (partitions.isEmpty()) {
            return List.of();
        }
        long now = clock.millis();
        return store.transaction(c -> {
            List<Partition> added = new ArrayList<>();
            String insert = ifNotExists
                    ? "INSERT INTO sql_partitions (database_name, table_name, partition_name, partition_values, location, created_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (database_name, table_name, partition_name) DO NOTHING"
                    : "INSERT INTO sql_partitions (database_name, table_name, partition_name, partition_values, location, created_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?)";
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                for (Partition p : partitions) {
                    String name = p.name(table.partitionKeys());
                    if (!ifNotExists && count(c, "SELECT COUNT(*) FROM sql_partitions WHERE database_name = ? AND table_name = ? AND partition_name = ?",
                            table.name().database(), table.name().table(), name) > 0) {
                        throw new TributaryException(ErrorCode.ALREADY_EXISTS, "Partition already exists: " + table.name() + " " + name
                                + "; use ADD IF NOT EXISTS to skip existing partitions");
                    }
                    ps.setString(1, table.name().database());
                    ps.setString(2, table.name().table());
                    ps.setString(3, name);
                    ArrayNode values = Json.mapper().createArrayNode();
                    p.values().forEach(values::add);
                    ps.setString(4, values.toString());
                    ps.setString(5, p.location().toString());
                    ps.setLong(6, now);
                    if (ps.executeUpdate() > 0) {
                        added.add(p);
                    }
                }
            }
            return added;
        });
    }

    /** @return how many of the given partitions existed and were dropped */
    public int dropPartitions(TableDefinition table, List<List<String>> values, boolean ifExists) {
        return store.transaction(c -> {
            int dropped = 0;
            for (List<String> v : values) {
                String name = new Partition(v, table.location()).name(table.partitionKeys());
                int n = update(c, "DELETE FROM sql_partitions WHERE database_name = ? AND table_name = ? AND partition_name = ?",
                        table.name().database(), table.name().table(), name);
                if (n == 0 && !ifExists) {
                    throw TributaryException.notFound("Partition %s of table %s does not exist; use DROP IF EXISTS to skip missing partitions",
                            name, table.name());
                }
                dropped += n;
            }
            return dropped;
        });
    }

    // ---- links from delivery streams

    public void link(String deliveryStream, TableName table) {
        store.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sql_table_links (delivery_stream, database_name, table_name) "
                    + "VALUES (?, ?, ?) ON CONFLICT (delivery_stream, database_name, table_name) DO NOTHING")) {
                ps.setString(1, deliveryStream);
                ps.setString(2, table.database());
                ps.setString(3, table.table());
                ps.executeUpdate();
            }
        });
    }

    public void unlink(String deliveryStream, TableName table) {
        store.run(c -> update(c, "DELETE FROM sql_table_links WHERE delivery_stream = ? AND database_name = ? AND table_name = ?",
                deliveryStream, table.database(), table.table()));
    }

    public List<TableName> linkedTables(String deliveryStream) {
        return store.transaction(c -> {
            List<TableName> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT database_name, table_name FROM sql_table_links WHERE delivery_stream = ? ORDER BY database_name, table_name")) {
                ps.setString(1, deliveryStream);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new TableName(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    /** Every link, as delivery stream → tables. */
    public Map<String, List<TableName>> links() {
        return store.transaction(c -> {
            Map<String, List<TableName>> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT delivery_stream, database_name, table_name FROM sql_table_links ORDER BY delivery_stream, database_name, table_name");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new TableName(rs.getString(2), rs.getString(3)));
                }
            }
            return out;
        });
    }

    // ---- saved queries

    public SavedQuery save(SavedQuery query) {
        store.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO sql_saved_queries (id, name, description, database_name, query, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, query.id());
                ps.setString(2, query.name());
                ps.setString(3, query.description().orElse(null));
                ps.setString(4, query.database());
                ps.setString(5, query.sql());
                ps.setLong(6, query.createdAt().toEpochMilli());
                ps.executeUpdate();
            }
        });
        return query;
    }

    public List<SavedQuery> savedQueries() {
        return store.transaction(c -> {
            List<SavedQuery> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, description, database_name, query, created_at FROM sql_saved_queries ORDER BY name, id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SavedQuery(rs.getString(1), rs.getString(2), Optional.ofNullable(rs.getString(3)), rs.getString(4),
                            rs.getString(5), Instant.ofEpochMilli(rs.getLong(6))));
                }
            }
            return out;
        });
    }

    public void deleteSavedQuery(String id) {
        store.run(c -> {
            if (update(c, "DELETE FROM sql_saved_queries WHERE id = ?", id) == 0) {
                throw TributaryException.notFound("saved query '%s' does not exist", id);
            }
        });
    }

    // ---- encoding

    static ObjectNode encode(TableDefinition t) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.set("columns", columns(t.columns()));
        node.set("partitionKeys", columns(t.partitionKeys()));
        node.put("location", t.location().toString());
        ObjectNode storage = node.putObject("storage");
        storage.put("format", t.storage().format().name()).put("serde", t.storage().serde()).put("inputFormat", t.storage().inputFormat())
                .put("outputFormat", t.storage().outputFormat());
        storage.set("serdeProperties", Json.mapper().valueToTree(new TreeMap<>(t.storage().serdeProperties())));
        node.set("properties", Json.mapper().valueToTree(new TreeMap<>(t.properties())));
        t.comment().ifPresent(cm -> node.put("comment", cm));
        return node;
    }

    private static ArrayNode columns(List<Column> columns) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (Column c : columns) {
            ObjectNode n = out.addObject().put("name", c.name()).put("type", c.type().text());
            c.comment().ifPresent(cm -> n.put("comment", cm));
        }
        return out;
    }

    static TableDefinition decode(TableName name, JsonNode node, Instant created) {
        JsonNode s = node.path("storage");
        return new TableDefinition(name, decodeColumns(node.path("columns")), decodeColumns(node.path("partitionKeys")),
                Location.parse(node.path("location").asText()),
                new StorageDescriptor(TableFormat.valueOf(s.path("format").asText()), s.path("serde").asText(), s.path("inputFormat").asText(),
                        s.path("outputFormat").asText(), stringMap(s.path("serdeProperties"))),
                stringMap(node.path("properties")), node.hasNonNull("comment") ? Optional.of(node.get("comment").asText()) : Optional.empty(),
                created);
    }

    private static List<Column> decodeColumns(JsonNode array) {
        List<Column> out = new ArrayList<>();
        for (JsonNode c : array) {
            out.add(new Column(c.path("name").asText(), DataType.parse(c.path("type").asText()),
                    c.hasNonNull("comment") ? Optional.of(c.get("comment").asText()) : Optional.empty()));
        }
        return out;
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> out = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static TributaryException corrupt(String what, Exception e) {
        return new TributaryException(ErrorCode.INTERNAL, "the catalog entry for " + what + " is unreadable: " + e.getMessage(), e);
    }

    static int count(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    static int update(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }
}
