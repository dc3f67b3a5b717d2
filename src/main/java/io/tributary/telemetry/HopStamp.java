package io.tributary.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Hop timestamps in the governance telemetry's format: ISO-8601 with microseconds and an offset. */
public final class HopStamp {
    static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

    private HopStamp() {}

    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    /** Parses a telemetry record, which must be a JSON object with a {@code timestamps} object. */
    static ObjectNode parse(byte[] data) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(data);
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.INVALID_ARGUMENT, "telemetry is not valid JSON: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (!(node instanceof ObjectNode record)) {
            throw TributaryException.invalidArgument("telemetry must be a JSON object");
        }
        return record;
    }

    /** Adds the hop's time to the record's {@code timestamps} object (creating it if absent). */
    static void stamp(ObjectNode record, String field, Instant at) {
        JsonNode timestamps = record.get("timestamps");
        ObjectNode target = timestamps instanceof ObjectNode o ? o : record.putObject("timestamps");
        target.put(field, format(at));
    }
}
