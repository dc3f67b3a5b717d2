package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.lake.Location;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trino's semantics over tables, where the answer depends on a column's type or on what a query
 * writes: the expected values are Trino's documented ones, worked out by hand for the rows here.
 */
class SqlSemanticsTest {
    @TempDir
    static Path dir;

    static SqlStack stack;

    @BeforeAll
    static void start() {
        stack = new SqlStack(dir, "lake");
        put("s3://lake/part/dt=2020-01-01/a.json", "{\"v\": 1}\n");
        put("s3://lake/part/dt=2020-01-02/a.json", "{\"v\": 2}\n{\"v\": 3}\n");
        put("s3://lake/part/dt=2020-01-03/a.json", "{\"v\": 4}\n");
        ok("CREATE EXTERNAL TABLE part (v int) PARTITIONED BY (dt string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' "
                + "LOCATION 's3://lake/part/'");
        ok("MSCK REPAIR TABLE part");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    static void put(String location, String content) {
        stack.lake.put(Location.parse(location), content.getBytes(StandardCharsets.UTF_8));
    }

    static void ok(String sql) {
        QueryExecution e = stack.run(sql, "default");
        assertThat(e.state()).as("%s: %s", sql, e.stateReason()).isEqualTo(QueryState.SUCCEEDED);
    }

    static List<String> row(String sql) {
        return Arrays.asList(stack.rows(sql, "default").get(0));
    }

    static String failure(String sql) {
        QueryExecution e = stack.run(sql, "default");
        assertThat(e.state()).as(sql).isEqualTo(QueryState.FAILED);
        return e.stateReason().orElseThrow();
    }

    @Test
    void yesterdaysPartitionIsFoundByDateArithmetic() {
        // The Athena idiom for "yesterday's partition": a date minus a day is a date, whose text is 2020-01-02.
        assertThat(row("SELECT count(*), sum(v) FROM part WHERE dt = CAST(DATE '2020-01-03' - INTERVAL '1' DAY AS varchar)"))
                .containsExactly("2", "5");
        assertThat(row("SELECT count(*) FROM part WHERE dt = CAST(date_add('day', -2, DATE '2020-01-03') AS varchar)"))
                .containsExactly("1");
    }

    @Test
    void dateArithmeticIsWrittenAsADate() {
        ok("CREATE TABLE shifted WITH (format = 'PARQUET', external_location = 's3://lake/shifted/') AS "
                + "SELECT DATE '2020-01-31' + INTERVAL '1' MONTH AS d, date_trunc('month', DATE '2020-05-17') AS m");
        List<String[]> describe = stack.rows("DESCRIBE shifted", "default");
        assertThat(describe.get(0)).startsWith("d", "date");
        assertThat(describe.get(1)).startsWith("m", "date");
        assertThat(row("SELECT d, m FROM shifted")).containsExactly("2020-02-29", "2020-05-01");
    }

    @Test
    void timestampsWithTimeZoneAreNotStoredInTables() {
        // Hive has no such type; Athena refuses it too ("Unsupported Hive type: timestamp(3) with time zone").
        assertThat(failure("CREATE TABLE zoned WITH (external_location = 's3://lake/zoned/') AS SELECT current_timestamp AS t"))
                .contains("'t'");
    }
}
