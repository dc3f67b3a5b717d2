package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * User SQL reaches DuckDB only as Tributary rewrote it: every way out of the lake a DuckDB user
 * would try is refused with a message saying what was refused, and text that looks like SQL inside
 * literals and identifiers stays text.
 */
class SqlSecurityTest {
    @TempDir
    static Path dir;

    static SqlStack stack;

    @BeforeAll
    static void start() {
        stack = new SqlStack(dir, "lake-bucket");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void fileReadingFunctionsAreRefusedByName() {
        assertThat(stack.failure("SELECT read_csv('/etc/passwd')")).contains("function 'read_csv' is not supported");
        assertThat(stack.failure("SELECT count(*) FROM (SELECT read_text('/etc/passwd'))")).contains("function 'read_text' is not supported");
        assertThat(stack.failure("SELECT getenv('HOME')")).contains("function 'getenv' is not supported");
        assertThat(stack.failure("SELECT current_setting('allowed_directories')")).contains("function 'current_setting' is not supported");
        assertThat(stack.failure("SELECT * FROM TABLE(read_parquet('/etc/passwd'))")).contains("is not supported by Tributary's SQL engine");
    }

    @Test
    void pathsInPlaceOfTablesAreNotTables() {
        assertThat(stack.failure("SELECT * FROM read_csv('/etc/passwd')")).startsWith("line 1:");
        assertThat(stack.failure("SELECT * FROM '/etc/passwd'")).startsWith("line 1:");
        assertThat(stack.failure("SELECT * FROM \"/etc/passwd\"")).contains("table name '/etc/passwd' is invalid");
        assertThat(stack.failure("SELECT * FROM \"../../etc/passwd\"")).contains("is invalid");
    }

    @ParameterizedTest
    @ValueSource(strings = {"COPY (SELECT 1) TO '/tmp/out.csv'", "ATTACH '/tmp/other.db' AS other", "SET enable_external_access = true",
            "SET SESSION query_max_run_time = '1h'", "INSTALL httpfs", "LOAD httpfs", "PRAGMA database_list", "EXPORT DATABASE '/tmp/x'",
            "CALL pragma_version()", "DETACH x", "CHECKPOINT", "RESET lock_configuration"})
    void duckDbStatementsAreRefusedByName(String sql) {
        String keyword = sql.split(" ")[0];
        assertThat(stack.failure(sql)).contains(keyword + " statements are not supported");
    }

    @Test
    void locationsCannotLeaveTheLake() {
        assertThat(stack.failure("CREATE EXTERNAL TABLE t1 (a string) LOCATION 's3://lake-bucket/../../../etc/'"))
                .contains("has an empty, '.' or '..' path segment");
        assertThat(stack.failure("CREATE EXTERNAL TABLE t2 (a string) LOCATION 'file:///etc/'")).contains("must start with s3://");
        assertThat(stack.failure("CREATE EXTERNAL TABLE t3 (a string) LOCATION '/etc'")).contains("must start with s3://");
        assertThat(stack.failure("CREATE EXTERNAL TABLE t4 (a string) LOCATION 's3://lake-bucket/a\\\\..\\\\b/'")).contains("must not start with '/' or contain '\\'");
        assertThat(stack.failure("CREATE TABLE t5 WITH (external_location = 'file:///tmp/x/') AS SELECT 1 AS a")).contains("must start with s3://");
        assertThat(stack.failure("UNLOAD (SELECT 1) TO '/tmp/x/' WITH (format = 'JSON')")).contains("must start with s3://");
        assertThat(stack.failure("ALTER TABLE nope ADD PARTITION (a=1) LOCATION 's3://lake-bucket/../x/'")).contains("does not exist");
        assertThat(stack.failure("CREATE EXTERNAL TABLE t6 (a string) PARTITIONED BY (b string) LOCATION 's3://lake-bucket/t6/' TBLPROPERTIES "
                + "('projection.enabled'='true', 'projection.b.type'='injected', 'storage.location.template'='s3://${b}/t6/')"))
                .contains("its bucket must be written out");
        stack.ok("CREATE EXTERNAL TABLE t7 (a string) PARTITIONED BY (b string) LOCATION 's3://lake-bucket/t7/' TBLPROPERTIES "
                + "('projection.enabled'='true', 'projection.b.type'='injected', 'storage.location.template'='s3://lake-bucket/t7/${b}/')");
        assertThat(stack.failure("SELECT * FROM t7 WHERE b = '../../other-bucket'")).contains("'..' path segment");
        assertThat(stack.failure("ALTER TABLE t7 SET LOCATION 'file:///etc/'")).contains("must start with s3://");
    }

    @Test
    void sqlInsideLiteralsAndIdentifiersStaysText() {
        String sneaky = "x'') UNION ALL SELECT * FROM read_csv(''/etc/passwd'') --";
        List<String[]> rows = stack.rows("SELECT '" + sneaky + "' AS v", "default");
        assertThat(rows.get(0)[0]).isEqualTo("x') UNION ALL SELECT * FROM read_csv('/etc/passwd') --");
        QueryExecution e = stack.run("SELECT 1 AS \"a\"\") FROM read_csv('/etc/passwd') --\"", "default");
        assertThat(e.state()).isEqualTo(QueryState.SUCCEEDED);
        assertThat(e.columns().get(0).name()).isEqualTo("a\") from read_csv('/etc/passwd') --");
        assertThat(stack.rows("SELECT date_format(TIMESTAMP '2020-01-01 00:00:00', '%Y'') FROM read_csv(''/etc/passwd')", "default").get(0)[0])
                .isEqualTo("2020') FROM read_csv('/etc/passwd");
    }
}
