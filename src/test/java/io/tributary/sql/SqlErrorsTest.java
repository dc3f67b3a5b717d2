package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.lake.Location;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad SQL, unknown tables, malformed data and missing locations fail with messages that say what and where. */
class SqlErrorsTest {
    @TempDir
    static Path dir;

    static SqlStack stack;

    @BeforeAll
    static void start() {
        stack = new SqlStack(dir, "errors");
        stack.lake.put(Location.parse("s3://errors/json/a.json"), ("{\"id\": 1, \"name\": \"one\"}\n{\"id\": 2, \"name\": \"two\"\n"
                + "{\"id\": 3, \"name\": \"three\"}\n").getBytes(StandardCharsets.UTF_8));
        stack.lake.put(Location.parse("s3://errors/badtype/a.json"), "{\"id\": \"abc\"}\n".getBytes(StandardCharsets.UTF_8));
        ok("CREATE EXTERNAL TABLE broken (id int, name string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://errors/json/'");
        ok("CREATE EXTERNAL TABLE tolerant (id int, name string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' "
                + "WITH SERDEPROPERTIES ('ignore.malformed.json' = 'true') LOCATION 's3://errors/json/'");
        ok("CREATE EXTERNAL TABLE badtype (id int) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://errors/badtype/'");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static void ok(String sql) {
        QueryExecution e = stack.run(sql, "default");
        assertThat(e.state()).as("%s: %s", sql, e.stateReason()).isEqualTo(QueryState.SUCCEEDED);
    }

    private static QueryExecution failed(String sql) {
        QueryExecution e = stack.run(sql, "default");
        assertThat(e.state()).as(sql).isEqualTo(QueryState.FAILED);
        return e;
    }

    @Test
    void parseErrorsGiveLineAndColumn() {
        assertThat(failed("SELECT * FORM broken").stateReason().orElseThrow()).startsWith("line 1:10: mismatched input 'FORM'");
        assertThat(failed("SELECT id\nFROM broken\nWHERE").stateReason().orElseThrow()).startsWith("line 3:6:");
        assertThat(failed("CREATE EXTERNAL TABLE t (a string)\nLOCATIO 's3://errors/x/'").stateReason().orElseThrow())
                .startsWith("line 2:1: mismatched input 'LOCATIO'").contains("LOCATION");
        assertThat(failed("CREATE EXTERNAL TABLE t (a strin) LOCATION 's3://errors/x/'").stateReason().orElseThrow())
                .startsWith("line 1:26:").contains("unknown type 'strin'");
        assertThat(failed("UNLOAD (SELECT * FROMM broken) TO 's3://errors/out/'").stateReason().orElseThrow()).startsWith("line 1:18:");
        assertThat(failed("CREATE VIEW v AS\nSELECT id FROMM broken").stateReason().orElseThrow()).startsWith("line 2:17: mismatched input 'broken'");
        QueryExecution e = failed("SELEC 1");
        assertThat(e.statementType()).isEqualTo("UNKNOWN");
        assertThat(e.errorCode()).contains("INVALID_ARGUMENT");
    }

    @Test
    void unknownTablesDatabasesColumnsAndFunctionsAreNamed() {
        assertThat(failed("SELECT * FROM nope").stateReason().orElseThrow()).isEqualTo("Table 'default.nope' does not exist");
        assertThat(failed("SELECT * FROM nodb.t").stateReason().orElseThrow()).contains("Schema 'nodb' does not exist");
        assertThat(failed("SELECT nope FROM broken").stateReason().orElseThrow()).contains("nope");
        assertThat(failed("SELECT levenshtein(name, 'x') FROM broken").stateReason().orElseThrow())
                .contains("function 'levenshtein' is not supported");
        assertThat(failed("DESCRIBE nope").stateReason().orElseThrow()).contains("'default.nope' does not exist");
        assertThat(failed("CREATE TABLE plain (a int)").stateReason().orElseThrow()).contains("Iceberg");
    }

    @Test
    void malformedJsonNamesTheObjectAndTheWayOut() {
        String reason = failed("SELECT count(*) FROM broken").stateReason().orElseThrow();
        assertThat(reason).startsWith("HIVE_BAD_DATA: Malformed JSON").contains("s3://errors/json/a.json").contains("in line ")
                .contains("ignore.malformed.json").doesNotContain(dir.toString());
        List<String[]> rows = stack.rows("SELECT count(id), sum(id) FROM tolerant", "default");
        assertThat(rows.get(0)).containsExactly("2", "4");
        assertThat(failed("SELECT * FROM badtype").stateReason().orElseThrow()).contains("s3://errors/badtype/a.json").contains("abc");
    }

    @Test
    void missingLocationsAreNamedAndEmptyOnesAreEmpty() {
        assertThat(failed("CREATE EXTERNAL TABLE nowhere (a string) LOCATION 's3://no-such-bucket/x/'").stateReason().orElseThrow())
                .contains("bucket 'no-such-bucket' does not exist").contains("pipeline.buckets");
        ok("CREATE EXTERNAL TABLE empty_prefix (a string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://errors/nothing-here/'");
        assertThat(stack.rows("SELECT count(*) FROM empty_prefix", "default").get(0)[0]).isEqualTo("0");
        assertThat(failed("CREATE TABLE copy WITH (external_location = 's3://errors/json/') AS SELECT * FROM tolerant").stateReason().orElseThrow())
                .startsWith("HIVE_PATH_ALREADY_EXISTS").contains("s3://errors/json/");
    }

    @Test
    void engineAdviceTheUserCannotFollowIsLeftOut() {
        assertThat(failed("SELECT 1 / 0").stateReason().orElseThrow()).isEqualTo("Division by zero");
        assertThat(failed("SELECT (SELECT x FROM (VALUES 1, 2) AS t(x))").stateReason().orElseThrow())
                .isEqualTo("Scalar sub-query has returned multiple rows");
        assertThat(failed("SELECT name + 1 FROM broken").stateReason().orElseThrow()).doesNotContain("Candidate functions").doesNotContain("HUGEINT");
    }
}
