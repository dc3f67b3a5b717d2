package io.tributary.sql.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** A database (Athena's and Hive's name for a schema): a namespace of tables and views. */
public record DatabaseInfo(String name, Optional<String> comment, Optional<String> location, Map<String, String> properties, Instant createdAt) {
    public DatabaseInfo {
        name = TableName.validate(requireNonNull(name, "name is null"), "database");
        requireNonNull(comment, "comment is null");
        requireNonNull(location, "location is null");
        properties = Map.copyOf(properties);
        requireNonNull(createdAt, "createdAt is null");
    }
}
