package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.client.TributaryClient;
import io.tributary.common.Json;
import io.tributary.common.TestingClock;
import io.tributary.generate.GeneratedRecord;
import io.tributary.generate.KinesisSender;
import io.tributary.generate.ReplaySource;
import io.tributary.server.ConfigKeys;
import io.tributary.server.TestingServer;
import io.tributary.sql.catalog.TableName;
import io.tributary.sql.parser.ScriptSplitter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.Row;

/**
 * The lab's SQL, every statement verbatim and in order, through the real AWS SDK AthenaClient,
 * over data a real delivery stream wrote from the real Online Retail II sample replayed through
 * Kinesis with its dates unchanged. The server's clock stands at 2026-11-25 01:20, 02:20 and 03:20
 * while a third of the sample is sent each time, so the delivery stream writes the hours the lab's
 * compaction statements name (hour=01, 02, 03). Authentication is off because SigV4 rejects
 * signatures made at the real time when the server's clock says otherwise.
 *
 * <p>Expected values are computed here, straight from the NDJSON file.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AthenaLabAcceptanceTest {
    static final String LAB_BUCKET = "aws-analytics-immersion-day-xxxxxxxx";
    /** A second copy of the delivered data, for the sample-queries page run on its own (its CTAS locations must be empty). */
    static final String SAMPLE_BUCKET = "sample-queries-xxxxxxxx";
    static final Path SAMPLE = Path.of("samples/online-retail-ii.ndjson.gz");
    private static final DateTimeFormatter INVOICE_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @TempDir
    static Path dir;

    static TestingClock clock;
    static TestingServer server;
    static AthenaClient athena;
    /** Records sent in each hour of 2026-11-25 (1, 2, 3). */
    static final Map<Integer, Long> sentPerHour = new TreeMap<>();

    @BeforeAll
    static void deliverTheSample() throws Exception {
        clock = new TestingClock(Instant.parse("2026-11-25T01:20:00Z"));
        server = TestingServer.start(dir.resolve("data"), Map.of(ConfigKeys.AUTH_ENABLED.name(), "false"), Map.of(), clock);
        TributaryClient client = server.client();
        String pipeline = """
                pipeline:
                  streams:
                    - name: retail-trans
                      shards: 2
                  buckets:
                    - name: %1$s
                    - name: %2$s
                  delivery-streams:
                    - name: retail-trans-delivery
                      source: retail-trans
                      destination: s3://%1$s
                      prefix: "json-data/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
                      error-output-prefix: "error-json/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/!{firehose:error-output-type}"
                      buffering: {size: 128MB, interval: 900s}
                    - name: sample-copy
                      source: retail-trans
                      destination: s3://%2$s
                      prefix: "json-data/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
                      error-output-prefix: "error-json/!{firehose:error-output-type}/"
                      buffering: {size: 128MB, interval: 900s}
                """.formatted(LAB_BUCKET, SAMPLE_BUCKET);
        client.post("/api/pipeline/apply", pipeline.getBytes(StandardCharsets.UTF_8), "application/yaml");

        List<GeneratedRecord> records = new ArrayList<>();
        try (ReplaySource source = new ReplaySource(SAMPLE, ReplaySource.Dates.KEEP, "Invoice", clock.instant())) {
            Optional<GeneratedRecord> r;
            while ((r = source.next(clock.instant())).isPresent()) {
                records.add(r.get());
            }
        }
        KinesisSender sender = new KinesisSender(client, "retail-trans");
        int third = records.size() / 3 + 1;
        for (int hour = 1; hour <= 3; hour++) {
            clock.set(Instant.parse("2026-11-25T0" + hour + ":20:00Z"));
            List<GeneratedRecord> part = records.subList((hour - 1) * third, Math.min(records.size(), hour * third));
            for (int i = 0; i < part.size(); i += 500) {
                List<GeneratedRecord> batch = part.subList(i, Math.min(part.size(), i + 500));
                assertThat(sender.send(batch).accepted()).isEqualTo(batch.size());
            }
            sentPerHour.put(hour, (long) part.size());
            for (String stream : List.of("retail-trans-delivery", "sample-copy")) {
                client.post("/api/delivery-streams/" + stream + "/flush", Json.mapper().createObjectNode());
            }
        }
        athena = AthenaClient.builder().endpointOverride(server.uri()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(server.adminKey().accessKeyId(),
                        server.adminKey().secret())))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        if (athena != null) {
            athena.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static List<String> statements(String file, String bucket) throws Exception {
        String script = new String(AthenaLabAcceptanceTest.class.getResourceAsStream("/athena-lab/" + file).readAllBytes(), StandardCharsets.UTF_8);
        return ScriptSplitter.split(script.replace(LAB_BUCKET, bucket));
    }

    /** Runs a statement through the Athena API as the lab's console (database mydatabase selected) and waits for its end. */
    static QueryExecution run(String sql) {
        String id = athena.startQueryExecution(b -> b.queryString(sql).queryExecutionContext(c -> c.database("mydatabase"))).queryExecutionId();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            QueryExecution e = athena.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution();
            QueryExecutionState state = e.status().state();
            if (state == QueryExecutionState.SUCCEEDED || state == QueryExecutionState.FAILED || state == QueryExecutionState.CANCELLED) {
                return e;
            }
            assertThat(System.nanoTime()).as("query %s still %s", id, state).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException ex) {
                throw new AssertionError(ex);
            }
        }
    }

    static QueryExecution succeed(String sql) {
        QueryExecution e = run(sql);
        assertThat(e.status().state()).as("%s\n%s", sql, e.status().stateChangeReason()).isEqualTo(QueryExecutionState.SUCCEEDED);
        return e;
    }

    /** Every result row, header first, through GetQueryResults pages. */
    static List<List<String>> rows(QueryExecution e) {
        List<List<String>> out = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            GetQueryResultsResponse page = athena.getQueryResults(b -> b.queryExecutionId(e.queryExecutionId()).nextToken(t).maxResults(1000));
            for (Row row : page.resultSet().rows()) {
                out.add(row.data().stream().map(Datum::varCharValue).toList());
            }
            token = page.nextToken();
        } while (token != null);
        return out;
    }

    /** Revenue per month of 2010 by the lab's predicate, computed from the NDJSON: price is a 32-bit float, as the DDL says. */
    static Map<String, Double> expectedMonthlyRevenue() throws Exception {
        LocalDateTime from = LocalDateTime.parse("2010-01-01T00:00:00");
        LocalDateTime to = LocalDateTime.parse("2010-12-31T00:00:00");
        Map<String, Double> sums = new TreeMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(SAMPLE)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode r = Json.mapper().readTree(line);
                LocalDateTime date = LocalDateTime.parse(r.get("InvoiceDate").asText(), INVOICE_DATE);
                if (date.isBefore(from) || date.isAfter(to)) {
                    continue;
                }
                float price = (float) r.get("Price").asDouble();
                sums.merge(String.format("%d-%02d-01 00:00:00.000", date.getYear(), date.getMonthValue()), (double) price * r.get("Quantity").asInt(),
                        Double::sum);
            }
        }
        return sums;
    }

    static void assertMonthlyRevenue(QueryExecution e) throws Exception {
        List<List<String>> rows = rows(e);
        assertThat(rows.get(0)).containsExactly("invoice_year_month", "revenue");
        Map<String, Double> actual = new TreeMap<>();
        rows.subList(1, rows.size()).forEach(r -> actual.put(r.get(0), Double.parseDouble(r.get(1))));
        Map<String, Double> expected = expectedMonthlyRevenue();
        assertThat(expected).hasSize(12);
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((month, sum) -> assertThat(actual.get(month)).as(month).isCloseTo(sum, within(Math.abs(sum) * 1e-6)));
    }

    @Test
    @Order(1)
    void labWalkthroughThenSampleQueriesThenCompaction() throws Exception {
        // 01: the lab guide.
        List<String> walkthrough = statements("01-lab-walkthrough.sql", LAB_BUCKET);
        assertThat(walkthrough).hasSize(5);
        succeed(walkthrough.get(0));
        succeed(walkthrough.get(1));
        List<List<String>> repaired = rows(succeed(walkthrough.get(2)));
        assertThat(String.join("\n", repaired.stream().map(r -> r.get(0)).toList()))
                .contains("Repair: Added partition to metastore retail_trans_json:year=2026/month=11/day=25/hour=1")
                .contains("hour=2").contains("hour=3");
        List<List<String>> ten = rows(succeed(walkthrough.get(3)));
        assertThat(ten).hasSize(11);
        assertThat(ten.get(0)).containsExactly("invoice", "stockcode", "description", "quantity", "invoicedate", "price", "customer_id", "country",
                "year", "month", "day", "hour");
        assertThat(ten.get(1).get(4)).matches("20(09|10|11)-\\d\\d-\\d\\d \\d\\d:\\d\\d:00\\.000");
        assertThat(ten.get(1).subList(8, 11)).containsExactly("2026", "11", "25");
        succeed(walkthrough.get(4));

        // 02: the sample-query page, after the walkthrough as a user following both would run it.
        List<String> samples = statements("02-sample-queries.sql", LAB_BUCKET);
        assertThat(samples).hasSize(7);
        QueryExecution createAgain = run(samples.get(0));
        assertThat(createAgain.status().state()).isEqualTo(QueryExecutionState.FAILED);
        assertThat(createAgain.status().stateChangeReason()).isEqualTo("Database mydatabase already exists");
        succeed(samples.get(1)); // IF NOT EXISTS: the partitioned table of the walkthrough stays
        QueryExecution revenue = succeed(samples.get(2));
        assertMonthlyRevenue(revenue);
        assertThat(revenue.statistics().dataScannedInBytes()).isPositive();
        succeed(samples.get(3));
        succeed(samples.get(4));
        assertMonthlyRevenue(succeed(samples.get(5)));
        assertMonthlyRevenue(succeed(samples.get(6)));

        // 03: what MergeSmallFiles sends at 2026-11-25T03:05 (compacting hour 02).
        List<String> merge = statements("03-merge-small-files.sql", LAB_BUCKET);
        assertThat(merge).hasSize(4);
        for (String s : merge) {
            succeed(s);
        }
        // Folder hour=01 (found by MSCK) and ADD PARTITION (hour=1) are one partition.
        assertThat(server.server().sql().catalog().partitions(new TableName("mydatabase", "retail_trans_json"))).hasSize(3);
        String hour2 = " WHERE year=2026 AND month=11 AND day=25 AND hour=2";
        String aggregates = "SELECT count(*), sum(quantity), round(sum(price*quantity), 2), count(DISTINCT invoice), min(invoicedate), "
                + "max(invoicedate), count(DISTINCT customer_id) FROM mydatabase.";
        List<String> json = rows(succeed(aggregates + "retail_trans_json" + hour2)).get(1);
        List<String> parquet = rows(succeed(aggregates + "ctas_retail_trans_parquet" + hour2)).get(1);
        assertThat(parquet).isEqualTo(json);
        assertThat(Long.parseLong(json.get(0))).isEqualTo(sentPerHour.get(2));
        List<List<String>> tmp = rows(succeed("SELECT count(*) FROM mydatabase.tmp_ctas_retail_trans_parquet_2026112502"));
        assertThat(tmp.get(1).get(0)).isEqualTo(json.get(0));
        assertThat(server.server().lake().list(io.tributary.lake.Location.parse(
                "s3://" + LAB_BUCKET + "/parquet-retail-trans/year=2026/month=11/day=25/hour=02/")).toList()).isNotEmpty();
    }

    @Test
    @Order(2)
    void theScheduledCompactionIsIdempotent() {
        Compaction compaction = server.server().compaction();
        TableName source = new TableName("mydatabase", "retail_trans_json");
        TableName target = new TableName("mydatabase", "ctas_retail_trans_parquet");
        Compaction.Result first = compaction.compactHour(source, target, Instant.parse("2026-11-25T01:00:00Z"));
        Compaction.Result second = compaction.compactHour(source, target, Instant.parse("2026-11-25T01:00:00Z"));
        assertThat(first.rows()).isEqualTo(sentPerHour.get(1));
        assertThat(second.rows()).isEqualTo(first.rows());
        assertThat(second.replacedObjects()).isEqualTo(first.files());
        List<List<String>> count = rows(succeed("SELECT count(*) FROM ctas_retail_trans_parquet WHERE hour = 1"));
        assertThat(Long.parseLong(count.get(1).get(0))).isEqualTo(sentPerHour.get(1));
    }

    @Test
    @Order(3)
    void theSampleQueriesPageOnItsOwnReadsTheUnpartitionedTable() throws Exception {
        // The sample-query page as a user who did not run the walkthrough: a fresh mydatabase, the
        // lab's unpartitioned table (no STORED AS) reading every hour's folder under json-data/.
        succeed("DROP DATABASE mydatabase CASCADE");
        List<String> samples = statements("02-sample-queries.sql", SAMPLE_BUCKET);
        succeed(samples.get(0));
        succeed(samples.get(1));
        assertMonthlyRevenue(succeed(samples.get(2)));
        succeed(samples.get(3));
        succeed(samples.get(4));
        assertMonthlyRevenue(succeed(samples.get(5)));
        assertMonthlyRevenue(succeed(samples.get(6)));
        List<List<String>> total = rows(succeed("SELECT count(*) FROM retail_parquet_snappy_ctas_table"));
        assertThat(Long.parseLong(total.get(1).get(0))).isEqualTo(sentPerHour.values().stream().mapToLong(Long::longValue).sum());
    }
}
