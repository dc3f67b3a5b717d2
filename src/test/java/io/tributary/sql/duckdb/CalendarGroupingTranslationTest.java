package io.tributary.sql.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.Query;
import org.junit.jupiter.api.Test;

/**
 * Where the translator groups by calendar parts and where it must not. The results of the
 * rewritten queries are compared with the queries as written in {@code CalendarGroupingTest}.
 */
class CalendarGroupingTranslationTest {
    private static String translate(String sql) {
        Query query = (Query) new SqlParser().createStatement(sql);
        return TrinoToDuckDb.translate(query, (name, alias, conjuncts, sole) -> new RelationSource.Scan("SELECT * FROM src"), "default");
    }

    /** The bucket of a group, as a pattern: the truncated minimum, bound on its own (an aggregate in a macro's argument, see TrinoToDuckDb.bound). */
    private static String rebuilt(String unit, String column) {
        return java.util.regex.Pattern.quote("list_transform([{'a1': min(\"" + column + "\")}], lambda ") + "(\"trino\\$[0-9a-f]+\")"
                + java.util.regex.Pattern.quote(": trino.date_trunc('" + unit + "', struct_extract(") + "\\1"
                + java.util.regex.Pattern.quote(", 'a1')))[1]");
    }

    /** A calendar part of a column, read from its wall time. */
    private static String part(String part, String column) {
        return part + "(trino.wall(\"" + column + "\"))";
    }

    @Test
    void theLabsMonthlyRevenueGroupsByYearAndMonth() {
        String sql = translate("""
                SELECT date_trunc('month', invoicedate) invoice_year_month, sum(price*quantity) revenue
                FROM retail WHERE invoicedate BETWEEN timestamp '2010-01-01' AND timestamp '2010-12-31'
                GROUP BY date_trunc('month', invoicedate)""");
        assertThat(sql).containsPattern("^SELECT " + rebuilt("month", "invoicedate") + " AS \"invoice_year_month\"")
                .endsWith("GROUP BY " + part("year", "invoicedate") + ", " + part("month", "invoicedate"));
        // WHERE runs before grouping: untouched.
        assertThat(sql).contains("WHERE (trino.key(\"invoicedate\") BETWEEN");
    }

    @Test
    void ordinalsAreResolvedAndOtherKeysKept() {
        String sql = translate("SELECT country, date_trunc('QUARTER', t) q, count(*) FROM retail GROUP BY 1, 2 ORDER BY 2 DESC");
        assertThat(sql).contains("GROUP BY \"country\", " + part("year", "t") + ", " + part("quarter", "t"))
                .contains("ORDER BY 2 DESC")
                .containsPattern(rebuilt("quarter", "t") + " AS \"q\"");
        assertThat(translate("SELECT date_trunc('year', t), count(*) FROM retail GROUP BY 1")).endsWith("GROUP BY " + part("year", "t"));
    }

    @Test
    void insideAnAggregateTheKeyStaysAsWritten() {
        String sql = translate("SELECT date_trunc('month', t), count(DISTINCT date_trunc('month', t)) FROM retail GROUP BY date_trunc('month', t)");
        assertThat(sql).contains("count(DISTINCT trino.date_trunc('month', \"t\"))").containsPattern(rebuilt("month", "t"));
    }

    @Test
    void havingOrderByAndWindowsAfterGroupingUseTheRebuiltKey() {
        String sql = translate("SELECT sum(sum(v)) OVER (ORDER BY date_trunc('month', t)) FROM retail GROUP BY date_trunc('month', t) "
                + "HAVING date_trunc('month', t) > timestamp '2010-03-01' ORDER BY date_trunc('month', t)");
        assertThat(sql).doesNotContain("date_trunc('month', \"t\")").contains("GROUP BY " + part("year", "t") + ", " + part("month", "t"));
    }

    @Test
    void conversionsOfAColumnQualify() {
        assertThat(translate("SELECT date_trunc('month', from_iso8601_timestamp(ts)), count(*) FROM retail GROUP BY 1"))
                .endsWith("GROUP BY year(trino.wall(trino.from_iso8601_timestamp(\"ts\"))), month(trino.wall(trino.from_iso8601_timestamp(\"ts\")))");
        assertThat(translate("SELECT date_trunc('month', CAST(ts AS timestamp)), count(*) FROM retail GROUP BY 1")).contains("GROUP BY year(");
    }

    @Test
    void leftAsWrittenWhereTheReasoningDoesNotHold() {
        // Units of fixed length, where DuckDB's own truncation is cheap.
        assertThat(translate("SELECT date_trunc('day', t), count(*) FROM retail GROUP BY 1")).endsWith("GROUP BY 1");
        // Grouping sets: a group's key may be NULL because it was rolled up, not because the value was.
        assertThat(translate("SELECT date_trunc('month', t), count(*) FROM retail GROUP BY ROLLUP (date_trunc('month', t))"))
                .contains("ROLLUP (trino.date_trunc('month', \"t\"))");
        // Not row-local: the truncated expression must give the same value for a row every time.
        assertThat(translate("SELECT date_trunc('month', t + INTERVAL '1' DAY), count(*) FROM retail GROUP BY 1")).endsWith("GROUP BY 1");
        // A subquery could refer to the key from another scope.
        assertThat(translate("SELECT date_trunc('month', t), (SELECT 1) FROM retail GROUP BY 1")).endsWith("GROUP BY 1");
        // No GROUP BY: nothing to rewrite.
        assertThat(translate("SELECT date_trunc('month', t) FROM retail"))
                .isEqualTo("SELECT trino.date_trunc('month', \"t\") AS \"_col0\" FROM (SELECT * FROM src) AS \"retail\"");
    }

    @Test
    void aSubqueryInFromIsTranslatedOnItsOwn() {
        String sql = translate("SELECT m, n FROM (SELECT date_trunc('month', t) m, count(*) n FROM retail GROUP BY 1) WHERE m IS NOT NULL");
        assertThat(sql).contains("GROUP BY " + part("year", "t") + ", " + part("month", "t")).contains("WHERE (\"m\" IS NOT NULL)");
    }
}
