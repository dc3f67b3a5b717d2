package io.tributary.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.tributary.server.TestingServer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardFilter;
import software.amazon.awssdk.services.kinesis.model.ShardFilterType;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.kinesis.model.Tag;

/**
 * The real AWS SDK for Java v2 KinesisClient (CBOR on the wire, real SigV4 signing) against a
 * running server: every record comes back byte for byte, in the shard Kinesis's hashing picks.
 */
class KinesisSdkTest {
    @TempDir
    static Path dir;

    private static TestingServer server;
    private static KinesisClient kinesis;

    @BeforeAll
    static void start() {
        server = TestingServer.start(dir);
        kinesis = client(server.adminKey().accessKeyId(), server.adminKey().secret());
    }

    static KinesisClient client(String id, String secret) {
        return KinesisClient.builder()
                .endpointOverride(server.uri())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stop() {
        kinesis.close();
        server.close();
    }

    /** Kinesis's rule computed here independently: MD5 as an unsigned 128-bit integer, ranges of equal width. */
    static int expectedShard(String partitionKey, int shards) throws Exception {
        BigInteger hash = new BigInteger(1, MessageDigest.getInstance("MD5").digest(partitionKey.getBytes(StandardCharsets.UTF_8)));
        BigInteger width = BigInteger.TWO.pow(128).divide(BigInteger.valueOf(shards));
        return Math.min(shards - 1, hash.divide(width).intValueExact());
    }

    @Test
    void putRecordsThenReadEveryRecordBackByteForByte() throws Exception {
        String stream = "sdk-roundtrip";
        kinesis.createStream(r -> r.streamName(stream).shardCount(3));
        assertThat(kinesis.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary().streamStatus())
                .isEqualTo(StreamStatus.ACTIVE);

        Random random = new Random(7);
        Map<Integer, List<byte[]>> sentByShard = new HashMap<>();
        for (int batch = 0; batch < 3; batch++) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            List<byte[]> payloads = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                byte[] data = new byte[random.nextInt(2000)];
                random.nextBytes(data);
                String key = "key-" + random.nextInt(100_000);
                payloads.add(data);
                keys.add(key);
                entries.add(PutRecordsRequestEntry.builder().partitionKey(key).data(SdkBytes.fromByteArray(data)).build());
            }
            PutRecordsResponse response = kinesis.putRecords(r -> r.streamName(stream).records(entries));
            assertThat(response.failedRecordCount()).isZero();
            assertThat(response.records()).hasSize(500);
            for (int i = 0; i < 500; i++) {
                PutRecordsResultEntry result = response.records().get(i);
                int shard = expectedShard(keys.get(i), 3);
                assertThat(result.shardId()).isEqualTo(String.format("shardId-%012d", shard));
                assertThat(result.sequenceNumber()).isNotBlank();
                sentByShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(payloads.get(i));
            }
        }

