package io.tributary.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.lake.BucketSpec;
import io.tributary.server.TestingServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.ListTagsForDeliveryStreamResponse;
import software.amazon.awssdk.services.firehose.model.Tag;

/**
 * What the Firehose API sets but Tributary does not act on comes back as it was sent, also after a
 * restart: role ARNs (infrastructure tools compare them) and tags.
 */
class FirehoseSettingsTest {
    @TempDir
    Path dir;

    private static FirehoseClient client(TestingServer server) {
        return FirehoseClient.builder().endpointOverride(server.uri()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(server.adminKey().accessKeyId(), server.adminKey().secret())))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void roleArnsAndTagsComeBackAsSentAndSurviveARestart() {
        String role = "arn:aws:iam::123456789012:role/firehose-delivery";
        String sourceRole = "arn:aws:iam::123456789012:role/firehose-reader";
        try (TestingServer server = TestingServer.start(dir); FirehoseClient firehose = client(server)) {
            server.server().lake().createBucket(BucketSpec.mutable("lake"));
            server.server().streamLog().createStream("src", 1);
            firehose.createDeliveryStream(b -> b.deliveryStreamName("tagged").deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                    .kinesisStreamSourceConfiguration(k -> k.kinesisStreamARN("arn:aws:kinesis:us-east-1:000000000000:stream/src").roleARN(sourceRole))
                    .extendedS3DestinationConfiguration(s3 -> s3.bucketARN("arn:aws:s3:::lake").roleARN(role).prefix("t/"))
                    .tags(Tag.builder().key("team").value("data").build(), Tag.builder().key("env").value("test").build()));
            firehose.tagDeliveryStream(b -> b.deliveryStreamName("tagged").tags(Tag.builder().key("cost-center").value("42").build(),
                    Tag.builder().key("env").value("prod").build()));
            firehose.untagDeliveryStream(b -> b.deliveryStreamName("tagged").tagKeys("team"));
            assertThatThrownBy(() -> firehose.tagDeliveryStream(b -> b.deliveryStreamName("tagged").tags(Tag.builder().key("aws:x").value("y").build())))
                    .isInstanceOf(FirehoseException.class).hasMessageContaining("aws:");
            List<Tag> many = new ArrayList<>();
            for (int i = 0; i < 49; i++) {
                many.add(Tag.builder().key("k" + i).value("v").build());
            }
            assertThatThrownBy(() -> firehose.tagDeliveryStream(b -> b.deliveryStreamName("tagged").tags(many)))
                    .isInstanceOfSatisfying(FirehoseException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("LimitExceededException"));
            assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName("bare")
                    .extendedS3DestinationConfiguration(s3 -> s3.bucketARN("lake"))))
                    .isInstanceOfSatisfying(FirehoseException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                        assertThat(e.getMessage()).contains("bucketARN").contains("arn:aws:s3:::");
                    });
        }
        try (TestingServer server = TestingServer.start(dir); FirehoseClient firehose = client(server)) {
            DeliveryStreamDescription d = firehose.describeDeliveryStream(b -> b.deliveryStreamName("tagged")).deliveryStreamDescription();
            assertThat(d.source().kinesisStreamSourceDescription().roleARN()).isEqualTo(sourceRole);
            assertThat(d.destinations().get(0).extendedS3DestinationDescription().roleARN()).isEqualTo(role);
            assertThat(d.destinations().get(0).s3DestinationDescription().roleARN()).isEqualTo(role);
            assertThat(d.destinations().get(0).s3DestinationDescription().bucketARN()).isEqualTo("arn:aws:s3:::lake");
            assertThat(d.destinations().get(0).s3DestinationDescription().prefix()).isEqualTo("t/");
            ListTagsForDeliveryStreamResponse tags = firehose.listTagsForDeliveryStream(b -> b.deliveryStreamName("tagged"));
            assertThat(tags.tags()).extracting(Tag::key, Tag::value).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("cost-center", "42"), org.assertj.core.groups.Tuple.tuple("env", "prod"));
            assertThat(tags.hasMoreTags()).isFalse();
            ListTagsForDeliveryStreamResponse page = firehose.listTagsForDeliveryStream(b -> b.deliveryStreamName("tagged").limit(1));
            assertThat(page.tags()).extracting(Tag::key).containsExactly("cost-center");
            assertThat(page.hasMoreTags()).isTrue();
            assertThat(firehose.listTagsForDeliveryStream(b -> b.deliveryStreamName("tagged").exclusiveStartTagKey("cost-center")).tags())
                    .extracting(Tag::key).containsExactly("env");
        }
    }
}
