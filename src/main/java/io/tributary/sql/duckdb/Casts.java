package io.tributary.sql.duckdb;

import io.trino.sql.tree.DataType;
import io.trino.sql.tree.DataTypeParameter;
import io.trino.sql.tree.DateTimeDataType;
import io.trino.sql.tree.GenericDataType;
import io.trino.sql.tree.NumericParameter;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.util.List;
import java.util.Locale;

/**
 * CAST and TRY_CAST with Trino's results where DuckDB's differ: a double cast to an integer type
 * rounds half away from zero, a value cast to varchar reads as Trino prints it (timestamps with
 * milliseconds, doubles as Java prints them, JSON strings without quotes), {@code varchar(n)}
 * truncates, a string cast to JSON is a JSON string, and timestamps with time zone convert through
 * their zone. The type-dependent parts are macros ({@link TrinoMacros}).
 */
final class Casts {
    private Casts() {}

    static String cast(String value, DataType type, String duckType, boolean safe) {
        if (value.equals("NULL")) {
            return "CAST(NULL AS " + duckType + ")";
        }
        String macro = safe ? "trino.try_" : "trino.";
        if (type instanceof DateTimeDataType dt) {
            dt.getPrecision().ifPresent(p -> {
                if (!(p instanceof NumericParameter n) || !n.getValue().equals("3")) {
                    throw new TributaryException(ErrorCode.UNSUPPORTED, TrinoToDuckDb.location(type) + "CAST to " + type
                            + " is not supported: Tributary's timestamps and times have millisecond precision (precision 3)");
                }
            });
            return switch (dt.getType()) {
                case TIMESTAMP -> macro + (dt.isWithTimeZone() ? "to_tz(" : "to_timestamp(") + value + ")";
                case TIME -> plain(value, duckType, safe);
            };
        }
        if (type instanceof GenericDataType g) {
            String name = g.getName().getValue().toLowerCase(Locale.ROOT);
            List<DataTypeParameter> args = g.getArguments();
            return switch (name) {
                case "date" -> macro + "to_date(" + value + ")";
                case "varchar", "string" -> args.isEmpty() ? macro + "to_varchar(" + value + ")"
                        : macro + "to_varchar_n(" + value + ", " + length(args) + ", false)";
                case "char" -> macro + "to_varchar_n(" + value + ", " + (args.isEmpty() ? "1" : length(args)) + ", true)";
                case "bigint", "integer", "smallint", "tinyint" -> macro + "to_" + name + "(" + value + ")";
                case "int" -> macro + "to_integer(" + value + ")";
                case "json" -> macro + "to_json(" + value + ")";
                default -> plain(value, duckType, safe);
            };
        }
        return plain(value, duckType, safe);
    }

    private static String plain(String value, String duckType, boolean safe) {
        return (safe ? "TRY_CAST(" : "CAST(") + value + " AS " + duckType + ")";
    }

    private static String length(List<DataTypeParameter> args) {
        if (args.size() == 1 && args.get(0) instanceof NumericParameter n && n.getValue().matches("\\d{1,9}")) {
            return n.getValue();
        }
        throw TributaryException.invalidArgument("a varchar or char length must be a number");
    }
}