        List<Shard> shards = kinesis.listShards(r -> r.streamName(stream)).shards();
        assertThat(shards).hasSize(3);
        int total = 0;
        for (Shard shard : shards) {
            List<Record> records = readAll(stream, shard.shardId(), ShardIteratorType.TRIM_HORIZON, null);
            int index = Integer.parseInt(shard.shardId().substring("shardId-".length()));
            List<byte[]> expected = sentByShard.getOrDefault(index, List.of());
            assertThat(records).hasSize(expected.size());
            BigInteger previous = BigInteger.valueOf(-1);
            for (int i = 0; i < records.size(); i++) {
                assertThat(records.get(i).data().asByteArray()).isEqualTo(expected.get(i));
                BigInteger sequence = new BigInteger(records.get(i).sequenceNumber());
                assertThat(sequence).isGreaterThan(previous);
                previous = sequence;
                assertThat(records.get(i).approximateArrivalTimestamp())
                        .isBetween(Instant.now().minus(Duration.ofMinutes(5)), Instant.now().plusSeconds(1));
            }
            total += records.size();
        }
        assertThat(total).isEqualTo(1500);
    }

    @Test
    void iteratorTypesStartWhereKinesisWould() throws Exception {
        String stream = "sdk-iterators";
        kinesis.createStream(r -> r.streamName(stream).shardCount(1));
        List<String> sequences = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            PutRecordResponse put = kinesis.putRecord(r -> r.streamName(stream).partitionKey("k").data(SdkBytes.fromUtf8String("r" + n)));
            sequences.add(put.sequenceNumber());
        }
        String shard = "shardId-000000000000";
        assertThat(texts(readAll(stream, shard, ShardIteratorType.AT_SEQUENCE_NUMBER, sequences.get(3)))).startsWith("r3", "r4").hasSize(7);
        assertThat(texts(readAll(stream, shard, ShardIteratorType.AFTER_SEQUENCE_NUMBER, sequences.get(3)))).startsWith("r4").hasSize(6);
        assertThat(readAll(stream, shard, ShardIteratorType.LATEST, null)).isEmpty();

        Instant before = Instant.now();
        Thread.sleep(20);
        kinesis.putRecord(r -> r.streamName(stream).partitionKey("k").data(SdkBytes.fromUtf8String("late")));
        String iterator = kinesis.getShardIterator(r -> r.streamName(stream).shardId(shard)
                .shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(before)).shardIterator();
        GetRecordsResponse atTime = kinesis.getRecords(r -> r.shardIterator(iterator));
        assertThat(texts(atTime.records())).containsExactly("late");
        assertThat(atTime.millisBehindLatest()).isZero();
        assertThat(atTime.nextShardIterator()).isNotBlank();
    }

    @Test
    void explicitHashKeyOverridesThePartitionKey() {
        String stream = "sdk-hashkey";
        kinesis.createStream(r -> r.streamName(stream).shardCount(4));
        BigInteger quarter = BigInteger.TWO.pow(126);
        for (int shard = 0; shard < 4; shard++) {
            String hashKey = quarter.multiply(BigInteger.valueOf(shard)).add(BigInteger.TEN).toString();
            PutRecordResponse put = kinesis.putRecord(r -> r.streamName(stream).partitionKey("same-key").explicitHashKey(hashKey)
                    .data(SdkBytes.fromUtf8String("x")));
            assertThat(put.shardId()).isEqualTo(String.format("shardId-%012d", shard));
        }
    }

    @Test
    void describesListsAndDeletesStreams() {
        kinesis.createStream(r -> r.streamName("sdk-describe").shardCount(2));
        assertThat(kinesis.listStreams().streamNames()).contains("sdk-describe");
        var description = kinesis.describeStream(r -> r.streamName("sdk-describe")).streamDescription();
        assertThat(description.shards()).hasSize(2);
        assertThat(description.shards().get(0).hashKeyRange().startingHashKey()).isEqualTo("0");
        assertThat(description.shards().get(1).hashKeyRange().endingHashKey()).isEqualTo(BigInteger.TWO.pow(128).subtract(BigInteger.ONE).toString());
        assertThat(description.streamARN()).endsWith(":stream/sdk-describe");
        assertThatThrownBy(() -> kinesis.createStream(r -> r.streamName("sdk-describe").shardCount(1)))
                .isInstanceOf(ResourceInUseException.class);
        kinesis.deleteStream(r -> r.streamName("sdk-describe"));
        assertThatThrownBy(() -> kinesis.describeStream(r -> r.streamName("sdk-describe")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("sdk-describe");
    }

    @Test
    void resharding() {
        String stream = "sdk-reshard";
        kinesis.createStream(r -> r.streamName(stream).shardCount(2));
        kinesis.putRecord(r -> r.streamName(stream).partitionKey("a").data(SdkBytes.fromUtf8String("before")));
        kinesis.updateShardCount(r -> r.streamName(stream).targetShardCount(4).scalingType("UNIFORM_SCALING"));
        List<Shard> shards = kinesis.listShards(r -> r.streamName(stream)).shards();
        assertThat(shards).hasSize(6);
        assertThat(shards.stream().filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null)).hasSize(4);
        assertThat(shards.stream().filter(s -> s.parentShardId() != null)).hasSize(4);
        PutRecordResponse after = kinesis.putRecord(r -> r.streamName(stream).partitionKey("a").data(SdkBytes.fromUtf8String("after")));
        assertThat(Integer.parseInt(after.shardId().substring(8))).isGreaterThanOrEqualTo(2);
    }

    @Test
    void reshardingKeepsALineageThatAConsumerFollowingParentLinksReadsInKeyOrder() {
        String stream = "sdk-lineage";
        kinesis.createStream(r -> r.streamName(stream).shardCount(2));
        Map<String, Integer> sent = new HashMap<>();
        putRound(stream, sent);
        for (int target : new int[] {3, 2, 4, 7, 4}) {
            kinesis.updateShardCount(r -> r.streamName(stream).targetShardCount(target).scalingType("UNIFORM_SCALING"));
            putRound(stream, sent);
        }
        // At most double or half the open shards per call, as Kinesis: 4 -> 1 and 4 -> 9 are refused, and nothing changes.
        assertThatThrownBy(() -> kinesis.updateShardCount(r -> r.streamName(stream).targetShardCount(1).scalingType("UNIFORM_SCALING")))
                .isInstanceOfSatisfying(KinesisException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("LimitExceededException");
                    assertThat(e.getMessage()).contains("below half").contains("Current open shard count: 4").contains("Target shard count: 1");
                });
        assertThatThrownBy(() -> kinesis.updateShardCount(r -> r.streamName(stream).targetShardCount(9).scalingType("UNIFORM_SCALING")))
                .isInstanceOfSatisfying(KinesisException.class, e -> assertThat(e.getMessage()).contains("over double"));
        List<Shard> shards = kinesis.listShards(r -> r.streamName(stream)).shards();
        assertThat(shards.stream().filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null)).hasSize(4);

        // A consumer as the KCL reads: a shard once its parents are finished, children from each closed shard's ChildShards.
        Map<String, Shard> byId = new HashMap<>();
        shards.forEach(sh -> byId.put(sh.shardId(), sh));
        java.util.Set<String> done = new java.util.HashSet<>();
        Map<String, Integer> lastSeen = new HashMap<>();
        int read = 0;
        while (done.size() < shards.size()) {
            Shard next = shards.stream().filter(sh -> !done.contains(sh.shardId()))
                    .filter(sh -> (sh.parentShardId() == null || done.contains(sh.parentShardId()))
                            && (sh.adjacentParentShardId() == null || done.contains(sh.adjacentParentShardId())))
                    .findFirst().orElseThrow(() -> new AssertionError("no shard is ready; lineage has a cycle or a gap"));
            String iterator = kinesis.getShardIterator(r -> r.streamName(stream).shardId(next.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse response = kinesis.getRecords(r -> r.shardIterator(current));
                for (Record record : response.records()) {
                    String[] parts = record.data().asUtf8String().split(":");
                    int n = Integer.parseInt(parts[1]);
                    assertThat(n).as("key %s after %s", parts[0], lastSeen.get(parts[0])).isGreaterThan(lastSeen.getOrDefault(parts[0], -1));
                    lastSeen.put(parts[0], n);
                    read++;
                }
                iterator = response.nextShardIterator();
                if (iterator == null) {
                    List<String> children = response.childShards().stream().map(c -> c.shardId()).toList();
                    List<String> listed = shards.stream().filter(sh -> next.shardId().equals(sh.parentShardId())
                            || next.shardId().equals(sh.adjacentParentShardId())).map(Shard::shardId).toList();
                    assertThat(children).as("children of closed " + next.shardId()).isNotEmpty().containsExactlyInAnyOrderElementsOf(listed);
                } else if (response.records().isEmpty() && response.millisBehindLatest() == 0) {
                    break;
                }
            }
            done.add(next.shardId());
        }
        assertThat(read).isEqualTo(sent.values().stream().mapToInt(Integer::intValue).sum());
        assertThat(lastSeen).isEqualTo(sent.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue() - 1)));
    }

    @Test
    void listShardsFiltersAsKinesisDoes() throws Exception {
        String stream = "sdk-filter";
        kinesis.createStream(r -> r.streamName(stream).shardCount(2));
        Thread.sleep(20);
        Instant beforeFirstReshard = Instant.now();
        Thread.sleep(20);
        kinesis.updateShardCount(r -> r.streamName(stream).targetShardCount(4).scalingType("UNIFORM_SCALING"));
        Thread.sleep(20);
        Instant betweenReshards = Instant.now();
        Thread.sleep(20);
        kinesis.updateShardCount(r -> r.streamName(stream).targetShardCount(2).scalingType("UNIFORM_SCALING"));
        // 2 -> 4 splits 0 and 1 into 2..5; 4 -> 2 merges them in pairs into 6 and 7.
        assertThat(ids(stream, null)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(ids(stream, ShardFilter.builder().type(ShardFilterType.AT_LATEST).build())).containsExactly(6, 7);
        assertThat(ids(stream, ShardFilter.builder().type(ShardFilterType.AFTER_SHARD_ID).shardId("shardId-000000000004").build()))
                .containsExactly(5, 6, 7);
        assertThat(ids(stream, ShardFilter.builder().type(ShardFilterType.AT_TIMESTAMP).timestamp(beforeFirstReshard).build()))
                .containsExactly(0, 1);
        assertThat(ids(stream, ShardFilter.builder().type(ShardFilterType.AT_TIMESTAMP).timestamp(betweenReshards).build()))
                .containsExactly(2, 3, 4, 5);
        assertThat(ids(stream, ShardFilter.builder().type(ShardFilterType.FROM_TIMESTAMP).timestamp(betweenReshards).build()))
                .containsExactly(2, 3, 4, 5, 6, 7);
        // The stream is younger than its retention: its trim horizon is its creation.
        assertThat(ids(stream, ShardFilter.builder().type(ShardFilterType.AT_TRIM_HORIZON).build())).containsExactly(0, 1);
        assertThat(ids(stream, ShardFilter.builder().type(ShardFilterType.FROM_TRIM_HORIZON).build()))
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7);

        // Pages keep the filter.
        var first = kinesis.listShards(r -> r.streamName(stream).maxResults(1).shardFilter(f -> f.type(ShardFilterType.AT_LATEST)));
        assertThat(first.shards()).extracting(Shard::shardId).containsExactly("shardId-000000000006");
        var second = kinesis.listShards(r -> r.nextToken(first.nextToken()).maxResults(1));
        assertThat(second.shards()).extracting(Shard::shardId).containsExactly("shardId-000000000007");
        assertThat(second.nextToken()).isNull();

        assertThatThrownBy(() -> kinesis.listShards(r -> r.streamName(stream).shardFilter(f -> f.type("BOGUS"))))
                .isInstanceOfSatisfying(KinesisException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.getMessage()).contains("shardFilter.type").contains("BOGUS");
                });
        assertThatThrownBy(() -> kinesis.listShards(r -> r.streamName(stream).shardFilter(f -> f.type(ShardFilterType.AFTER_SHARD_ID))))
                .isInstanceOfSatisfying(KinesisException.class, e -> assertThat(e.getMessage()).contains("ShardId"));
        assertThatThrownBy(() -> kinesis.listShards(r -> r.streamName(stream).shardFilter(f -> f.type(ShardFilterType.AT_TIMESTAMP))))
                .isInstanceOfSatisfying(KinesisException.class, e -> assertThat(e.getMessage()).contains("Timestamp"));
    }

    private static List<Integer> ids(String stream, ShardFilter filter) {
        return kinesis.listShards(r -> r.streamName(stream).shardFilter(filter)).shards().stream()
                .map(sh -> Integer.parseInt(sh.shardId().substring("shardId-".length()))).toList();
    }

    @Test
    void tagsRetentionLimitsAndConsumersAsToolsCallThem() {
        String stream = "sdk-ops";
        kinesis.createStream(r -> r.streamName(stream).shardCount(2).tags(Map.of("team", "data")));
        kinesis.addTagsToStream(r -> r.streamName(stream).tags(Map.of("env", "test", "cost", "42")));
        kinesis.removeTagsFromStream(r -> r.streamName(stream).tagKeys("cost"));
        var tags = kinesis.listTagsForStream(r -> r.streamName(stream));
        assertThat(tags.tags()).extracting(Tag::key, Tag::value).containsExactly(tuple("env", "test"), tuple("team", "data"));
        assertThat(tags.hasMoreTags()).isFalse();
        var page = kinesis.listTagsForStream(r -> r.streamName(stream).limit(1));
        assertThat(page.tags()).extracting(Tag::key).containsExactly("env");
        assertThat(page.hasMoreTags()).isTrue();
        var next = kinesis.listTagsForStream(r -> r.streamName(stream).exclusiveStartTagKey("env").limit(1));
        assertThat(next.tags()).extracting(Tag::key).containsExactly("team");
        assertThat(next.hasMoreTags()).isFalse();
        String arn = kinesis.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary().streamARN();
        kinesis.tagResource(r -> r.resourceARN(arn).tags(Map.of("owner", "me")));
        kinesis.untagResource(r -> r.resourceARN(arn).tagKeys("team"));
        assertThat(kinesis.listTagsForResource(r -> r.resourceARN(arn)).tags()).extracting(Tag::key).containsExactly("env", "owner");
        assertThatThrownBy(() -> kinesis.addTagsToStream(r -> r.streamName(stream).tags(Map.of("aws:reserved", "x"))))
                .isInstanceOf(software.amazon.awssdk.services.kinesis.model.InvalidArgumentException.class).hasMessageContaining("aws:");

        assertThat(kinesis.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary().retentionPeriodHours()).isEqualTo(24);
        kinesis.increaseStreamRetentionPeriod(r -> r.streamName(stream).retentionPeriodHours(72));
        kinesis.decreaseStreamRetentionPeriod(r -> r.streamName(stream).retentionPeriodHours(48));
        assertThat(kinesis.describeStream(r -> r.streamName(stream)).streamDescription().retentionPeriodHours()).isEqualTo(48);
        assertThat(server.server().streamLog().describeStream(stream).retention()).isEqualTo(Duration.ofHours(48));
        assertThatThrownBy(() -> kinesis.increaseStreamRetentionPeriod(r -> r.streamName(stream).retentionPeriodHours(30)))
                .isInstanceOf(software.amazon.awssdk.services.kinesis.model.InvalidArgumentException.class)
                .hasMessageContaining("DecreaseStreamRetentionPeriod");
        assertThatThrownBy(() -> kinesis.decreaseStreamRetentionPeriod(r -> r.streamName(stream).retentionPeriodHours(12)))
                .hasMessageContaining("Minimum allowed retention period is 24 hours");
        assertThatThrownBy(() -> kinesis.increaseStreamRetentionPeriod(r -> r.streamName(stream).retentionPeriodHours(9000)))
                .hasMessageContaining("8760");

        var limits = kinesis.describeLimits(r -> {});
        assertThat(limits.shardLimit()).isEqualTo(1024);
        assertThat(limits.openShardCount()).isGreaterThanOrEqualTo(2);

        assertThat(kinesis.listStreamConsumers(r -> r.streamARN(arn)).consumers()).isEmpty();
        assertThatThrownBy(() -> kinesis.describeStreamConsumer(r -> r.streamARN(arn).consumerName("kcl")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("kcl");
        assertThatThrownBy(() -> kinesis.registerStreamConsumer(r -> r.streamARN(arn).consumerName("kcl")))
                .isInstanceOfSatisfying(KinesisException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException");
                    assertThat(e.getMessage()).contains("enhanced fan-out").contains("PollingConfig");
                });
        assertThatThrownBy(() -> kinesis.mergeShards(r -> r.streamName(stream).shardToMerge("shardId-000000000000")
                .adjacentShardToMerge("shardId-000000000001"))).hasMessageContaining("UpdateShardCount");
        assertThatThrownBy(() -> kinesis.listStreamConsumers(r -> r.streamARN(arn.replace(stream, "nope"))))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    /** Puts 5 records for each of 40 keys, numbered per key in put order. */
    private static void putRound(String stream, Map<String, Integer> sent) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            for (int k = 0; k < 40; k++) {
                String key = "key" + k;
                int n = sent.merge(key, 1, Integer::sum) - 1;
                entries.add(PutRecordsRequestEntry.builder().partitionKey(key).data(SdkBytes.fromUtf8String(key + ":" + n)).build());
            }
        }
        assertThat(kinesis.putRecords(r -> r.streamName(stream).records(entries)).failedRecordCount()).isZero();
    }

    @Test
    void aWrongSecretIsRefusedWithTheAwsError() {
        try (KinesisClient wrong = client(server.adminKey().accessKeyId(), "not-the-right-secret-at-all-000")) {
            assertThatThrownBy(wrong::listStreams).isInstanceOfSatisfying(KinesisException.class, e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                assertThat(e.statusCode()).isEqualTo(400);
            });
        }
        try (KinesisClient unknown = client("TKIAUNKNOWNKEY000001", "whatever-secret-value-000")) {
            assertThatThrownBy(unknown::listStreams).isInstanceOfSatisfying(KinesisException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
        }
    }

    private static List<Record> readAll(String stream, String shardId, ShardIteratorType type, String sequence) {
        String iterator = kinesis.getShardIterator(r -> {
            r.streamName(stream).shardId(shardId).shardIteratorType(type);
            if (sequence != null) {
                r.startingSequenceNumber(sequence);
            }
        }).shardIterator();
        List<Record> records = new ArrayList<>();
        while (true) {
            String current = iterator;
            GetRecordsResponse response = kinesis.getRecords(r -> r.shardIterator(current).limit(400));
            records.addAll(response.records());
            if (response.records().isEmpty() && response.millisBehindLatest() == 0) {
                return records;
            }
            iterator = response.nextShardIterator();
        }
    }

    private static List<String> texts(List<Record> records) {
        return records.stream().map(r -> r.data().asUtf8String()).toList();
    }
}
