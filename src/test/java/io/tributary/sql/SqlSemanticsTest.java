package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
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
        stack.put("s3://lake/part/dt=2020-01-01/a.json", "{\"v\": 1}\n");
        stack.put("s3://lake/part/dt=2020-01-02/a.json", "{\"v\": 2}\n{\"v\": 3}\n");
        stack.put("s3://lake/part/dt=2020-01-03/a.json", "{\"v\": 4}\n");
        stack.ok("CREATE EXTERNAL TABLE part (v int) PARTITIONED BY (dt string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' "
                + "LOCATION 's3://lake/part/'");
        stack.ok("MSCK REPAIR TABLE part");
        stack.put("s3://lake/orders/a.json", "{\"id\": 1, \"items\": [{\"sku\": \"a\", \"qty\": 2}, {\"sku\": \"b\", \"qty\": 1}], "
                + "\"tags\": {\"k1\": \"v1\", \"k2\": \"v2\"}}\n{\"id\": 2, \"items\": [], \"tags\": {}}\n");
        stack.ok("CREATE EXTERNAL TABLE orders (id int, items array<struct<sku:string,qty:int>>, tags map<string,string>) "
                + "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://lake/orders/'");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void yesterdaysPartitionIsFoundByDateArithmetic() {
        // The Athena idiom for "yesterday's partition": a date minus a day is a date, whose text is 2020-01-02.
        assertThat(stack.row("SELECT count(*), sum(v) FROM part WHERE dt = CAST(DATE '2020-01-03' - INTERVAL '1' DAY AS varchar)"))
                .containsExactly("2", "5");
        assertThat(stack.row("SELECT count(*) FROM part WHERE dt = CAST(date_add('day', -2, DATE '2020-01-03') AS varchar)"))
                .containsExactly("1");
    }

    @Test
    void dateArithmeticIsWrittenAsADate() {
        stack.ok("CREATE TABLE shifted WITH (format = 'PARQUET', external_location = 's3://lake/shifted/') AS "
                + "SELECT DATE '2020-01-31' + INTERVAL '1' MONTH AS d, date_trunc('month', DATE '2020-05-17') AS m");
        List<String[]> describe = stack.rows("DESCRIBE shifted", "default");
        assertThat(describe.get(0)).startsWith("d", "date");
        assertThat(describe.get(1)).startsWith("m", "date");
        assertThat(stack.row("SELECT d, m FROM shifted")).containsExactly("2020-02-29", "2020-05-01");
    }

    @Test
    void timestampsWithTimeZoneAreNotStoredInTables() {
        // Hive has no such type; Athena refuses it too ("Unsupported Hive type: timestamp(3) with time zone").
        assertThat(stack.failure("CREATE TABLE zoned WITH (external_location = 's3://lake/zoned/') AS SELECT current_timestamp AS t"))
                .contains("'t'");
    }

    static List<String> rows(String sql) {
        return stack.rows(sql, "default").stream().map(r -> String.join("|", Arrays.stream(r).map(String::valueOf).toList())).collect(Collectors.toList());
    }

    @Test
    void unnestExpandsRowsMapsAndOrdinality() {
        // Trino's UnnestOperator: an array of rows gives a column per field, a map a key and a value column.
        assertThat(rows("SELECT o.id, t.sku, t.qty FROM orders o CROSS JOIN UNNEST(items) AS t(sku, qty) ORDER BY 1, 2"))
                .containsExactly("1|a|2", "1|b|1");
        assertThat(rows("SELECT id, k, v FROM orders CROSS JOIN UNNEST(tags) AS t(k, v) ORDER BY 1, 2")).containsExactly("1|k1|v1", "1|k2|v2");
        assertThat(rows("SELECT id, t.sku, t.n FROM orders CROSS JOIN UNNEST(items) WITH ORDINALITY AS t(sku, qty, n) ORDER BY 1, 3"))
                .containsExactly("1|a|1", "1|b|2");
        // The examples of Trino's SELECT documentation (sql/select.html, "UNNEST").
        assertThat(rows("SELECT n, a FROM (VALUES (ARRAY[2, 5], ARRAY['dog', 'cat', 'bird']), (ARRAY[7, 8, 9], ARRAY['cow', 'pig'])) "
                + "AS x (numbers, animals) CROSS JOIN UNNEST(numbers, animals) AS t (n, a) ORDER BY coalesce(n, 6)"))
                .containsExactly("2|dog", "5|cat", "null|bird", "7|cow", "8|pig", "9|null");
        assertThat(rows("SELECT n, a FROM (VALUES (ARRAY[2, 5]), (ARRAY[7, 8, 9])) AS x (numbers) CROSS JOIN UNNEST(numbers) WITH ORDINALITY "
                + "AS t (n, a) ORDER BY n")).containsExactly("2|1", "5|2", "7|1", "8|2", "9|3");
        assertThat(rows("SELECT * FROM UNNEST(map_from_entries(ARRAY[('SQL', 1974), ('Java', 1995)])) AS t(language, first_appeared_year) "
                + "ORDER BY 2")).containsExactly("SQL|1974", "Java|1995");
        assertThat(rows("SELECT * FROM UNNEST(ARRAY[ROW('Java', 1995), ROW('SQL' , 1974)], ARRAY[ROW(false), ROW(true)]) "
                + "AS t(language, first_appeared_year, declarative) ORDER BY 2")).containsExactly("SQL|1974|true", "Java|1995|false");
    }

    @Test
    void decimalColumnsStayDecimal() {
        stack.put("s3://lake/prices/a.csv", "1.00\n2.00\n2.00\n");
        stack.ok("CREATE EXTERNAL TABLE prices (price decimal(10,2)) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://lake/prices/'");
        // Trino: sum(decimal(10,2)) is decimal(38,2), divided by a bigint count keeps scale 2, rounded half up; avg keeps the scale.
        assertThat(stack.row("SELECT price / 3 FROM prices WHERE price = 1.00 LIMIT 1")).containsExactly("0.33");
        assertThat(stack.row("SELECT sum(price) / count(*), avg(price) FROM prices")).containsExactly("1.67", "1.67");
    }
}
