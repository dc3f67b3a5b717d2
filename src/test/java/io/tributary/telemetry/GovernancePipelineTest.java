package io.tributary.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.client.ClientException;
import io.tributary.client.TributaryClient;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.generate.CnaEmulator;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.schedule.ScheduleRun;
import io.tributary.server.ConfigKeys;
import io.tributary.server.TestingServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The governance pipeline built from Tributary parts, end to end: two CNA emulators send telemetry
 * at a high rate to POST /telemetry; the gateway, converter and archiver stamp their hops; logs land
 * in a write-once bucket and metrics in an ordinary one, one object per record; the latency-legs
 * job reads the archive and measures every leg, Tributary's own hops included.
 */
class GovernancePipelineTest {
    private static final String CONFIG = """
            pipeline:
              buckets:
                - name: tributary-lake
                - name: governance-archive
                  immutable: true
                  retention: 1d
                - name: governance-metrics
              delivery-streams:
                - name: governance-archiver
                  source: telemetry-converted
                  destination: s3://tributary-lake
                  error-output-prefix: "archiver-errors/!{firehose:error-output-type}/"
                  buffering:
                    size: 1MB
                    interval: 0s
                  processors:
                    - type: hop-stamp
                      field: timestamps.RG_GOV_IMS_Archiver_timestamp
                  per-record:
                    key: "{CSP|lower}-{log_id}.json"
                    route-field: data_type
                    routes:
                      logs: s3://governance-archive/
                      metrics: s3://governance-metrics/
              schedules:
                - name: latency-legs
                  expression: rate(5 minutes)
                  task: analytics
                  parameters:
                    job: latency-legs
                    input: s3://governance-archive/
                    output: s3://tributary-lake/reports/latency-legs/
            """;
    private static final int ROUNDS = 80;
    private static final double ROUNDS_PER_SECOND = 60;

    @TempDir
    static Path dir;

    static TestingServer server;
    static long sentPerProvider;

