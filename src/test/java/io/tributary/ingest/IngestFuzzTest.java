package io.tributary.ingest;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.auth.Authorizer;
import io.tributary.auth.Principal;
import io.tributary.aws.AwsCodec;
import io.tributary.aws.AwsRequest;
import io.tributary.common.TributaryException;
import io.tributary.stream.StreamLog;
import io.tributary.stream.StreamLogConfig;
import io.tributary.stream.local.LocalStreamLog;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Fuzz targets for the ingest entry points: whatever bytes arrive, the only outcome besides success
 * is a {@link TributaryException} (which the protocol layer turns into a 4xx). In a plain test run
 * these replay their seed inputs; {@code JAZZER_FUZZ=1 ./tributary test -Dtest=IngestFuzzTest} fuzzes.
 */
class IngestFuzzTest {
    private static final String[] OPERATIONS = {"CreateStream", "DeleteStream", "ListStreams", "DescribeStream",
            "DescribeStreamSummary", "ListShards", "UpdateShardCount", "PutRecord", "PutRecords", "GetShardIterator", "GetRecords", "Bogus"};
    private static final StreamLog LOG = openLog();
    private static final KinesisService KINESIS = new KinesisService(LOG, io.tributary.stream.StreamReaders.none(), new Authorizer(), new IngestMetrics(new SimpleMeterRegistry()),
            Clock.systemUTC(), Duration.ofMinutes(5), "us-east-1");
    private static final NdjsonIngest NDJSON = new NdjsonIngest(LOG, new Authorizer(), new IngestMetrics(new SimpleMeterRegistry()), Optional.empty());
    private static final ShardIterators ITERATORS = new ShardIterators(Clock.systemUTC(), Duration.ofMinutes(5));

    private static StreamLog openLog() {
        try {
            LocalStreamLog log = new LocalStreamLog(StreamLogConfig.defaults(Files.createTempDirectory("tributary-fuzz")), Clock.systemUTC());
            log.createStream("fuzz", 2);
            return log;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void kinesisRequests(FuzzedDataProvider data) {
        String operation = data.pickValue(OPERATIONS);
        AwsCodec codec = data.consumeBoolean() ? AwsCodec.CBOR : AwsCodec.JSON;
        byte[] body = data.consumeRemainingAsBytes();
        try {
            KINESIS.handle(new AwsRequest(operation, codec.parse(body), codec, Principal.anonymous()));
        } catch (TributaryException expected) {
            // refused with a product error: the protocol layer answers 4xx
        }
    }

    @FuzzTest(maxDuration = "30s")
    void shardIterators(FuzzedDataProvider data) {
        try {
            ITERATORS.decode(data.consumeRemainingAsString());
        } catch (TributaryException expected) {
            // not an iterator, or expired
        }
    }

    @FuzzTest(maxDuration = "30s")
    void ndjsonBodies(FuzzedDataProvider data) {
        Optional<String> keyField = data.consumeBoolean() ? Optional.of(data.consumeString(20)) : Optional.empty();
        try {
            NDJSON.ingest(Principal.anonymous(), "fuzz", data.consumeRemainingAsBytes(), keyField);
        } catch (TributaryException expected) {
            // a bad key-field name, for example
        }
    }
}
