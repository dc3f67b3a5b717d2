package io.tributary.sql.catalog;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;

/** A table column: name (lower case, as Hive and Athena keep it), type and optional comment. */
public record Column(String name, DataType type, Optional<String> comment) {
    public Column {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(comment, "comment is null");
        name = name.toLowerCase(Locale.ROOT);
        if (name.isBlank()) {
            throw new IllegalArgumentException("column name is blank");
        }
    }

    public static Column of(String name, String type) {
        return new Column(name, DataType.parse(type), Optional.empty());
    }
}
