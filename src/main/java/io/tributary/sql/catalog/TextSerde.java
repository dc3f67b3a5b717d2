package io.tributary.sql.catalog;

import static java.util.Objects.requireNonNull;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.util.Optional;

/**
 * How a text table's SerDe splits and quotes its lines, resolved from SerDe and table properties
 * with Hive's defaults, so reading and writing agree. LazySimpleSerDe: {@code field.delim} (or
 * {@code serialization.format}, which may be a character code such as {@code '1'}), default
 * {@code \001}; {@code collection.delim} (Hive spells it {@code colelction.delim}), default
 * {@code \002}; {@code mapkey.delim}, default {@code \003}; {@code serialization.null.format},
 * default {@code \N}; nothing quoted. OpenCSVSerde: {@code separatorChar} (default {@code ,}),
 * {@code quoteChar} ({@code "}), {@code escapeChar} ({@code \}).
 *
 * @param quote present for OpenCSVSerde
 * @param headerLines {@code skip.header.line.count}
 */
public record TextSerde(String fieldDelimiter, Optional<String> quote, Optional<String> escape, String nullFormat, String collectionDelimiter,
        String mapKeyDelimiter, int headerLines) {
    public TextSerde {
        requireNonNull(fieldDelimiter, "fieldDelimiter is null");
        requireNonNull(quote, "quote is null");
        requireNonNull(escape, "escape is null");
        requireNonNull(nullFormat, "nullFormat is null");
        requireNonNull(collectionDelimiter, "collectionDelimiter is null");
        requireNonNull(mapKeyDelimiter, "mapKeyDelimiter is null");
    }

    public static TextSerde of(TableDefinition table) {
        StorageDescriptor sd = table.storage();
        int header = table.property("skip.header.line.count").map(v -> {
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw TributaryException.invalidArgument("table %s: skip.header.line.count '%s' is not a number", table.name(), v);
            }
        }).orElse(0);
        if (sd.serde().equals(TableFormat.OPEN_CSV_SERDE)) {
            return new TextSerde(sd.serdeProperty("separatorChar").orElse(","), Optional.of(sd.serdeProperty("quoteChar").orElse("\"")),
                    Optional.of(sd.serdeProperty("escapeChar").orElse("\\")), "", "\u0002", "\u0003", header);
        }
        return new TextSerde(delimiter(sd.serdeProperty("field.delim").or(() -> sd.serdeProperty("serialization.format")), "\u0001"),
                Optional.empty(), sd.serdeProperty("escape.delim"), sd.serdeProperty("serialization.null.format").orElse("\\N"),
                delimiter(sd.serdeProperty("collection.delim").or(() -> sd.serdeProperty("colelction.delim")), "\u0002"),
                delimiter(sd.serdeProperty("mapkey.delim"), "\u0003"), header);
    }

    /**
     * Refuses column types the SerDe cannot read: arrays, maps and structs nested more than one
     * level (their inner levels need Hive's further delimiters {@code \004}...), and any complex
     * type in an OpenCSVSerde table (it reads strings only).
     */
    public static void requireReadable(TableDefinition table) {
        if (table.storage().format() != TableFormat.TEXT) {
            return;
        }
        boolean openCsv = table.storage().serde().equals(TableFormat.OPEN_CSV_SERDE);
        for (Column c : table.columns()) {
            if (!complex(c.type())) {
                continue;
            }
            if (openCsv) {
                throw new TributaryException(ErrorCode.UNSUPPORTED, String.format("table %s: column '%s' has type %s, but OpenCSVSerde reads "
                        + "only primitive types (declare it string, or use LazySimpleSerDe: ROW FORMAT DELIMITED ... COLLECTION ITEMS "
                        + "TERMINATED BY ...)", table.name(), c.name(), c.type()));
            }
            if (c.type().parameters().stream().anyMatch(TextSerde::complex)) {
                throw new TributaryException(ErrorCode.UNSUPPORTED, String.format("table %s: column '%s' has type %s; a delimited text table "
                        + "reads arrays, maps and structs one level deep (items split by the collection delimiter, map keys by the "
                        + "map-key delimiter), not nested ones. Store the table as JSON or Parquet, or declare the column string",
                        table.name(), c.name(), c.type()));
            }
        }
    }

    private static boolean complex(DataType type) {
        return switch (type.kind()) {
            case ARRAY, MAP, STRUCT -> true;
            default -> false;
        };
    }

    public boolean openCsv() {
        return quote.isPresent();
    }

    /** Hive accepts a delimiter given as its character code ({@code '1'} means ^A). */
    private static String delimiter(Optional<String> value, String otherwise) {
        String d = value.orElse(otherwise);
        if (d.matches("\\d+")) {
            return String.valueOf((char) Integer.parseInt(d));
        }
        return d;
    }
}
