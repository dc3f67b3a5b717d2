package io.tributary.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.client.ClientException;
import io.tributary.client.TributaryClient;
import io.tributary.common.Json;
import io.tributary.generate.KinesisSender;
import io.tributary.generate.Rate;
import io.tributary.generate.RetailSource;
import io.tributary.generate.StreamGenerator;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.server.DemoPipeline;
import io.tributary.server.TestingServer;
import io.tributary.server.TributaryConfig;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's pipeline in a running server: the lab's layout from the demo's generator, readable as
 * NDJSON; idempotent apply and prune; the REST API for delivery streams and the lake, including
 * hostile locations; metrics; configuration mistakes named at configuration time.
 */
class LakeDeliveryServerTest {
    @TempDir
    static Path dir;

    private static TestingServer server;
    private static TributaryClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestingServer.start(dir.resolve("data"));
        client = server.client();
        try (InputStream in = DemoPipeline.class.getResourceAsStream("demo-pipeline.yaml")) {
            JsonNode report = client.post("/api/pipeline/apply", in.readAllBytes(), "application/yaml");
            assertThat(report.toString()).contains("\"delivery-stream\"").contains("CREATED");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String q(String location) {
        return URLEncoder.encode(location, StandardCharsets.UTF_8);
    }

    @Test
    void theDemoGeneratorsRecordsLandInTheLabsLayoutAsNdjson() throws Exception {
        StreamGenerator generator = new StreamGenerator(new StreamGenerator.Options(new Rate(20_000), 2_000, 500, 2), Clock.systemUTC());
        StreamGenerator.Summary summary = generator.run(new RetailSource(42, Optional.empty(), new Rate(20_000)),
                new KinesisSender(client, DemoPipeline.RETAIL_STREAM));
        assertThat(summary.accepted()).isEqualTo(2_000);
        ZonedDateTime before = ZonedDateTime.now(ZoneOffset.UTC);
        JsonNode flushed = client.post("/api/delivery-streams/" + DemoPipeline.RETAIL_DELIVERY + "/flush", Json.mapper().createObjectNode());
        assertThat(flushed.path("records").asLong()).isBetween(0L, 2_000L);

        List<String> lines = new ArrayList<>();
        List<ObjectInfo> objects;
        try (Stream<ObjectInfo> s = server.server().lake().list(Location.parse(DemoPipeline.LAKE_LOCATION))) {
            objects = s.toList();
        }
        assertThat(objects).isNotEmpty();
        for (ObjectInfo o : objects) {
            // year=YYYY/month=MM/day=DD/hour=HH/ of the records' arrival, which was within the last minutes (UTC).
            assertThat(o.location().key()).matches("json-data/year=(\\d{4})/month=(\\d{2})/day=(\\d{2})/hour=(\\d{2})/"
                    + DemoPipeline.RETAIL_DELIVERY + "-1-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-[0-9a-f-]{36}");
            String hourFolder = String.format("year=%d/month=%02d/day=%02d/hour=%02d/", before.getYear(), before.getMonthValue(),
                    before.getDayOfMonth(), before.getHour());
            ZonedDateTime earlier = before.minusMinutes(5);
            String earlierFolder = String.format("year=%d/month=%02d/day=%02d/hour=%02d/", earlier.getYear(), earlier.getMonthValue(),
                    earlier.getDayOfMonth(), earlier.getHour());
            assertThat(o.location().key()).containsAnyOf(hourFolder, earlierFolder);
            lines.addAll(new String(server.server().lake().readAllBytes(o.location()), StandardCharsets.UTF_8).lines().toList());
        }
        assertThat(lines).hasSize(2_000);
        for (String line : lines) {
            JsonNode record = Json.mapper().readTree(line);
            assertThat(record.fieldNames()).toIterable()
                    .containsExactly("Invoice", "StockCode", "Description", "Quantity", "InvoiceDate", "Price", "Customer_ID", "Country");
        }
        assertThat(lines).doesNotHaveDuplicates();

        // The REST API and the metrics see the same.
        JsonNode listing = client.get("/api/lake/list?location=" + q("s3://tributary-lake/json-data/"));
        assertThat(listing.path("prefixes").get(0).asText()).startsWith("s3://tributary-lake/json-data/year=");
        JsonNode d = client.get("/api/delivery-streams/" + DemoPipeline.RETAIL_DELIVERY);
        assertThat(d.path("source").asText()).isEqualTo(DemoPipeline.RETAIL_STREAM);
        assertThat(d.path("recordsDelivered").asLong()).isEqualTo(2_000);
        String metrics = new String(server.client().send("GET", "/metrics", new byte[0], Map.of()).body(), StandardCharsets.UTF_8);
        assertThat(metrics).contains("tributary_delivery_records_total{delivery_stream=\"retail-trans-delivery\"} 2000.0")
                .contains("tributary_delivery_lag_seconds{delivery_stream=\"retail-trans-delivery\"}")
                .contains("tributary_delivery_objects_total{delivery_stream=\"retail-trans-delivery\"}");
    }

    @Test
    void theLakeCanBeBrowsedAndHostileLocationsAreRefused() throws Exception {
        client.post("/api/pipeline/apply", "pipeline:\n  buckets:\n    - name: browse-test\n".getBytes(StandardCharsets.UTF_8), "application/yaml");
        Location gz = Location.parse("s3://browse-test/logs/day=1/a.json.gz");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n".getBytes(StandardCharsets.UTF_8));
        }
        server.server().lake().put(gz, bytes.toByteArray());
        assertThat(client.get("/api/lake/buckets").toString()).contains("s3://browse-test/");
        JsonNode level = client.get("/api/lake/list?location=" + q("s3://browse-test/logs/"));
        assertThat(level.path("prefixes").get(0).asText()).isEqualTo("s3://browse-test/logs/day=1/");
        assertThat(client.get("/api/lake/stat?location=" + q(gz.toString())).path("size").asLong()).isEqualTo(bytes.size());
        assertThat(client.send("GET", "/api/lake/object?location=" + q(gz.toString()), new byte[0], Map.of()).body())
                .isEqualTo(bytes.toByteArray());
        JsonNode preview = client.get("/api/lake/preview?location=" + q(gz.toString()) + "&lines=2");
        assertThat(preview.path("lines")).extracting(JsonNode::asText).containsExactly("{\"a\":1}", "{\"a\":2}");
        assertThat(preview.path("truncated").asBoolean()).isTrue();

        Map<String, Integer> hostile = Map.of(
                "s3://browse-test/../etc/passwd", 400,
                // Not decoded a second time: a literal key inside the bucket, which does not exist.
                "s3://browse-test/logs/..%2F..%2Fx", 404,
                "file:///etc/passwd", 400,
                "/etc/passwd", 400,
                "s3://browse-test/a\\b", 400,
                "s3://no-such-bucket/x", 404,
                "s3://browse-test/logs/", 400,
                "s3://browse-test/missing.json", 404);
        hostile.forEach((location, status) -> assertThatThrownBy(() -> client.get("/api/lake/stat?location=" + q(location))).as(location)
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.status()).isEqualTo(status)));
        assertThatThrownBy(() -> client.get("/api/lake/list")).isInstanceOfSatisfying(ClientException.class,
                e -> assertThat(e.getMessage()).contains("'location' is required"));
        assertThatThrownBy(() -> client.get("/api/lake/object?location=" + q("s3://browse-test/../../../../etc/passwd")))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.getMessage()).contains("'..'"));
    }

    @Test
    void applyIsIdempotentAndPruneDeletesOnlyUndeclaredDeliveryStreams() throws Exception {
        String yaml = """
                pipeline:
                  streams:
                    - name: prune-src
                  buckets:
                    - name: prune-lake
                  delivery-streams:
                    - name: prune-a
                      source: prune-src
                      destination: s3://prune-lake
                      prefix: a/
                    - name: prune-b
                      source: prune-src
                      destination: s3://prune-lake
                      prefix: b/
                """;
        assertThat(client.post("/api/pipeline/apply", yaml.getBytes(StandardCharsets.UTF_8), "application/yaml").toString()).contains("CREATED");
        JsonNode again = client.post("/api/pipeline/apply", yaml.getBytes(StandardCharsets.UTF_8), "application/yaml");
        for (JsonNode change : again.path("changes")) {
            assertThat(change.path("action").asText()).as(change.toString()).isEqualTo("UNCHANGED");
        }
        String changed = yaml.replace("prefix: b/", "prefix: b2/");
        assertThat(client.post("/api/pipeline/apply", changed.getBytes(StandardCharsets.UTF_8), "application/yaml").toString())
                .contains("\"name\":\"prune-b\",\"action\":\"UPDATED\"");
        String withoutB = yaml.substring(0, yaml.indexOf("    - name: prune-b"));
        // Keep every other declared resource in the pruning document, so only prune-b is undeclared among delivery streams.
        String pruneDoc = withoutB.replace("  streams:\n", "  streams:\n    - name: " + DemoPipeline.RETAIL_STREAM + "\n      shards: 2\n")
                + "    - name: " + DemoPipeline.RETAIL_DELIVERY + "\n      source: retail-trans\n      destination: s3://tributary-lake\n"
                + "      prefix: \"json-data/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/\"\n"
                + "      error-output-prefix: \"error-json/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/!{firehose:error-output-type}\"\n"
                + "      buffering:\n        size: 64MB\n        interval: 30s\n";
        JsonNode pruned = client.post("/api/pipeline/apply?prune=true", pruneDoc.getBytes(StandardCharsets.UTF_8), "application/yaml");
        assertThat(pruned.toString()).contains("\"name\":\"prune-b\",\"action\":\"DELETED\"")
                .doesNotContain("\"name\":\"prune-lake\",\"action\":\"DELETED\"");
        assertThat(server.server().delivery().names()).contains("prune-a").doesNotContain("prune-b");
        assertThat(server.server().lake().bucket("prune-lake")).isPresent();
    }

    @Test
    void mistakesAreNamedAtConfigurationTime() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                pipeline:
                  buckets:
                    - name: lake-x
                  delivery-streams:
                    - name: bad
                      source: s
                      destination: s3://lake-x
                      prefix: "data/!{timestamp:yyyy-QQQQQQ}/"
                      error-output-prefix: "errors/"
                """);
        assertThatThrownBy(() -> TributaryConfig.load(Optional.of(file), Map.of(), Map.of()))
                .hasMessageContaining("Delivery stream 'bad'").hasMessageContaining("!{timestamp:yyyy-QQQQQQ}");
        Files.writeString(file, "pipeline:\n  delivery-streams:\n    - name: bad\n      destination: s3://lake-x\n      buffer: 5MB\n");
        assertThatThrownBy(() -> TributaryConfig.load(Optional.of(file), Map.of(), Map.of())).hasMessageContaining("'buffer'");
        Files.writeString(file, "pipeline:\n  delivery-streams:\n    - name: bad\n      destination: s3://lake-x\n      buffering:\n        size: 200MB\n");
        assertThatThrownBy(() -> TributaryConfig.load(Optional.of(file), Map.of(), Map.of())).hasMessageContaining("1MB to 128MB");
        Files.writeString(file, "pipeline:\n  buckets:\n    - name: v\n");
        assertThatThrownBy(() -> TributaryConfig.load(Optional.of(file), Map.of(), Map.of())).hasMessageContaining("bucket name 'v'");
        String unknownBucket = "pipeline:\n  delivery-streams:\n    - name: orphan\n      destination: s3://nowhere-bucket\n";
        assertThatThrownBy(() -> client.post("/api/pipeline/apply", unknownBucket.getBytes(StandardCharsets.UTF_8), "application/yaml"))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("nowhere-bucket").contains("pipeline.buckets");
                });
    }
}