    @BeforeAll
    static void runPipeline() throws Exception {
        Path config = dir.resolve("tributary.yaml");
        Files.writeString(config, CONFIG);
        server = TestingServer.withConfig(dir.resolve("data"), config, Map.of(ConfigKeys.TELEMETRY_ENABLED.name(), "true"));
        TributaryClient client = server.client();
        List<CnaEmulator> emulators = List.of(new CnaEmulator(client, CnaEmulator.Provider.AWS, Clock.systemUTC()),
                new CnaEmulator(client, CnaEmulator.Provider.IBM, Clock.systemUTC()));
        long started = System.nanoTime();
        List<Thread> threads = emulators.stream().map(e -> Thread.ofPlatform().start(() -> {
            try {
                e.run(ROUNDS_PER_SECOND, ROUNDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        })).toList();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        for (CnaEmulator e : emulators) {
            assertThat(e.failed()).as(e.lastError()).isZero();
            assertThat(e.sent()).isEqualTo(2L * ROUNDS);
        }
        assertThat(4L * ROUNDS / seconds).as("records per second sent").isGreaterThanOrEqualTo(200);
        sentPerProvider = ROUNDS;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && (count("governance-archive") < 2 * ROUNDS || count("governance-metrics") < 2 * ROUNDS)) {
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static long count(String bucket) {
        try (Stream<ObjectInfo> objects = server.server().lake().list(new Location(bucket, ""))) {
            return objects.count();
        }
    }

    static List<ObjectInfo> objects(String bucket) {
        try (Stream<ObjectInfo> objects = server.server().lake().list(new Location(bucket, ""))) {
            return objects.toList();
        }
    }

    @Test
    void everyRecordIsArchivedOnceWithEveryHopStamped() throws Exception {
        List<ObjectInfo> logs = objects("governance-archive");
        assertThat(logs).hasSize(2 * ROUNDS);
        assertThat(logs).filteredOn(o -> o.location().key().matches("aws-[0-9a-f-]{36}\\.json")).hasSize(ROUNDS);
        assertThat(logs).filteredOn(o -> o.location().key().matches("ibm-[0-9a-f-]{36}\\.json")).hasSize(ROUNDS);
        for (ObjectInfo object : logs) {
            JsonNode record = Json.mapper().readTree(server.server().lake().readAllBytes(object.location()));
            assertThat(record.path("data_type").asText()).isEqualTo("logs");
            assertThat(object.location().key()).isEqualTo(record.path("CSP").asText().toLowerCase() + "-" + record.path("log_id").asText() + ".json");
            List<String> hops = record.path("CSP").asText().equals("AWS")
                    ? List.of("cna_timestamp", "RG_1_API_Gateway_timestamp", "RG_1_SQS_Forwarder_timestamp",
                            "RG_GOV_IMS_API_Gateway_timestamp", "RG_GOV_IMS_Converter_timestamp", "RG_GOV_IMS_Archiver_timestamp")
                    : List.of("cna_timestamp", "RG_GOV_IMS_API_Gateway_timestamp", "RG_GOV_IMS_Converter_timestamp",
                            "RG_GOV_IMS_Archiver_timestamp");
            OffsetDateTime previous = null;
            for (String hop : hops) {
                OffsetDateTime time = OffsetDateTime.parse(record.path("timestamps").path(hop).asText());
                if (previous != null) {
                    assertThat(time).as(hop + " of " + object.location()).isAfterOrEqualTo(previous);
                }
                previous = time;
            }
            assertThat(record.path("timestamps").size()).isEqualTo(hops.size());
        }
        List<ObjectInfo> metrics = objects("governance-metrics");
        assertThat(metrics).hasSize(2 * ROUNDS);
        JsonNode metric = Json.mapper().readTree(server.server().lake().readAllBytes(metrics.get(0).location()));
        assertThat(metric.path("governance_data").path("memory_usage").asDouble()).isBetween(0.0, 100.0);
        assertThat(metric.path("governance_data").has("bytes_recv")).isTrue();
    }

    @Test
    void theArchiveRefusesOverwritingAnArchivedRecord() {
        Location archived = objects("governance-archive").get(0).location();
        byte[] original = server.server().lake().readAllBytes(archived);
        assertThatThrownBy(() -> server.server().lake().put(archived, "{\"tampered\": true}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IMMUTABLE));
        assertThatThrownBy(() -> server.server().lake().delete(archived))
                .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IMMUTABLE));
        assertThat(server.server().lake().readAllBytes(archived)).isEqualTo(original);
    }

    @Test
    void theGatewayStreamCannotBeDeletedUnderTheConverter() {
        String gateway = server.server().config().settings().string(ConfigKeys.TELEMETRY_GATEWAY_STREAM);
        assertThatThrownBy(() -> server.client().delete("/api/streams/" + gateway))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("the telemetry converter").contains("telemetry.enabled: false");
                });
        assertThat(server.server().streamLog().listStreams()).contains(gateway);
    }

    @Test
    void theScheduledJobMeasuresEveryLegOfThePipeline() throws Exception {
        long run = server.server().scheduler().runNow("latency-legs");
        assertThat(server.server().scheduler().awaitIdle(Duration.ofSeconds(60))).isTrue();
        ScheduleRun finished = server.server().scheduler().runs("latency-legs", 1).get(0);
        assertThat(finished.id()).isEqualTo(run);
        assertThat(finished.status()).as(finished.message()).isEqualTo(ScheduleRun.Status.SUCCEEDED);

        JsonNode runs = server.client().get("/api/analytics/runs?job=latency-legs");
        JsonNode latest = runs.get(0);
        assertThat(latest.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(latest.path("counters").path("objects.AWS").asLong()).isEqualTo(sentPerProvider);
        assertThat(latest.path("counters").path("objects.IBM").asLong()).isEqualTo(sentPerProvider);
        String percentiles = new String(server.client().send("GET", "/api/analytics/runs/" + latest.path("id").asText()
                + "/outputs/time_diffs_percentiles.csv", new byte[0], Map.of()).body(), StandardCharsets.UTF_8);
        String awsRow = percentiles.lines().filter(l -> l.startsWith("AWS,")).findFirst().orElseThrow();
        String ibmRow = percentiles.lines().filter(l -> l.startsWith("IBM,")).findFirst().orElseThrow();
        // count, p90, p95, p99 per leg: every AWS leg has every record; IBM has legs 1, 4 and 5 only.
        String[] aws = awsRow.split(",", -1);
        for (int leg = 0; leg < 5; leg++) {
            assertThat(aws[1 + leg * 4]).isEqualTo(Long.toString(sentPerProvider));
        }
        String[] ibm = ibmRow.split(",", -1);
        assertThat(ibm[1]).isEqualTo(Long.toString(sentPerProvider));
        assertThat(ibm[5]).isEmpty();
        assertThat(ibm[13]).isEqualTo(Long.toString(sentPerProvider));
        byte[] png = server.client().send("GET", "/api/analytics/runs/" + latest.path("id").asText() + "/outputs/time_delay_plot.png",
                new byte[0], Map.of()).body();
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(server.server().lake().stat(Location.parse("s3://tributary-lake/reports/latency-legs/time_diffs_statistics.csv"))).isPresent();
    }

    @Test
    void theGatewayRefusesMalformedTelemetry() {
        TributaryClient client = server.client();
        for (String bad : List.of("not json", "[1]", "{}", "{\"CSP\": \"AWS\", \"data_type\": \"logs\", \"log_id\": \"../../etc\"}",
                "{\"CSP\": \"AWS\", \"log_id\": \"abc\"}", "{\"CSP\": \"AWS\", \"data_type\": \"logs\", \"log_id\": \"abc\", \"timestamps\": 5}")) {
            assertThatThrownBy(() -> client.post("/telemetry", bad.getBytes(StandardCharsets.UTF_8), "application/json")).as(bad)
                    .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
        assertThatThrownBy(() -> client.post("/telemetry", ("{\"pad\": \"" + "x".repeat(300_000) + "\"}").getBytes(StandardCharsets.UTF_8),
                "application/json")).isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.status()).isEqualTo(413));
        assertThatThrownBy(() -> server.anonymousClient().post("/telemetry", "{}".getBytes(StandardCharsets.UTF_8), "application/json"))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.status()).isEqualTo(401));
    }
}
