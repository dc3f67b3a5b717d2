package io.tributary.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.client.ClientException;
import io.tributary.common.Json;
import io.tributary.lake.BucketSpec;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.search.SinkSpec;
import io.tributary.server.TestingServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;

/**
 * The reviewer's scenario with the real SDKs: a stream that a delivery stream reads is deleted and
 * created again. Deleting it is refused unless forced (as Kinesis's EnforceConsumerDeletion); when
 * forced, the delivery stream reads the new stream from its beginning, so every acknowledged record
 * of both streams lands in the lake exactly once, also across a restart. A search sink's stream
 * cannot be deleted at all while the sink exists.
 */
class SourceStreamDeletionTest {
    private static final String SOURCE_ARN = "arn:aws:kinesis:us-east-1:000000000000:stream/dsrc";

    @TempDir
    Path dir;

    @Test
    void deletingAReadSourceIsRefusedUnlessForcedAndAForcedRecreationLosesNothing() throws Exception {
        List<String> expected = new ArrayList<>();
        TestingServer first = TestingServer.start(dir);
        try {
            TestingServer server = first;
            server.server().lake().createBucket(BucketSpec.mutable("lake"));
            try (KinesisClient kinesis = kinesis(server); FirehoseClient firehose = firehose(server)) {
                kinesis.createStream(r -> r.streamName("dsrc").shardCount(1));
                firehose.createDeliveryStream(b -> b.deliveryStreamName("dsrc-del").deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                        .kinesisStreamSourceConfiguration(k -> k.kinesisStreamARN(SOURCE_ARN).roleARN("arn:aws:iam::1:role/r"))
                        .extendedS3DestinationConfiguration(s3 -> s3.bucketARN("arn:aws:s3:::lake").roleARN("arn:aws:iam::1:role/r")
                                .prefix("dsrc/").bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(900))));
                expected.addAll(put(kinesis, "a", 1, 20));
                flush(server);
                assertThat(lake(server)).containsExactlyInAnyOrderElementsOf(expected);

                assertThatThrownBy(() -> kinesis.deleteStream(r -> r.streamName("dsrc"))).isInstanceOf(ResourceInUseException.class)
                        .hasMessageContaining("delivery stream 'dsrc-del'").hasMessageContaining("EnforceConsumerDeletion");
                assertThatThrownBy(() -> server.client().delete("/api/streams/dsrc")).isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("--force");
                });
                assertThat(server.server().streamLog().findStream("dsrc")).isPresent();

                kinesis.deleteStream(r -> r.streamName("dsrc").enforceConsumerDeletion(true));
                // While the source is gone a flush answers at once, saying why.
                assertThatThrownBy(() -> flush(server)).isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("source stream 'dsrc' does not exist");
                });
                kinesis.createStream(r -> r.streamName("dsrc").shardCount(1));
                expected.addAll(put(kinesis, "b", 1, 30));
                flushUntil(server, expected);
                assertThat(lake(server)).containsExactlyInAnyOrderElementsOf(expected);
            }
        } finally {
            first.close();
        }
        // After a restart the new stream's checkpoint holds: nothing again, nothing skipped.
        TestingServer server = TestingServer.start(dir);
        try (KinesisClient kinesis = kinesis(server)) {
            expected.addAll(put(kinesis, "b", 31, 5));
            flushUntil(server, expected);
            assertThat(lake(server)).containsExactlyInAnyOrderElementsOf(expected);

            server.server().sinks().apply(SinkSpec.of("dsrc-sink", "dsrc", "dsrc-index"));
            assertThatThrownBy(() -> kinesis.deleteStream(r -> r.streamName("dsrc").enforceConsumerDeletion(true)))
                    .isInstanceOf(ResourceInUseException.class).hasMessageContaining("search sink 'dsrc-sink'")
                    .hasMessageContaining("tributary sinks delete dsrc-sink");
            server.server().sinks().delete("dsrc-sink");
            kinesis.deleteStream(r -> r.streamName("dsrc").enforceConsumerDeletion(true));
            assertThat(server.server().streamLog().findStream("dsrc")).isEmpty();
        } finally {
            server.close();
        }
    }

    private static List<String> put(KinesisClient kinesis, String prefix, int from, int count) {
        List<String> records = new ArrayList<>();
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            records.add(prefix + "-" + i);
            entries.add(PutRecordsRequestEntry.builder().partitionKey("k" + i).data(SdkBytes.fromUtf8String(prefix + "-" + i + "\n")).build());
        }
        assertThat(kinesis.putRecords(r -> r.streamName("dsrc").records(entries)).failedRecordCount()).isZero();
        return records;
    }

    private static void flush(TestingServer server) {
        server.client().post("/api/delivery-streams/dsrc-del/flush", Json.mapper().createObjectNode());
    }

    /** Flushes until the lake holds as many records as expected (the delivery thread notices a new stream within moments). */
    private static void flushUntil(TestingServer server, List<String> expected) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (lake(server).size() < expected.size() && System.nanoTime() < deadline) {
            try {
                flush(server);
            } catch (ClientException e) {
                Thread.sleep(100);
            }
        }
    }

    private static List<String> lake(TestingServer server) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Stream<ObjectInfo> objects = server.server().lake().list(Location.parse("s3://lake/dsrc/"))) {
            for (ObjectInfo o : objects.toList()) {
                lines.addAll(new String(server.server().lake().readAllBytes(o.location()), StandardCharsets.UTF_8).lines().toList());
            }
        }
        return lines;
    }

    private static StaticCredentialsProvider credentials(TestingServer server) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(server.adminKey().accessKeyId(), server.adminKey().secret()));
    }

    private static KinesisClient kinesis(TestingServer server) {
        return KinesisClient.builder().endpointOverride(server.uri()).region(Region.US_EAST_1).credentialsProvider(credentials(server))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static FirehoseClient firehose(TestingServer server) {
        return FirehoseClient.builder().endpointOverride(server.uri()).region(Region.US_EAST_1).credentialsProvider(credentials(server))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
