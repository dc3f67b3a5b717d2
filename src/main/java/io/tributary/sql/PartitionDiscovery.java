package io.tributary.sql;

import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.lake.ObjectStore;
import io.tributary.sql.catalog.Column;
import io.tributary.sql.catalog.Partition;
import io.tributary.sql.catalog.PartitionValues;
import io.tributary.sql.catalog.TableDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds Hive-style partition folders ({@code year=2026/month=09/...}) under a table's location in
 * one listing of its objects, as {@code MSCK REPAIR TABLE} does: folders whose keys are the
 * table's partition keys in order and whose values parse as the keys' types. Two folders with the
 * same typed values ({@code month=9} and {@code month=09}) are one partition, at the first folder.
 */
final class PartitionDiscovery {
    record Result(List<Partition> partitions, List<String> skipped) {}

    private PartitionDiscovery() {}

    static Result discover(ObjectStore lake, TableDefinition table) {
        Location base = table.location().asPrefix();
        if (lake.bucket(base.bucket()).isEmpty()) {
            throw io.tributary.common.TributaryException.notFound("location %s of table %s: bucket '%s' does not exist", base, table.name(),
                    base.bucket());
        }
        List<Column> keys = table.partitionKeys();
        Map<String, Partition> found = new LinkedHashMap<>();
        Set<String> folders = new LinkedHashSet<>();
        Set<String> skipped = new LinkedHashSet<>();
        try (Stream<ObjectInfo> objects = lake.list(base)) {
            objects.forEach(o -> {
                String relative = o.location().key().substring(base.key().length());
                String[] segments = relative.split("/");
                if (segments.length <= keys.size()) {
                    return;
                }
                StringBuilder folder = new StringBuilder();
                for (int i = 0; i < keys.size(); i++) {
                    folder.append(segments[i]).append('/');
                }
                if (!folders.add(folder.toString())) {
                    return;
                }
                Optional<List<String>> values = values(keys, segments);
                if (values.isEmpty()) {
                    skipped.add(base.child(folder.toString()) + " (not " + String.join("/", keys.stream().map(k -> k.name() + "=<" + k.type() + ">").toList()) + ")");
                    return;
                }
                Partition p = new Partition(values.get(), base.child(folder.toString()));
                Partition previous = found.putIfAbsent(p.name(keys), p);
                if (previous != null) {
                    skipped.add(p.location() + " (the same partition as " + previous.location() + ")");
                }
            });
        }
        return new Result(new ArrayList<>(found.values()), new ArrayList<>(skipped));
    }

    private static Optional<List<String>> values(List<Column> keys, String[] segments) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String segment = segments[i];
            int eq = segment.indexOf('=');
            if (eq < 0 || !segment.substring(0, eq).toLowerCase(Locale.ROOT).equals(keys.get(i).name())) {
                return Optional.empty();
            }
            Optional<String> value = PartitionValues.canonical(keys.get(i).type(), PartitionValues.unescapePathValue(segment.substring(eq + 1)));
            if (value.isEmpty()) {
                return Optional.empty();
            }
            values.add(value.get());
        }
        return Optional.of(values);
    }
}
