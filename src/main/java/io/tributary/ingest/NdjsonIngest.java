package io.tributary.ingest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.auth.Authorizer;
import io.tributary.auth.Permission;
import io.tributary.auth.Principal;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.stream.AppendRecord;
import io.tributary.stream.AppendResult;
import io.tributary.stream.StreamLimits;
import io.tributary.stream.StreamLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * The plain ingest endpoint for clients without an AWS SDK: one JSON record per line, each
 * appended as sent (without its newline). The partition key comes from a JSON field of the record
 * (dotted paths reach into objects) or is random. A bad line gets its own error and does not stop
 * the others.
 *
 * <p>Thread-safe.
 */
public final class NdjsonIngest {
    /** Lines are appended in chunks no larger than one PutRecords call. */
    private static final int CHUNK_RECORDS = KinesisService.MAX_PUT_RECORDS;
    private static final long CHUNK_BYTES = KinesisService.MAX_PUT_RECORDS_BYTES;
    private static final String API = "ndjson";

    private final StreamLog log;
    private final Authorizer authorizer;
    private final IngestMetrics metrics;
    private final Optional<String> defaultKeyField;

    public NdjsonIngest(StreamLog log, Authorizer authorizer, IngestMetrics metrics, Optional<String> defaultKeyField) {
        this.log = requireNonNull(log, "log is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.defaultKeyField = requireNonNull(defaultKeyField, "defaultKeyField is null");
    }

    /** The outcome for one line: a shard and sequence number, or an error message. */
    public record LineResult(int line, Optional<String> shardId, Optional<String> sequenceNumber, Optional<String> error) {
        static LineResult ok(int line, AppendResult r) {
            return new LineResult(line, Optional.of(r.shardId()), Optional.of(r.sequenceNumber()), Optional.empty());
        }

        static LineResult failed(int line, String error) {
            return new LineResult(line, Optional.empty(), Optional.empty(), Optional.of(error));
        }
    }

    public record Result(String stream, int accepted, int failed, List<LineResult> lines) {
        public Result {
            lines = List.copyOf(lines);
        }
    }

    public Result ingest(Principal principal, String stream, byte[] body, Optional<String> keyField) {
        StreamLimits.validateUserStreamName(stream);
        authorizer.check(principal, Permission.of(Permission.Action.WRITE, "stream", stream));
        log.describeStream(stream);
        Optional<String[]> path = keyField.or(() -> defaultKeyField).filter(f -> !f.isBlank()).map(f -> f.split("\\."));

        List<LineResult> results = new ArrayList<>();
        List<AppendRecord> chunk = new ArrayList<>();
        List<Integer> chunkLines = new ArrayList<>();
        long chunkBytes = 0;
        int lineNumber = 0;
        int start = 0;
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        while (start < body.length) {
            int end = indexOf(body, (byte) '\n', start);
            int lineEnd = end < 0 ? body.length : end;
            lineNumber++;
            int contentEnd = lineEnd > start && body[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            byte[] line = Arrays.copyOfRange(body, start, contentEnd);
            start = lineEnd + 1;
            if (isBlank(line)) {
                continue;
            }
            try {
                AppendRecord record = toRecord(line, path, utf8);
                long size = record.data().length + record.partitionKey().length();
                if (!chunk.isEmpty() && (chunk.size() >= CHUNK_RECORDS || chunkBytes + size > CHUNK_BYTES)) {
                    flush(stream, chunk, chunkLines, results);
                    chunkBytes = 0;
                }
                chunk.add(record);
                chunkLines.add(lineNumber);
                chunkBytes += size;
            } catch (TributaryException e) {
                results.add(LineResult.failed(lineNumber, e.getMessage()));
            }
        }
        flush(stream, chunk, chunkLines, results);
        results.sort((a, b) -> Integer.compare(a.line(), b.line()));
        int accepted = (int) results.stream().filter(r -> r.error().isEmpty()).count();
        if (results.size() > accepted) {
            metrics.refused(stream, API, "invalid", results.size() - accepted);
        }
        return new Result(stream, accepted, results.size() - accepted, results);
    }

    private void flush(String stream, List<AppendRecord> chunk, List<Integer> lines, List<LineResult> results) {
        if (chunk.isEmpty()) {
            return;
        }
        try {
            List<AppendResult> appended = log.append(stream, List.copyOf(chunk)).get();
            long bytes = 0;
            for (int i = 0; i < appended.size(); i++) {
                results.add(LineResult.ok(lines.get(i), appended.get(i)));
                bytes += chunk.get(i).data().length;
            }
            metrics.accepted(stream, API, appended.size(), bytes);
        } catch (TributaryException e) {
            failAll(lines, results, e.getMessage());
        } catch (ExecutionException e) {
            failAll(lines, results, e.getCause() instanceof TributaryException t ? t.getMessage() : "write failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failAll(lines, results, "interrupted before the write became durable");
        }
        chunk.clear();
        lines.clear();
    }

    private static void failAll(List<Integer> lines, List<LineResult> results, String message) {
        for (int line : lines) {
            results.add(LineResult.failed(line, message));
        }
    }

    private static AppendRecord toRecord(byte[] line, Optional<String[]> keyPath, CharsetDecoder utf8) {
        try {
            utf8.reset().decode(ByteBuffer.wrap(line));
        } catch (CharacterCodingException e) {
            throw new TributaryException(ErrorCode.INVALID_ARGUMENT, "line is not valid UTF-8");
        }
        JsonNode json = parse(line);
        String key = keyPath.map(p -> partitionKey(json, p)).orElseGet(() -> UUID.randomUUID().toString());
        AppendRecord record = new AppendRecord(key, line);
        StreamLimits.validate(record);
        return record;
    }

    private static JsonNode parse(byte[] line) {
        try (JsonParser parser = Json.mapper().createParser(line)) {
            JsonNode node = Json.mapper().readTree(parser);
            if (node == null || !node.isObject()) {
                throw new TributaryException(ErrorCode.INVALID_ARGUMENT, "line is not a JSON object");
            }
            if (parser.nextToken() != null && parser.currentToken() != JsonToken.NOT_AVAILABLE) {
                throw new TributaryException(ErrorCode.INVALID_ARGUMENT, "line holds more than one JSON value");
            }
            return node;
        } catch (IOException e) {
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new TributaryException(ErrorCode.INVALID_ARGUMENT, "line is not valid JSON: " + message);
        }
    }

    private static String partitionKey(JsonNode json, String[] path) {
        JsonNode node = json;
        for (String part : path) {
            node = node.path(part);
        }
        if (node.isMissingNode() || node.isNull() || node.isContainerNode()) {
            throw new TributaryException(ErrorCode.INVALID_ARGUMENT,
                    "partition key field '" + String.join(".", path) + "' is missing or not a scalar in this record");
        }
        String key = node.asText();
        if (key.isEmpty()) {
            throw new TributaryException(ErrorCode.INVALID_ARGUMENT,
                    "partition key field '" + String.join(".", path) + "' is empty in this record");
        }
        return key;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
