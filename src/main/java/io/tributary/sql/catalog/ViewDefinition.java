package io.tributary.sql.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A view: a name for a SELECT (in Athena's dialect), expanded where it is used. */
public record ViewDefinition(TableName name, String sql, Instant createdAt) {
    public ViewDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(sql, "sql is null");
        requireNonNull(createdAt, "createdAt is null");
    }
}
