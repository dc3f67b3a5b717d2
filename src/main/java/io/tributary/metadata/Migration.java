package io.tributary.metadata;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One versioned schema change of a component's metadata tables. Versions of a component start at
 * 1 and increase by 1; an applied migration is never edited, only followed by a new one.
 * Statements use the SQL that SQLite and PostgreSQL share (TEXT, BIGINT, INTEGER, no
 * AUTOINCREMENT), so either can hold the catalog.
 */
public record Migration(String component, int version, String description, List<String> statements) {
    public Migration {
        requireNonNull(component, "component is null");
        requireNonNull(description, "description is null");
        statements = List.copyOf(statements);
        if (version < 1) {
            throw new IllegalArgumentException("migration versions start at 1: " + version);
        }
    }
}
