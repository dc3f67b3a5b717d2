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
        if (t.equals(TrinoMacros.TZ_TYPE_NAME.toUpperCase(Locale.ROOT))) {
            return "timestamp with time zone";
        }
        if (t.endsWith("[]")) {
            return "array";
        }
        if (t.startsWith("STRUCT") || t.startsWith("TUPLE")) {
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
            case "TIME" -> {
                // time(3), as timestamps: 10:00:00.000.
                java.time.LocalTime time = rs.getObject(i, java.time.LocalTime.class);
                return time == null ? null : java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS").format(time);
            }
            case "INTERVAL" -> {
                String s = rs.getString(i);
                return s == null ? null : interval(s);
            }
            case "BLOB" -> {
                java.sql.Blob blob = rs.getBlob(i);
                return blob == null ? null : varbinary(blob.getBytes(1, (int) blob.length()));
            }
            default -> {
                if (t.endsWith("[]") || t.startsWith("STRUCT") || t.startsWith("MAP") || t.startsWith("TUPLE")) {
                    Object o = rs.getObject(i);
                    return o == null ? null : value(o);
                }
                if (t.equals("TIMESTAMP WITH TIME ZONE")) {
                    java.time.OffsetDateTime odt = rs.getObject(i, java.time.OffsetDateTime.class);
                    return odt == null ? null : MILLIS.format(odt.withOffsetSameInstant(java.time.ZoneOffset.UTC)) + " UTC";
                }
                if (t.startsWith("DECIMAL")) {
                    BigDecimal d = rs.getBigDecimal(i);
                    return d == null ? null : d.toPlainString();
                }
                String s = rs.getString(i);
                if (s == null) {
                    return null;
                }
                if (t.startsWith("TIMESTAMP")) {
                    return timestamp(s);
                }
                return s;
            }
        }
    }

    private static final java.time.format.DateTimeFormatter MILLIS = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /** A value inside an array, map or row, or a row, as Trino prints it: {@code [a, b]}, {@code {k=v}}, {@code {f=v}}, NULL. */
    private static String value(Object v) throws SQLException {
        return switch (v) {
            case null -> "NULL";
            case java.sql.Array array -> {
                Object[] values = (Object[]) array.getArray();
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < values.length; i++) {
                    sb.append(i > 0 ? ", " : "").append(value(values[i]));
                }
                yield sb.append(']').toString();
            }
            case java.sql.Struct struct -> struct(struct);
            case java.util.Map<?, ?> map -> {
                StringBuilder sb = new StringBuilder("{");
                boolean first = true;
                for (java.util.Map.Entry<?, ?> e : map.entrySet()) {
                    sb.append(first ? "" : ", ").append(value(e.getKey())).append('=').append(value(e.getValue()));
                    first = false;
                }
                yield sb.append('}').toString();
            }
            case java.sql.Timestamp ts -> MILLIS.format(ts.toLocalDateTime());
            case java.time.LocalDateTime ldt -> MILLIS.format(ldt);
            case java.time.OffsetDateTime odt -> MILLIS.format(odt.withOffsetSameInstant(java.time.ZoneOffset.UTC)) + " UTC";
            case BigDecimal d -> d.toPlainString();
            default -> v.toString();
        };
    }

    /** A row as {@code {name=value, ...}} (Athena names anonymous fields field0, field1, ...); a timestamp with time zone as Trino shows it. */
    private static String struct(java.sql.Struct struct) throws SQLException {
        java.util.Map<String, Object> fields = ((org.duckdb.DuckDBStruct) struct).getMap();
        if (struct.getSQLTypeName().equals(TrinoMacros.TZ_TYPE_NAME)) {
            java.time.OffsetDateTime instant = (java.time.OffsetDateTime) fields.get("tz_instant");
            String zone = (String) fields.get("tz_zone");
            return MILLIS.format(instant.atZoneSameInstant(TimeZones.zoneId(zone))) + " " + TimeZones.canonical(zone).orElse(zone);
        }
        boolean anonymous = struct.getSQLTypeName().startsWith("TUPLE");
        StringBuilder sb = new StringBuilder("{");
        int i = 0;
        for (java.util.Map.Entry<String, Object> e : fields.entrySet()) {
            sb.append(i > 0 ? ", " : "").append(anonymous ? "field" + i : e.getKey()).append('=').append(value(e.getValue()));
            i++;
        }
        return sb.append('}').toString();
    }

    private static final Pattern DUCK_INTERVAL = Pattern.compile(
            "(?:(-?\\d+) years? ?)?(?:(-?\\d+) months? ?)?(?:(-?\\d+) days? ?)?(?:(-)?(\\d+):(\\d{2}):(\\d{2})(?:\\.(\\d+))?)?");

    /**
     * An interval as Trino prints it: {@code 1-2} for a year-to-month interval, {@code 3 04:05:06.789} for a day-to-second one
     * ({@code SqlIntervalYearMonth}, {@code SqlIntervalDayTime}).
     */
    static String interval(String duck) {
        Matcher m = DUCK_INTERVAL.matcher(duck.trim());
        if (!m.matches()) {
            return duck;
        }
        long months = parse(m.group(1)) * 12 + parse(m.group(2));
        long days = parse(m.group(3));
        long micros = ((parse(m.group(5)) * 60 + parse(m.group(6))) * 60 + parse(m.group(7))) * 1_000_000
                + (m.group(8) == null ? 0 : Long.parseLong((m.group(8) + "000000").substring(0, 6)));
        if (m.group(4) != null) {
            micros = -micros;
        }
        if (months != 0 && days == 0 && micros == 0) {
            return (months < 0 ? "-" : "") + Math.abs(months) / 12 + "-" + Math.abs(months) % 12;
        }
        long millis = days * 86_400_000L + Math.floorDiv(micros, 1000);
        String sign = millis < 0 ? "-" : "";
        millis = Math.abs(millis);
        return String.format(Locale.ROOT, "%s%d %02d:%02d:%02d.%03d", sign, millis / 86_400_000L, millis / 3_600_000L % 24, millis / 60_000 % 60,
                millis / 1000 % 60, millis % 1000);
    }

    /**
     * A varbinary as Trino prints it (SqlVarbinary): hex bytes separated by a space, words of 8 bytes by three spaces,
     * lines of 32 bytes.
     */
    static String varbinary(byte[] bytes) {
        java.util.HexFormat hex = java.util.HexFormat.of().withDelimiter(" ");
        StringBuilder sb = new StringBuilder();
        for (int at = 0; at < bytes.length; at += 8) {
            if (at > 0) {
                sb.append(at % 32 == 0 ? "\n" : "   ");
            }
            sb.append(hex.formatHex(bytes, at, Math.min(at + 8, bytes.length)));
        }
        return sb.toString();
    }

    private static long parse(String s) {
        return s == null ? 0 : Long.parseLong(s);
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
