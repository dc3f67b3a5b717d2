package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.tributary.common.Json;
import io.tributary.stream.ReadResult;
import io.tributary.stream.ShardStats;
import io.tributary.stream.StoredRecord;
import io.tributary.stream.StreamLog;
import io.tributary.testing.ForkedJvm;
import io.tributary.testing.ForkedJvm.Result;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code tributary put} in a separate JVM against a real server: batches bounded by bytes as well
 * as records, lines sent as they arrive, input taken as bytes, bad lines reported by number and
 * skipped, throttled records retried, clean messages and exit codes.
 */
class PutCliTest extends CliServerTest {
    private static StreamLog log() {
        return server.server().streamLog();
    }

    private static long records(String stream) {
        return log().stats(stream).stream().mapToLong(s -> s.endOffset() - s.startOffset()).sum();
    }

    private static List<byte[]> data(String stream) {
        List<byte[]> out = new ArrayList<>();
        for (ShardStats shard : log().stats(stream)) {
            long offset = shard.startOffset();
            while (offset < shard.endOffset()) {
                ReadResult r = log().read(stream, shard.shard(), offset, 1000, 8 << 20);
                r.records().stream().map(StoredRecord::data).forEach(out::add);
                offset = r.nextOffset();
            }
        }
        return out;
    }

    @Test
    void largeRecordsAreBatchedBySizeNotOnlyByCount() throws Exception {
        log().createStream("big", 2);
        Path file = dir.resolve("11k.ndjson");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            text.append("{\"i\":").append(i).append(",\"pad\":\"").append("x".repeat(11_000)).append("\"}\n");
        }
        Files.writeString(file, text);
        Result put = ForkedJvm.run(env, "", "put", "big", "-f", file.toString(), "-q");
        assertThat(put.exitCode()).as(put.stderr()).isZero();
        assertThat(put.stderr()).contains("Put 600 record(s) into big.");
        assertThat(records("big")).isEqualTo(600);
    }

    @Test
    void linesAreSentAsTheyArrive() throws Exception {
        log().createStream("pipe", 1);
        File err = File.createTempFile("put", ".err");
        Process process = ForkedJvm.builder(env, "put", "pipe", "-q").redirectError(err).start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write("{\"first\":1}\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records("pipe") < 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(records("pipe")).as("the first line is put while the input is still open").isEqualTo(1);
            stdin.write("{\"second\":2}\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(err.toPath())).isZero();
        assertThat(records("pipe")).isEqualTo(2);
    }

    @Test
    void inputIsBytesSentAsTheyAre() throws Exception {
        log().createStream("bytes", 1);
        Path file = dir.resolve("latin1.csv");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("ok line\n".getBytes(StandardCharsets.US_ASCII));
        bytes.writeBytes(new byte[] {'c', 'a', 'f', (byte) 0xe9, ',', '1', '\r', '\n'});
        bytes.writeBytes(new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe, '\n', ' ', '\t', '\n'});
        bytes.writeBytes("no newline at the end".getBytes(StandardCharsets.US_ASCII));
        Files.write(file, bytes.toByteArray());
        Result put = ForkedJvm.run(env, "", "put", "bytes", "-f", file.toString(), "-q");
        assertThat(put.exitCode()).as(put.stderr()).isZero();
        assertThat(put.stderr()).doesNotContain("Exception").contains("Put 4 record(s)");
        assertThat(data("bytes")).extracting(Arrays::toString).containsExactly(
                Arrays.toString("ok line".getBytes(StandardCharsets.US_ASCII)),
                Arrays.toString(new byte[] {'c', 'a', 'f', (byte) 0xe9, ',', '1'}),
                Arrays.toString(new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe}),
                Arrays.toString("no newline at the end".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void badLinesAreReportedByNumberAndTheOthersArePut() throws Exception {
        log().createStream("mixed", 1);
        Path file = dir.resolve("mixed.ndjson");
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 700; i++) {
            text.append(i == 601 ? "{\"a\":\"" + "y".repeat(1024 * 1024) + "\"}" : "{\"a\":" + i + "}").append('\n');
        }
        text.append("{\"b\":1}\n");
        Files.writeString(file, text);
        Result put = ForkedJvm.run(env, "", "put", "mixed", "-f", file.toString(), "-q", "--key-field", "a");
        assertThat(put.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(put.stderr()).contains("line 601 is 1048584 bytes").contains("record(s) put so far")
                .contains("line 701 has no field 'a'").contains("Put 699 record(s) into mixed, 2 line(s) skipped.").doesNotContain("\tat ");
        assertThat(records("mixed")).isEqualTo(699);
    }

    @Test
    void missingFilesAndDirectoriesGetAOneLineMessage() throws Exception {
        Result missing = ForkedJvm.run(env, "", "put", "big", "-f", dir.resolve("no-such-file").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.stderr()).contains("does not exist").doesNotContain("\tat ").doesNotContain("Exception");
        Result directory = ForkedJvm.run(env, "", "put", "big", "-f", dir.toString());
        assertThat(directory.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(directory.stderr()).contains("is a directory").doesNotContain("\tat ");
        Result noCredentials = ForkedJvm.run(Map.of("TRIBUTARY_SERVER", server.uri().toString()), "x\n", "put", "big");
        assertThat(noCredentials.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(noCredentials.stderr()).contains("TRIBUTARY_ACCESS_KEY_ID");
    }

    @Test
    void recordsRefusedForThroughputAreSentAgain() throws Exception {
        // A stand-in for a saturated server: the first call refuses the second record for throughput, later calls accept all.
        List<JsonNode> calls = new CopyOnWriteArrayList<>();
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fake.createContext("/", exchange -> {
            JsonNode request = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
            calls.add(request);
            ObjectNode response = Json.mapper().createObjectNode();
            ArrayNode records = response.putArray("Records");
            int failed = 0;
            for (int i = 0; i < request.path("Records").size(); i++) {
                if (calls.size() == 1 && i == 1) {
                    records.addObject().put("ErrorCode", "ProvisionedThroughputExceededException").put("ErrorMessage", "slow down");
                    failed++;
                } else {
                    records.addObject().put("ShardId", "shardId-000000000000").put("SequenceNumber", "49" + "0".repeat(29) + calls.size());
                }
            }
            response.put("FailedRecordCount", failed);
            byte[] body = response.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        fake.start();
        try {
            Result put = ForkedJvm.run(Map.of("TRIBUTARY_SERVER", "http://127.0.0.1:" + fake.getAddress().getPort()), "a\nb\nc\n", "put", "s", "-q");
            assertThat(put.exitCode()).as(put.stderr()).isZero();
            assertThat(put.stderr()).contains("Put 3 record(s)");
            assertThat(calls).hasSize(2);
            assertThat(calls.get(1).path("Records")).hasSize(1);
            assertThat(java.util.Base64.getDecoder().decode(calls.get(1).path("Records").get(0).path("Data").asText())).isEqualTo(new byte[] {'b'});
        } finally {
            fake.stop(0);
        }
    }
}
