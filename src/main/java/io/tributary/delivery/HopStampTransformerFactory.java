package io.tributary.delivery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.delivery.spi.RecordTransformer;
import io.tributary.delivery.spi.RecordTransformerFactory;
import io.tributary.delivery.spi.TransformInput;
import io.tributary.delivery.spi.TransformResult;
import java.io.IOException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code hop-stamp}: adds the time a record passes through delivery to a (nested) field, in the
 * governance telemetry's ISO-8601 format with microseconds and offset
 * ({@code 2024-09-06T14:48:46.268925+00:00}), so the latency analytics can measure Tributary's own
 * hop. Parameter {@code field}, a dotted path, default {@code timestamps.tributary_delivery_timestamp};
 * missing parent objects are created. A record that is not a JSON object fails as
 * {@code processing-failed}.
 *
 * <p>Thread-safe.
 */
public final class HopStampTransformerFactory implements RecordTransformerFactory {
    public static final String TYPE = "hop-stamp";
    public static final String DEFAULT_FIELD = "timestamps.tributary_delivery_timestamp";
    public static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    private final Clock clock;

    /** For {@link java.util.ServiceLoader}: stamps with the system clock. */
    public HopStampTransformerFactory() {
        this(Clock.systemUTC());
    }

    public HopStampTransformerFactory(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public RecordTransformer create(Map<String, String> parameters) {
        for (String key : parameters.keySet()) {
            if (!key.equals("field")) {
                throw TributaryException.invalidArgument("processor hop-stamp has no parameter '%s'; it takes field", key);
            }
        }
        String field = parameters.getOrDefault("field", DEFAULT_FIELD);
        if (!field.matches("[A-Za-z0-9_@$-]+(\\.[A-Za-z0-9_@$-]+)*")) {
            throw TributaryException.invalidArgument("processor hop-stamp: field '%s' must be a dotted path such as %s", field, DEFAULT_FIELD);
        }
        String[] path = field.split("\\.");
        return batch -> {
            String now = FORMAT.format(clock.instant().atZone(java.time.ZoneOffset.UTC));
            List<TransformResult> out = new ArrayList<>(batch.size());
            for (TransformInput record : batch) {
                out.add(stamp(record.data(), path, now));
            }
            return out;
        };
    }

    private static TransformResult stamp(byte[] data, String[] path, String now) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(data);
        } catch (IOException e) {
            return new TransformResult.ProcessingFailed("hop-stamp: the record is not JSON: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            return new TransformResult.ProcessingFailed("hop-stamp: the record is not a JSON object");
        }
        ObjectNode node = (ObjectNode) root;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode child = node.get(path[i]);
            if (child == null || child.isNull()) {
                child = node.putObject(path[i]);
            }
            if (!child.isObject()) {
                return new TransformResult.ProcessingFailed("hop-stamp: field '" + path[i] + "' is not an object");
            }
            node = (ObjectNode) child;
        }
        node.put(path[path.length - 1], now);
        try {
            return new TransformResult.Ok(Json.mapper().writeValueAsBytes(root));
        } catch (IOException e) {
            return new TransformResult.ProcessingFailed("hop-stamp: cannot write the record: " + e.getMessage());
        }
    }
}
