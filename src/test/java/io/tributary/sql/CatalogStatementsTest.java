package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Catalog introspection and changes: information_schema, SHOW VIEWS, DESCRIBE of views, EXPLAIN, ALTER TABLE. */
class CatalogStatementsTest {
    @TempDir
    static Path dir;

    static SqlStack stack;

    @BeforeAll
    static void start() {
        stack = new SqlStack(dir, "lake");
        stack.put("s3://lake/orders/day=2020-01-01/a.json", "{\"id\": 1, \"amount\": 2.5, \"note\": \"x\"}\n");
        stack.put("s3://lake/orders/day=2020-01-02/a.json", "{\"id\": 2, \"amount\": 4.0, \"note\": \"y\"}\n");
        stack.put("s3://lake/moved/a.json", "{\"id\": 9, \"amount\": 1.0}\n");
        stack.ok("CREATE DATABASE shop");
        stack.ok("CREATE EXTERNAL TABLE shop.orders (id int COMMENT 'order id', amount decimal(10,2)) PARTITIONED BY (day date) "
                + "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://lake/orders/'");
        stack.ok("MSCK REPAIR TABLE shop.orders");
        stack.ok("CREATE VIEW shop.big AS SELECT id, amount AS money, CAST(id AS varchar) AS label FROM shop.orders WHERE amount > 3");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void informationSchemaListsSchemasTablesColumnsAndViews() {
        assertThat(stack.table("SELECT schema_name FROM information_schema.schemata ORDER BY schema_name"))
                .containsExactly(List.of("default"), List.of("information_schema"), List.of("shop"));
        assertThat(stack.table("SELECT table_catalog, table_name, table_type FROM information_schema.tables WHERE table_schema = 'shop' ORDER BY 2"))
                .containsExactly(List.of("awsdatacatalog", "big", "VIEW"), List.of("awsdatacatalog", "orders", "BASE TABLE"));
        assertThat(stack.table("SELECT column_name, ordinal_position, data_type, is_nullable, comment, extra_info FROM information_schema.columns "
                + "WHERE table_schema = 'shop' AND table_name = 'orders' ORDER BY ordinal_position")).containsExactly(
                        List.of("id", "1", "integer", "YES", "order id", "").stream().map(v -> v.isEmpty() ? null : v).toList(),
                        Arrays.asList("amount", "2", "decimal(10,2)", "YES", null, null),
                        Arrays.asList("day", "3", "date", "YES", null, "partition key"));
        assertThat(stack.table("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'big' ORDER BY ordinal_position"))
                .containsExactly(List.of("id", "integer"), List.of("money", "decimal(10,2)"), List.of("label", "varchar"));
        assertThat(stack.table("SELECT table_name FROM information_schema.views")).containsExactly(List.of("big"));
        assertThat(stack.failure("SELECT * FROM information_schema.nope")).contains("'information_schema.nope' does not exist");
    }

    @Test
    void viewsAreListedDescribedByColumnsAndShownOnlyAsViews() {
        assertThat(stack.table("SHOW VIEWS IN shop")).containsExactly(List.of("big"));
        assertThat(stack.table("SHOW VIEWS IN shop LIKE 'b*'")).containsExactly(List.of("big"));
        assertThat(stack.table("SHOW VIEWS")).isEmpty();
        assertThat(stack.table("DESCRIBE shop.big")).containsExactly(List.of("id", "integer", ""), List.of("money", "decimal(10,2)", ""),
                List.of("label", "varchar", ""));
        assertThat(stack.table("SHOW COLUMNS IN shop.big")).containsExactly(List.of("id"), List.of("money"), List.of("label"));
        assertThat(stack.failure("SHOW CREATE VIEW shop.orders")).contains("shop.orders is a table, not a view").contains("SHOW CREATE TABLE");
        assertThat(stack.failure("SHOW CREATE TABLE shop.big")).contains("shop.big is a view, not a table").contains("SHOW CREATE VIEW");
        assertThat(stack.table("SHOW CREATE VIEW shop.big").get(0).get(0)).startsWith("CREATE VIEW `shop`.`big` AS");
    }

    @Test
    void explainShowsThePlanWithoutRunningIt() {
        List<List<String>> plan = stack.table("EXPLAIN SELECT day, sum(amount) FROM shop.orders GROUP BY day");
        assertThat(plan).isNotEmpty();
        assertThat(String.join("\n", plan.stream().map(r -> r.get(0)).toList())).contains("READ_JSON").doesNotContain(dir.toString());
        assertThat(stack.run("EXPLAIN SELECT 1", "default").columns().get(0).name()).isEqualTo("Query Plan");
        assertThat(stack.table("EXPLAIN (TYPE VALIDATE) SELECT id FROM shop.orders")).containsExactly(List.of("true"));
        assertThat(stack.failure("EXPLAIN SELECT nope FROM shop.orders")).contains("nope");
        assertThat(stack.failure("EXPLAIN ANALYZE SELECT 1")).isEqualTo("EXPLAIN ANALYZE statements are not supported");
        assertThat(stack.failure("EXPLAIN (FORMAT GRAPHVIZ) SELECT 1")).contains("FORMAT GRAPHVIZ");
    }

    @Test
    void alterTableChangesColumnsPropertiesAndLocations() {
        stack.ok("CREATE EXTERNAL TABLE shop.evolving (id int) PARTITIONED BY (day date) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' "
                + "LOCATION 's3://lake/orders/'");
        stack.ok("MSCK REPAIR TABLE shop.evolving");
        stack.ok("ALTER TABLE shop.evolving ADD COLUMNS (amount double COMMENT 'money', note string) CASCADE");
        assertThat(stack.table("SELECT id, amount, note, day FROM shop.evolving ORDER BY id")).containsExactly(List.of("1", "2.5", "x", "2020-01-01"),
                List.of("2", "4.0", "y", "2020-01-02"));
        assertThat(stack.failure("ALTER TABLE shop.evolving ADD COLUMNS (id string)")).contains("declares column 'id' twice");
        assertThat(stack.failure("ALTER TABLE shop.evolving ADD COLUMNS (day string)")).contains("partition key 'day' is also a column");
        stack.ok("ALTER TABLE shop.evolving REPLACE COLUMNS (note string)");
        assertThat(stack.table("SHOW COLUMNS IN shop.evolving")).containsExactly(List.of("note"), List.of("day"));
        assertThat(stack.table("SHOW PARTITIONS shop.evolving")).hasSize(2);
        stack.ok("ALTER TABLE shop.evolving SET TBLPROPERTIES ('owner'='ann', 'classification'='json')");
        stack.ok("ALTER TABLE shop.evolving SET TBLPROPERTIES ('owner'='bob')");
        assertThat(stack.table("SHOW TBLPROPERTIES shop.evolving")).containsExactly(List.of("classification", "json"), List.of("owner", "bob"));
        assertThat(stack.failure("ALTER TABLE shop.evolving SET TBLPROPERTIES ('projection.enabled'='true')")).contains("'projection.day.type'");
        stack.ok("ALTER TABLE shop.evolving PARTITION (day='2020-01-02') SET LOCATION 's3://lake/moved/'");
        stack.ok("ALTER TABLE shop.evolving REPLACE COLUMNS (id int)");
        assertThat(stack.table("SELECT id FROM shop.evolving ORDER BY id")).containsExactly(List.of("1"), List.of("9"));
        assertThat(stack.failure("ALTER TABLE shop.evolving PARTITION (day='2021-01-01') SET LOCATION 's3://lake/moved/'")).contains("does not exist");
        stack.ok("CREATE EXTERNAL TABLE shop.plain (id int) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://lake/nowhere/'");
        assertThat(stack.table("SELECT count(*) FROM shop.plain")).containsExactly(List.of("0"));
        stack.ok("ALTER TABLE shop.plain SET LOCATION 's3://lake/moved/'");
        assertThat(stack.table("SELECT id FROM shop.plain")).containsExactly(List.of("9"));
        assertThat(stack.failure("ALTER TABLE shop.plain SET LOCATION 's3://nobucket/x/'")).contains("bucket 'nobucket' does not exist");
        assertThat(stack.failure("ALTER TABLE shop.plain RENAME TO other")).contains("ALTER TABLE RENAME is not supported");
        assertThat(stack.failure("ALTER TABLE shop.big ADD COLUMNS (x int)")).contains("shop.big is a view, not a table");
    }
}
