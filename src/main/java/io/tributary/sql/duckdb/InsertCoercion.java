package io.tributary.sql.duckdb;

import static io.tributary.sql.duckdb.TrinoToDuckDb.identifier;
import static io.tributary.sql.duckdb.TrinoToDuckDb.string;

import io.tributary.sql.catalog.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a query column fits a table column on INSERT, and the DuckDB expression that converts it,
 * as Trino decides: the types must be compatible (a common super type exists: numbers with numbers,
 * strings with strings, dates with timestamps, arrays, maps and rows element by element), and the
 * value is then cast to the table's type. A narrowing cast fails at run time when a value does not
 * fit ({@code 3000000000} into an {@code int}), a fractional number rounds half away from zero into
 * an integer column, and a string longer than a {@code varchar(n)} or {@code char(n)} fails unless
 * the excess is spaces. So a file written by INSERT always has the table's types.
 *
 * <p>Stateless.
 */
final class InsertCoercion {
    private InsertCoercion() {}

    private enum Family {
        UNKNOWN, NUMBER, STRING, DATETIME, BOOLEAN, BINARY, ARRAY, MAP, ROW, OTHER
    }

    /** A DuckDB type as {@code DESCRIBE} prints it: {@code INTEGER}, {@code DECIMAL(2,1)}, {@code VARCHAR[]}, {@code STRUCT(a INTEGER)}. */
    record DuckType(String name, List<DuckType> children, List<String> fields) {
        static DuckType parse(String text) {
            return new Cursor(text).type();
        }

        Family family() {
            if (name.equals("[]")) {
                return Family.ARRAY;
            }
            String base = name.replaceAll("\\(.*", "");
            return switch (base) {
                case "NULL" -> Family.UNKNOWN;
                case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT",
                        "DOUBLE", "DECIMAL" -> Family.NUMBER;
                case "VARCHAR" -> Family.STRING;
                case "DATE", "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP WITH TIME ZONE" -> Family.DATETIME;
                case "BOOLEAN" -> Family.BOOLEAN;
                case "BLOB" -> Family.BINARY;
                case "MAP" -> Family.MAP;
                case "STRUCT" -> Family.ROW;
                default -> Family.OTHER;
            };
        }

        boolean floating() {
            return name.equals("FLOAT") || name.equals("DOUBLE");
        }

        /** The type as Trino would name it, for messages. */
        String trino() {
            return switch (family()) {
                case UNKNOWN -> "unknown";
                case ARRAY -> "array(" + children.get(0).trino() + ")";
                case MAP -> "map(" + children.get(0).trino() + ", " + children.get(1).trino() + ")";
                case ROW -> {
                    List<String> parts = new ArrayList<>();
                    for (int i = 0; i < children.size(); i++) {
                        parts.add(fields.get(i) + " " + children.get(i).trino());
                    }
                    yield "row(" + String.join(", ", parts) + ")";
                }
                default -> switch (name) {
                    case "INTEGER" -> "integer";
                    case "FLOAT" -> "real";
                    case "BLOB" -> "varbinary";
                    case "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS" -> "timestamp(6)";
                    case "TIMESTAMP WITH TIME ZONE" -> "timestamp(6) with time zone";
                    default -> name.toLowerCase(Locale.ROOT);
                };
            };
        }
    }

    /**
     * The expression converting {@code expr} (of DuckDB type {@code from}) to the table column type
     * {@code to}, or empty when Trino would refuse the INSERT ("mismatched column types").
     */
    static Optional<String> convert(String expr, DuckType from, DataType to) {
        return convert(expr, from, to, 0);
    }

