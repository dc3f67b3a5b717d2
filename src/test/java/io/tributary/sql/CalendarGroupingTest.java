package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Time-bucketed aggregates ({@code GROUP BY date_trunc('month', t)}), which the translator runs
 * as a grouping on calendar parts: the answers equal sums computed here from the generated rows,
 * and every query gives what the same query gives with the rewrite defeated ({@code coalesce(t, t)}
 * is the same value but not a plain column, so it is translated as written) — values, order and
 * result types — on JSON and on Parquet.
 */
class CalendarGroupingTest {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    @TempDir
    static Path dir;
    static SqlStack stack;
    /** Generated rows: timestamp (null for some), country, value. */
    static final List<Object[]> ROWS = new ArrayList<>();

    @BeforeAll
    static void start() {
        stack = new SqlStack(dir, "lake");
        Random random = new Random(20101);
        LocalDateTime from = LocalDateTime.of(2009, 11, 15, 0, 0);
        // Both sides of month, quarter and year boundaries, to the millisecond.
        List<LocalDateTime> edges = List.of(LocalDateTime.of(2009, 12, 31, 23, 59, 59, 999_000_000), LocalDateTime.of(2010, 1, 1, 0, 0),
                LocalDateTime.of(2010, 3, 31, 23, 59, 59, 999_000_000), LocalDateTime.of(2010, 4, 1, 0, 0), LocalDateTime.of(2010, 2, 28, 12, 0),
                LocalDateTime.of(2010, 12, 31, 23, 59, 59, 999_000_000), LocalDateTime.of(2011, 1, 1, 0, 0, 0, 1_000_000));
        String[] countries = {"United Kingdom", "France", "EIRE"};
        for (int i = 0; i < 3000; i++) {
            LocalDateTime ts = i < edges.size() ? edges.get(i) : random.nextInt(10) == 0 ? null
                    : from.plusSeconds(random.nextLong(460L * 24 * 3600)).plusNanos(random.nextInt(1000) * 1_000_000L);
            ROWS.add(new Object[] {ts, countries[random.nextInt(countries.length)], random.nextInt(-50, 500)});
        }
        StringBuilder[] files = {new StringBuilder(), new StringBuilder()};
        for (int i = 0; i < ROWS.size(); i++) {
            Object[] r = ROWS.get(i);
            LocalDateTime ts = (LocalDateTime) r[0];
            files[i % 2].append("{\"ts\": ").append(ts == null ? "null" : "\"" + TS.format(ts) + "\"")
                    .append(", \"d\": ").append(ts == null ? "null" : "\"" + ts.toLocalDate() + "\"")
                    .append(", \"iso\": ").append(ts == null ? "null" : "\"" + ts + "Z\"")
                    .append(", \"country\": \"").append(r[1]).append("\", \"v\": ").append(r[2]).append("}\n");
        }
        for (int i = 0; i < files.length; i++) {
            stack.put("s3://lake/events/part-" + i + ".json", files[i].toString());
        }
        stack.ok("CREATE EXTERNAL TABLE events (ts timestamp, d date, iso string, country string, v int) "
                + "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://lake/events/'");
        stack.ok("CREATE TABLE events_parquet WITH (format = 'PARQUET', external_location = 's3://lake/events-parquet/') AS SELECT * FROM events");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"events", "events_parquet"})
    void monthlySumsEqualSumsOfTheRows(String table) {
        Map<String, Long> expected = new TreeMap<>();
        long nullSum = 0;
        for (Object[] r : ROWS) {
            LocalDateTime ts = (LocalDateTime) r[0];
            if (ts == null) {
                nullSum += (Integer) r[2];
            } else {
                expected.merge(YearMonth.from(ts).atDay(1).atStartOfDay().format(TS), (long) (Integer) r[2], Long::sum);
            }
        }
        List<String[]> rows = stack.rows("SELECT date_trunc('month', ts) m, sum(v) FROM " + table + " GROUP BY date_trunc('month', ts) ORDER BY 1",
                "default");
        Map<String, Long> actual = new TreeMap<>();
        for (String[] r : rows.subList(0, rows.size() - 1)) {
            actual.put(r[0], Long.parseLong(r[1]));
        }
        assertThat(actual).isEqualTo(expected);
        // NULLs sort last (Trino's default) and form one group.
        String[] last = rows.get(rows.size() - 1);
        assertThat(last[0]).isNullOrEmpty();
        assertThat(Long.parseLong(last[1])).isEqualTo(nullSum);
    }

    @Test
    void quartersPerCountryEqualCountsOfTheRows() {
        Map<String, Long> expected = new TreeMap<>();
        for (Object[] r : ROWS) {
            LocalDateTime ts = (LocalDateTime) r[0];
            if (ts != null) {
                LocalDate quarter = LocalDate.of(ts.getYear(), (ts.getMonthValue() - 1) / 3 * 3 + 1, 1);
                expected.merge(r[1] + " " + quarter.atStartOfDay().format(TS), 1L, Long::sum);
            }
        }
        Map<String, Long> actual = new TreeMap<>();
        for (String[] r : stack.rows("SELECT country, date_trunc('QUARTER', ts) q, count(*) FROM events WHERE ts IS NOT NULL GROUP BY 1, 2",
                "default")) {
            actual.put(r[0] + " " + r[1], Long.parseLong(r[2]));
        }
        assertThat(actual).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT date_trunc('month', ts) m, sum(v) s, count(*) c, min(v) FROM %s GROUP BY date_trunc('month', ts) ORDER BY 1",
            "SELECT country, date_trunc('quarter', ts), count(*) FROM %s GROUP BY 1, 2 ORDER BY 1, 2",
            "SELECT date_trunc('YEAR', ts) y, max(v) FROM %s GROUP BY 1 HAVING date_trunc('year', ts) >= timestamp '2010-01-01' ORDER BY 1 DESC",
            "SELECT date_format(date_trunc('month', ts), '%%Y-%%m') label, sum(v) FROM %s GROUP BY date_trunc('month', ts) ORDER BY 1",
            "SELECT date_trunc('month', ts) m, sum(sum(v)) OVER (ORDER BY date_trunc('month', ts)) running FROM %s GROUP BY 1 ORDER BY 1",
            "SELECT date_trunc('year', ts) y, count(DISTINCT date_trunc('month', ts)) months FROM %s GROUP BY 1 ORDER BY 1",
            "SELECT date_trunc('month', ts) m, country, sum(v) FROM %s WHERE v > 100 GROUP BY date_trunc('month', ts), country ORDER BY 3 DESC, 1, 2 LIMIT 10",
            "SELECT date_trunc('month', ts) + INTERVAL '1' DAY, count(*) FROM %s GROUP BY date_trunc('month', ts) ORDER BY 1",
    })
    void answersAsTheQueryAsWritten(String template) {
        for (String table : List.of("events", "events_parquet")) {
            String query = template.formatted(table);
            String asWritten = query.replace("date_trunc('month', ts)", "date_trunc('month', coalesce(ts, ts))")
                    .replace("date_trunc('quarter', ts)", "date_trunc('quarter', coalesce(ts, ts))")
                    .replace("date_trunc('year', ts)", "date_trunc('year', coalesce(ts, ts))")
                    .replace("date_trunc('YEAR', ts)", "date_trunc('YEAR', coalesce(ts, ts))");
            assertThat(asWritten).isNotEqualTo(query);
            assertSameAnswer(query, asWritten);
        }
    }

    @Test
    void datesAndConvertedStringsKeepTheirTypes() {
        assertSameAnswer("SELECT date_trunc('month', d), count(*) FROM events GROUP BY 1 ORDER BY 1",
                "SELECT date_trunc('month', coalesce(d, d)), count(*) FROM events GROUP BY 1 ORDER BY 1");
        assertSameAnswer("SELECT date_trunc('month', from_iso8601_timestamp(iso)), sum(v) FROM events GROUP BY 1 ORDER BY 1",
                "SELECT date_trunc('month', coalesce(from_iso8601_timestamp(iso), from_iso8601_timestamp(iso))), sum(v) FROM events GROUP BY 1 ORDER BY 1");
    }

    private static void assertSameAnswer(String query, String asWritten) {
        QueryExecution rewritten = stack.run(query, "default");
        QueryExecution plain = stack.run(asWritten, "default");
        assertThat(rewritten.state()).as("%s: %s", query, rewritten.stateReason()).isEqualTo(QueryState.SUCCEEDED);
        assertThat(plain.state()).as("%s: %s", asWritten, plain.stateReason()).isEqualTo(QueryState.SUCCEEDED);
        assertThat(rewritten.columns()).as(query).isEqualTo(plain.columns());
        List<String> a = stack.rows(query, "default").stream().map(Arrays::toString).toList();
        List<String> b = stack.rows(asWritten, "default").stream().map(Arrays::toString).toList();
        assertThat(a).as(query).isNotEmpty().isEqualTo(b);
    }
}
