package io.tributary.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.auth.SigV4Signer;
import io.tributary.common.Json;
import io.tributary.server.ConfigKeys;
import io.tributary.server.TestingServer;
import io.tributary.stream.ShardStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and malformed Kinesis requests over raw HTTP: each gets the AWS error a Kinesis client
 * expects, nothing is half-written, and the server keeps serving.
 */
class KinesisBadInputTest {
    @TempDir
    static Path dir;

    private static TestingServer server;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String STREAM = "bad-input";

    @BeforeAll
    static void start() {
        server = TestingServer.start(dir, Map.of(ConfigKeys.INGEST_ITERATOR_TTL.name(), "1s"));
        server.server().streamLog().createStream(STREAM, 2);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Reply(int status, String type, String message, JsonNode body) {}

    static Reply call(String target, byte[] body, String contentType, boolean sign) throws Exception {
        URI uri = server.uri().resolve("/");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        if (target != null) {
            headers.put("X-Amz-Target", target);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        if (sign) {
            new SigV4Signer(server.adminKey().accessKeyId(), server.adminKey().secret(), "us-east-1", "kinesis")
                    .sign("POST", uri, headers, body, Instant.now()).forEach(request::header);
        }
        HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json = contentType.contains("cbor") ? Json.cbor().readTree(response.body()) : Json.mapper().readTree(response.body());
        return new Reply(response.statusCode(), json.path("__type").asText(""), json.path("message").asText(""), json);
    }

    static Reply kinesis(String operation, String json) throws Exception {
        return call("Kinesis_20131202." + operation, json.getBytes(StandardCharsets.UTF_8), "application/x-amz-json-1.1", true);
    }

    static long retained() {
        return server.server().streamLog().stats(STREAM).stream().mapToLong(s -> s.endOffset() - s.startOffset()).sum();
    }

    @Test
    void malformedBodies() throws Exception {
        long before = retained();
        Reply json = kinesis("PutRecords", "{\"StreamName\": \"bad-input\", \"Records\": [");
        assertThat(json.status()).isEqualTo(400);
        assertThat(json.type()).isEqualTo("SerializationException");
        Reply cbor = call("Kinesis_20131202.PutRecords", new byte[] {(byte) 0xbf, 0x61, 0x61, (byte) 0xff, 0x00, 0x13},
                "application/x-amz-cbor-1.1", true);
        assertThat(cbor.status()).isEqualTo(400);
        assertThat(cbor.type()).isEqualTo("SerializationException");
        Reply array = kinesis("PutRecord", "[1,2,3]");
        assertThat(array.type()).isEqualTo("SerializationException");
        Reply deep = kinesis("PutRecord", "[".repeat(5000) + "]".repeat(5000));
        assertThat(deep.status()).isEqualTo(400);
        Reply wrongType = kinesis("CreateStream", "{\"StreamName\": \"x1\", \"ShardCount\": \"two\"}");
        assertThat(wrongType.type()).isEqualTo("SerializationException");
        assertThat(wrongType.message()).contains("ShardCount");
        Reply notBase64 = kinesis("PutRecord", "{\"StreamName\": \"bad-input\", \"PartitionKey\": \"k\", \"Data\": \"@@@\"}");
        assertThat(notBase64.type()).isEqualTo("SerializationException");
        assertThat(retained()).isEqualTo(before);
    }

    @Test
    void aCallWithoutATargetGetsAnAwsError() throws Exception {
        for (String type : new String[] {"application/x-amz-json-1.1", "application/x-amz-cbor-1.1"}) {
            byte[] body = type.contains("cbor") ? Json.cbor().writeValueAsBytes(Json.mapper().createObjectNode()) : "{}".getBytes(StandardCharsets.UTF_8);
            URI uri = server.uri().resolve("/");
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", type);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(request::header);
            new SigV4Signer(server.adminKey().accessKeyId(), server.adminKey().secret(), "us-east-1", "kinesis")
                    .sign("POST", uri, headers, body, Instant.now()).forEach(request::header);
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("UnknownOperationException");
            JsonNode json = type.contains("cbor") ? Json.cbor().readTree(response.body()) : Json.mapper().readTree(response.body());
            assertThat(json.path("__type").asText()).isEqualTo("UnknownOperationException");
            assertThat(json.path("message").asText()).contains("X-Amz-Target");
        }
    }

    @Test
    void unknownOperationsAndTargets() throws Exception {
        assertThat(kinesis("MergeShards", "{}").type()).isEqualTo("UnknownOperationException");
        Reply unknownService = call("Nope_20200101.Do", "{}".getBytes(StandardCharsets.UTF_8), "application/x-amz-json-1.1", true);
        assertThat(unknownService.type()).isEqualTo("UnknownOperationException");
        assertThat(unknownService.message()).contains("Kinesis_20131202");
    }

    @Test
    void missingAndInvalidFields() throws Exception {
        Reply missing = kinesis("PutRecord", "{\"PartitionKey\": \"k\", \"Data\": \"YQ==\"}");
        assertThat(missing.type()).isEqualTo("ValidationException");
        assertThat(missing.message()).contains("streamName");
        // Constraints of a member are ValidationExceptions naming it, as Kinesis reports them.
        Reply badName = kinesis("CreateStream", "{\"StreamName\": \"../../etc\", \"ShardCount\": 1}");
        assertThat(badName.type()).isEqualTo("ValidationException");
        assertThat(badName.message()).contains("'../../etc' at 'streamName'").contains("regular expression pattern");
        Reply spaced = kinesis("DescribeStream", "{\"StreamName\": \"bad name\"}");
        assertThat(spaced.type()).isEqualTo("ValidationException");
        Reply tooLongName = kinesis("CreateStream", "{\"StreamName\": \"" + "s".repeat(129) + "\", \"ShardCount\": 1}");
        assertThat(tooLongName.type()).isEqualTo("ValidationException");
        assertThat(tooLongName.message()).contains("at 'streamName'").contains("less than or equal to 128");
        Reply zeroShards = kinesis("CreateStream", "{\"StreamName\": \"zero\", \"ShardCount\": 0}");
        assertThat(zeroShards.type()).isEqualTo("ValidationException");
        assertThat(zeroShards.message()).contains("at 'shardCount'");
        Reply lowerCase = kinesis("GetShardIterator",
                "{\"StreamName\": \"bad-input\", \"ShardId\": \"shardId-000000000000\", \"ShardIteratorType\": \"latest\"}");
        assertThat(lowerCase.type()).isEqualTo("ValidationException");
        assertThat(lowerCase.message()).contains("'latest' at 'shardIteratorType'");
        Reply longKey = kinesis("PutRecord", "{\"StreamName\": \"bad-input\", \"PartitionKey\": \"" + "k".repeat(257) + "\", \"Data\": \"YQ==\"}");
        assertThat(longKey.type()).isEqualTo("ValidationException");
        assertThat(longKey.message()).contains("at 'partitionKey'").contains("256");
        Reply emptyKey = kinesis("PutRecords", "{\"StreamName\": \"bad-input\", \"Records\": [{\"PartitionKey\": \"a\", \"Data\": \"YQ==\"},"
                + " {\"PartitionKey\": \"\", \"Data\": \"YQ==\"}]}");
        assertThat(emptyKey.type()).isEqualTo("ValidationException");
        assertThat(emptyKey.message()).contains("at 'records.2.member.partitionKey'").contains("greater than or equal to 1");
        Reply noStream = kinesis("PutRecord", "{\"StreamName\": \"no-such-stream\", \"PartitionKey\": \"k\", \"Data\": \"YQ==\"}");
        assertThat(noStream.type()).isEqualTo("ResourceNotFoundException");
        Reply reserved = kinesis("CreateStream", "{\"StreamName\": \"__firehose.orders\", \"ShardCount\": 1}");
        assertThat(reserved.type()).isEqualTo("InvalidArgumentException");
        assertThat(reserved.message()).contains("'__firehose.orders' is reserved");
        // A direct-put delivery stream's buffer exists but is not listed.
        server.server().streamLog().createStream("__firehose.hidden", 1);
        assertThat(kinesis("ListStreams", "{}").body().path("StreamNames").toString()).contains(STREAM).doesNotContain("__firehose");
        Reply shards = kinesis("CreateStream", "{\"StreamName\": \"too-many\", \"ShardCount\": 100000}");
        assertThat(shards.type()).isEqualTo("LimitExceededException");
        assertThat(shards.message()).contains("1024");
        Reply badHash = kinesis("PutRecord", "{\"StreamName\": \"bad-input\", \"PartitionKey\": \"k\", \"Data\": \"YQ==\", \"ExplicitHashKey\": \"-5\"}");
        assertThat(badHash.type()).isEqualTo("InvalidArgumentException");
    }

    @Test
    void oversizedRecordsAndBatchesAreRefusedWhole() throws Exception {
        long before = retained();
        String big = java.util.Base64.getEncoder().encodeToString(new byte[1024 * 1024 + 1]);
        Reply tooBig = kinesis("PutRecord", "{\"StreamName\": \"bad-input\", \"PartitionKey\": \"k\", \"Data\": \"" + big + "\"}");
        assertThat(tooBig.type()).isEqualTo("ValidationException");
        assertThat(tooBig.message()).contains("at 'data'").contains("1048576");
        // The partition key counts in UTF-8 bytes: 256 x "é" is 512 bytes, so 1 MiB - 256 bytes of data is 256 bytes too many.
        String almost = java.util.Base64.getEncoder().encodeToString(new byte[1024 * 1024 - 256]);
        Reply multibyte = kinesis("PutRecord", "{\"StreamName\": \"bad-input\", \"PartitionKey\": \"" + "é".repeat(256)
                + "\", \"Data\": \"" + almost + "\"}");
        assertThat(multibyte.type()).isEqualTo("ValidationException");
        assertThat(multibyte.message()).contains(Long.toString(1024 * 1024 + 256));
        String exact = java.util.Base64.getEncoder().encodeToString(new byte[1024 * 1024 - 512]);
        assertThat(kinesis("PutRecord", "{\"StreamName\": \"bad-input\", \"PartitionKey\": \"" + "é".repeat(256)
                + "\", \"Data\": \"" + exact + "\"}").status()).as("exactly 1 MiB with the key's bytes").isEqualTo(200);
        before = retained();

        ObjectNode many = Json.mapper().createObjectNode().put("StreamName", STREAM);
        ArrayNode records = many.putArray("Records");
        for (int i = 0; i < 501; i++) {
            records.addObject().put("PartitionKey", "k" + i).put("Data", "YQ==");
        }
        Reply tooMany = kinesis("PutRecords", many.toString());
        assertThat(tooMany.type()).isEqualTo("ValidationException");
        assertThat(tooMany.message()).contains("500");

        ObjectNode heavy = Json.mapper().createObjectNode().put("StreamName", STREAM);
        ArrayNode heavyRecords = heavy.putArray("Records");
        String megabyte = java.util.Base64.getEncoder().encodeToString(new byte[1_000_000]);
        for (int i = 0; i < 6; i++) {
            heavyRecords.addObject().put("PartitionKey", "k" + i).put("Data", megabyte);
        }
        Reply tooHeavy = kinesis("PutRecords", heavy.toString());
        assertThat(tooHeavy.type()).isEqualTo("InvalidArgumentException");
        assertThat(tooHeavy.message()).contains("5 MB");

        ObjectNode mixed = Json.mapper().createObjectNode().put("StreamName", STREAM);
        ArrayNode mixedRecords = mixed.putArray("Records");
        mixedRecords.addObject().put("PartitionKey", "ok").put("Data", "YQ==");
        mixedRecords.addObject().put("PartitionKey", "").put("Data", "YQ==");
        assertThat(kinesis("PutRecords", mixed.toString()).type()).isEqualTo("ValidationException");
        assertThat(retained()).as("nothing half-written").isEqualTo(before);
    }

    @Test
    void requestsLargerThanTheServerAcceptsGetAnAwsError() throws Exception {
        byte[] body = new byte[17 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) ' ');
        Reply reply = call("Kinesis_20131202.PutRecords", body, "application/x-amz-json-1.1", false);
        assertThat(reply.status()).isIn(400, 403, 413);
        assertThat(reply.type()).isNotEmpty();
    }

    @Test
    void unknownMalformedAndExpiredIterators() throws Exception {
        Reply garbage = kinesis("GetRecords", "{\"ShardIterator\": \"not-an-iterator\"}");
        assertThat(garbage.type()).isEqualTo("InvalidArgumentException");
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[60]);
        assertThat(kinesis("GetRecords", "{\"ShardIterator\": \"" + forged + "\"}").type()).isEqualTo("InvalidArgumentException");
        Reply unknownShard = kinesis("GetShardIterator",
                "{\"StreamName\": \"bad-input\", \"ShardId\": \"shardId-000000000009\", \"ShardIteratorType\": \"TRIM_HORIZON\"}");
        assertThat(unknownShard.type()).isEqualTo("ResourceNotFoundException");
        Reply badType = kinesis("GetShardIterator",
                "{\"StreamName\": \"bad-input\", \"ShardId\": \"shardId-000000000000\", \"ShardIteratorType\": \"SOMEWHERE\"}");
        assertThat(badType.type()).isEqualTo("ValidationException");
        Reply wrongShardSequence = kinesis("GetShardIterator", "{\"StreamName\": \"bad-input\", \"ShardId\": \"shardId-000000000000\","
                + " \"ShardIteratorType\": \"AT_SEQUENCE_NUMBER\", \"StartingSequenceNumber\": \"" + io.tributary.stream.SequenceNumbers.format(1, 0) + "\"}");
        assertThat(wrongShardSequence.type()).isEqualTo("InvalidArgumentException");
        Reply beyondTip = kinesis("GetShardIterator", "{\"StreamName\": \"bad-input\", \"ShardId\": \"shardId-000000000000\","
                + " \"ShardIteratorType\": \"AT_SEQUENCE_NUMBER\", \"StartingSequenceNumber\": \"" + io.tributary.stream.SequenceNumbers.format(0, 999_999) + "\"}");
        assertThat(beyondTip.type()).isEqualTo("InvalidArgumentException");

        String iterator = kinesis("GetShardIterator",
                "{\"StreamName\": \"bad-input\", \"ShardId\": \"shardId-000000000000\", \"ShardIteratorType\": \"LATEST\"}")
                .body().path("ShardIterator").asText();
        assertThat(kinesis("GetRecords", "{\"ShardIterator\": \"" + iterator + "\"}").status()).isEqualTo(200);
        Thread.sleep(1500);
        Reply expired = kinesis("GetRecords", "{\"ShardIterator\": \"" + iterator + "\"}");
        assertThat(expired.type()).isEqualTo("ExpiredIteratorException");
        assertThat(expired.message()).contains("Iterator expired");
    }

