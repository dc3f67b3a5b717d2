package io.tributary.analytics.latency;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tributary.common.Json;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads just the timestamps object of a telemetry record with a streaming parser, skipping the
 * rest (log lines, metrics), whether the file is one line or pretty-printed. Thread-safe.
 */
final class TelemetryParser {
    private static final JsonFactory FACTORY = Json.mapper().getFactory();

    private final String timestampsField;

    TelemetryParser(String timestampsField) {
        this.timestampsField = timestampsField;
    }

    /** What a record held: its timestamp fields, or why none could be read. */
    sealed interface Parsed {
        record Timestamps(Map<String, String> values) implements Parsed {}

        record NoTimestamps() implements Parsed {}

        record Unparseable(String reason) implements Parsed {}
    }

    Parsed parse(byte[] data) {
        try (JsonParser parser = FACTORY.createParser(data)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new Parsed.Unparseable("not a JSON object");
            }
            Optional<Map<String, String>> timestamps = Optional.empty();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals(timestampsField) && value == JsonToken.START_OBJECT) {
                    Map<String, String> map = new HashMap<>();
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String field = parser.currentName();
                        JsonToken t = parser.nextToken();
                        if (t == JsonToken.VALUE_STRING) {
                            map.put(field, parser.getText());
                        } else {
                            parser.skipChildren();
                        }
                    }
                    timestamps = Optional.of(map);
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return new Parsed.Unparseable("trailing content after the JSON object");
            }
            return timestamps.<Parsed>map(Parsed.Timestamps::new).orElseGet(Parsed.NoTimestamps::new);
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            return new Parsed.Unparseable(message.length() > 120 ? message.substring(0, 120) + "..." : message);
        }
    }
}
