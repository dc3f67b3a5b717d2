package io.tributary.ui.search;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.client.TributaryClient;
import io.tributary.common.Json;
import io.tributary.server.TestingServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real server with the lab's real-time path in small: stream {@code retail-trans} → search sink
 * → index {@code retail} (InvoiceDate as a date, the lab's format), and a delivery stream into the
 * bucket {@code ui-lake}. Records go in through the NDJSON ingest endpoint, as a producer would.
 */
final class SearchUiFixture implements AutoCloseable {
    static final String STREAM = "retail-trans";
    static final String INDEX = "retail";
    static final String SINK = "retail-search";
    static final String DELIVERY = "retail-to-lake";
    static final DateTimeFormatter LAB_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final TestingServer server;
    private final TributaryClient client;
    private final AtomicLong sent = new AtomicLong();

    private SearchUiFixture(TestingServer server) {
        this.server = requireNonNull(server, "server is null");
        this.client = server.client();
    }

    static SearchUiFixture start(Path dir, Map<String, String> overrides) {
        return start(dir, Optional.empty(), overrides);
    }

    /** With a tributary.yaml besides the overrides (for what only the file declares, such as access keys). */
    static SearchUiFixture start(Path dir, Optional<Path> configFile, Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(overrides);
        all.put("search.commit-interval", "1s");
        SearchUiFixture f = new SearchUiFixture(configFile.isPresent() ? TestingServer.withConfig(dir, configFile.get(), all) : TestingServer.start(dir, all));
        f.client.post("/api/pipeline/apply", """
                pipeline:
                  streams:
                    - name: retail-trans
                      shards: 1
                  buckets:
                    - name: ui-lake
                  delivery-streams:
                    - name: retail-to-lake
                      source: retail-trans
                      destination: s3://ui-lake
                      prefix: "json-data/"
                      buffering:
                        size: 1MB
                        interval: 60s
                  sinks:
                    - name: retail-search
                      stream: retail-trans
                      index: retail
                      required-fields: [Invoice]
                      date-fields: [InvoiceDate]
                      date-format: "yyyy-MM-dd HH:mm:ss"
                """.getBytes(StandardCharsets.UTF_8), "application/yaml");
        return f;
    }

    TestingServer server() {
        return server;
    }

    TributaryClient client() {
        return client;
    }

    /** A retail record in the lab's shape. */
    static String record(String invoice, String stockCode, int quantity, Instant invoiceDate, String country) {
        return Json.mapper().createObjectNode().put("Invoice", invoice).put("StockCode", stockCode).put("Description", "Item " + stockCode)
                .put("Quantity", quantity).put("InvoiceDate", LAB_FORMAT.format(invoiceDate)).put("Price", 2.5)
                .put("Customer_ID", "C" + invoice).put("Country", country).toString();
    }

    /** Sends NDJSON lines to the stream through {@code POST /streams/{name}/records}. */
    void send(List<String> lines) {
        JsonNode result = client.post("/streams/" + STREAM + "/records", String.join("\n", lines).getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        if (result.path("failed").asInt(0) != 0) {
            throw new AssertionError("ingest failed: " + result);
        }
        sent.addAndGet(lines.size());
    }

    /** Waits until the sink has indexed everything sent and the index has refreshed. */
    void awaitIndexed() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode c = client.get("/api/sinks/" + SINK).path("counters");
            if (c.path("writes").asLong() >= sent.get()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("sink " + SINK + " did not index " + sent + " records within 60 s: " + client.get("/api/sinks/" + SINK));
    }

    @Override
    public void close() {
        server.close();
    }
}
