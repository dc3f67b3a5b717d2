package io.tributary.sql.duckdb;

import io.tributary.sql.ResultColumn;
import io.tributary.sql.catalog.DataType;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DuckDB result types as Athena reports and renders them: type names ({@code integer},
 * {@code varchar}, ...), timestamps with milliseconds ({@code 2010-12-01 08:26:00.000}), doubles as
 * Java (and Trino) print them. Also the Hive type a written column gets.
 */
final class DuckDbTypes {
    private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),\\s*(\\d+)\\)");

    private DuckDbTypes() {}

    static ResultColumn column(String name, String duckType) {
        String t = duckType.toUpperCase(Locale.ROOT);
        Matcher m = DECIMAL.matcher(t);
        if (m.matches()) {
            return new ResultColumn(name, "decimal", Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        return ResultColumn.of(name, athenaType(t));
    }

    private static String athenaType(String t) {
        if (t.endsWith("[]")) {
            return "array";
        }
        if (t.startsWith("STRUCT")) {
            return "row";
        }
        if (t.startsWith("MAP")) {
            return "map";
        }
        return switch (t) {
            case "VARCHAR" -> "varchar";
            case "INTEGER" -> "integer";
            case "BIGINT", "HUGEINT", "UBIGINT", "UINTEGER" -> "bigint";
            case "SMALLINT", "UTINYINT" -> "smallint";
            case "TINYINT" -> "tinyint";
            case "USMALLINT" -> "integer";
            case "DOUBLE" -> "double";
            case "FLOAT" -> "float";
            case "BOOLEAN" -> "boolean";
            case "DATE" -> "date";
            case "TIMESTAMP", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP_S" -> "timestamp";
            case "TIMESTAMP WITH TIME ZONE" -> "timestamp with time zone";
            case "TIME" -> "time";
            case "BLOB" -> "varbinary";
            case "INTERVAL" -> "interval day to second";
            case "JSON" -> "json";
            case "UUID" -> "uuid";
            case "NULL", "\"NULL\"" -> "unknown";
            default -> t.toLowerCase(Locale.ROOT);
        };
    }

    /** A value as Athena prints it in results; null for SQL NULL. */
    static String render(ResultSet rs, int i, String duckType) throws SQLException {
        String t = duckType.toUpperCase(Locale.ROOT);
        switch (t) {
            case "DOUBLE" -> {
                double d = rs.getDouble(i);
                return rs.wasNull() ? null : Double.toString(d);
            }
            case "FLOAT" -> {
                float f = rs.getFloat(i);
                return rs.wasNull() ? null : Float.toString(f);
            }
            case "BOOLEAN" -> {
                boolean b = rs.getBoolean(i);
                return rs.wasNull() ? null : Boolean.toString(b);
            }
            default -> {
                if (t.endsWith("[]")) {
                    java.sql.Array array = rs.getArray(i);
                    return array == null ? null : list((Object[]) array.getArray());
                }
                if (t.equals("TIMESTAMP WITH TIME ZONE")) {
                    java.time.OffsetDateTime odt = rs.getObject(i, java.time.OffsetDateTime.class);
                    return odt == null ? null : UTC_MILLIS.format(odt.withOffsetSameInstant(java.time.ZoneOffset.UTC)) + " UTC";
                }
                if (t.startsWith("DECIMAL")) {
                    BigDecimal d = rs.getBigDecimal(i);
                    return d == null ? null : d.toPlainString();
                }
                String s = rs.getString(i);
                if (s == null) {
                    return null;
                }
                if (t.startsWith("TIMESTAMP WITH TIME ZONE")) {
                    return timestamp(s.replaceAll("[+-]00(:00)?$", "")) + " UTC";
                }
                if (t.startsWith("TIMESTAMP")) {
                    return timestamp(s);
                }
                return s;
            }
        }
    }

    private static final java.time.format.DateTimeFormatter UTC_MILLIS = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /** An array as Trino prints it: {@code [a, b, ]}, NULL elements as NULL. */
    private static String list(Object[] values) throws SQLException {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            Object v = values[i];
            if (v == null) {
                sb.append("NULL");
            } else if (v instanceof java.sql.Array nested) {
                sb.append(list((Object[]) nested.getArray()));
            } else if (v instanceof java.sql.Timestamp ts) {
                sb.append(timestamp(ts.toLocalDateTime().toString()));
            } else {
                sb.append(v);
            }
        }
        return sb.append(']').toString();
    }

    /** {@code 2010-12-01 08:26:00} or {@code ...:00.5} as {@code 2010-12-01 08:26:00.000}/{@code .500}. */
    private static String timestamp(String s) {
        String text = s.replace('T', ' ');
        int dot = text.indexOf('.', 11);
        if (dot < 0) {
            return text.length() == 10 ? text + " 00:00:00.000" : text + ".000";
        }
        String fraction = text.substring(dot + 1);
        String millis = (fraction + "000").substring(0, 3);
        return text.substring(0, dot) + "." + millis;
    }

    /** The Hive type of a column DuckDB writes (the CTAS table's schema); empty when Hive has none. */
    static Optional<DataType> hiveType(String duckType) {
        String t = duckType.toUpperCase(Locale.ROOT).trim();
        if (t.endsWith("[]")) {
            return hiveType(t.substring(0, t.length() - 2)).map(e -> DataType.parse("array<" + e.text() + ">"));
        }
        Matcher m = DECIMAL.matcher(t);
        if (m.matches()) {
            return Optional.of(DataType.parse("decimal(" + m.group(1) + "," + m.group(2) + ")"));
        }
        return Optional.ofNullable(switch (t) {
            case "VARCHAR", "UUID", "JSON", "TIME", "INTERVAL", "\"NULL\"", "NULL" -> "string";
            case "INTEGER", "USMALLINT" -> "int";
            case "BIGINT", "HUGEINT", "UBIGINT", "UINTEGER" -> "bigint";
            case "SMALLINT", "UTINYINT" -> "smallint";
            case "TINYINT" -> "tinyint";
            case "DOUBLE" -> "double";
            case "FLOAT" -> "float";
            case "BOOLEAN" -> "boolean";
            case "DATE" -> "date";
            case "TIMESTAMP", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP_S", "TIMESTAMP WITH TIME ZONE" -> "timestamp";
            case "BLOB" -> "binary";
            default -> null;
        }).map(DataType::parse);
    }
}
