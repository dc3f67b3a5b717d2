package io.tributary.sql.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A view: a name for a SELECT (in Athena's dialect), expanded where it is used, with the columns
 * its query gave when it was created (empty for views created before Tributary kept them), for
 * {@code DESCRIBE} and {@code information_schema.columns}.
 */
public record ViewDefinition(TableName name, String sql, List<Field> columns, Instant createdAt) {
    /** A view column with the type Athena reports for it ({@code varchar}, {@code decimal(10,2)}, ...). */
    public record Field(String name, String type) {
        public Field {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    public ViewDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(sql, "sql is null");
        columns = List.copyOf(columns);
        requireNonNull(createdAt, "createdAt is null");
    }
}
