package io.tributary.delivery;

import static java.util.Objects.requireNonNull;

import io.tributary.common.TributaryException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The declared schema that JSON records are converted to Parquet (Snappy) against, as Firehose's
 * record format conversion reads it from a Glue table. Types are Hive's names: {@code string},
 * {@code int}, {@code bigint}, {@code double}, {@code float}, {@code boolean}, {@code timestamp},
 * {@code date}, {@code decimal(p,s)}.
 */
public record ParquetSchema(List<Column> columns) {
    private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d{1,2}),(\\d{1,2})\\)");

    public ParquetSchema {
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw TributaryException.invalidArgument("format conversion needs a schema with at least one column");
        }
        Set<String> names = new HashSet<>();
        for (Column c : columns) {
            if (!names.add(c.name().toLowerCase(Locale.ROOT))) {
                throw TributaryException.invalidArgument("schema column '%s' is declared twice", c.name());
            }
        }
    }

    /** A column: the JSON field of the same name (case-insensitive, as Firehose's OpenX JSON SerDe) and its type. */
    public record Column(String name, String type) {
        public Column {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) {
                throw TributaryException.invalidArgument("schema column name '%s' is invalid: use letters, digits and '_'", name);
            }
            type = type.trim().toLowerCase(Locale.ROOT).replace(" ", "");
            duckdbType(type, name);
        }

        /** The DuckDB type of this column. */
        public String duckdbType() {
            return duckdbType(type, name);
        }

        private static String duckdbType(String type, String name) {
            Matcher decimal = DECIMAL.matcher(type);
            if (decimal.matches()) {
                int precision = Integer.parseInt(decimal.group(1));
                int scale = Integer.parseInt(decimal.group(2));
                if (precision < 1 || precision > 38 || scale > precision) {
                    throw TributaryException.invalidArgument("column '%s': decimal(%d,%d) needs 1 <= precision <= 38 and scale <= precision",
                            name, precision, scale);
                }
                return "DECIMAL(" + precision + "," + scale + ")";
            }
            return switch (type) {
                case "string", "varchar" -> "VARCHAR";
                case "int", "integer" -> "INTEGER";
                case "bigint" -> "BIGINT";
                case "double" -> "DOUBLE";
                case "float" -> "FLOAT";
                case "boolean" -> "BOOLEAN";
                case "timestamp" -> "TIMESTAMP";
                case "date" -> "DATE";
                default -> throw TributaryException.invalidArgument(
                        "column '%s' has unknown type '%s'; use string, int, bigint, double, float, boolean, timestamp, date or decimal(p,s)",
                        name, type);
            };
        }
    }
}
