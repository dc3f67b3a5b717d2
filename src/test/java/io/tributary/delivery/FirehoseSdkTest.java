package io.tributary.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.common.Json;
import io.tributary.lake.BucketSpec;
import io.tributary.lake.Compression;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.server.TestingServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.CompressionFormat;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationDescription;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.ProcessorParameterName;
import software.amazon.awssdk.services.firehose.model.ProcessorType;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.firehose.model.ResourceInUseException;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;

/**
 * The real AWS SDK for Java v2 FirehoseClient (JSON 1.1, real SigV4) against a running server:
 * create a delivery stream with the lab's prefixes, put records one by one and in batches (plain
 * and KPL-aggregated), flush, and find every record exactly once in the lake; Firehose's limits and
 * error names for bad calls.
 */
class FirehoseSdkTest {
    @TempDir
    static Path dir;

    private static TestingServer server;
    private static FirehoseClient firehose;

    @BeforeAll
    static void start() {
        server = TestingServer.start(dir);
        server.server().lake().createBucket(BucketSpec.mutable("tributary-lake"));
        firehose = FirehoseClient.builder()
                .endpointOverride(server.uri())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(server.adminKey().accessKeyId(), server.adminKey().secret())))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stop() {
        firehose.close();
        server.close();
    }

    private static void create(String name, String prefix, String errorPrefix, CompressionFormat compression) {
        firehose.createDeliveryStream(b -> b.deliveryStreamName(name).deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
                .extendedS3DestinationConfiguration(s3 -> s3.bucketARN("arn:aws:s3:::tributary-lake")
                        .roleARN("arn:aws:iam::000000000000:role/firehose")
                        .prefix(prefix).errorOutputPrefix(errorPrefix).compressionFormat(compression)
                        .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(60))));
    }

    /** Every line of every object under a prefix, decompressed by extension. */
    private static List<String> lines(String prefix) throws Exception {
        List<String> out = new ArrayList<>();
        try (Stream<ObjectInfo> objects = server.server().lake().list(Location.parse("s3://tributary-lake/" + prefix))) {
            for (ObjectInfo o : objects.toList()) {
                try (InputStream in = Compression.decoding(server.server().lake().open(o.location()), o.location().fileName())) {
                    out.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
                }
            }
        }
        return out;
    }

    @Test
    void directPutsLandInTheLabLayoutExactlyOnce() throws Exception {
        create("lab-direct", DeliveryStreamTest.LAB_PREFIX.replace("json-data", "direct-data"), DeliveryStreamTest.LAB_ERROR_PREFIX,
                CompressionFormat.GZIP);
        assertThat(firehose.listDeliveryStreams(b -> b.limit(100)).deliveryStreamNames()).contains("lab-direct");
        // Its buffer is a stream the server owns: not listed as one of the user's streams.
        assertThat(server.server().streamLog().findStream("__firehose.lab-direct")).isPresent();
        assertThat(server.client().get("/api/streams").findValuesAsText("name")).doesNotContain("__firehose.lab-direct");
        DeliveryStreamDescription d = firehose.describeDeliveryStream(b -> b.deliveryStreamName("lab-direct")).deliveryStreamDescription();
        assertThat(d.deliveryStreamStatus()).isEqualTo(DeliveryStreamStatus.ACTIVE);
        assertThat(d.deliveryStreamType()).isEqualTo(DeliveryStreamType.DIRECT_PUT);
        ExtendedS3DestinationDescription s3 = d.destinations().get(0).extendedS3DestinationDescription();
        assertThat(s3.bucketARN()).isEqualTo("arn:aws:s3:::tributary-lake");
        assertThat(s3.errorOutputPrefix()).isEqualTo(DeliveryStreamTest.LAB_ERROR_PREFIX);
        assertThat(s3.compressionFormat()).isEqualTo(CompressionFormat.GZIP);
        assertThat(s3.bufferingHints().sizeInMBs()).isEqualTo(1);
        assertThat(s3.bufferingHints().intervalInSeconds()).isEqualTo(60);

        Set<String> sent = new HashSet<>();
        // Firehose writes records as sent, so producers end each with a newline (as Firehose's guide advises).
        String single = "{\"Invoice\":\"000000\",\"n\":-1}";
        sent.add(single);
        assertThat(firehose.putRecord(b -> b.deliveryStreamName("lab-direct").record(r -> r.data(SdkBytes.fromUtf8String(single + "\n"))))
                .recordId()).isNotBlank();
        List<Record> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String json = "{\"Invoice\":\"" + (100000 + i) + "\",\"n\":" + i + "}";
            sent.add(json);
            batch.add(Record.builder().data(SdkBytes.fromUtf8String(json + "\n")).build());
        }
        PutRecordBatchResponse response = firehose.putRecordBatch(b -> b.deliveryStreamName("lab-direct").records(batch));
        assertThat(response.failedPutCount()).isZero();
        assertThat(response.requestResponses()).hasSize(500).allSatisfy(r -> assertThat(r.recordId()).isNotBlank());
        assertThat(response.requestResponses().stream().map(r -> r.recordId()).distinct()).hasSize(500);

        server.client().post("/api/delivery-streams/lab-direct/flush", Json.mapper().createObjectNode());
        List<String> delivered = lines("direct-data/");
        assertThat(delivered).hasSize(501).doesNotHaveDuplicates();
        assertThat(new HashSet<>(delivered)).isEqualTo(sent);
        try (Stream<ObjectInfo> objects = server.server().lake().list(Location.parse("s3://tributary-lake/direct-data/"))) {
            assertThat(objects.toList()).isNotEmpty().allSatisfy(o -> assertThat(o.location().key())
                    .matches("direct-data/year=\\d{4}/month=\\d{2}/day=\\d{2}/hour=\\d{2}/lab-direct-1-\\d{4}(-\\d{2}){5}-[0-9a-f-]{36}\\.gz"));
        }
    }

    @Test
    void recordsAreWrittenAsSentUnlessAppendDelimiterToRecordIsGiven() throws Exception {
        create("as-sent", "as-sent/", "as-sent-errors/", CompressionFormat.UNCOMPRESSED);
        byte[] binary = {'b', 'i', 'n', 0, (byte) 0xff, 'x'};
        firehose.putRecordBatch(b -> b.deliveryStreamName("as-sent").records(
                Record.builder().data(SdkBytes.fromUtf8String("{\"a\":1}")).build(),
                Record.builder().data(SdkBytes.fromUtf8String("line2")).build(),
                Record.builder().data(SdkBytes.fromUtf8String("line3\n")).build(),
                Record.builder().data(SdkBytes.fromByteArray(binary)).build()));
        server.client().post("/api/delivery-streams/as-sent/flush", Json.mapper().createObjectNode());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes("{\"a\":1}line2line3\n".getBytes(StandardCharsets.UTF_8));
        expected.writeBytes(binary);
        assertThat(onlyObject("as-sent/")).isEqualTo(expected.toByteArray());

        firehose.createDeliveryStream(b -> b.deliveryStreamName("delimited").deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
                .extendedS3DestinationConfiguration(s3 -> s3.bucketARN("arn:aws:s3:::tributary-lake").roleARN("arn:aws:iam::1:role/r")
                        .prefix("delimited/").bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(60))
                        .processingConfiguration(p -> p.enabled(true).processors(pr -> pr.type(ProcessorType.APPEND_DELIMITER_TO_RECORD)
                                .parameters(pp -> pp.parameterName(ProcessorParameterName.DELIMITER).parameterValue("\\r\\n"))))));
        firehose.putRecordBatch(b -> b.deliveryStreamName("delimited").records(
                Record.builder().data(SdkBytes.fromUtf8String("one")).build(),
                Record.builder().data(SdkBytes.fromUtf8String("two\r\n")).build()));
        server.client().post("/api/delivery-streams/delimited/flush", Json.mapper().createObjectNode());
        // After every record, as Firehose's processor does, even one that already ends with it.
        assertThat(new String(onlyObject("delimited/"), StandardCharsets.UTF_8)).isEqualTo("one\r\ntwo\r\n\r\n");
        var processors = firehose.describeDeliveryStream(b -> b.deliveryStreamName("delimited")).deliveryStreamDescription()
                .destinations().get(0).extendedS3DestinationDescription().processingConfiguration().processors();
        assertThat(processors).anySatisfy(p -> {
            assertThat(p.type()).isEqualTo(ProcessorType.APPEND_DELIMITER_TO_RECORD);
            assertThat(p.parameters().get(0).parameterValue()).isEqualTo("\\r\\n");
        });

        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName("multi").deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
                .extendedS3DestinationConfiguration(s3 -> s3.bucketARN("arn:aws:s3:::tributary-lake").prefix("multi/")
                        .processingConfiguration(p -> p.enabled(true).processors(pr -> pr.type(ProcessorType.RECORD_DE_AGGREGATION))))))
                .isInstanceOf(FirehoseException.class).hasMessageContaining("RecordDeAggregation");
    }

    @Test
    void literalPrefixesGetFirehosesTimeFoldersAndErrorsStayUnderThePrefix() throws Exception {
        java.time.format.DateTimeFormatter hour = java.time.format.DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(java.time.ZoneOffset.UTC);
        String before = hour.format(java.time.Instant.now());
        Map<String, String> prefixes = Map.of("lit-slash", "lit-slash/", "lit-bare", "lit-bare", "lit-braces", "data/{raw}/a}b/");
        for (Map.Entry<String, String> e : prefixes.entrySet()) {
            firehose.createDeliveryStream(b -> b.deliveryStreamName(e.getKey()).deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
                    .extendedS3DestinationConfiguration(s3 -> s3.bucketARN("arn:aws:s3:::tributary-lake").roleARN("arn:aws:iam::1:role/r")
                            .prefix(e.getValue()).bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(60))));
            firehose.putRecord(b -> b.deliveryStreamName(e.getKey()).record(r -> r.data(SdkBytes.fromUtf8String("{}\n"))));
            server.client().post("/api/delivery-streams/" + e.getKey() + "/flush", Json.mapper().createObjectNode());
        }
        String after = hour.format(java.time.Instant.now());
        for (Map.Entry<String, String> e : prefixes.entrySet()) {
            List<String> keys = keys(e.getValue());
            assertThat(keys).as(e.getKey()).singleElement().satisfies(key -> assertThat(key).satisfiesAnyOf(
                    k -> assertThat(k).startsWith(e.getValue() + before + "/" + e.getKey() + "-1-"),
                    k -> assertThat(k).startsWith(e.getValue() + after + "/" + e.getKey() + "-1-")));
        }

        // Without ErrorOutputPrefix, failed records go to <prefix><error-output-type>/yyyy/MM/dd/HH/.
        firehose.createDeliveryStream(b -> b.deliveryStreamName("fe1").deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
                .extendedS3DestinationConfiguration(s3 -> s3.bucketARN("arn:aws:s3:::tributary-lake").prefix("fe1/")
                        .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(60))
                        .processingConfiguration(p -> p.enabled(true).processors(pr -> pr.type(ProcessorType.LAMBDA)
                                .parameters(pp -> pp.parameterName(ProcessorParameterName.LAMBDA_ARN)
                                        .parameterValue("arn:aws:lambda:us-east-1:000000000000:function:hop-stamp"))))));
        String failedBefore = hour.format(java.time.Instant.now());
        firehose.putRecord(b -> b.deliveryStreamName("fe1").record(r -> r.data(SdkBytes.fromUtf8String("not json"))));
        server.client().post("/api/delivery-streams/fe1/flush", Json.mapper().createObjectNode());
        String failedAfter = hour.format(java.time.Instant.now());
        assertThat(keys("fe1/")).singleElement().satisfies(key -> assertThat(key).satisfiesAnyOf(
                k -> assertThat(k).startsWith("fe1/processing-failed/" + failedBefore + "/fe1-1-"),
                k -> assertThat(k).startsWith("fe1/processing-failed/" + failedAfter + "/fe1-1-")));
        assertThat(keys("processing-failed/")).isEmpty();
        assertThat(firehose.describeDeliveryStream(b -> b.deliveryStreamName("fe1")).deliveryStreamDescription().destinations().get(0)
                .extendedS3DestinationDescription().errorOutputPrefix()).as("omitted, as Firehose does when it was not given").isNull();

        Map<String, String[]> refused = Map.of(
                "err-no-type", new String[] {"data/!{timestamp:yyyy}/", "err/!{timestamp:yyyy}/", "!{firehose:error-output-type}"},
                "too-long", new String[] {"p/" + "x".repeat(600) + "/", "", "512"});
        refused.forEach((name, args) -> assertThatThrownBy(() -> create(name, args[0], args[1], CompressionFormat.UNCOMPRESSED)).as(name)
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining(args[2]));
    }

    private static List<String> keys(String prefix) {
        try (Stream<ObjectInfo> objects = server.server().lake().list(Location.parse("s3://tributary-lake/" + prefix))) {
            return objects.map(o -> o.location().key()).toList();
        }
    }

    @Test
    void kplAggregatedRecordsAreDeaggregatedFromAKinesisSourceOnly() throws Exception {
        List<String> users = List.of("{\"user\":1}", "{\"user\":2}", "{\"user\":3}");
        byte[] aggregate = aggregate(List.of("pk-a", "pk-b"), users);
        // The same bytes with a wrong checksum are not an aggregate: delivered as they are, not dropped.
        byte[] damaged = aggregate.clone();
        damaged[damaged.length - 1] ^= 1;

        server.server().streamLog().createStream("kpl-source", 1);
        firehose.createDeliveryStream(b -> b.deliveryStreamName("kpl").deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                .kinesisStreamSourceConfiguration(k -> k.kinesisStreamARN("arn:aws:kinesis:us-east-1:000000000000:stream/kpl-source"))
                .extendedS3DestinationConfiguration(s3 -> s3.bucketARN("arn:aws:s3:::tributary-lake").prefix("kpl-data/")
                        .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(60))
                        .processingConfiguration(p -> p.enabled(true).processors(pr -> pr.type(ProcessorType.APPEND_DELIMITER_TO_RECORD)))));
        server.server().streamLog().append("kpl-source", List.of(new io.tributary.stream.AppendRecord("pk-a", aggregate),
                new io.tributary.stream.AppendRecord("pk-a", damaged))).join();
        server.client().post("/api/delivery-streams/kpl/flush", Json.mapper().createObjectNode());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (String user : users) {
            expected.writeBytes((user + "\n").getBytes(StandardCharsets.UTF_8));
        }
        expected.writeBytes(damaged);
        expected.write('\n');
        assertThat(onlyObject("kpl-data/")).isEqualTo(expected.toByteArray());

        // A direct put is not de-aggregated, as on Firehose: the aggregate lands as it was sent.
        create("kpl-direct", "kpl-direct/", "kpl-direct-errors/", CompressionFormat.UNCOMPRESSED);
        firehose.putRecord(b -> b.deliveryStreamName("kpl-direct").record(r -> r.data(SdkBytes.fromByteArray(aggregate))));
        server.client().post("/api/delivery-streams/kpl-direct/flush", Json.mapper().createObjectNode());
        assertThat(onlyObject("kpl-direct/")).isEqualTo(aggregate);
    }

    private static byte[] onlyObject(String prefix) {
        try (Stream<ObjectInfo> objects = server.server().lake().list(Location.parse("s3://tributary-lake/" + prefix))) {
            List<ObjectInfo> written = objects.toList();
            assertThat(written).as(prefix).hasSize(1);
            return server.server().lake().readAllBytes(written.get(0).location());
        }
    }

    /** The KPL's aggregated format, encoded here by hand from the protobuf definition. */
    static byte[] aggregate(List<String> keys, List<String> records) throws Exception {
        ByteArrayOutputStream proto = new ByteArrayOutputStream();
        for (String key : keys) {
            field(proto, 1, key.getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < records.size(); i++) {
            ByteArrayOutputStream record = new ByteArrayOutputStream();
            record.write(1 << 3); // partition_key_index, varint
            record.write(i % keys.size());
            field(record, 3, records.get(i).getBytes(StandardCharsets.UTF_8));
            field(proto, 3, record.toByteArray());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2});
        out.write(proto.toByteArray());
        out.write(MessageDigest.getInstance("MD5").digest(proto.toByteArray()));
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, int number, byte[] value) {
        out.write(number << 3 | 2);
        int length = value.length;
        while (length >= 0x80) {
            out.write(length & 0x7f | 0x80);
            length >>>= 7;
        }
        out.write(length);
        out.writeBytes(value);
    }

    @Test
    void badCallsGetFirehosesErrors() {
        create("limits", "limits/", "limits-errors/", CompressionFormat.UNCOMPRESSED);
        List<Record> tooMany = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            tooMany.add(Record.builder().data(SdkBytes.fromUtf8String("{}")).build());
        }
        assertThatThrownBy(() -> firehose.putRecordBatch(b -> b.deliveryStreamName("limits").records(tooMany)))
                .isInstanceOfSatisfying(FirehoseException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.getMessage()).contains("500").contains("501");
                });
        byte[] big = new byte[1000 * 1024 + 1];
        assertThatThrownBy(() -> firehose.putRecord(b -> b.deliveryStreamName("limits").record(r -> r.data(SdkBytes.fromByteArray(big)))))
                .isInstanceOfSatisfying(FirehoseException.class, e -> assertThat(e.getMessage()).contains("1,000 KiB").contains("record.data"));
        List<Record> heavy = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            heavy.add(Record.builder().data(SdkBytes.fromByteArray(new byte[900 * 1024])).build());
        }
        assertThatThrownBy(() -> firehose.putRecordBatch(b -> b.deliveryStreamName("limits").records(heavy)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("4 MiB");
        assertThatThrownBy(() -> firehose.putRecord(b -> b.deliveryStreamName("missing").record(r -> r.data(SdkBytes.fromUtf8String("x")))))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> create("limits", "a/", "b/", CompressionFormat.UNCOMPRESSED)).isInstanceOf(ResourceInUseException.class);
        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName("nobucket")
                .extendedS3DestinationConfiguration(s3 -> s3.bucketARN("arn:aws:s3:::no-such-bucket"))))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("no-such-bucket").hasMessageContaining("pipeline.buckets");
        assertThatThrownBy(() -> create("badprefix", "data/!{timestamp:yyyy-QQQQQQ}/", "errors/", CompressionFormat.UNCOMPRESSED))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("!{timestamp:yyyy-QQQQQQ}");
        assertThatThrownBy(() -> create("noerrorprefix", "data/!{timestamp:yyyy}/", "", CompressionFormat.UNCOMPRESSED))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("error output prefix");
        assertThat(firehose.listDeliveryStreams(b -> b.limit(100)).deliveryStreamNames())
                .doesNotContain("nobucket", "badprefix", "noerrorprefix");
        // Malformed bodies, sent raw: not JSON, a list that is not one, a blob that is not base64, no records at all.
        io.tributary.client.TributaryClient raw = server.client();
        Map<String, String> malformed = Map.of(
                "{\"DeliveryStreamName\":\"limits\",\"Records\":[{\"Data\":", "SerializationException",
                "{\"DeliveryStreamName\":\"limits\",\"Records\":\"x\"}", "SerializationException",
                "{\"DeliveryStreamName\":\"limits\",\"Records\":[{\"Data\":\"not base64!\"}]}", "SerializationException",
                "{\"DeliveryStreamName\":\"limits\"}", "ValidationException",
                "{\"DeliveryStreamName\":\"bad name!\",\"Records\":[{\"Data\":\"eA==\"}]}", "InvalidArgumentException");
        malformed.forEach((body, type) -> assertThatThrownBy(() -> raw.send("POST", "/", body.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", "Firehose_20150804.PutRecordBatch"), "firehose"))
                .as(body).isInstanceOfSatisfying(io.tributary.client.ClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo(type);
                }));
        // Buffering hints: a huge number is a validation error (not an overflow), a string is not silently the default.
        Map<String, String> hints = Map.of(
                "{\"SizeInMBs\": 99999999999999}", "ValidationException",
                "{\"SizeInMBs\": 1e30}", "SerializationException",
                "{\"SizeInMBs\": \"abc\"}", "SerializationException",
                "{\"SizeInMBs\": 129}", "ValidationException",
                "{\"IntervalInSeconds\": -1}", "ValidationException",
                "{\"IntervalInSeconds\": 99999999999999999999}", "ValidationException",
                "\"fast\"", "SerializationException");
        hints.forEach((b, type) -> {
            String body = "{\"DeliveryStreamName\":\"hints\",\"ExtendedS3DestinationConfiguration\":{\"BucketARN\":\"arn:aws:s3:::tributary-lake\","
                    + "\"BufferingHints\":" + b + "}}";
            assertThatThrownBy(() -> raw.send("POST", "/", body.getBytes(StandardCharsets.UTF_8),
                    Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", "Firehose_20150804.CreateDeliveryStream"), "firehose"))
                    .as(b).isInstanceOfSatisfying(io.tributary.client.ClientException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.code()).isEqualTo(type);
                        assertThat(e.getMessage()).containsIgnoringCase("bufferingHints");
                    });
        });
        assertThat(firehose.listDeliveryStreams(b -> b.limit(100)).deliveryStreamNames()).doesNotContain("hints");
        assertThatThrownBy(() -> firehose.updateDestination(b -> b.deliveryStreamName("limits").currentDeliveryStreamVersionId("1")
                .destinationId("destinationId-000000000001"))).isInstanceOfSatisfying(FirehoseException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException");
                    assertThat(e.getMessage()).contains("delete the delivery stream and create it again");
                });
        firehose.deleteDeliveryStream(b -> b.deliveryStreamName("limits"));
        assertThat(firehose.listDeliveryStreams(b -> b.limit(100)).deliveryStreamNames()).doesNotContain("limits");
    }
}