    private static Optional<String> convert(String expr, DuckType from, DataType to, int depth) {
        String target = to.duckDb();
        Family family = from.family();
        if (family == Family.UNKNOWN) {
            return Optional.of("CAST(" + expr + " AS " + target + ")");
        }
        return switch (to.kind()) {
            case TINYINT, SMALLINT, INT, BIGINT -> family != Family.NUMBER ? Optional.empty()
                    // DuckDB casts a double half to even; Trino rounds half away from zero, as round() does.
                    : Optional.of("CAST(" + (from.floating() ? "round(" + expr + ")" : expr) + " AS " + target + ")");
            case FLOAT, DOUBLE, DECIMAL -> family == Family.NUMBER ? Optional.of("CAST(" + expr + " AS " + target + ")") : Optional.empty();
            case STRING -> family == Family.STRING ? Optional.of(expr) : Optional.empty();
            case VARCHAR, CHAR -> family != Family.STRING ? Optional.empty() : Optional.of(to.precision() == 65535 ? expr
                    : "CASE WHEN length(rtrim(" + expr + ", ' ')) > " + to.precision() + " THEN error(" + string("Cannot truncate non-space "
                            + "characters when casting from varchar to " + to.trino() + " on INSERT") + ") ELSE left(" + expr + ", "
                            + to.precision() + ") END");
            case DATE, TIMESTAMP -> family == Family.DATETIME ? Optional.of("CAST(" + expr + " AS " + target + ")") : Optional.empty();
            case BOOLEAN -> family == Family.BOOLEAN ? Optional.of(expr) : Optional.empty();
            case BINARY -> family == Family.BINARY ? Optional.of(expr) : Optional.empty();
            case ARRAY -> {
                if (family != Family.ARRAY) {
                    yield Optional.empty();
                }
                String x = "x" + depth;
                yield convert(x, from.children().get(0), to.parameters().get(0), depth + 1)
                        .map(e -> "list_transform(" + expr + ", lambda " + x + ": " + e + ")");
            }
            case MAP -> {
                if (family != Family.MAP) {
                    yield Optional.empty();
                }
                String x = "x" + depth;
                Optional<String> key = convert(x + ".key", from.children().get(0), to.parameters().get(0), depth + 1);
                Optional<String> value = convert(x + ".value", from.children().get(1), to.parameters().get(1), depth + 1);
                if (key.isEmpty() || value.isEmpty()) {
                    yield Optional.empty();
                }
                yield Optional.of("CAST(map_from_entries(list_transform(map_entries(" + expr + "), lambda " + x + ": {'key': " + key.get()
                        + ", 'value': " + value.get() + "})) AS " + target + ")");
            }
            case STRUCT -> {
                // Rows match by position, as in Trino; field names come from the table.
                if (family != Family.ROW || from.children().size() != to.parameters().size()) {
                    yield Optional.empty();
                }
                List<String> fields = new ArrayList<>();
                for (int i = 0; i < to.parameters().size(); i++) {
                    Optional<String> field = convert("struct_extract(" + expr + ", " + string(from.fields().get(i)) + ")", from.children().get(i),
                            to.parameters().get(i), depth + 1);
                    if (field.isEmpty()) {
                        yield Optional.empty();
                    }
                    fields.add(identifier(to.fieldNames().get(i)) + " := " + field.get());
                }
                yield Optional.of("CASE WHEN " + expr + " IS NULL THEN NULL ELSE struct_pack(" + String.join(", ", fields) + ") END");
            }
        };
    }

    private static final class Cursor {
        private final String text;
        private int pos;

        Cursor(String text) {
            this.text = text;
        }

        DuckType type() {
            DuckType t = base();
            while (text.startsWith("[", pos)) {
                int close = text.indexOf(']', pos);
                pos = close < 0 ? text.length() : close + 1;
                t = new DuckType("[]", List.of(t), List.of());
            }
            return t;
        }

        private DuckType base() {
            skipSpace();
            if (text.startsWith("STRUCT(", pos)) {
                pos += "STRUCT(".length();
                List<DuckType> children = new ArrayList<>();
                List<String> fields = new ArrayList<>();
                while (true) {
                    skipSpace();
                    fields.add(name());
                    children.add(type());
                    skipSpace();
                    if (take(')')) {
                        return new DuckType("STRUCT", children, fields);
                    }
                    expect(',');
                }
            }
            if (text.startsWith("MAP(", pos)) {
                pos += "MAP(".length();
                DuckType key = type();
                skipSpace();
                expect(',');
                DuckType value = type();
                skipSpace();
                expect(')');
                return new DuckType("MAP", List.of(key, value), List.of());
            }
            if (text.startsWith("\"NULL\"", pos)) {
                pos += 6;
                return new DuckType("NULL", List.of(), List.of());
            }
            int start = pos;
            int depth = 0;
            while (pos < text.length()) {
                char ch = text.charAt(pos);
                if (ch == '(') {
                    depth++;
                } else if (ch == ')') {
                    if (depth == 0) {
                        break;
                    }
                    depth--;
                } else if ((ch == ',' || ch == '[') && depth == 0) {
                    break;
                }
                pos++;
            }
            return new DuckType(text.substring(start, pos).trim(), List.of(), List.of());
        }

        /** A struct field name: bare or in double quotes ({@code ""} for a quote). */
        private String name() {
            if (take('"')) {
                StringBuilder sb = new StringBuilder();
                while (pos < text.length()) {
                    char ch = text.charAt(pos++);
                    if (ch == '"') {
                        if (pos < text.length() && text.charAt(pos) == '"') {
                            sb.append('"');
                            pos++;
                            continue;
                        }
                        return sb.toString();
                    }
                    sb.append(ch);
                }
                return sb.toString();
            }
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != ' ') {
                pos++;
            }
            return text.substring(start, pos);
        }

        private void skipSpace() {
            while (pos < text.length() && text.charAt(pos) == ' ') {
                pos++;
            }
        }

        private boolean take(char ch) {
            if (pos < text.length() && text.charAt(pos) == ch) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char ch) {
            if (!take(ch)) {
                throw new IllegalArgumentException("unexpected DuckDB type text '" + text + "' at " + pos);
            }
        }
    }
}
