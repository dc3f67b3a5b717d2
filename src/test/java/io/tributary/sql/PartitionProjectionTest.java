package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.lake.Location;
import io.tributary.sql.catalog.Column;
import io.tributary.sql.catalog.PartitionProjection;
import io.tributary.sql.catalog.StorageDescriptor;
import io.tributary.sql.catalog.TableDefinition;
import io.tributary.sql.catalog.TableFormat;
import io.tributary.sql.catalog.TableName;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Athena's partition projection: partitions computed from table properties, not registered ones. */
class PartitionProjectionTest {
    @TempDir
    static Path dir;

    static SqlStack stack;

    @BeforeAll
    static void start() {
        stack = new SqlStack(dir, "lake");
        stack.put("s3://lake/part/dt=2020-01-01/a.json", "{\"v\": 1}\n{\"v\": 2}\n");
        stack.put("s3://lake/part/dt=2020-01-02/a.json", "{\"v\": 3}\n");
        stack.put("s3://lake/part/dt=2020-01-03/a.json", "{\"v\": 4}\n");
        stack.put("s3://lake/part/dt=2019-12-31/a.json", "{\"v\": 100}\n");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void dateProjectionReadsTheProjectedPartitionsOnly() {
        stack.ok("CREATE EXTERNAL TABLE pproj (v int) PARTITIONED BY (dt string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' "
                + "LOCATION 's3://lake/part/' TBLPROPERTIES ('projection.enabled'='true', 'projection.dt.type'='date', "
                + "'projection.dt.format'='yyyy-MM-dd', 'projection.dt.range'='2020-01-01,NOW', 'storage.location.template'='s3://lake/part/dt=${dt}/')");
        assertThat(stack.table("SELECT count(*), sum(v) FROM pproj")).containsExactly(List.of("4", "10"));
        assertThat(stack.table("SELECT dt, sum(v) FROM pproj WHERE dt >= '2020-01-02' GROUP BY dt ORDER BY dt"))
                .containsExactly(List.of("2020-01-02", "3"), List.of("2020-01-03", "4"));
        QueryExecution one = stack.run("SELECT count(*) FROM pproj WHERE dt = '2020-01-02'", "default");
        QueryExecution all = stack.run("SELECT count(*) FROM pproj", "default");
        assertThat(one.bytesScanned()).isPositive().isLessThan(all.bytesScanned());
        // Registered partitions do not count once projection is on, as in Athena.
        stack.ok("ALTER TABLE pproj ADD PARTITION (dt='2019-12-31')");
        assertThat(stack.table("SELECT count(*) FROM pproj")).containsExactly(List.of("4"));
    }

    @Test
    void integerAndEnumProjectionsWithATemplate() {
        stack.put("s3://lake/enumlogs/us-east-1/2020/01/a.json", "{\"v\": 1}\n");
        stack.put("s3://lake/enumlogs/us-east-1/2020/02/a.json", "{\"v\": 2}\n");
        stack.put("s3://lake/enumlogs/eu-west-1/2020/12/a.json", "{\"v\": 3}\n");
        stack.put("s3://lake/enumlogs/ap-south-1/2020/01/a.json", "{\"v\": 1000}\n");
        stack.ok("CREATE EXTERNAL TABLE enumlogs (v int) PARTITIONED BY (region string, year int, month int) "
                + "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://lake/enumlogs/' TBLPROPERTIES ("
                + "'projection.enabled'='true', 'projection.region.type'='enum', 'projection.region.values'='us-east-1,eu-west-1', "
                + "'projection.year.type'='integer', 'projection.year.range'='2019,2021', "
                + "'projection.month.type'='integer', 'projection.month.range'='1,12', 'projection.month.digits'='2', "
                + "'storage.location.template'='s3://lake/enumlogs/${region}/${year}/${month}/')");
        // 2 regions x 3 years x 12 months = 72 partitions: listed once under the template's prefix.
        assertThat(stack.table("SELECT region, year, month, v FROM enumlogs ORDER BY v")).containsExactly(List.of("us-east-1", "2020", "1", "1"),
                List.of("us-east-1", "2020", "2", "2"), List.of("eu-west-1", "2020", "12", "3"));
        assertThat(stack.table("SELECT sum(v) FROM enumlogs WHERE region = 'us-east-1' AND month = 2")).containsExactly(List.of("2"));
        assertThat(stack.failure("INSERT INTO enumlogs VALUES (5, 'us-east-1', 2020, 3)")).contains("storage.location.template");
    }

    @Test
    void injectedProjectionTakesItsValuesFromTheQuery() {
        stack.put("s3://lake/devices/device=a/x.json", "{\"v\": 1}\n");
        stack.put("s3://lake/devices/device=b/x.json", "{\"v\": 2}\n{\"v\": 3}\n");
        stack.ok("CREATE EXTERNAL TABLE devices (v int) PARTITIONED BY (device string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' "
                + "LOCATION 's3://lake/devices/' TBLPROPERTIES ('projection.enabled'='true', 'projection.device.type'='injected')");
        assertThat(stack.table("SELECT sum(v) FROM devices WHERE device = 'b'")).containsExactly(List.of("5"));
        assertThat(stack.table("SELECT device, sum(v) FROM devices WHERE device IN ('a', 'b', 'c') GROUP BY device ORDER BY device"))
                .containsExactly(List.of("a", "1"), List.of("b", "5"));
        assertThat(stack.failure("SELECT count(*) FROM devices")).startsWith("CONSTRAINT_VIOLATION: For the injected projected partition column device");
        stack.ok("INSERT INTO devices VALUES (7, 'c')");
        assertThat(stack.table("SELECT sum(v) FROM devices WHERE device = 'c'")).containsExactly(List.of("7"));
    }

    @Test
    void invalidProjectionsAreRefusedAtCreate() {
        assertThat(stack.failure("CREATE EXTERNAL TABLE bad1 (v int) PARTITIONED BY (dt string) LOCATION 's3://lake/bad1/' "
                + "TBLPROPERTIES ('projection.enabled'='true')")).contains("'projection.dt.type' is invalid");
        assertThat(stack.failure("CREATE EXTERNAL TABLE bad2 (v int) PARTITIONED BY (dt string) LOCATION 's3://lake/bad2/' "
                + "TBLPROPERTIES ('projection.enabled'='true', 'projection.dt.type'='date', 'projection.dt.format'='yyyy-MM-dd', "
                + "'projection.dt.range'='2020/01/01,NOW')")).contains("'projection.dt.range' is invalid").contains("'2020/01/01'");
        assertThat(stack.failure("CREATE EXTERNAL TABLE bad3 (v int) PARTITIONED BY (h string) LOCATION 's3://lake/bad3/' "
                + "TBLPROPERTIES ('projection.enabled'='true', 'projection.h.type'='date', 'projection.h.format'='yyyy-MM-dd-HH', "
                + "'projection.h.range'='2020-01-01-00,NOW')")).contains("'projection.h.interval.unit' is invalid");
        assertThat(stack.failure("CREATE EXTERNAL TABLE bad4 (v int) PARTITIONED BY (a string, b string) LOCATION 's3://lake/bad4/' "
                + "TBLPROPERTIES ('projection.enabled'='true', 'projection.a.type'='injected', 'projection.b.type'='injected', "
                + "'storage.location.template'='s3://lake/bad4/${a}/')")).contains("${b} is missing");
    }

    @Test
    void dateRangesFollowTheClockAndTheFormatsPrecision() {
        TableDefinition hourly = new TableDefinition(new TableName("default", "hourly"), List.of(Column.of("v", "int")),
                List.of(Column.of("h", "string"), Column.of("d", "date")), Location.parse("s3://lake/hourly/"),
                StorageDescriptor.of(TableFormat.JSON, Map.of()), Map.of("projection.enabled", "true", "projection.h.type", "date",
                        "projection.h.format", "yyyy/MM/dd/HH", "projection.h.range", "NOW-2HOURS,NOW", "projection.h.interval.unit", "HOURS",
                        "projection.d.type", "date", "projection.d.format", "yyyyMMdd", "projection.d.range", "20200130,20200302",
                        "projection.d.interval", "2", "projection.d.interval.unit", "WEEKS"), Optional.empty(), Instant.EPOCH);
        PartitionProjection p = PartitionProjection.of(hourly).orElseThrow();
        Instant now = Instant.parse("2021-03-01T10:59:59Z");
        assertThat(p.values(0, now, Set.of()).stream().map(PartitionProjection.Value::partition))
                .containsExactly("2021/03/01/08", "2021/03/01/09", "2021/03/01/10");
        assertThat(p.values(1, now, Set.of())).containsExactly(new PartitionProjection.Value("2020-01-30", "20200130"),
                new PartitionProjection.Value("2020-02-13", "20200213"), new PartitionProjection.Value("2020-02-27", "20200227"));
        assertThat(p.location(List.of(new PartitionProjection.Value("2021/03/01/08", "2021/03/01/08"),
                new PartitionProjection.Value("2020-01-30", "20200130")))).isEqualTo(Location.parse("s3://lake/hourly/h=2021%2F03%2F01%2F08/d=20200130/"));
        TableDefinition off = new TableDefinition(hourly.name(), hourly.columns(), hourly.partitionKeys(), hourly.location(), hourly.storage(),
                Map.of("projection.enabled", "false"), Optional.empty(), Instant.EPOCH);
        assertThat(PartitionProjection.of(off)).isEmpty();
        TableDefinition monthly = new TableDefinition(hourly.name(), hourly.columns(), List.of(Column.of("m", "string")), hourly.location(),
                hourly.storage(), Map.of("projection.enabled", "TRUE", "projection.m.type", "date", "projection.m.format", "yyyy-MM",
                        "projection.m.range", "NOW-2MONTHS,NOW"), Optional.empty(), Instant.EPOCH);
        assertThat(PartitionProjection.of(monthly).orElseThrow().values(0, now, Set.of()).stream().map(PartitionProjection.Value::partition))
                .containsExactly("2021-01", "2021-02", "2021-03");
        assertThatThrownBy(() -> PartitionProjection.of(new TableDefinition(hourly.name(), hourly.columns(), List.of(Column.of("n", "int")),
                hourly.location(), hourly.storage(), Map.of("projection.enabled", "true", "projection.n.type", "integer",
                        "projection.n.range", "0,5000000"), Optional.empty(), Instant.EPOCH))).hasMessageContaining("more than 1000000 values");
    }
}
