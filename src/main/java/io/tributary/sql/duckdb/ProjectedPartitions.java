package io.tributary.sql.duckdb;

import io.trino.sql.tree.Expression;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.sql.catalog.Column;
import io.tributary.sql.catalog.Partition;
import io.tributary.sql.catalog.PartitionProjection;
import io.tributary.sql.catalog.TableDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The partitions a table's {@link PartitionProjection} gives a query, with their files: each key's
 * values pruned by the WHERE conjuncts that name it alone, combined, pruned again as whole
 * partitions, then listed (each location, or beyond a few dozen the template's common prefix once).
 *
 * <p>Stateless.
 */
final class ProjectedPartitions {
    private ProjectedPartitions() {}

    /** Beyond this many projected partitions a query lists the common prefix once instead of each partition's location. */
    private static final int LISTINGS_PER_PARTITION = 64;

    /** The projected partitions that may hold the query's rows, with the files at their locations (none where nothing is). */
    static Map<Partition, List<ObjectInfo>> of(TableDefinition table, PartitionProjection projection, PartitionFilter filter, List<Expression> conjuncts,
            LakeFiles files, Instant now) {
        int n = table.partitionKeys().size();
        List<List<PartitionProjection.Value>> perKey = new ArrayList<>();
        long combinations = 1;
        for (int i = 0; i < n; i++) {
            Set<String> injected = Set.of();
            if (projection.injected(i)) {
                String key = table.partitionKeys().get(i).name();
                injected = filter.equalities(conjuncts, i).orElseThrow(() -> TributaryException.invalidArgument("CONSTRAINT_VIOLATION: For the "
                        + "injected projected partition column %s, the WHERE clause must contain only static equality conditions, and at least "
                        + "one such condition must be present (such as WHERE %s = 'value' or %s IN ('a', 'b'))", key, key, key));
            }
            List<String> probe = new ArrayList<>(Collections.nCopies(n, (String) null));
            List<PartitionProjection.Value> kept = new ArrayList<>();
            for (PartitionProjection.Value v : projection.values(i, now, injected)) {
                probe.set(i, v.partition());
                if (filter.mayMatch(conjuncts, probe)) {
                    kept.add(v);
                }
            }
            combinations *= Math.max(1, kept.size());
            if (combinations > PartitionProjection.MAX_VALUES) {
                throw new TributaryException(ErrorCode.LIMIT_EXCEEDED, "partition projection of " + table.name() + " gives more than "
                        + PartitionProjection.MAX_VALUES + " partitions for this query; add WHERE conditions on its partition keys "
                        + table.partitionKeys().stream().map(Column::name).toList());
            }
            perKey.add(kept);
        }
        List<Partition> partitions = new ArrayList<>();
        combine(perKey, new ArrayList<>(), combination -> {
            List<String> values = combination.stream().map(PartitionProjection.Value::partition).toList();
            if (filter.mayMatch(conjuncts, values)) {
                partitions.add(new Partition(values, projection.location(combination)));
            }
        });
        Map<Partition, List<ObjectInfo>> out = new LinkedHashMap<>();
        if (partitions.size() <= LISTINGS_PER_PARTITION) {
            for (Partition p : partitions) {
                out.put(p, files.list(p.location()));
            }
            return out;
        }
        Map<String, Partition> byLocation = new HashMap<>();
        Map<String, List<ObjectInfo>> objects = new LinkedHashMap<>();
        for (Partition p : partitions) {
            byLocation.put(p.location().asPrefix().toString(), p);
        }
        Location prefix = projection.commonPrefix();
        for (ObjectInfo o : files.list(prefix)) {
            String s = o.location().toString();
            for (int slash = s.lastIndexOf('/'); slash > prefix.toString().length() - 2; slash = s.lastIndexOf('/', slash - 1)) {
                String folder = s.substring(0, slash + 1);
                if (byLocation.containsKey(folder)) {
                    objects.computeIfAbsent(folder, k -> new ArrayList<>()).add(o);
                    break;
                }
            }
        }
        objects.forEach((folder, list) -> out.put(byLocation.get(folder), list));
        return out;
    }

    private static void combine(List<List<PartitionProjection.Value>> perKey, List<PartitionProjection.Value> prefix,
            Consumer<List<PartitionProjection.Value>> action) {
        if (prefix.size() == perKey.size()) {
            action.accept(List.copyOf(prefix));
            return;
        }
        for (PartitionProjection.Value v : perKey.get(prefix.size())) {
            prefix.add(v);
            combine(perKey, prefix, action);
            prefix.remove(prefix.size() - 1);
        }
    }
}
