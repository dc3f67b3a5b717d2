package io.tributary.telemetry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.auth.Authorizer;
import io.tributary.auth.Permission;
import io.tributary.auth.Principal;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.stream.AppendRecord;
import io.tributary.stream.AppendResult;
import io.tributary.stream.StreamLog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * The governance platform's API gateway hop: checks a telemetry record's shape, stamps the gateway
 * timestamp and appends it to the gateway stream, partitioned by its {@code log_id}. The record is
 * acknowledged only once the stream holds it durably.
 *
 * <p>Thread-safe.
 */
public final class TelemetryGateway {
    /** Ids become object names ({csp}-{log_id}.json), so they are kept to a safe alphabet. */
    private static final Pattern LOG_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern CSP = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    public static final int MAX_RECORD_BYTES = 256 * 1024;

    private final StreamLog log;
    private final Authorizer authorizer;
    private final TelemetryConfig config;
    private final Clock clock;

    public TelemetryGateway(StreamLog log, Authorizer authorizer, TelemetryConfig config, Clock clock) {
        this.log = requireNonNull(log, "log is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Creates the pipeline's streams if they are missing. */
    public void ensureStreams() {
        for (String stream : List.of(config.gatewayStream(), config.convertedStream())) {
            if (log.findStream(stream).isEmpty()) {
                log.createStream(stream, config.shards());
            }
        }
    }

    public record Accepted(String logId, String shardId, String sequenceNumber) {}

    public Accepted accept(Principal principal, byte[] body) {
        authorizer.check(principal, Permission.of(Permission.Action.WRITE, "stream", config.gatewayStream()));
        if (body.length > MAX_RECORD_BYTES) {
            throw new TributaryException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "telemetry record of " + body.length + " bytes is larger than " + MAX_RECORD_BYTES + " bytes");
        }
        ObjectNode record = HopStamp.parse(body);
        String logId = requiredText(record, "log_id", LOG_ID, "letters, digits, '-' and '_' (a UUID)");
        requiredText(record, "CSP", CSP, "a provider name such as AWS or IBM");
        JsonNode dataType = record.get("data_type");
        if (dataType == null || !dataType.isTextual() || dataType.asText().isBlank()) {
            throw TributaryException.invalidArgument("telemetry needs a \"data_type\" such as \"logs\" or \"metrics\"");
        }
        JsonNode timestamps = record.get("timestamps");
        if (timestamps != null && !timestamps.isObject()) {
            throw TributaryException.invalidArgument("\"timestamps\" must be an object of hop name to ISO-8601 time");
        }
        HopStamp.stamp(record, config.gatewayField(), clock.instant());
        byte[] data = record.toString().getBytes(StandardCharsets.UTF_8);
        try {
            AppendResult result = log.append(config.gatewayStream(), List.of(new AppendRecord(logId, data))).get().get(0);
            return new Accepted(logId, result.shardId(), result.sequenceNumber());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TributaryException(ErrorCode.INTERNAL, "interrupted before the telemetry was stored");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TributaryException t) {
                throw t;
            }
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "storing telemetry failed: " + e.getCause(), e.getCause());
        }
    }

    private static String requiredText(ObjectNode record, String field, Pattern pattern, String expected) {
        JsonNode node = record.get(field);
        if (node == null || !node.isTextual() || !pattern.matcher(node.asText()).matches()) {
            throw TributaryException.invalidArgument("telemetry needs a \"%s\" of %s", field, expected);
        }
        return node.asText();
    }
}