    @Test
    void numbersThatWouldOverflowAreRefusedAsBadInput() throws Exception {
        for (String timestamp : new String[] {"1e20", "-1e20", "1e300", "253402300800"}) {
            Reply reply = kinesis("GetShardIterator", "{\"StreamName\": \"bad-input\", \"ShardId\": \"shardId-000000000000\","
                    + " \"ShardIteratorType\": \"AT_TIMESTAMP\", \"Timestamp\": " + timestamp + "}");
            assertThat(reply.status()).as(timestamp).isEqualTo(400);
            assertThat(reply.type()).as(timestamp).isEqualTo("SerializationException");
            assertThat(reply.message()).contains("Timestamp");
        }
        Reply filter = kinesis("ListShards", "{\"StreamName\": \"bad-input\", \"ShardFilter\": {\"Type\": \"AT_TIMESTAMP\", \"Timestamp\": 1e20}}");
        assertThat(filter.status()).isEqualTo(400);
        assertThat(filter.type()).isEqualTo("SerializationException");
        Reply cbor = call("Kinesis_20131202.GetShardIterator", Json.cbor().writeValueAsBytes(Json.mapper().createObjectNode()
                        .put("StreamName", STREAM).put("ShardId", "shardId-000000000000").put("ShardIteratorType", "AT_TIMESTAMP")
                        .put("Timestamp", Long.MAX_VALUE)), "application/x-amz-cbor-1.1", true);
        assertThat(cbor.status()).isEqualTo(400);
        assertThat(cbor.type()).isEqualTo("SerializationException");
        Reply hugeLimit = kinesis("ListShards", "{\"StreamName\": \"bad-input\", \"MaxResults\": 99999999999999}");
        assertThat(hugeLimit.status()).isEqualTo(400);
        Reply hugeShards = kinesis("UpdateShardCount", "{\"StreamName\": \"bad-input\", \"TargetShardCount\": 99999999999999}");
        assertThat(hugeShards.status()).isEqualTo(400);
    }

    @Test
    void unsignedAndBadlySignedRequests() throws Exception {
        Reply unsigned = call("Kinesis_20131202.ListStreams", "{}".getBytes(StandardCharsets.UTF_8), "application/x-amz-json-1.1", false);
        assertThat(unsigned.status()).isEqualTo(403);
        assertThat(unsigned.type()).isEqualTo("MissingAuthenticationTokenException");
        URI uri = server.uri().resolve("/");
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/x-amz-json-1.1").header("X-Amz-Target", "Kinesis_20131202.ListStreams")
                .header("X-Amz-Date", "20261125T000000Z")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=abc, Signature=zz").build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.mapper().readTree(response.body()).path("__type").asText()).isEqualTo("IncompleteSignatureException");
    }

    @Test
    void theServerKeepsServingAfterBadInput() throws Exception {
        kinesis("PutRecords", "{{{{");
        Reply ok = kinesis("PutRecord", "{\"StreamName\": \"bad-input\", \"PartitionKey\": \"k\", \"Data\": \"aGVsbG8=\"}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().path("SequenceNumber").asText()).isNotEmpty();
        assertThat(server.server().streamLog().stats(STREAM)).extracting(ShardStats::endOffset).anyMatch(o -> o > 0);
    }
}
