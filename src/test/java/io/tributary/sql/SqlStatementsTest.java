package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.lake.Location;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Athena's statements and their semantics: typed partitions, per-partition locations, formats, views, writes. */
class SqlStatementsTest {
    @TempDir
    static Path dir;

    static SqlStack stack;

    @BeforeAll
    static void start() {
        stack = new SqlStack(dir, "lake");
        stack.put("s3://lake/events/month=09/a.json", "{\"Id\": 1, \"When\": \"2026-09-01 10:00:00\"}\n{\"Id\": 2, \"When\": \"2026-09-02T11:00:00Z\"}\n");
        stack.put("s3://lake/events/month=10/a.json", "{\"id\": 3, \"when\": \"2026-10-01 10:00:00.5\"}\n");
        stack.put("s3://lake/events/month=11/a.json", "{\"ID\": 4}\n");
        stack.put("s3://lake/elsewhere/november-extra.json", "{\"id\": 5}\n");
        stack.put("s3://lake/csv/a.csv", "id,name\n1,one\n2,two\n");
        stack.put("s3://lake/csv/b.csv", "id,name\n3,three\nx,bad\n");
        stack.put("s3://lake/tsv/a.tsv", "1\tone\n2\t\\N\n");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void partitionsAreTypedAndOnlyRegisteredOnesAreRead() {
        stack.ok("CREATE EXTERNAL TABLE events (`id` int, `when` timestamp) PARTITIONED BY (month int) "
                + "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION \"s3://lake/events\"");
        assertThat(stack.row("SELECT count(*) FROM events")).containsExactly("0");
        stack.ok("ALTER TABLE events ADD PARTITION (month=9) LOCATION 's3://lake/events/month=09/'");
        assertThat(stack.row("SELECT count(*), sum(id) FROM events")).containsExactly("2", "3");
        stack.ok("MSCK REPAIR TABLE events");
        assertThat(stack.column("SHOW PARTITIONS events")).containsExactly("month=10", "month=11", "month=9");
        assertThat(stack.column("SELECT `when` FROM events WHERE month = 9 ORDER BY id"))
                .containsExactly("2026-09-01 10:00:00.000", "2026-09-02 11:00:00.000");
        assertThat(stack.row("SELECT count(*), sum(id) FROM events WHERE month BETWEEN 10 AND 11")).containsExactly("2", "7");
        stack.ok("ALTER TABLE events ADD IF NOT EXISTS PARTITION (month=11) LOCATION 's3://lake/elsewhere/'");
        assertThat(stack.row("SELECT sum(id) FROM events WHERE month = 11")).containsExactly("4");
        stack.ok("ALTER TABLE events DROP PARTITION (month=11)");
        stack.ok("ALTER TABLE events ADD PARTITION (month=11) LOCATION 's3://lake/elsewhere/'");
        assertThat(stack.row("SELECT sum(id), max(month) FROM events WHERE month = 11")).containsExactly("5", "11");
        QueryExecution dup = stack.run("ALTER TABLE events ADD PARTITION (month='011')", "default");
        assertThat(dup.stateReason().orElseThrow()).contains("Partition already exists");
        QueryExecution bad = stack.run("ALTER TABLE events ADD PARTITION (month='nine')", "default");
        assertThat(bad.stateReason().orElseThrow()).contains("'nine' is not a valid int for partition key 'month'");
        QueryExecution pruned = stack.run("SELECT count(*) FROM events WHERE month = 9", "default");
        QueryExecution all = stack.run("SELECT count(*) FROM events", "default");
        assertThat(pruned.bytesScanned()).isPositive().isLessThan(all.bytesScanned());
    }

    @Test
    void describeShowAndShowCreateTableRoundTrip() {
        stack.ok("CREATE DATABASE IF NOT EXISTS shop COMMENT 'the shop'");
        stack.ok("CREATE EXTERNAL TABLE IF NOT EXISTS shop.items (`Name` string COMMENT 'what', price decimal(10,2)) COMMENT 'items' "
                + "PARTITIONED BY (day date) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' STORED AS TEXTFILE LOCATION 's3://lake/items/' "
                + "TBLPROPERTIES ('skip.header.line.count'='1')");
        assertThat(stack.column("SHOW DATABASES")).contains("default", "shop");
        assertThat(stack.column("SHOW TABLES IN shop")).containsExactly("items");
        assertThat(stack.column("SHOW TABLES IN shop 'it*'")).containsExactly("items");
        List<String[]> describe = stack.rows("DESCRIBE shop.items", "default");
        assertThat(describe.get(0)).containsExactly("name", "string", "what");
        assertThat(describe.stream().map(r -> r[0]).toList()).contains("# Partition Information", "day");
        List<String> ddl = stack.column("SHOW CREATE TABLE shop.items");
        stack.ok("DROP TABLE shop.items");
        stack.ok(String.join("\n", ddl));
        assertThat(stack.column("SHOW CREATE TABLE shop.items")).isEqualTo(ddl);
        assertThat(stack.column("SHOW COLUMNS IN shop.items")).containsExactly("name", "price", "day");
        QueryExecution use = stack.run("USE shop", "default");
        assertThat(use.database()).isEqualTo("shop");
        QueryExecution drop = stack.run("DROP DATABASE shop", "default");
        assertThat(drop.stateReason().orElseThrow()).contains("not empty").contains("CASCADE");
        stack.ok("DROP DATABASE shop CASCADE");
    }

    @Test
    void delimitedTextWithAHeaderAndTabs() {
        stack.ok("CREATE EXTERNAL TABLE people (id int, name string) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://lake/csv/' "
                + "TBLPROPERTIES ('skip.header.line.count'='1')");
        assertThat(stack.rows("SELECT id, name FROM people ORDER BY name", "default").stream().map(Arrays::asList).toList())
                .containsExactly(Arrays.asList(null, "bad"), List.of("1", "one"), List.of("3", "three"), List.of("2", "two"));
        stack.ok("CREATE EXTERNAL TABLE tabs (id int, name string) ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' LOCATION 's3://lake/tsv/'");
        assertThat(stack.rows("SELECT id, name FROM tabs ORDER BY id", "default").stream().map(Arrays::asList).toList())
                .containsExactly(List.of("1", "one"), Arrays.asList("2", null));
    }

    @Test
    void viewsInsertUnloadAndCtasWithPartitions() {
        stack.ok("CREATE EXTERNAL TABLE IF NOT EXISTS people (id int, name string) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' "
                + "LOCATION 's3://lake/csv/' TBLPROPERTIES ('skip.header.line.count'='1')");
        stack.ok("CREATE VIEW named AS SELECT id, upper(name) AS name FROM people WHERE id IS NOT NULL");
        assertThat(stack.column("SELECT name FROM named ORDER BY id")).containsExactly("ONE", "TWO", "THREE");
        stack.ok("CREATE OR REPLACE VIEW named AS SELECT id FROM people WHERE id > 1");
        assertThat(stack.column("SELECT count(*) FROM named")).containsExactly("2");
        assertThat(stack.run("CREATE VIEW broken_view AS SELECT * FROM nope", "default").stateReason().orElseThrow()).contains("does not exist");

        stack.ok("CREATE TABLE by_parity WITH (format = 'PARQUET', write_compression = 'ZSTD', external_location = 's3://lake/by-parity/', "
                + "partitioned_by = ARRAY['odd']) AS SELECT id, name, id % 2 = 1 AS odd FROM people WHERE id IS NOT NULL");
        assertThat(stack.column("SHOW PARTITIONS by_parity")).containsExactly("odd=false", "odd=true");
        assertThat(stack.row("SELECT count(*), sum(id) FROM by_parity WHERE odd")).containsExactly("2", "4");
        stack.ok("INSERT INTO by_parity SELECT 5, 'five', true");
        stack.ok("INSERT INTO by_parity VALUES (6, 'six', false)");
        assertThat(stack.row("SELECT count(*), sum(id) FROM by_parity")).containsExactly("5", "17");
        stack.ok("UNLOAD (SELECT id, name FROM people WHERE id IS NOT NULL) TO 's3://lake/unloaded/' WITH (format = 'JSON')");
        stack.ok("CREATE EXTERNAL TABLE unloaded (id int, name string) ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe' "
                + "LOCATION 's3://lake/unloaded/'");
        assertThat(stack.row("SELECT count(*), sum(id) FROM unloaded")).containsExactly("3", "6");
        stack.ok("CREATE TABLE IF NOT EXISTS by_parity AS SELECT 1 AS x");
        stack.ok("CREATE TABLE no_rows WITH (external_location = 's3://lake/no-rows/') AS SELECT id FROM people WITH NO DATA");
        assertThat(stack.column("SELECT count(*) FROM no_rows")).containsExactly("0");
        try (Stream<io.tributary.lake.ObjectInfo> files = stack.lake.list(Location.parse("s3://lake/by-parity/odd=true/"))) {
            assertThat(files.count()).isEqualTo(2);
        }
    }

    @Test
    void backslashIsAnOrdinaryCharacterInQueries() {
        assertThat(stack.row("SELECT 'a_b' LIKE 'a\\_b' ESCAPE '\\', 'axb' LIKE 'a\\_b' ESCAPE '\\', replace('a\\b\\', '\\', '/'), length('\\')"))
                .containsExactly("true", "false", "a/b/", "1");
        stack.ok("CREATE VIEW no_backslash AS SELECT s FROM (VALUES 'a\\', 'b') AS t(s) WHERE s <> 'a\\'");
        assertThat(stack.column("SELECT s FROM no_backslash")).containsExactly("b");
    }
}
