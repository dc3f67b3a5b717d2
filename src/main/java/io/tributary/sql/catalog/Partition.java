package io.tributary.sql.catalog;

import static java.util.Objects.requireNonNull;

import io.tributary.lake.Location;
import java.util.List;

/**
 * A registered partition: one canonical value per partition key (typed by the key's type, so
 * {@code month=09} and {@code month=9} are the same partition) and the location of its files.
 */
public record Partition(List<String> values, Location location) {
    public Partition {
        values = List.copyOf(values);
        requireNonNull(location, "location is null");
    }

    /** Hive's partition name, {@code year=2026/month=11}. */
    public String name(List<Column> keys) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            sb.append(i == 0 ? "" : "/").append(keys.get(i).name()).append('=').append(values.get(i));
        }
        return sb.toString();
    }
}
