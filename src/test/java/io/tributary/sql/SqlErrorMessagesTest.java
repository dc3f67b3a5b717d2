package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors in queries read as Trino's do: a column that does not exist cannot be resolved (at its
 * line and column), wrong argument types are unexpected parameters, and no message lists DuckDB's
 * overloads, names a Java class or gives advice that does not apply (DuckDB's TRY and SET, a
 * table's SerDe properties where no table is read).
 */
class SqlErrorMessagesTest {
    @TempDir
    static Path dir;

    static SqlStack stack;

    @BeforeAll
    static void start() {
        stack = new SqlStack(dir, "lake");
        stack.put("s3://lake/people/a.json", "{\"name\": \"Ann\", \"country\": \"Belgium\", \"n\": 1}\n");
        stack.ok("CREATE EXTERNAL TABLE people (name string, country string, n int) "
                + "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://lake/people/'");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void aMisspelledColumnCannotBeResolvedAtItsPosition() {
        assertThat(stack.failure("SELECT nosuchcol FROM people")).isEqualTo("line 1:8: Column 'nosuchcol' cannot be resolved");
        assertThat(stack.failure("SELECT p.nosuchcol FROM people p")).isEqualTo("line 1:8: Column 'p.nosuchcol' cannot be resolved");
        assertThat(stack.failure("SELECT name\nFROM people\nWHERE contry = 'Belgium'")).isEqualTo("line 3:7: Column 'contry' cannot be resolved");
        assertThat(stack.failure("SELECT \"_col0\" FROM (SELECT 1)")).isEqualTo("line 1:8: Column '_col0' cannot be resolved");
        // Inside functions and comparisons Tributary translates to macros, too.
        assertThat(stack.failure("SELECT date_trunc('month', nosuchcol) FROM people")).isEqualTo("line 1:28: Column 'nosuchcol' cannot be resolved");
        assertThat(stack.failure("SELECT name FROM people WHERE nosuchcol = name")).isEqualTo("line 1:31: Column 'nosuchcol' cannot be resolved");
    }

    @Test
    void wrongTypesAreUnexpectedParametersWithoutDuckDbsOverloads() {
        assertThat(stack.failure("SELECT country + 1 FROM people")).isEqualTo("Cannot apply operator: varchar + integer");
        assertThat(stack.failure("SELECT sum(name) FROM people")).isEqualTo("Unexpected parameters (varchar) for function sum");
        assertThat(stack.failure("SELECT CAST(country AS integer) FROM people")).isEqualTo("Cannot cast 'Belgium' to INT");
    }

    @Test
    void noAdviceThatCannotBeFollowed() {
        assertThat(stack.failure("SELECT n / 0 FROM people")).isEqualTo("Division by zero");
        assertThat(stack.failure("SELECT n % 0 FROM people")).isEqualTo("Division by zero");
        assertThat(stack.failure("SELECT (SELECT n FROM (VALUES 1, 2) AS t(n))")).isEqualTo("Scalar sub-query has returned multiple rows");
        // json_parse reads no table: no word of SerDe properties (Trino: JsonFunctions.jsonParse).
        assertThat(stack.failure("SELECT json_parse('not json')")).isEqualTo("Cannot convert value to JSON: 'not json'");
    }

    @Test
    void constructsAreNamedAsSqlNamesThem() {
        assertThat(stack.failure("SELECT name FROM people TABLESAMPLE BERNOULLI (10)")).isEqualTo("line 1:18: TABLESAMPLE is not supported by Tributary's SQL engine");
        assertThat(stack.failure("SELECT try(sum(n)) FROM people")).startsWith("line 1:8: try(...) around an aggregate");
    }

    @Test
    void tributarysOwnChecksSayWhatTrinoSays() {
        assertThat(stack.failure("SELECT split_part(name, ',', 0) FROM people")).isEqualTo("Index must be greater than zero");
        assertThat(stack.failure("SELECT date_add('hour', 1, DATE '2020-01-01')")).isEqualTo("Cannot add hour, minutes or seconds to a date");
        assertThat(stack.failure("SELECT ARRAY[1, 2][3]")).isEqualTo("Array subscript must be less than or equal to array length: 3 > 2");
        assertThat(stack.failure("SELECT TIMESTAMP '2020-01-01 10:00:00 Mars/Olympus'")).isEqualTo("line 1:8: Time zone not supported: Mars/Olympus");
    }
}
