package io.tributary.sql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trino.sql.tree.NodeLocation;
import io.trino.sql.tree.Query;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Statement classification, the two string dialects, and the bounds on what reaches Trino's parser. */
class StatementParserTest {
    @Test
    void trinoStringsHaveNoBackslashEscapes() {
        SqlStatement select = StatementParser.parse("SELECT 'x' LIKE 'x' ESCAPE '\\'");
        assertThat(select).isInstanceOf(SqlStatement.Query.class);
        SqlStatement view = StatementParser.parse("CREATE VIEW \"v\" AS SELECT replace(s, '\\', '/') FROM t WHERE s <> 'a\\'");
        assertThat(((SqlStatement.CreateView) view).query()).isEqualTo("SELECT replace(s, '\\', '/') FROM t WHERE s <> 'a\\'");
        assertThat(((SqlStatement.CreateView) view).name().name()).isEqualTo("v");
        SqlStatement.Unload unload = (SqlStatement.Unload) StatementParser.parse("UNLOAD (SELECT ')\\' AS a) TO 's3://b/x\\y/' WITH (format = 'JSON')");
        assertThat(unload.query()).isEqualTo("SELECT ')\\' AS a");
        assertThat(unload.location()).isEqualTo("s3://b/x\\y/");
        SqlStatement.Unload doubleQuoted = (SqlStatement.Unload) StatementParser.parse("UNLOAD (SELECT 1) TO \"s3://b/x/\" WITH (format = \"JSON\")");
        assertThat(doubleQuoted.location()).isEqualTo("s3://b/x/");
        assertThat(doubleQuoted.properties()).containsEntry("format", "JSON");
    }

    @Test
    void hiveDdlKeepsItsEscapes() {
        SqlStatement.CreateTable t = (SqlStatement.CreateTable) StatementParser.parse("CREATE EXTERNAL TABLE t (a string COMMENT 'it\\'s') "
                + "ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' COLLECTION ITEMS TERMINATED BY '\\002' LOCATION \"s3://b/t/\" "
                + "TBLPROPERTIES ('k'='a\\\\b')");
        assertThat(t.columns().get(0).comment()).contains("it's");
        assertThat(t.serdeProperties()).containsEntry("field.delim", "\t").containsEntry("collection.delim", "\u0002");
        assertThat(t.location()).isEqualTo("s3://b/t/");
        assertThat(t.tableProperties()).containsEntry("k", "a\\b");
        SqlStatement.ShowTables show = (SqlStatement.ShowTables) StatementParser.parse("SHOW TABLES IN db 'it\\'s*'");
        assertThat(show.like()).contains("it's*");
    }

    @Test
    void deepNestingIsRefusedBeforeParsing() {
        String deep = "SELECT " + "(".repeat(20_000) + "1" + ")".repeat(20_000);
        long start = System.nanoTime();
        assertThatThrownBy(() -> StatementParser.parse(deep)).hasMessageStartingWith("line 1:208: the statement nests parentheses or brackets "
                + "more than 200 levels deep");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThatThrownBy(() -> StatementParser.parse("SELECT\n" + "ARRAY[".repeat(201) + "1" + "]".repeat(201)))
                .hasMessageStartingWith("line 2:1206:");
        String fine = "SELECT " + "(".repeat(200) + "1" + ")".repeat(200) + ", '" + "(".repeat(500) + "'";
        assertThat(StatementParser.parse(fine)).isInstanceOf(SqlStatement.Query.class);
        assertThat(TrinoSyntax.parse(fine, new NodeLocation(1, 1), Duration.ofMinutes(1))).isInstanceOf(Query.class);
    }

    @Test
    void trinoParsingAnswersToTheTimeLimit() {
        String big = "SELECT " + ("(".repeat(150) + "1" + ")".repeat(150) + " + ").repeat(200) + "1";
        assertThatThrownBy(() -> TrinoSyntax.parse(big, new NodeLocation(1, 1), Duration.ofNanos(1)))
                .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT))
                .hasMessageContaining("parsing the statement took longer than its time limit");
    }

    @Test
    void scriptsSplitWithEachStatementsStrings() {
        List<String> statements = ScriptSplitter.split("-- DDL first\nCREATE EXTERNAL TABLE t (a string COMMENT 'it\\'s; fine') LOCATION 's3://b/t/';\n"
                + "SELECT 'a\\' AS s, ';' AS t;\nSHOW TABLES 'x\\'y';SELECT 2");
        assertThat(statements).containsExactly("-- DDL first\nCREATE EXTERNAL TABLE t (a string COMMENT 'it\\'s; fine') LOCATION 's3://b/t/'",
                "SELECT 'a\\' AS s, ';' AS t", "SHOW TABLES 'x\\'y'", "SELECT 2");
    }
}
