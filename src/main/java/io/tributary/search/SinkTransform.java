package io.tributary.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import io.tributary.stream.StoredRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Turns a stream record into a document as the lab's UpsertToES did: parse the JSON, check the
 * required fields, convert the date fields from {@code date-format} to ISO-8601 UTC, pick the id
 * and the (daily) index.
 *
 * <p>Not thread-safe (it keeps a message digest): one per sink thread.
 */
final class SinkTransform {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** What became of a record. */
    sealed interface Outcome {}

    record Document(String index, SinkDocument document) implements Outcome {}

    /** Missing required fields: counted invalid and skipped (and kept in the dead-letter file). */
    record Invalid(String reason) implements Outcome {}

    /** Unreadable: not JSON, not an object, a date that does not parse. */
    record Failed(String reason) implements Outcome {}

    private final SinkSpec spec;
    private final DateTimeFormatter dateFormat;
    private final MessageDigest md5;
    private final java.util.function.Predicate<StoredRecord> mayExist;

    /** @param mayExist whether a record's document may already be in its index (a record read again after a restart) */
    SinkTransform(SinkSpec spec, java.util.function.Predicate<StoredRecord> mayExist) {
        this.spec = spec;
        this.mayExist = mayExist;
        this.dateFormat = DateTimeFormatter.ofPattern(spec.dateFormat(), Locale.ROOT);
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    Outcome apply(StoredRecord record) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(record.data());
        } catch (IOException e) {
            return new Failed("not valid JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (!(node instanceof ObjectNode doc)) {
            return new Failed("not a JSON object");
        }
        List<String> required = spec.requiredFields();
        if (!required.isEmpty()) {
            long present = required.stream().filter(f -> present(doc, f)).count();
            boolean ok = spec.requiredMode().equals("all") ? present == required.size() : present > 0;
            if (!ok) {
                return new Invalid("missing required fields (" + spec.requiredMode() + " of " + required + ")");
            }
        }
        Instant time = Instant.ofEpochMilli(record.arrivalTimeMillis());
        for (String field : spec.dateFields()) {
            JsonNode value = doc.get(field);
            if (value == null || value.isNull() || value.asText().isEmpty()) {
                continue;
            }
            Instant parsed;
            try {
                parsed = value.isNumber() ? Instant.ofEpochMilli(value.asLong()) : parse(value.asText());
            } catch (DateTimeParseException e) {
                return new Failed("date field " + field + " value '" + truncate(value.asText()) + "' does not match '" + spec.dateFormat()
                        + "' or ISO-8601");
            }
            doc.put(field, DateTimeFormatter.ISO_INSTANT.format(parsed));
            if (spec.timeField() == null ? field.equals(spec.dateFields().get(0)) : field.equals(spec.timeField())) {
                time = parsed;
            }
        }
        String id = spec.id().equals("lab-md5") ? labId(doc) : record.sequenceNumber();
        String index = spec.daily() ? spec.index() + "-" + DAY.format(time) : spec.index();
        byte[] bytes;
        try {
            bytes = Json.mapper().writeValueAsBytes(doc);
        } catch (IOException e) {
            return new Failed("cannot serialise: " + e.getMessage());
        }
        // Content-hash ids collide by design, so they always replace; a sequence id exists only if this record was indexed before a restart.
        boolean replace = spec.id().equals("lab-md5") || mayExist.test(record);
        return new Document(index, new SinkDocument(id, doc, bytes, replace));
    }

    private Instant parse(String text) {
        if (spec.dateFormat().equals(SinkSpec.DEFAULT_DATE_FORMAT)) {
            Instant fast = fastLabDate(text);
            if (fast != null) {
                return fast;
            }
        }
        try {
            return LocalDateTime.parse(text, dateFormat).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return Instant.parse(text);
        }
    }

    /** {@code yyyy-MM-dd HH:mm:ss} without java.time's general parser; null when the text is not exactly that. */
    static Instant fastLabDate(String t) {
        if (t.length() != 19 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != ' ' || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return null;
        }
        int[] v = new int[6];
        int[][] spans = {{0, 4}, {5, 2}, {8, 2}, {11, 2}, {14, 2}, {17, 2}};
        for (int i = 0; i < 6; i++) {
            int x = 0;
            for (int j = spans[i][0]; j < spans[i][0] + spans[i][1]; j++) {
                char c = t.charAt(j);
                if (c < '0' || c > '9') {
                    return null;
                }
                x = x * 10 + (c - '0');
            }
            v[i] = x;
        }
        try {
            return LocalDateTime.of(v[0], v[1], v[2], v[3], v[4], v[5]).toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static boolean present(ObjectNode doc, String field) {
        JsonNode v = doc.get(field);
        return v != null && !v.isNull() && !(v.isTextual() && v.asText().isEmpty());
    }

    /** The lab's id: the first 8 hex characters of MD5 of the id fields' text joined with ':'. */
    String labId(ObjectNode doc) {
        StringBuilder key = new StringBuilder();
        List<String> fields = spec.hashedFields();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                key.append(':');
            }
            JsonNode v = doc.get(fields.get(i));
            key.append(v == null || v.isNull() ? "" : v.asText());
        }
        byte[] digest = md5.digest(key.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest).substring(0, 8);
    }

    private static String truncate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
