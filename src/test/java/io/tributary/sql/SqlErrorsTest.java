package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;

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
        stack.put("s3://errors/json/a.json", "{\"id\": 1, \"name\": \"one\"}\n{\"id\": 2, \"name\": \"two\"\n"
                + "{\"id\": 3, \"name\": \"three\"}\n");
        stack.put("s3://errors/badtype/a.json", "{\"id\": \"abc\"}\n");
        stack.ok("CREATE EXTERNAL TABLE broken (id int, name string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://errors/json/'");
        stack.ok("CREATE EXTERNAL TABLE tolerant (id int, name string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' "
                + "WITH SERDEPROPERTIES ('ignore.malformed.json' = 'true') LOCATION 's3://errors/json/'");
        stack.ok("CREATE EXTERNAL TABLE badtype (id int) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://errors/badtype/'");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void parseErrorsGiveLineAndColumn() {
        assertThat(stack.failed("SELECT * FORM broken").stateReason().orElseThrow()).startsWith("line 1:10: mismatched input 'FORM'");
        assertThat(stack.failed("SELECT id\nFROM broken\nWHERE").stateReason().orElseThrow()).startsWith("line 3:6:");
        assertThat(stack.failed("CREATE EXTERNAL TABLE t (a string)\nLOCATIO 's3://errors/x/'").stateReason().orElseThrow())
                .startsWith("line 2:1: mismatched input 'LOCATIO'").contains("LOCATION");
        assertThat(stack.failed("CREATE EXTERNAL TABLE t (a strin) LOCATION 's3://errors/x/'").stateReason().orElseThrow())
                .startsWith("line 1:26:").contains("unknown type 'strin'");
        assertThat(stack.failed("UNLOAD (SELECT * FROMM broken) TO 's3://errors/out/'").stateReason().orElseThrow()).startsWith("line 1:18:");
        assertThat(stack.failed("CREATE VIEW v AS\nSELECT id FROMM broken").stateReason().orElseThrow()).startsWith("line 2:17: mismatched input 'broken'");
        QueryExecution e = stack.failed("SELEC 1");
        assertThat(e.statementType()).isEqualTo("UNKNOWN");
        assertThat(e.errorCode()).contains("INVALID_ARGUMENT");
    }

    @Test
    void unknownTablesDatabasesColumnsAndFunctionsAreNamed() {
        assertThat(stack.failed("SELECT * FROM nope").stateReason().orElseThrow()).isEqualTo("Table 'default.nope' does not exist");
        assertThat(stack.failed("SELECT * FROM nodb.t").stateReason().orElseThrow()).contains("Schema 'nodb' does not exist");
        assertThat(stack.failed("SELECT nope FROM broken").stateReason().orElseThrow()).contains("nope");
        assertThat(stack.failed("SELECT levenshtein(name, 'x') FROM broken").stateReason().orElseThrow())
                .contains("function 'levenshtein' is not supported");
        assertThat(stack.failed("DESCRIBE nope").stateReason().orElseThrow()).contains("'default.nope' does not exist");
        assertThat(stack.failed("CREATE TABLE plain (a int)").stateReason().orElseThrow()).contains("Iceberg");
    }

    @Test
    void malformedJsonNamesTheObjectAndTheWayOut() {
        String reason = stack.failed("SELECT count(*) FROM broken").stateReason().orElseThrow();
        assertThat(reason).startsWith("HIVE_BAD_DATA: Malformed JSON").contains("s3://errors/json/a.json").contains("in line ")
                .contains("ignore.malformed.json").doesNotContain(dir.toString());
        List<String[]> rows = stack.rows("SELECT count(id), sum(id) FROM tolerant", "default");
        assertThat(rows.get(0)).containsExactly("2", "4");
        assertThat(stack.failed("SELECT * FROM badtype").stateReason().orElseThrow()).contains("s3://errors/badtype/a.json").contains("abc");
    }

    @Test
    void missingLocationsAreNamedAndEmptyOnesAreEmpty() {
        assertThat(stack.failed("CREATE EXTERNAL TABLE nowhere (a string) LOCATION 's3://no-such-bucket/x/'").stateReason().orElseThrow())
                .contains("bucket 'no-such-bucket' does not exist").contains("pipeline.buckets");
        stack.ok("CREATE EXTERNAL TABLE empty_prefix (a string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://errors/nothing-here/'");
        assertThat(stack.rows("SELECT count(*) FROM empty_prefix", "default").get(0)[0]).isEqualTo("0");
        assertThat(stack.failed("CREATE TABLE copy WITH (external_location = 's3://errors/json/') AS SELECT * FROM tolerant").stateReason().orElseThrow())
                .startsWith("HIVE_PATH_ALREADY_EXISTS").contains("s3://errors/json/");
    }

    @Test
    void engineAdviceTheUserCannotFollowIsLeftOut() {
        assertThat(stack.failed("SELECT 1 / 0").stateReason().orElseThrow()).isEqualTo("Division by zero");
        assertThat(stack.failed("SELECT (SELECT x FROM (VALUES 1, 2) AS t(x))").stateReason().orElseThrow())
                .isEqualTo("Scalar sub-query has returned multiple rows");
        assertThat(stack.failed("SELECT name + 1 FROM broken").stateReason().orElseThrow()).doesNotContain("Candidate functions").doesNotContain("HUGEINT");
    }
}
