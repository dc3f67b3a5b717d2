package io.tributary.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.client.TributaryClient;
import io.tributary.common.Json;
import io.tributary.generate.GeneratedRecord;
import io.tributary.generate.KinesisSender;
import io.tributary.generate.Rate;
import io.tributary.generate.RecordSource;
import io.tributary.generate.ReplaySource;
import io.tributary.generate.RetailSource;
import io.tributary.generate.StreamGenerator;
import io.tributary.server.TestingServer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's real-time path end to end: the real Online Retail II sample replayed and generated
 * records → {@code retail-trans} (Kinesis PutRecords) → sink → index {@code retail}; a
 * date_histogram of sum(Quantity) by InvoiceDate over the index equals the sums computed here from
 * the records sent, with the lab's MD5 ids applied last-write-wins (computed here with the JDK's
 * MD5, not the sink's code). A second sink with the default ids keeps every record.
 */
class LabRealTimePathTest {
    private static final Path SAMPLE = Path.of("samples/online-retail-ii.ndjson.gz");
    private static final int GENERATED = 5_000;

    @TempDir
    Path dir;

    /** Records the generator sent, in the order it sent them (one batch in flight at a time). */
    private static final class Recording implements RecordSource {
        private final RecordSource delegate;
        private final List<byte[]> sent;

        Recording(RecordSource delegate, List<byte[]> sent) {
            this.delegate = delegate;
            this.sent = sent;
        }

        @Override
        public Optional<GeneratedRecord> next(Instant sendTime) {
            Optional<GeneratedRecord> r = delegate.next(sendTime);
            r.ifPresent(g -> sent.add(g.data()));
            return r;
        }
    }

    @Test
    void dateHistogramOfQuantityMatchesTheRecordsSent() throws Exception {
        try (TestingServer server = TestingServer.start(dir.resolve("data"), Map.of("search.commit-interval", "1s"))) {
            TributaryClient client = server.client();
            client.post("/api/pipeline/apply", """
                    pipeline:
                      streams:
                        - name: retail-trans
                          shards: 2
                      sinks:
                        - name: upsert-to-es
                          stream: retail-trans
                          index: retail
                          required_fields: [Invoice, StockCode, Customer_ID]
                          id: lab-md5
                          date_fields: [InvoiceDate]
                          date_format: "yyyy-MM-dd HH:mm:ss"
                        - name: every-record
                          stream: retail-trans
                          index: retail-all
                          required-fields: [Invoice]
                    """.getBytes(StandardCharsets.UTF_8), "application/yaml");

            List<byte[]> sent = new ArrayList<>();
            KinesisSender sender = new KinesisSender(client, "retail-trans");
            try (ReplaySource replay = new ReplaySource(SAMPLE, ReplaySource.Dates.KEEP, "Invoice", Instant.now())) {
                new StreamGenerator(new StreamGenerator.Options(Rate.parse("100000/s"), 0, 500, 1), Clock.systemUTC())
                        .run(new Recording(replay, sent), sender);
            }
            Rate rate = Rate.parse("100000/s");
            new StreamGenerator(new StreamGenerator.Options(rate, GENERATED, 500, 1), Clock.systemUTC())
                    .run(new Recording(new RetailSource(7, Optional.of(Instant.parse("2026-11-25T00:00:00Z")), Rate.parse("2/s")), sent), sender);
            assertThat(sent).hasSize(34_766 + GENERATED);

            // Independently: last write wins per MD5 id, summed per day.
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            DateTimeFormatter labFormat = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
            Map<String, JsonNode> byId = new LinkedHashMap<>();
            for (byte[] data : sent) {
                JsonNode r = Json.mapper().readTree(data);
                String key = r.path("Invoice").asText("") + ":" + r.path("StockCode").asText("") + ":"
                        + (r.path("Customer_ID").isNull() ? "" : r.path("Customer_ID").asText(""));
                byId.put(HexFormat.of().formatHex(md5.digest(key.getBytes(StandardCharsets.UTF_8))).substring(0, 8), r);
            }
            Map<String, BigDecimal> expected = new TreeMap<>();
            for (JsonNode r : byId.values()) {
                String day = LocalDateTime.parse(r.path("InvoiceDate").asText(), labFormat).toLocalDate() + "T00:00:00.000Z";
                expected.merge(day, BigDecimal.valueOf(r.path("Quantity").asLong()), BigDecimal::add);
            }
            assertThat(sent.size() - byId.size()).as("the lab's ids collapse rows (631 in the real sample alone)").isGreaterThanOrEqualTo(631);

            awaitCaughtUp(client, "upsert-to-es", sent.size());
            awaitCaughtUp(client, "every-record", sent.size());
            JsonNode status = client.get("/api/sinks/upsert-to-es");
            assertThat(status.path("counters").path("writes").asLong()).isEqualTo(sent.size());
            assertThat(status.path("counters").path("invalid").asLong()).isZero();
            assertThat(status.path("counters").path("errors").asLong()).isZero();

            JsonNode response = SearchApiTest.search(server, "/retail/_search", """
                    {"size":0,"track_total_hits":true,"aggs":{"per_day":{"date_histogram":{"field":"InvoiceDate","calendar_interval":"day",
                     "min_doc_count":1},"aggs":{"quantity":{"sum":{"field":"Quantity"}}}}}}""");
            assertThat(response.path("hits").path("total").path("value").asLong()).isEqualTo(byId.size());
            Map<String, BigDecimal> actual = new TreeMap<>();
            for (JsonNode bucket : response.path("aggregations").path("per_day").path("buckets")) {
                actual.put(bucket.path("key_as_string").asText(), new BigDecimal(bucket.path("quantity").path("value").asText()).stripTrailingZeros());
            }
            Map<String, BigDecimal> expectedStripped = new TreeMap<>();
            expected.forEach((k, v) -> expectedStripped.put(k, v.stripTrailingZeros()));
            assertThat(actual).isEqualTo(expectedStripped);

            JsonNode all = SearchApiTest.search(server, "/retail-all/_search", "{\"size\":0,\"track_total_hits\":true}");
            assertThat(all.path("hits").path("total").path("value").asLong()).as("default ids never collide").isEqualTo(sent.size());
            String metrics = new String(client.send("GET", "/metrics", new byte[0], Map.of()).body(), StandardCharsets.UTF_8);
            assertThat(metrics).contains("tributary_sink_writes_total{sink=\"upsert-to-es\"} " + sent.size() + ".0");
        }
    }

    static void awaitCaughtUp(TributaryClient client, String sink, long records) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<String, Long> last = new HashMap<>();
        while (System.nanoTime() < deadline) {
            JsonNode status = client.get("/api/sinks/" + sink);
            JsonNode c = status.path("counters");
            long done = c.path("writes").asLong() + c.path("invalid").asLong() + c.path("errors").asLong() + c.path("index_errors").asLong();
            last.put("done", done);
            if (done >= records) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("sink " + sink + " did not process " + records + " records within 60 s: " + last);
    }
}
