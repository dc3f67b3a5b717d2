package io.tributary.sql;

import static java.util.Objects.requireNonNull;

import io.tributary.delivery.PartitionListener;
import io.tributary.lake.Location;
import io.tributary.sql.catalog.Catalog;
import io.tributary.sql.catalog.Column;
import io.tributary.sql.catalog.Partition;
import io.tributary.sql.catalog.PartitionValues;
import io.tributary.sql.catalog.TableDefinition;
import io.tributary.sql.catalog.TableName;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a partition in every table linked to a delivery stream as soon as the stream writes
 * into a new folder under the table's location: what Athena users need a crawler or
 * {@code MSCK REPAIR TABLE} for. A folder that is not {@code key=value/...} for the table's keys
 * is ignored (logged at DEBUG). Idempotent: an existing partition is left as it is.
 *
 * <p>Thread-safe.
 */
public final class CatalogPartitionListener implements PartitionListener {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogPartitionListener.class);

    private final Catalog catalog;

    public CatalogPartitionListener(Catalog catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    @Override
    public void partitionAdded(String deliveryStream, Location partition) {
        for (TableName name : catalog.linkedTables(deliveryStream)) {
            Optional<Catalog.Relation> relation = catalog.relation(name);
            if (relation.isEmpty() || !(relation.get() instanceof Catalog.TableRelation t) || !t.table().partitioned()) {
                continue;
            }
            TableDefinition table = t.table();
            parse(table, partition).ifPresentOrElse(p -> {
                if (!catalog.addPartitions(table, List.of(p), true).isEmpty()) {
                    LOG.info("Registered partition {} of {} written by delivery stream {}", p.name(table.partitionKeys()), name, deliveryStream);
                }
            }, () -> LOG.debug("Folder {} written by {} is not a partition of {}", partition, deliveryStream, name));
        }
    }

    /** The partition a folder holds, if it is {@code <table location>/k1=v1/.../kn=vn/} with values of the keys' types. */
    static Optional<Partition> parse(TableDefinition table, Location folder) {
        Location base = table.location().asPrefix();
        String key = folder.asPrefix().key();
        if (!folder.bucket().equals(base.bucket()) || !key.startsWith(base.key())) {
            return Optional.empty();
        }
        String[] segments = key.substring(base.key().length()).split("/");
        List<Column> keys = table.partitionKeys();
        if (segments.length != keys.size()) {
            return Optional.empty();
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            int eq = segments[i].indexOf('=');
            if (eq < 0 || !segments[i].substring(0, eq).toLowerCase(Locale.ROOT).equals(keys.get(i).name())) {
                return Optional.empty();
            }
            Optional<String> value = PartitionValues.canonical(keys.get(i).type(), PartitionValues.unescapePathValue(segments[i].substring(eq + 1)));
            if (value.isEmpty()) {
                return Optional.empty();
            }
            values.add(value.get());
        }
        return Optional.of(new Partition(values, folder.asPrefix()));
    }
}
