package io.tributary.sql.parser;

import static java.util.Objects.requireNonNull;

import io.tributary.sql.catalog.Column;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One statement of Athena's dialect, as {@link StatementParser} classifies it. Hive DDL and utility
 * statements are parsed here into their parts; queries, CTAS and INSERT keep their text for
 * Trino's parser.
 */
public sealed interface SqlStatement {
    /** Athena's StatementType: DDL, DML or UTILITY. */
    String statementType();

    /** Athena's SubstatementType, such as {@code SELECT} or {@code CREATE_TABLE}. */
    String substatementType();

    record CreateDatabase(String name, boolean ifNotExists, Optional<String> comment, Optional<String> location,
            Map<String, String> properties) implements SqlStatement {
        public CreateDatabase {
            properties = Map.copyOf(properties);
        }

        public String statementType() {
            return "DDL";
        }

        public String substatementType() {
            return "CREATE_DATABASE";
        }
    }

    record DropDatabase(String name, boolean ifExists, boolean cascade) implements SqlStatement {
        public String statementType() {
            return "DDL";
        }

        public String substatementType() {
            return "DROP_DATABASE";
        }
    }

    record ShowDatabases(Optional<String> like) implements SqlStatement {
        public String statementType() {
            return "UTILITY";
        }

        public String substatementType() {
            return "SHOW_DATABASES";
        }
    }

    record ShowTables(Optional<String> database, Optional<String> like) implements SqlStatement {
        public String statementType() {
            return "UTILITY";
        }

        public String substatementType() {
            return "SHOW_TABLES";
        }
    }

    record ShowViews(Optional<String> database, Optional<String> like) implements SqlStatement {
        public String statementType() {
            return "UTILITY";
        }

        public String substatementType() {
            return "SHOW_VIEWS";
        }
    }

    record ShowColumns(ObjectName table) implements SqlStatement {
        public String statementType() {
            return "UTILITY";
        }

        public String substatementType() {
            return "SHOW_COLUMNS";
        }
    }

    record Describe(ObjectName table, boolean formatted) implements SqlStatement {
        public String statementType() {
            return "UTILITY";
        }

        public String substatementType() {
            return "DESCRIBE_TABLE";
        }
    }

    record ShowCreateTable(ObjectName table, boolean view) implements SqlStatement {
        public String statementType() {
            return "UTILITY";
        }

        public String substatementType() {
            return view ? "SHOW_CREATE_VIEW" : "SHOW_CREATE_TABLE";
        }
    }

    record ShowPartitions(ObjectName table) implements SqlStatement {
        public String statementType() {
            return "UTILITY";
        }

        public String substatementType() {
            return "SHOW_PARTITIONS";
        }
    }

    record ShowTableProperties(ObjectName table) implements SqlStatement {
        public String statementType() {
            return "UTILITY";
        }

        public String substatementType() {
            return "SHOW_TBLPROPERTIES";
        }
    }

    record Use(String database) implements SqlStatement {
        public String statementType() {
            return "UTILITY";
        }

        public String substatementType() {
            return "USE";
        }
    }

    /**
     * {@code CREATE EXTERNAL TABLE}: everything Hive's clauses say, not yet checked against the
     * catalog.
     */
    record CreateTable(ObjectName name, boolean ifNotExists, List<Column> columns, Optional<String> comment, List<Column> partitionKeys,
            Optional<String> serde, Map<String, String> serdeProperties, Optional<String> storedAs, Optional<String> inputFormat,
            Optional<String> outputFormat, String location, Map<String, String> tableProperties) implements SqlStatement {
        public CreateTable {
            requireNonNull(name, "name is null");
            columns = List.copyOf(columns);
            partitionKeys = List.copyOf(partitionKeys);
            serdeProperties = Map.copyOf(serdeProperties);
            tableProperties = Map.copyOf(tableProperties);
        }

        public String statementType() {
            return "DDL";
        }

        public String substatementType() {
            return "CREATE_TABLE";
        }
    }

    record MsckRepair(ObjectName table) implements SqlStatement {
        public String statementType() {
            return "DDL";
        }

        public String substatementType() {
            return "MSCK_REPAIR_TABLE";
        }
    }

