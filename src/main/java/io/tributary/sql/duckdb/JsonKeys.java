package io.tributary.sql.duckdb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.lake.Compression;
import io.tributary.lake.ObjectInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How each JSON object spells the table's columns. The OpenX SerDe matches keys to columns
 * case-insensitively ({@code Invoice} fills {@code invoice}); DuckDB's JSON reader matches exactly,
 * so each object is scanned once (top-level keys only, values skipped) and the spellings it uses
 * are remembered by location, size and last-modified time. An object that spells one column two
 * ways is refused by name rather than half-read.
 *
 * <p>Thread-safe.
 */
final class JsonKeys {
    private static final int MAX_ENTRIES = 200_000;
    private static final JsonFactory JSON = new JsonFactory();

    private record Key(String location, long size, long modified) {}

    private final Map<Key, Map<String, String>> cache = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Map<String, String>> eldest) {
            return size() > MAX_ENTRIES;
        }
    });

    /**
     * The spelling of each column (lower-case name) that the object uses, for the given columns;
     * columns the object never has are absent.
     */
    Map<String, String> spellings(ObjectInfo object, Path file, Set<String> columns) {
        Key key = new Key(object.location().toString(), object.size(), object.lastModified().toEpochMilli());
        Map<String, String> all = cache.get(key);
        if (all == null) {
            all = scan(object, file);
            cache.put(key, all);
        }
        Map<String, String> out = new TreeMap<>();
        for (String column : columns) {
            String spelling = all.get(column);
            if (spelling != null) {
                out.put(column, spelling);
            }
        }
        return out;
    }

    private static Map<String, String> scan(ObjectInfo object, Path file) {
        Map<String, String> spellings = new HashMap<>();
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = Compression.decoding(raw, object.location().fileName());
                JsonParser parser = JSON.createParser(in)) {
            if (keys(parser, object, spellings)) {
                return spellings;
            }
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "reading " + object.location() + " failed: " + e.getMessage(), e);
        }
        // A malformed line stops the streaming parser; read line by line so keys after it count too.
        spellings.clear();
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = Compression.decoding(raw, object.location().fileName());
                java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                try (JsonParser parser = JSON.createParser(line)) {
                    keys(parser, object, spellings);
                }
            }
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "reading " + object.location() + " failed: " + e.getMessage(), e);
        }
        return spellings;
    }

    /** Collects top-level keys of every object the parser meets; false if the input is malformed. */
    private static boolean keys(JsonParser parser, ObjectInfo object, Map<String, String> spellings) throws IOException {
        try {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token != JsonToken.START_OBJECT) {
                    parser.skipChildren();
                    continue;
                }
                JsonToken t;
                while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    String lower = name.toLowerCase(Locale.ROOT);
                    String previous = spellings.putIfAbsent(lower, name);
                    if (previous != null && !previous.equals(name)) {
                        throw new TributaryException(ErrorCode.INVALID_ARGUMENT, "JSON object " + object.location() + " spells key '" + lower
                                + "' both as '" + previous + "' and as '" + name + "'; Tributary reads one spelling per object "
                                + "(rewrite the object, or split it by spelling)");
                    }
                    parser.nextToken();
                    parser.skipChildren();
                }
                if (t != JsonToken.END_OBJECT) {
                    return false;
                }
            }
            return true;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return false;
        }
    }
}
