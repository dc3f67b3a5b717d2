package io.tributary.sql.parser;

import static java.util.Objects.requireNonNull;

import io.tributary.sql.catalog.TableName;
import java.util.Optional;

/** A table, view or database name as written, possibly without its database. */
public record ObjectName(Optional<String> database, String name) {
    public ObjectName {
        requireNonNull(database, "database is null");
        requireNonNull(name, "name is null");
    }

    /** Resolves against the current database, as Athena does for unqualified names. */
    public TableName resolve(String currentDatabase) {
        return new TableName(database.orElse(currentDatabase), name);
    }

    @Override
    public String toString() {
        return database.map(d -> d + ".").orElse("") + name;
    }
}