    /** One {@code PARTITION (k=v, ...) [LOCATION '...']} clause; values as written, in clause order. */
    record PartitionSpec(Map<String, String> values, Optional<String> location) {
        public PartitionSpec {
            values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
            requireNonNull(location, "location is null");
        }
    }

    record AddPartitions(ObjectName table, boolean ifNotExists, List<PartitionSpec> partitions) implements SqlStatement {
        public AddPartitions {
            partitions = List.copyOf(partitions);
        }

        public String statementType() {
            return "DDL";
        }

        public String substatementType() {
            return "ALTER_TABLE_ADD_PARTITION";
        }
    }

    record DropPartitions(ObjectName table, boolean ifExists, List<PartitionSpec> partitions) implements SqlStatement {
        public DropPartitions {
            partitions = List.copyOf(partitions);
        }

        public String statementType() {
            return "DDL";
        }

        public String substatementType() {
            return "ALTER_TABLE_DROP_PARTITION";
        }
    }

    /** {@code ALTER TABLE t ADD COLUMNS (...)}, or with {@code replace} {@code REPLACE COLUMNS (...)}: the data columns, partition keys unchanged. */
    record AlterColumns(ObjectName table, boolean replace, List<Column> columns) implements SqlStatement {
        public AlterColumns {
            requireNonNull(table, "table is null");
            columns = List.copyOf(columns);
        }

        public String statementType() {
            return "DDL";
        }

        public String substatementType() {
            return replace ? "ALTER_TABLE_REPLACE_COLUMNS" : "ALTER_TABLE_ADD_COLUMNS";
        }
    }

    /** {@code ALTER TABLE t SET TBLPROPERTIES (...)}: properties added or changed, the others kept. */
    record SetTableProperties(ObjectName table, Map<String, String> properties) implements SqlStatement {
        public SetTableProperties {
            requireNonNull(table, "table is null");
            properties = Map.copyOf(properties);
        }

        public String statementType() {
            return "DDL";
        }

        public String substatementType() {
            return "ALTER_TABLE_SET_TBLPROPERTIES";
        }
    }

    /** {@code ALTER TABLE t [PARTITION (...)] SET LOCATION '...'}. */
    record SetLocation(ObjectName table, Optional<PartitionSpec> partition, String location) implements SqlStatement {
        public SetLocation {
            requireNonNull(table, "table is null");
            requireNonNull(partition, "partition is null");
            requireNonNull(location, "location is null");
        }

        public String statementType() {
            return "DDL";
        }

        public String substatementType() {
            return "ALTER_TABLE_SET_LOCATION";
        }
    }

    record DropTable(ObjectName table, boolean ifExists) implements SqlStatement {
        public String statementType() {
            return "DDL";
        }

        public String substatementType() {
            return "DROP_TABLE";
        }
    }

    /** {@code CREATE [OR REPLACE] VIEW name AS query}; the query keeps its text and where it starts. */
    record CreateView(ObjectName name, boolean orReplace, String query, int queryLine, int queryColumn) implements SqlStatement {
        public String statementType() {
            return "DDL";
        }

        public String substatementType() {
            return "CREATE_VIEW";
        }
    }

    record DropView(ObjectName name, boolean ifExists) implements SqlStatement {
        public String statementType() {
            return "DDL";
        }

        public String substatementType() {
            return "DROP_VIEW";
        }
    }

    /** SELECT, WITH, VALUES, CTAS, INSERT INTO and EXPLAIN, parsed by Trino's parser. */
    record Query(String sql, Kind kind) implements SqlStatement {
        public enum Kind {
            SELECT, CREATE_TABLE_AS_SELECT, INSERT, EXPLAIN
        }

        public String statementType() {
            return switch (kind) {
                case SELECT, INSERT -> "DML";
                case CREATE_TABLE_AS_SELECT -> "DDL";
                case EXPLAIN -> "UTILITY";
            };
        }

        public String substatementType() {
            return kind.name();
        }
    }

    /** {@code UNLOAD (query) TO 's3://...' WITH (property = value, ...)}. */
    record Unload(String query, int queryLine, int queryColumn, String location, Map<String, String> properties) implements SqlStatement {
        public Unload {
            properties = Map.copyOf(properties);
        }

        public String statementType() {
            return "DML";
        }

        public String substatementType() {
            return "UNLOAD";
        }
    }
}
