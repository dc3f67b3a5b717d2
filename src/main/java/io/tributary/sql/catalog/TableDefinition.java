package io.tributary.sql.catalog;

import static java.util.Objects.requireNonNull;

import io.tributary.common.TributaryException;
import io.tributary.lake.Location;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An external table: data columns, partition keys, the location of its files and how they are
 * stored. A partitioned table reads only its registered partitions, each at its own location.
 */
public record TableDefinition(TableName name, List<Column> columns, List<Column> partitionKeys, Location location,
        StorageDescriptor storage, Map<String, String> properties, Optional<String> comment, Instant createdAt) {
    public TableDefinition {
        requireNonNull(name, "name is null");
        columns = List.copyOf(columns);
        partitionKeys = List.copyOf(partitionKeys);
        requireNonNull(location, "location is null");
        requireNonNull(storage, "storage is null");
        properties = Map.copyOf(properties);
        requireNonNull(comment, "comment is null");
        requireNonNull(createdAt, "createdAt is null");
        if (columns.isEmpty()) {
            throw TributaryException.invalidArgument("table %s needs at least one column", name);
        }
        Set<String> seen = new HashSet<>();
        for (Column c : columns) {
            if (!seen.add(c.name())) {
                throw TributaryException.invalidArgument("table %s declares column '%s' twice", name, c.name());
            }
        }
        for (Column c : partitionKeys) {
            if (!seen.add(c.name())) {
                throw TributaryException.invalidArgument("table %s: partition key '%s' is also a column (or declared twice); "
                        + "partition keys are not repeated among the columns", name, c.name());
            }
            if (!c.type().isPrimitive()) {
                throw TributaryException.invalidArgument("table %s: partition key '%s' must have a primitive type, not %s", name, c.name(), c.type());
            }
        }
    }

    public boolean partitioned() {
        return !partitionKeys.isEmpty();
    }

    /** Data columns, then partition keys: the columns a query sees, in order. */
    public List<Column> allColumns() {
        List<Column> all = new ArrayList<>(columns);
        all.addAll(partitionKeys);
        return all;
    }

    public Optional<String> property(String name) {
        return Optional.ofNullable(properties.get(name));
    }
}
