package io.tributary.sql.catalog;

import static java.util.Objects.requireNonNull;

import io.tributary.common.TributaryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A column type as Hive DDL writes it ({@code string}, {@code int}, {@code decimal(10,2)},
 * {@code array<string>}, {@code struct<a:int,b:string>}), kept in its canonical lower-case text.
 * Knows the matching DuckDB type and the name Athena reports in result metadata.
 *
 * <p>Immutable.
 */
public record DataType(Kind kind, String text, List<DataType> parameters, List<String> fieldNames, int precision, int scale) {
    public enum Kind {
        STRING, VARCHAR, CHAR, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL, BOOLEAN, DATE, TIMESTAMP, BINARY, ARRAY, MAP, STRUCT
    }

    public DataType {
        requireNonNull(kind, "kind is null");
        requireNonNull(text, "text is null");
        parameters = List.copyOf(parameters);
        fieldNames = List.copyOf(fieldNames);
    }

    private static DataType simple(Kind kind, String text) {
        return new DataType(kind, text, List.of(), List.of(), 0, 0);
    }

    /** Parses a Hive type; refuses unknown types by name. */
    public static DataType parse(String text) {
        requireNonNull(text, "type is null");
        Cursor c = new Cursor(text);
        DataType type = c.type();
        c.skipSpace();
        if (!c.atEnd()) {
            throw invalid(text, "unexpected '" + text.substring(c.pos) + "'");
        }
        return type;
    }

    public boolean isNumeric() {
        return switch (kind) {
            case TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL -> true;
            default -> false;
        };
    }

    public boolean isIntegral() {
        return switch (kind) {
            case TINYINT, SMALLINT, INT, BIGINT -> true;
            default -> false;
        };
    }

    /** Primitive types can be partition keys; complex ones cannot (as in Hive). */
    public boolean isPrimitive() {
        return switch (kind) {
            case ARRAY, MAP, STRUCT, BINARY -> false;
            default -> true;
        };
    }

    /** The DuckDB type with the same values. */
    public String duckDb() {
        return switch (kind) {
            case STRING, VARCHAR, CHAR -> "VARCHAR";
            case TINYINT -> "TINYINT";
            case SMALLINT -> "SMALLINT";
            case INT -> "INTEGER";
            case BIGINT -> "BIGINT";
            case FLOAT -> "FLOAT";
            case DOUBLE -> "DOUBLE";
            case DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
            case BOOLEAN -> "BOOLEAN";
            case DATE -> "DATE";
            case TIMESTAMP -> "TIMESTAMP";
            case BINARY -> "BLOB";
            case ARRAY -> parameters.get(0).duckDb() + "[]";
            case MAP -> "MAP(" + parameters.get(0).duckDb() + ", " + parameters.get(1).duckDb() + ")";
            case STRUCT -> {
                StringBuilder sb = new StringBuilder("STRUCT(");
                for (int i = 0; i < parameters.size(); i++) {
                    sb.append(i == 0 ? "" : ", ").append('"').append(fieldNames.get(i).replace("\"", "\"\"")).append("\" ")
                            .append(parameters.get(i).duckDb());
                }
                yield sb.append(')').toString();
            }
        };
    }

    /** The type name Athena reports for the column in query results ({@code varchar}, {@code integer}, ...). */
    public String athena() {
        return switch (kind) {
            case STRING, VARCHAR -> "varchar";
            case CHAR -> "char";
            case TINYINT -> "tinyint";
            case SMALLINT -> "smallint";
            case INT -> "integer";
            case BIGINT -> "bigint";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            case DECIMAL -> "decimal";
            case BOOLEAN -> "boolean";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp";
            case BINARY -> "varbinary";
            case ARRAY -> "array";
            case MAP -> "map";
            case STRUCT -> "row";
        };
    }

    /** The type as Trino names it ({@code varchar}, {@code integer}, {@code timestamp(3)}, {@code row(a integer)}), as Athena's information_schema shows it. */
    public String trino() {
        return switch (kind) {
            case STRING -> "varchar";
            case VARCHAR -> precision == 65535 ? "varchar" : "varchar(" + precision + ")";
            case CHAR -> "char(" + precision + ")";
            case TINYINT -> "tinyint";
            case SMALLINT -> "smallint";
            case INT -> "integer";
            case BIGINT -> "bigint";
            case FLOAT -> "real";
            case DOUBLE -> "double";
            case DECIMAL -> "decimal(" + precision + "," + scale + ")";
            case BOOLEAN -> "boolean";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp(3)";
            case BINARY -> "varbinary";
            case ARRAY -> "array(" + parameters.get(0).trino() + ")";
            case MAP -> "map(" + parameters.get(0).trino() + ", " + parameters.get(1).trino() + ")";
            case STRUCT -> {
                List<String> fields = new ArrayList<>();
                for (int i = 0; i < parameters.size(); i++) {
                    fields.add(fieldNames.get(i) + " " + parameters.get(i).trino());
                }
                yield "row(" + String.join(", ", fields) + ")";
            }
        };
    }

