package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * INSERT INTO as Trino runs it: values are checked against the table's column types and converted
 * (or the statement is refused), a column list may name a subset in any order, and nothing that
 * fails leaves a file behind.
 */
class InsertTest {
    @TempDir
    static Path dir;

    static SqlStack stack;

    @BeforeAll
    static void start() {
        stack = new SqlStack(dir, "lake");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    static long files(String prefix) {
        try (Stream<ObjectInfo> listed = stack.lake.list(Location.parse(prefix))) {
            return listed.count();
        }
    }

    @Test
    void valuesAreCheckedAndConvertedToTheTableTypes() {
        stack.ok("CREATE TABLE ins_pq WITH (format='PARQUET', external_location='s3://lake/ins_pq/') AS SELECT 1 AS id, 'a' AS name");
        assertThat(stack.failure("INSERT INTO ins_pq VALUES ('oops', 'b')"))
                .isEqualTo("Insert query has mismatched column types: Table: [integer, varchar], Query: [varchar, varchar]");
        assertThat(stack.failure("INSERT INTO ins_pq VALUES (1)")).isEqualTo("Insert query has mismatched column types: Table: [integer, varchar], "
                + "Query: [integer]");
        assertThat(stack.failure("INSERT INTO ins_pq SELECT 3000000000, 'd'")).contains("3000000000").contains("out of range");
        assertThat(files("s3://lake/ins_pq/")).isEqualTo(1);
        // Trino casts a compatible value: a decimal or double rounds half away from zero into an integer column.
        stack.ok("INSERT INTO ins_pq VALUES (2.7, 'c'), (2.5e0, 'e'), (-2.5e0, 'f')");
        stack.ok("INSERT INTO ins_pq SELECT CAST(7 AS bigint), NULL");
        assertThat(stack.table("SELECT id, name FROM ins_pq ORDER BY id")).containsExactly(List.of("-3", "f"), List.of("1", "a"), List.of("3", "c"),
                List.of("3", "e"), Arrays.asList("7", null));
        assertThat(stack.run("SELECT id FROM ins_pq", "default").columns().get(0).type()).isEqualTo("integer");
    }

    @Test
    void textTablesGetConvertedValuesToo() {
        stack.ok("CREATE EXTERNAL TABLE typed (id int, price decimal(10,2), day date, at timestamp, label varchar(3)) "
                + "ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://lake/typed/'");
        assertThat(stack.failure("INSERT INTO typed VALUES ('notint', 1, DATE '2020-01-01', TIMESTAMP '2020-01-01 00:00:00', 'a')"))
                .startsWith("Insert query has mismatched column types: Table: [integer, decimal(10,2), date, timestamp(3), varchar(3)], Query: [varchar,");
        assertThat(stack.failure("INSERT INTO typed VALUES (1, 1, '2020-01-01', TIMESTAMP '2020-01-01 00:00:00', 'a')")).contains("Query: [integer, integer, varchar,");
        assertThat(stack.failure("INSERT INTO typed VALUES (1, 1, DATE '2020-01-01', TIMESTAMP '2020-01-01 00:00:00', 'abcd')"))
                .contains("Cannot truncate non-space characters when casting from varchar to varchar(3) on INSERT");
        assertThat(files("s3://lake/typed/")).isZero();
        stack.ok("INSERT INTO typed VALUES (1, 2.345, TIMESTAMP '2020-01-02 23:59:00', DATE '2020-01-03', 'ab  ')");
        assertThat(stack.table("SELECT id, price, day, at, label FROM typed")).containsExactly(List.of("1", "2.35", "2020-01-02",
                "2020-01-03 00:00:00.000", "ab "));
    }

    @Test
    void aColumnListMayNameASubsetInAnyOrder() {
        stack.ok("CREATE EXTERNAL TABLE people (id int, name string, city string) PARTITIONED BY (country string) "
                + "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://lake/people/'");
        stack.ok("INSERT INTO people (name, id, country) VALUES ('ann', 1, 'fr')");
        stack.ok("INSERT INTO people (country, city) SELECT 'de', 'Berlin'");
        stack.ok("INSERT INTO people (id, name, city, country) VALUES (3, 'cy', 'Rome', 'it')");
        assertThat(stack.table("SELECT id, name, city, country FROM people ORDER BY country")).containsExactly(Arrays.asList(null, null, "Berlin", "de"),
                Arrays.asList("1", "ann", null, "fr"), List.of("3", "cy", "Rome", "it"));
        assertThat(stack.failure("INSERT INTO people (id, nope) VALUES (1, 2)")).startsWith("Insert column name does not exist: nope");
        assertThat(stack.failure("INSERT INTO people (id, id) VALUES (1, 2)")).isEqualTo("Insert column name is specified more than once: id");
        assertThat(stack.failure("INSERT INTO people (id, name) VALUES (1, 2)"))
                .isEqualTo("Insert query has mismatched column types: Table: [integer, varchar], Query: [integer, integer]");
    }

    @Test
    void aNullPartitionValueGoesToHivesDefaultPartition() {
        stack.ok("CREATE EXTERNAL TABLE nullable (v int) PARTITIONED BY (n int, s string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' "
                + "LOCATION 's3://lake/nullable/'");
        stack.ok("INSERT INTO nullable VALUES (1, NULL, NULL), (2, 5, 'x')");
        assertThat(stack.table("SELECT v, n, s FROM nullable ORDER BY v")).containsExactly(Arrays.asList("1", null, null), List.of("2", "5", "x"));
        assertThat(stack.table("SELECT v FROM nullable WHERE n IS NULL")).containsExactly(List.of("1"));
        assertThat(stack.table("SELECT v FROM nullable WHERE n = 5")).containsExactly(List.of("2"));
        assertThat(stack.table("SHOW PARTITIONS nullable")).containsExactly(List.of("n=5/s=x"), List.of("n=__HIVE_DEFAULT_PARTITION__/s=__HIVE_DEFAULT_PARTITION__"));
    }
}
