package io.tributary.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.common.DataSize;
import io.tributary.common.Json;
import io.tributary.common.TestingClock;
import io.tributary.delivery.spi.RecordTransformer;
import io.tributary.delivery.spi.RecordTransformerFactory;
import io.tributary.delivery.spi.TransformResult;
import io.tributary.lake.BucketSpec;
import io.tributary.lake.Compression;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.lake.ObjectStore;
import io.tributary.lake.local.LocalObjectStore;
import io.tributary.stream.AppendRecord;
import io.tributary.stream.StreamLog;
import io.tributary.stream.StreamLogConfig;
import io.tributary.stream.local.LocalStreamLog;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transforms, error output, dynamic partitioning, per-record routing, Parquet and every codec, each through a real delivery stream. */
class DeliveryFeaturesTest {
    @TempDir
    Path dir;

    TestingClock clock;
    StreamLog log;
    ObjectStore store;
    List<DeliveryStream> opened = new ArrayList<>();
    List<Location> partitions = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        clock = new TestingClock(Instant.parse("2026-11-25T14:59:58Z"));
        log = new LocalStreamLog(StreamLogConfig.defaults(dir.resolve("streams")), clock);
        store = new LocalObjectStore(dir.resolve("lake"), clock);
        store.createBucket(BucketSpec.mutable("tributary-lake"));
        store.createBucket(BucketSpec.immutable("archive", Duration.ofDays(365)));
        store.createBucket(BucketSpec.mutable("metrics-lake"));
        log.createStream("in", 1);
    }

    @AfterEach
    void close() throws Exception {
        opened.forEach(DeliveryStream::close);
        log.close();
        store.close();
    }

    /** Tags records by content: "drop" is dropped, "fail" fails, anything else passes with a country partition key. */
    static final class TaggingFactory implements RecordTransformerFactory {
        @Override
        public String type() {
            return "tagger";
        }

        @Override
        public RecordTransformer create(Map<String, String> parameters) {
            return batch -> batch.stream().<TransformResult>map(r -> {
                String text = new String(r.data(), StandardCharsets.UTF_8);
                if (text.contains("drop")) {
                    return new TransformResult.Dropped();
                }
                if (text.contains("fail")) {
                    return new TransformResult.ProcessingFailed("tagger refused " + r.recordId());
                }
                return new TransformResult.Ok(r.data(), Map.of("tag", text.contains("vip") ? "vip" : "std"));
            }).toList();
        }
    }

    DeliveryStream deliver(DeliveryStreamSpec spec, String... records) {
        List<AppendRecord> batch = new ArrayList<>();
        for (String r : records) {
            batch.add(new AppendRecord("k", r.getBytes(StandardCharsets.UTF_8)));
        }
        log.append("in", batch).join();
        DeliveryStream.Context context = new DeliveryStream.Context(log, store, clock, new DeliveryMetrics(new SimpleMeterRegistry()),
                (stream, partition) -> partitions.add(partition),
                RecordTransformers.load(List.of(new TaggingFactory(), new HopStampTransformerFactory(clock))));
        DeliveryStream s = new DeliveryStream(spec, "in", context, dir.resolve("delivery").resolve(spec.name()), clock.instant());
        opened.add(s);
        s.recover();
        s.step();
        return s;
    }

    static DeliveryStreamSpec spec(String prefix, String errorPrefix, Compression compression, Map<String, String> keys,
            List<ProcessorSpec> processors, Optional<ParquetSchema> parquet, Optional<PerRecordSpec> perRecord) {
        return spec("d", prefix, errorPrefix, compression, keys, processors, parquet, perRecord);
    }

    static DeliveryStreamSpec spec(String name, String prefix, String errorPrefix, Compression compression, Map<String, String> keys,
            List<ProcessorSpec> processors, Optional<ParquetSchema> parquet, Optional<PerRecordSpec> perRecord) {
        return new DeliveryStreamSpec(name, Optional.of("in"), "tributary-lake", prefix, errorPrefix,
                new BufferingHints(DataSize.ofMegabytes(1), Duration.ZERO), compression, RecordDelimiter.NEWLINE_WHERE_MISSING, true, keys, processors,
                parquet, perRecord,
                StartingPosition.TRIM_HORIZON);
    }

    List<ObjectInfo> objects(String bucket, String prefix) {
        try (Stream<ObjectInfo> s = store.list(new Location(bucket, prefix))) {
            return s.toList();
        }
    }

    String text(ObjectInfo o) throws Exception {
        try (InputStream in = Compression.decoding(store.open(o.location()), o.location().fileName())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void dynamicPartitionsAndErrorOutputInFirehosesEnvelope() throws Exception {
        DeliveryStreamSpec spec = spec("data/country=!{partitionKeyFromQuery:country}/", DeliveryStreamTest.LAB_ERROR_PREFIX,
                Compression.UNCOMPRESSED, Map.of("country", ".Country"), List.of(), Optional.empty(), Optional.empty());
        deliver(spec, "{\"Country\":\"France\",\"n\":1}", "{\"Country\":\"Spain\",\"n\":2}", "{\"Country\":\"France\",\"n\":3}",
                "not json", "{\"n\":5}", "{\"Country\":\"../etc\",\"n\":6}");
        List<ObjectInfo> data = objects("tributary-lake", "data/");
        assertThat(data).extracting(o -> o.location().key().substring(0, o.location().key().lastIndexOf('/') + 1))
                .containsExactlyInAnyOrder("data/country=France/", "data/country=Spain/");
        for (ObjectInfo o : data) {
            String expected = o.location().key().contains("France")
                    ? "{\"Country\":\"France\",\"n\":1}\n{\"Country\":\"France\",\"n\":3}\n" : "{\"Country\":\"Spain\",\"n\":2}\n";
            assertThat(text(o)).isEqualTo(expected);
        }
        assertThat(partitions).extracting(Location::toString)
                .containsExactlyInAnyOrder("s3://tributary-lake/data/country=France/", "s3://tributary-lake/data/country=Spain/");
        List<ObjectInfo> errors = objects("tributary-lake", "error-json/");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).location().key()).startsWith("error-json/year=2026/month=11/day=25/hour=14/partitioning-faileddelivery-".replace("delivery", "d"));
        List<String> lines = text(errors.get(0)).lines().toList();
        assertThat(lines).hasSize(3);
        List<String> raw = new ArrayList<>();
        for (String line : lines) {
            JsonNode envelope = Json.mapper().readTree(line);
            assertThat(envelope.path("attemptsMade").asInt()).isEqualTo(1);
            assertThat(envelope.path("arrivalTimestamp").asLong()).isEqualTo(clock.millis());
            assertThat(envelope.path("errorCode").asText()).isEqualTo("DynamicPartitioning.MetadataExtractionFailed");
            assertThat(envelope.path("errorMessage").asText()).isNotBlank();
            raw.add(new String(Base64.getDecoder().decode(envelope.path("rawData").asText()), StandardCharsets.UTF_8));
        }
        assertThat(raw).containsExactly("not json", "{\"n\":5}", "{\"Country\":\"../etc\",\"n\":6}");
    }

    @Test
    void transformsKeepDropOrFailRecordsAndHopStampingAddsTheDeliveryTime() throws Exception {
        DeliveryStreamSpec spec = spec("data/!{partitionKeyFromLambda:tag}/", "errors/!{firehose:error-output-type}/", Compression.GZIP,
                Map.of(), List.of(new ProcessorSpec("tagger", Map.of()), new ProcessorSpec("hop-stamp", Map.of())),
                Optional.empty(), Optional.empty());
        DeliveryStream s = deliver(spec, "{\"id\":1,\"vip\":true}", "{\"id\":2}", "{\"id\":3,\"drop\":1}", "{\"id\":4,\"fail\":1}",
                "{\"id\":5,\"timestamps\":{\"producer\":\"x\"}}");
        // Independently: the clock's instant in the telemetry's format, microseconds and offset.
        String stamp = "2026-11-25T14:59:58.000000+00:00";
        List<ObjectInfo> vip = objects("tributary-lake", "data/vip/");
        assertThat(vip).hasSize(1);
        assertThat(text(vip.get(0))).isEqualTo("{\"id\":1,\"vip\":true,\"timestamps\":{\"tributary_delivery_timestamp\":\"" + stamp + "\"}}\n");
        List<ObjectInfo> std = objects("tributary-lake", "data/std/");
        assertThat(text(std.get(0))).isEqualTo("{\"id\":2,\"timestamps\":{\"tributary_delivery_timestamp\":\"" + stamp + "\"}}\n"
                + "{\"id\":5,\"timestamps\":{\"producer\":\"x\",\"tributary_delivery_timestamp\":\"" + stamp + "\"}}\n");
        List<ObjectInfo> failed = objects("tributary-lake", "errors/processing-failed/");
        assertThat(failed).hasSize(1);
        JsonNode envelope = Json.mapper().readTree(text(failed.get(0)));
        assertThat(envelope.path("errorCode").asText()).isEqualTo("Processor.ProcessingFailed");
        assertThat(envelope.path("errorMessage").asText()).startsWith("tagger refused");
        assertThat(new String(Base64.getDecoder().decode(envelope.path("rawData").asText()), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":4,\"fail\":1}");
        assertThat(s.status().recordsDelivered()).isEqualTo(3);
        assertThat(s.status().errorRecords()).isEqualTo(1);
    }

    @Test
    void perRecordModeRoutesByFieldAndNamesObjectsByTheKeyTemplateNeverOverwriting() throws Exception {
        PerRecordSpec perRecord = new PerRecordSpec("{CSP|lower}-{log_id}.json", Optional.of("data_type"),
                Map.of("logs", Location.parse("s3://archive/logs/"), "metrics", Location.parse("s3://metrics-lake/")), Optional.empty());
        DeliveryStreamSpec spec = spec("", "errors/!{firehose:error-output-type}/", Compression.UNCOMPRESSED, Map.of(), List.of(),
                Optional.empty(), Optional.of(perRecord));
        String log1 = "{\"data_type\":\"logs\",\"CSP\":\"AWS\",\"log_id\":\"1\"}";
        String metric2 = "{\"data_type\":\"metrics\",\"CSP\":\"GCP\",\"log_id\":2}";
        String unrouted = "{\"data_type\":\"traces\",\"CSP\":\"AWS\",\"log_id\":3}";
        String duplicate = "{\"data_type\":\"logs\",\"CSP\":\"aws\",\"log_id\":\"1\",\"again\":true}";
        String hostile = "{\"data_type\":\"logs\",\"CSP\":\"..\",\"log_id\":\"x/../../y\"}";
        String sameBatchDuplicate = "{\"data_type\":\"metrics\",\"CSP\":\"gcp\",\"log_id\":2,\"second\":true}";
        deliver(spec, log1, metric2, unrouted, sameBatchDuplicate);
        assertThat(store.readAllBytes(Location.parse("s3://archive/logs/aws-1.json"))).isEqualTo((log1 + "\n").getBytes(StandardCharsets.UTF_8));
        assertThat(store.readAllBytes(Location.parse("s3://metrics-lake/gcp-2.json"))).isEqualTo((metric2 + "\n").getBytes(StandardCharsets.UTF_8));
        List<ObjectInfo> partitioning = objects("tributary-lake", "errors/partitioning-failed/");
        assertThat(partitioning).hasSize(1);
        assertThat(Json.mapper().readTree(text(partitioning.get(0))).path("errorCode").asText()).isEqualTo("PerRecord.NoRoute");
        List<ObjectInfo> sameBatch = objects("tributary-lake", "errors/delivery-failed/");
        assertThat(sameBatch).hasSize(1);
        JsonNode rejected = Json.mapper().readTree(text(sameBatch.get(0)));
        assertThat(rejected.path("errorCode").asText()).isEqualTo("PerRecord.ObjectExists");
        assertThat(new String(Base64.getDecoder().decode(rejected.path("rawData").asText()), StandardCharsets.UTF_8)).isEqualTo(sameBatchDuplicate);

        // A later record with the same key never replaces the archived one; it goes to the error output.
        opened.get(0).close();
        opened.clear();
        deliver(spec.withPrefixes("", "errors2/!{firehose:error-output-type}/"), duplicate, hostile);
        assertThat(store.readAllBytes(Location.parse("s3://archive/logs/aws-1.json"))).isEqualTo((log1 + "\n").getBytes(StandardCharsets.UTF_8));
        List<ObjectInfo> exists = objects("tributary-lake", "errors2/delivery-failed/");
        assertThat(exists).hasSize(1);
        assertThat(Json.mapper().readTree(text(exists.get(0))).path("errorCode").asText()).isEqualTo("PerRecord.ObjectExists");
        assertThat(objects("tributary-lake", "errors2/partitioning-failed/")).hasSize(1);
        assertThat(objects("archive", "")).hasSize(1);
    }

    @Test
    void perRecordObjectsWrittenBeforeACrashAreKeptWhenTheBatchIsDeliveredAgain() throws Exception {
        PerRecordSpec perRecord = new PerRecordSpec("{CSP|lower}-{log_id}.json", Optional.of("data_type"),
                Map.of("logs", Location.parse("s3://archive/logs/")), Optional.empty());
        DeliveryStreamSpec spec = spec("", "errors/!{firehose:error-output-type}/", Compression.UNCOMPRESSED, Map.of(),
                List.of(new ProcessorSpec("hop-stamp", Map.of())), Optional.empty(), Optional.of(perRecord));
        List<AppendRecord> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(new AppendRecord("k", ("{\"data_type\":\"logs\",\"CSP\":\"AWS\",\"log_id\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
        }
        log.append("in", batch).join();
        DeliveryStream.Context failing = new DeliveryStream.Context(log, new DeliveryStreamTest.FailingStore(store, 2), clock,
                new DeliveryMetrics(new SimpleMeterRegistry()), PartitionListener.NONE,
                RecordTransformers.load(List.of(new HopStampTransformerFactory(clock))));
        DeliveryStream first = new DeliveryStream(spec, "in", failing, dir.resolve("delivery/d"), clock.instant());
        first.recover();
        try {
            first.step();
        } catch (io.tributary.common.TributaryException expected) {
            // the third object's write fails, as if the server died there
        }
        assertThat(objects("archive", "logs/")).hasSize(2);
        clock.advance(Duration.ofSeconds(5));
        DeliveryStream.Context healthy = new DeliveryStream.Context(log, store, clock, new DeliveryMetrics(new SimpleMeterRegistry()),
                PartitionListener.NONE, RecordTransformers.load(List.of(new HopStampTransformerFactory(clock))));
        DeliveryStream again = new DeliveryStream(spec, "in", healthy, dir.resolve("delivery/d"), clock.instant());
        opened.add(again);
        again.recover();
        assertThat(objects("archive", "logs/")).extracting(o -> o.location().fileName())
                .containsExactlyInAnyOrder("aws-0.json", "aws-1.json", "aws-2.json", "aws-3.json", "aws-4.json");
        assertThat(objects("tributary-lake", "errors/")).as("keys the batch claimed before the crash are not conflicts").isEmpty();
        assertThat(log.checkpoints().committed("delivery.d", "in")).containsEntry(0, 5L);
    }

    @Test
    void jsonRecordsAreConvertedToParquetAgainstTheDeclaredSchema() throws Exception {
        ParquetSchema schema = new ParquetSchema(List.of(new ParquetSchema.Column("Invoice", "string"),
                new ParquetSchema.Column("Quantity", "int"), new ParquetSchema.Column("Price", "double"),
                new ParquetSchema.Column("InvoiceDate", "timestamp")));
        DeliveryStreamSpec spec = spec("parquet/", "errors/!{firehose:error-output-type}/", Compression.UNCOMPRESSED, Map.of(), List.of(),
                Optional.of(schema), Optional.empty());
        deliver(spec, "{\"Invoice\":\"536365\",\"Quantity\":6,\"Price\":2.55,\"InvoiceDate\":\"2010-12-01 08:26:00\",\"extra\":1}",
                "{\"invoice\":\"536366\",\"quantity\":\"2\",\"price\":1.85,\"invoicedate\":\"2010-12-01T08:28:00Z\"}",
                "{\"Invoice\":\"536367\",\"Quantity\":\"many\",\"Price\":1,\"InvoiceDate\":\"2010-12-01 08:34:00\"}");
        List<ObjectInfo> parquet = objects("tributary-lake", "parquet/");
        assertThat(parquet).hasSize(1);
        assertThat(parquet.get(0).location().key()).endsWith(".parquet");
        Path file = store.localPath(parquet.get(0).location()).orElseThrow();
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT Invoice, Quantity, Price, InvoiceDate FROM read_parquet('" + file + "') ORDER BY 1")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "|" + rs.getInt(2) + "|" + rs.getDouble(3) + "|" + rs.getTimestamp(4).toLocalDateTime());
            }
        }
        assertThat(rows).containsExactly("536365|6|2.55|2010-12-01T08:26", "536366|2|1.85|2010-12-01T08:28");
        byte[] bytes = store.readAllBytes(parquet.get(0).location());
        assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
        List<ObjectInfo> failed = objects("tributary-lake", "errors/format-conversion-failed/");
        assertThat(failed).hasSize(1);
        JsonNode envelope = Json.mapper().readTree(text(failed.get(0)));
        assertThat(envelope.path("errorMessage").asText()).contains("Quantity").contains("many");
    }

    @Test
    void recordsAreWrittenAsSentWithANewlineOnlyWhereOneIsMissingUnlessTurnedOff() throws Exception {
        DeliveryStreamSpec appending = spec("d-append", "append/", "errors/", Compression.UNCOMPRESSED, Map.of(), List.of(),
                Optional.empty(), Optional.empty());
        deliver(appending, "{\"a\":1}\n", "{\"b\":2}", "plain text");
        assertThat(text(objects("tributary-lake", "append/").get(0))).isEqualTo("{\"a\":1}\n{\"b\":2}\nplain text\n");
        DeliveryStreamSpec asSent = new DeliveryStreamSpec("d-raw", Optional.of("in"), "tributary-lake", "raw/", "errors/",
                new BufferingHints(DataSize.ofMegabytes(1), Duration.ZERO), Compression.UNCOMPRESSED, RecordDelimiter.NONE, true, Map.of(),
                List.of(),
                Optional.empty(), Optional.empty(), StartingPosition.TRIM_HORIZON);
        opened.forEach(DeliveryStream::close);
        opened.clear();
        DeliveryStream.Context context = new DeliveryStream.Context(log, store, clock, new DeliveryMetrics(new SimpleMeterRegistry()),
                PartitionListener.NONE, RecordTransformers.load(List.of()));
        DeliveryStream raw = new DeliveryStream(asSent, "in", context, dir.resolve("delivery/d-raw"), clock.instant());
        opened.add(raw);
        raw.recover();
        raw.step();
        assertThat(text(objects("tributary-lake", "raw/").get(0))).isEqualTo("{\"a\":1}\n{\"b\":2}plain text");
    }

    @Test
    void everyCompressionWritesItsFormatWithItsExtension() throws Exception {
        Map<Compression, String> magic = Map.of(Compression.GZIP, "1f8b", Compression.ZIP, "504b0304",
                Compression.SNAPPY, "ff060000734e61507059", Compression.ZSTD, "28b52ffd");
        int n = 0;
        for (Compression compression : Compression.values()) {
            String prefix = "codec-" + compression.name().toLowerCase() + "/";
            // A delivery stream per codec, each reading the stream from its start.
            DeliveryStreamSpec spec = spec("d-" + n, prefix, "errors/!{firehose:error-output-type}/", compression, Map.of(), List.of(),
                    Optional.empty(), Optional.empty());
            String record = "{\"codec\":\"" + compression + "\",\"pad\":\"" + "abc".repeat(200) + "\"}";
            if (n > 0) {
                log.deleteStream("in");
                log.createStream("in", 1);
            }
            deliver(spec, record, record);
            List<ObjectInfo> written = objects("tributary-lake", prefix);
            assertThat(written).as(compression.name()).hasSize(1);
            String name = written.get(0).location().fileName();
            assertThat(name).endsWith(compression.extension());
            byte[] bytes = store.readAllBytes(written.get(0).location());
            String head = HexFormat.of().formatHex(bytes, 0, Math.min(10, bytes.length));
            if (magic.containsKey(compression)) {
                assertThat(head).as(compression.name()).startsWith(magic.get(compression));
            } else if (compression == Compression.HADOOP_SNAPPY) {
                // Hadoop's block format starts with the block's uncompressed length, big-endian.
                int length = java.nio.ByteBuffer.wrap(bytes, 0, 4).getInt();
                assertThat(length).isEqualTo(2 * (record.length() + 1));
            }
            assertThat(text(written.get(0))).isEqualTo(record + "\n" + record + "\n");
            n++;
        }
        assertThat(n).isEqualTo(6);
    }
}