    @Override
    public String toString() {
        return text;
    }

    private static TributaryException invalid(String text, String why) {
        return TributaryException.invalidArgument("column type '%s' is not valid: %s. Use string, varchar(n), char(n), tinyint, smallint, "
                + "int, bigint, float, double, decimal(p,s), boolean, date, timestamp, binary, array<t>, map<k,v> or struct<name:t,...>", text, why);
    }

    private static final class Cursor {
        private final String text;
        private int pos;

        Cursor(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        String word() {
            skipSpace();
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos) {
                throw invalid(text, "expected a type name at position " + (pos + 1));
            }
            return text.substring(start, pos).toLowerCase(Locale.ROOT);
        }

        boolean take(char ch) {
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ch) {
                pos++;
                return true;
            }
            return false;
        }

        void expect(char ch) {
            if (!take(ch)) {
                throw invalid(text, "expected '" + ch + "' at position " + (pos + 1));
            }
        }

        int number() {
            skipSpace();
            int start = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw invalid(text, "expected a number at position " + (pos + 1));
            }
            return Integer.parseInt(text.substring(start, Math.min(pos, start + 9)));
        }

        DataType type() {
            String name = word();
            switch (name) {
                case "string":
                    return simple(Kind.STRING, "string");
                case "varchar":
                case "char": {
                    int length = 65535;
                    if (take('(')) {
                        length = number();
                        expect(')');
                    } else if (name.equals("char")) {
                        throw invalid(text, "char needs a length, as char(10)");
                    }
                    return new DataType(name.equals("char") ? Kind.CHAR : Kind.VARCHAR, name + "(" + length + ")", List.of(), List.of(), length, 0);
                }
                case "tinyint":
                    return simple(Kind.TINYINT, "tinyint");
                case "smallint":
                    return simple(Kind.SMALLINT, "smallint");
                case "int":
                case "integer":
                    return simple(Kind.INT, "int");
                case "bigint":
                    return simple(Kind.BIGINT, "bigint");
                case "float":
                case "real":
                    return simple(Kind.FLOAT, "float");
                case "double":
                    skipSpace();
                    if (text.regionMatches(true, pos, "precision", 0, 9)) {
                        pos += 9;
                    }
                    return simple(Kind.DOUBLE, "double");
                case "decimal":
                case "numeric": {
                    int p = 10;
                    int s = 0;
                    if (take('(')) {
                        p = number();
                        if (take(',')) {
                            s = number();
                        }
                        expect(')');
                    }
                    if (p < 1 || p > 38 || s < 0 || s > p) {
                        throw invalid(text, "decimal precision must be 1 to 38 and scale 0 to the precision");
                    }
                    return new DataType(Kind.DECIMAL, "decimal(" + p + "," + s + ")", List.of(), List.of(), p, s);
                }
                case "boolean":
                    return simple(Kind.BOOLEAN, "boolean");
                case "date":
                    return simple(Kind.DATE, "date");
                case "timestamp":
                    return simple(Kind.TIMESTAMP, "timestamp");
                case "binary":
                    return simple(Kind.BINARY, "binary");
                case "array": {
                    expect('<');
                    DataType element = type();
                    expect('>');
                    return new DataType(Kind.ARRAY, "array<" + element.text() + ">", List.of(element), List.of(), 0, 0);
                }
                case "map": {
                    expect('<');
                    DataType key = type();
                    expect(',');
                    DataType value = type();
                    expect('>');
                    if (!key.isPrimitive()) {
                        throw invalid(text, "map keys must be a primitive type");
                    }
                    return new DataType(Kind.MAP, "map<" + key.text() + "," + value.text() + ">", List.of(key, value), List.of(), 0, 0);
                }
                case "struct": {
                    expect('<');
                    List<DataType> fields = new ArrayList<>();
                    List<String> names = new ArrayList<>();
                    StringBuilder sb = new StringBuilder("struct<");
                    do {
                        skipSpace();
                        boolean quoted = take('`');
                        String field = quoted ? until('`') : word();
                        expect(':');
                        DataType t = type();
                        names.add(field.toLowerCase(Locale.ROOT));
                        fields.add(t);
                        sb.append(fields.size() == 1 ? "" : ",").append(field.toLowerCase(Locale.ROOT)).append(':').append(t.text());
                    } while (take(','));
                    expect('>');
                    return new DataType(Kind.STRUCT, sb.append('>').toString(), fields, names, 0, 0);
                }
                default:
                    throw invalid(text, "unknown type '" + name + "'");
            }
        }

        String until(char end) {
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != end) {
                pos++;
            }
            if (atEnd()) {
                throw invalid(text, "unterminated quoted name");
            }
            return text.substring(start, pos++);
        }
    }
}
