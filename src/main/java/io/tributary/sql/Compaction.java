package io.tributary.sql;

import static java.util.Objects.requireNonNull;

import io.tributary.auth.Principal;
import io.tributary.auth.Roles;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.lake.ObjectStore;
import io.tributary.sql.catalog.Column;
import io.tributary.sql.catalog.TableDefinition;
import io.tributary.sql.catalog.TableFormat;
import io.tributary.sql.catalog.TableName;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The lab's MergeSmallFiles as a built-in job: for one hour, register the hour's partition in the
 * JSON table and the Parquet table, and rewrite the hour's JSON rows as Parquet under the Parquet
 * table's partition folder, with the statements the lab's function sends (ALTER TABLE ... ADD IF NOT
 * EXISTS PARTITION, CREATE TABLE ... WITH (external_location, format = 'PARQUET') AS SELECT ...,
 * DROP TABLE of the temporary table), run through the query service so they show in the history.
 *
 * <p>Idempotent: the hour's Parquet folder belongs to compaction; objects a previous run left there
 * are deleted before the hour is written again, so running twice leaves one copy.
 *
 * <p>Thread-safe; two compactions of the same hour at once are not coordinated (the scheduler never
 * runs a schedule twice at once).
 */
public final class Compaction {
    static final Principal PRINCIPAL = new Principal("compaction", Principal.Kind.USER, Optional.empty(), Set.of(Roles.ALL_ACCESS));
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMddHH").withZone(ZoneOffset.UTC);

    /** What one compaction did. */
    public record Result(TableName source, TableName target, Instant hour, long rows, long bytesScanned, long bytesWritten, int files,
            long millis, int replacedObjects) {
        public String summary() {
            return String.format("%s hour %s -> %s: %,d rows, %,d bytes of JSON read, %,d bytes of Parquet in %d file(s), %d ms%s", source,
                    DateTimeFormatter.ISO_INSTANT.format(hour), target, rows, bytesScanned, bytesWritten, files, millis,
                    replacedObjects > 0 ? " (replaced " + replacedObjects + " object(s) of an earlier run)" : "");
        }
    }

    private final SqlService sql;
    private final ObjectStore lake;

    public Compaction(SqlService sql, ObjectStore lake) {
        this.sql = requireNonNull(sql, "sql is null");
        this.lake = requireNonNull(lake, "lake is null");
    }

    /** Checks the two tables are what compaction needs: partitioned by year, month, day and hour; the target in Parquet. */
    public void validate(TableName source, TableName target) {
        TableDefinition s = sql.catalog().requireTable(source);
        TableDefinition t = sql.catalog().requireTable(target);
        for (TableDefinition table : List.of(s, t)) {
            List<String> keys = table.partitionKeys().stream().map(Column::name).toList();
            if (!keys.equals(List.of("year", "month", "day", "hour"))) {
                throw TributaryException.invalidArgument("table %s is partitioned by %s; compaction needs (year, month, day, hour) as the lab's "
                        + "tables are", table.name(), keys);
            }
        }
        if (t.storage().format() != TableFormat.PARQUET) {
            throw TributaryException.invalidArgument("compaction target %s is stored as %s; it must be a Parquet table", target, t.storage().format());
        }
    }

    /** Compacts the hour starting at {@code hour} (truncated to the hour, UTC). */
    public Result compactHour(TableName source, TableName target, Instant hour) {
        validate(source, target);
        long start = System.nanoTime();
        ZonedDateTime h = hour.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
        TableDefinition s = sql.catalog().requireTable(source);
        TableDefinition t = sql.catalog().requireTable(target);
        String values = String.format("year=%d, month=%d, day=%d, hour=%d", h.getYear(), h.getMonthValue(), h.getDayOfMonth(), h.getHour());
        String folder = String.format("year=%d/month=%02d/day=%02d/hour=%02d/", h.getYear(), h.getMonthValue(), h.getDayOfMonth(), h.getHour());
        Location targetFolder = t.location().asPrefix().child(folder);
        String tmp = target.table().startsWith("tmp_") ? target.table() + "_" + SUFFIX.format(h) : "tmp_" + target.table() + "_" + SUFFIX.format(h);
        TableName tmpTable = new TableName(target.database(), tmp);

        run("DROP TABLE IF EXISTS " + tmpTable);
        run("ALTER TABLE " + source + " ADD IF NOT EXISTS PARTITION (" + values + ") LOCATION '" + s.location().asPrefix().child(folder) + "'");
        run("ALTER TABLE " + target + " ADD IF NOT EXISTS PARTITION (" + values + ") LOCATION '" + targetFolder + "'");
        // The registered partition may sit elsewhere (registered by hand); compaction writes where the catalog says.
        Location destination = sql.catalog().partitions(target).stream()
                .filter(p -> p.values().equals(List.of(Integer.toString(h.getYear()), Integer.toString(h.getMonthValue()),
                        Integer.toString(h.getDayOfMonth()), Integer.toString(h.getHour()))))
                .map(p -> p.location().asPrefix()).findFirst().orElse(targetFolder);
        int replaced = clear(destination);
        String columns = t.columns().stream().map(Column::name).collect(Collectors.joining(","));
        String compression = t.property("parquet.compression").orElse("SNAPPY");
        QueryExecution ctas = run("CREATE TABLE " + tmpTable + "\nWITH (\n  external_location='" + destination + "',\n  format = 'PARQUET',\n"
                + "  parquet_compression = '" + compression.replace("'", "") + "')\nAS SELECT " + columns + "\nFROM " + source + "\nWHERE year="
                + h.getYear() + " AND month=" + h.getMonthValue() + " AND day=" + h.getDayOfMonth() + " AND hour=" + h.getHour() + "\nWITH DATA");
        run("DROP TABLE IF EXISTS " + tmpTable);
        long bytes = 0;
        int files = 0;
        try (Stream<ObjectInfo> written = lake.list(destination)) {
            for (ObjectInfo o : written.toList()) {
                bytes += o.size();
                files++;
            }
        }
        return new Result(source, target, h.toInstant(), ctas.rows(), ctas.bytesScanned(), bytes, files, (System.nanoTime() - start) / 1_000_000,
                replaced);
    }

    private int clear(Location folder) {
        List<ObjectInfo> old;
        try (Stream<ObjectInfo> objects = lake.list(folder)) {
            old = objects.toList();
        }
        for (ObjectInfo o : old) {
            lake.delete(o.location());
        }
        return old.size();
    }

    private QueryExecution run(String statement) {
        QueryExecution e = sql.run(QuerySubmission.of(statement, "default", PRINCIPAL));
        if (e.state() != QueryState.SUCCEEDED) {
            throw new TributaryException(e.errorCode().map(ErrorCode::valueOf).orElse(ErrorCode.INTERNAL),
                    "compaction statement failed (" + e.stateReason().orElse(e.state().name()) + "): " + statement);
        }
        return e;
    }
}
