package io.tributary.sql.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/** A named query kept for later (Athena's NamedQuery). */
public record SavedQuery(String id, String name, Optional<String> description, String database, String sql, Instant createdAt) {
    public SavedQuery {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(database, "database is null");
        requireNonNull(sql, "sql is null");
        requireNonNull(createdAt, "createdAt is null");
        if (name.isBlank() || name.length() > 128) {
            throw new IllegalArgumentException("a saved query needs a name of 1 to 128 characters");
        }
    }
}
