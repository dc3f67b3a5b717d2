package io.tributary.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.client.ClientException;
import io.tributary.client.TributaryClient;
import io.tributary.common.Json;
import io.tributary.lake.BucketSpec;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.server.TestingServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
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
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * A direct-put delivery stream buffers its acknowledged records in an internal stream
 * ({@code __firehose.<name>}). Kinesis clients, the REST API and the NDJSON endpoint must not reach
 * it: every operation answers as if it did not exist, and the records are still delivered.
 */
class InternalStreamsTest {
    private static final String BUFFER = "__firehose.iso";

    @TempDir
    static Path dir;

    private static TestingServer server;
    private static KinesisClient kinesis;
    private static FirehoseClient firehose;

    @BeforeAll
    static void start() {
        server = TestingServer.start(dir);
        server.server().lake().createBucket(BucketSpec.mutable("tributary-lake"));
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(server.adminKey().accessKeyId(), server.adminKey().secret()));
        kinesis = KinesisClient.builder().endpointOverride(server.uri()).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build();
        firehose = FirehoseClient.builder().endpointOverride(server.uri()).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        kinesis.close();
        firehose.close();
        server.close();
    }

    @Test
    void aDeliveryStreamsBufferDoesNotExistForKinesisClientsAndItsRecordsAreDelivered() throws Exception {
        firehose.createDeliveryStream(b -> b.deliveryStreamName("iso").deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
                .extendedS3DestinationConfiguration(s3 -> s3.bucketARN("arn:aws:s3:::tributary-lake").roleARN("arn:aws:iam::1:role/r")
                        .prefix("iso/").bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(900))));
        firehose.putRecordBatch(b -> b.deliveryStreamName("iso").records(
                Record.builder().data(SdkBytes.fromUtf8String("acked-1\n")).build(),
                Record.builder().data(SdkBytes.fromUtf8String("acked-2\n")).build()));
        long created = server.server().streamLog().describeStream(BUFFER).created().toEpochMilli();

        List<ThrowingCallable> calls = List.of(
                () -> kinesis.deleteStream(r -> r.streamName(BUFFER)),
                () -> kinesis.deleteStream(r -> r.streamARN("arn:aws:kinesis:us-east-1:000000000000:stream/" + BUFFER)),
                () -> kinesis.describeStream(r -> r.streamName(BUFFER)),
                () -> kinesis.describeStreamSummary(r -> r.streamName(BUFFER)),
                () -> kinesis.listShards(r -> r.streamName(BUFFER)),
                () -> kinesis.updateShardCount(r -> r.streamName(BUFFER).targetShardCount(2).scalingType(ScalingType.UNIFORM_SCALING)),
                () -> kinesis.putRecord(r -> r.streamName(BUFFER).partitionKey("k").data(SdkBytes.fromUtf8String("x"))),
                () -> kinesis.putRecords(r -> r.streamName(BUFFER).records(e -> e.partitionKey("k").data(SdkBytes.fromUtf8String("x")))),
                () -> kinesis.getShardIterator(r -> r.streamName(BUFFER).shardId("shardId-000000000000")
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)),
                // An iterator made by hand for the buffer (the token format is no secret).
                () -> kinesis.getRecords(r -> r.shardIterator(new ShardIterators(Clock.systemUTC(), Duration.ofMinutes(5))
                        .encode(new ShardIterators.Position(BUFFER, created, 0, 0)))));
        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isInstanceOf(ResourceNotFoundException.class).hasMessageContaining(BUFFER)
                    .hasMessageNotContaining("tributary streams create");
        }
        assertThatThrownBy(() -> kinesis.createStream(r -> r.streamName(BUFFER).shardCount(1)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("reserved");
        assertThat(kinesis.listStreams(r -> r.limit(100)).streamNames()).doesNotContain(BUFFER);

        TributaryClient rest = server.client();
        List<ThrowingCallable> restCalls = List.of(
                () -> rest.delete("/api/streams/" + BUFFER),
                () -> rest.get("/api/streams/" + BUFFER),
                () -> rest.get("/api/streams/" + BUFFER + "/records"),
                () -> rest.put("/api/streams/" + BUFFER + "/shard-count", Json.mapper().createObjectNode().put("shards", 2)),
                () -> rest.send("POST", "/streams/" + BUFFER + "/records", "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8),
                        Map.of("Content-Type", "application/x-ndjson")));
        for (ThrowingCallable call : restCalls) {
            assertThatThrownBy(call).isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.status()).isEqualTo(404));
        }

        // Nothing above touched the buffer: both acknowledged records are delivered, and nothing else.
        assertThat(server.server().streamLog().stats(BUFFER).get(0).endOffset()).isEqualTo(2);
        rest.post("/api/delivery-streams/iso/flush", Json.mapper().createObjectNode());
        List<String> lines = new ArrayList<>();
        try (Stream<ObjectInfo> objects = server.server().lake().list(Location.parse("s3://tributary-lake/iso/"))) {
            for (ObjectInfo o : objects.toList()) {
                lines.addAll(new String(server.server().lake().readAllBytes(o.location()), StandardCharsets.UTF_8).lines().toList());
            }
        }
        assertThat(lines).containsExactlyInAnyOrder("acked-1", "acked-2");
    }
}
