package io.tributary.sql.duckdb;

import static io.tributary.sql.duckdb.TrinoToDuckDb.string;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.sql.QueryEngine.TextLayout;
import io.tributary.sql.catalog.Column;
import io.tributary.sql.catalog.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * A column's value as a text table's SerDe stores it, as a DuckDB expression for the CSV writer.
 * LazySimpleSerDe does not quote: a value holding a delimiter or a line break would split the row
 * when read back, so the write fails naming the value's column instead of writing such a file.
 * Arrays, maps and structs are joined with the collection and map-key delimiters, one level deep,
 * which is what the reader splits.
 *
 * <p>Stateless.
 */
final class TextValues {
    private TextValues() {}

    /** @param statement names the write in messages ({@code INSERT INTO db.t}) */
    static String serialize(String expr, Column column, TextLayout layout, String statement) {
        DataType type = column.type();
        if (type.kind() == DataType.Kind.BINARY) {
            throw refused(column, statement, "binary columns cannot be stored in text tables");
        }
        if (layout.quote().isPresent()) {
            if (!type.isPrimitive()) {
                throw refused(column, statement, "OpenCSVSerde stores only primitive types, not " + type);
            }
            return "CAST(" + expr + " AS VARCHAR)";
        }
        String nullFormat = string(layout.nullFormat());
        return switch (type.kind()) {
            case ARRAY -> {
                DataType element = primitive(type.parameters().get(0), column, statement);
                yield "CASE WHEN " + expr + " IS NULL THEN NULL ELSE array_to_string(list_transform(" + expr + ", lambda e: coalesce("
                        + guarded("CAST(e AS VARCHAR)", element, column, statement, layout, true) + ", " + nullFormat + ")), "
                        + string(layout.collectionDelimiter()) + ") END";
            }
            case MAP -> {
                primitive(type.parameters().get(0), column, statement);
                primitive(type.parameters().get(1), column, statement);
                yield "CASE WHEN " + expr + " IS NULL THEN NULL ELSE array_to_string(list_transform(map_entries(" + expr + "), lambda e: "
                        + guarded("CAST(e.key AS VARCHAR)", type.parameters().get(0), column, statement, layout, true) + " || "
                        + string(layout.mapKeyDelimiter()) + " || coalesce(" + guarded("CAST(e.value AS VARCHAR)", type.parameters().get(1),
                                column, statement, layout, true) + ", " + nullFormat + ")), " + string(layout.collectionDelimiter()) + ") END";
            }
            case STRUCT -> {
                List<String> fields = new ArrayList<>();
                for (int i = 0; i < type.parameters().size(); i++) {
                    primitive(type.parameters().get(i), column, statement);
                    fields.add("coalesce(" + guarded("CAST(struct_extract(" + expr + ", " + string(type.fieldNames().get(i)) + ") AS VARCHAR)",
                            type.parameters().get(i), column, statement, layout, true) + ", " + nullFormat + ")");
                }
                yield "CASE WHEN " + expr + " IS NULL THEN NULL ELSE concat_ws(" + string(layout.collectionDelimiter()) + ", "
                        + String.join(", ", fields) + ") END";
            }
            default -> guarded(expr, type, column, statement, layout, false);
        };
    }

    /** Fails the write on a string holding a character the reader splits on. */
    private static String guarded(String expr, DataType type, Column column, String statement, TextLayout layout, boolean nested) {
        if (type.kind() != DataType.Kind.STRING && type.kind() != DataType.Kind.VARCHAR && type.kind() != DataType.Kind.CHAR) {
            return expr;
        }
        List<String> separators = new ArrayList<>(List.of(layout.fieldDelimiter(), "\n", "\r"));
        if (nested) {
            separators.add(layout.collectionDelimiter());
            separators.add(layout.mapKeyDelimiter());
        }
        List<String> tests = separators.stream().distinct().map(sep -> "contains(" + expr + ", " + string(sep) + ")").toList();
        String message = statement + ": a value of column '" + column.name() + "' contains the table's field delimiter "
                + printable(layout.fieldDelimiter()) + (nested ? ", collection or map-key delimiter" : "") + " or a line break; "
                + "LazySimpleSerDe writes no quotes, so the row could not be read back. Replace the character in the value, or store the "
                + "table as Parquet or JSON";
        return "CASE WHEN " + String.join(" OR ", tests) + " THEN error(" + string(message) + ") ELSE " + expr + " END";
    }

    private static DataType primitive(DataType type, Column column, String statement) {
        if (!type.isPrimitive()) {
            throw refused(column, statement, "a text table stores arrays, maps and structs one level deep, not " + column.type());
        }
        return type;
    }

    private static TributaryException refused(Column column, String statement, String why) {
        return new TributaryException(ErrorCode.UNSUPPORTED, statement + ": column '" + column.name() + "': " + why);
    }

    static String printable(String delimiter) {
        if (delimiter.length() == 1 && delimiter.charAt(0) < 0x20) {
            return delimiter.equals("\t") ? "'\\t'" : String.format("'\\%03o'", (int) delimiter.charAt(0));
        }
        return "'" + delimiter + "'";
    }
}
