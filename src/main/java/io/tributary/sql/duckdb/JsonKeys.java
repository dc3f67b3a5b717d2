package io.tributary.sql.duckdb;

import static io.tributary.sql.duckdb.ObjectContent.open;
import static io.tributary.sql.duckdb.ObjectContent.reader;
import static io.tributary.sql.duckdb.ObjectContent.unreadable;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.lake.ObjectInfo;
import io.tributary.sql.catalog.Column;
import io.tributary.sql.catalog.DataType;
import io.tributary.sql.catalog.TableDefinition;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * How each JSON object spells the table's keys, for DuckDB's JSON reader, which matches keys
 * exactly where the OpenX SerDe does not: OpenX matches keys to columns and struct fields
 * case-insensitively at every level ({@code Invoice} fills {@code invoice}, {@code {"InnerKey": 5}}
 * fills {@code detail.innerkey}), and reads a column from the key its {@code mapping.<column>}
 * SerDe property names ({@code 'mapping.ts'='@timestamp'}). {@code 'case.insensitive'='false'} matches
 * keys exactly (so only lower-case keys fill Hive's lower-case columns), and {@code 'dots.in.keys'='true'}
 * reads a key {@code a.b} as {@code a_b}, as OpenX does.
 *
 * <p>Each object is scanned once per version and table layout: an object that spells every key one
 * way, with struct fields in the table's (lower) case, is read by DuckDB as it is, with its
 * spellings; any other (a key spelled {@code Name} in one line and {@code name} in another, a
 * struct field in another case) is re-written once, line by line, with the table's names, into the
 * SQL cache. The scan also notes the first line that is not JSON by itself, which is the line
 * OpenX fails on (DuckDB reads past a line break inside an unfinished object and names the next).
 *
 * <p>Thread-safe.
 */
final class JsonKeys {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper TREES = new ObjectMapper().setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /**
     * How a table reads JSON: the key each column reads (as {@link #match} gives it), the columns' types, and the OpenX
     * SerDe's {@code case.insensitive} (default true) and {@code dots.in.keys} (default false) properties.
     */
    record Layout(Map<String, String> keys, Map<String, DataType> types, boolean caseInsensitive, boolean dotsInKeys) {
        Layout {
            keys = Map.copyOf(keys);
            types = Map.copyOf(types);
        }

        static Layout of(TableDefinition table) {
            boolean caseInsensitive = !table.storage().serdeProperty("case.insensitive").map(v -> v.equalsIgnoreCase("false")).orElse(false);
            boolean dotsInKeys = table.storage().serdeProperty("dots.in.keys").map(v -> v.equalsIgnoreCase("true")).orElse(false);
            Map<String, String> keys = new TreeMap<>();
            Map<String, DataType> types = new TreeMap<>();
            for (Column c : table.columns()) {
                keys.put(c.name(), match(table.storage().serdeProperty("mapping." + c.name()).orElse(c.name()), caseInsensitive, dotsInKeys));
                types.put(c.name(), c.type());
            }
            return new Layout(keys, types, caseInsensitive, dotsInKeys);
        }

        /** A JSON key as it is compared with column and struct field names (which Hive keeps in lower case). */
        String match(String key) {
            return match(key, caseInsensitive, dotsInKeys);
        }

        private static String match(String key, boolean caseInsensitive, boolean dotsInKeys) {
            String k = caseInsensitive ? key.toLowerCase(Locale.ROOT) : key;
            return dotsInKeys ? k.replace('.', '_') : k;
        }

        String signature() {
            return new TreeMap<>(keys) + "|" + new TreeMap<>(types) + "|" + caseInsensitive + "|" + dotsInKeys;
        }
    }

    /**
     * What the scan found in one object.
     *
     * @param spellings column name to the key as the object spells it, for columns the object has
     * @param rewrite whether DuckDB must read a re-written copy (spellings then do not apply)
     * @param firstMalformedLine the first line (1-based) that is not a JSON value by itself
     */
    record Shape(Map<String, String> spellings, boolean rewrite, OptionalLong firstMalformedLine) {
        Shape {
            spellings = Map.copyOf(spellings);
            requireNonNull(firstMalformedLine, "firstMalformedLine is null");
        }
    }

    private final LakeFiles files;
    private final ObjectVersionCache<Shape> shapes = new ObjectVersionCache<>();

    JsonKeys(LakeFiles files) {
        this.files = requireNonNull(files, "files is null");
    }

    Shape shape(ObjectInfo object, Path file, Layout layout) {
        return shapes.get(object, layout.signature(), () -> scan(object, file, layout));
    }

    /** The copy of a {@link Shape#rewrite} object with the table's names, one line per line of the object. */
    Path rewritten(ObjectInfo object, Path file, Layout layout) {
        return files.derived(object, "openx:" + layout.signature(), ".json", target -> rewrite(object, file, target, layout));
    }

    private static final class Scan {
        final Map<String, String> spellings = new HashMap<>();
        boolean rewrite;
        long firstMalformed = -1;
    }

    private static Shape scan(ObjectInfo object, Path file, Layout layout) {
        Map<String, String> columnOfKey = new HashMap<>();
        layout.keys().forEach((column, key) -> columnOfKey.put(key, column));
        Scan scan = new Scan();
        try (InputStream in = open(object, file); JsonParser parser = JSON.createParser(in)) {
            if (values(parser, layout, columnOfKey, scan)) {
                return new Shape(scan.spellings, scan.rewrite, OptionalLong.empty());
            }
        } catch (IOException e) {
            throw unreadable(object, e);
        }
        // A malformed line stops the streaming parser; read line by line so keys after it count too.
        Scan lines = new Scan();
        try (BufferedReader reader = reader(object, file)) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                try (JsonParser parser = JSON.createParser(line)) {
                    if (!values(parser, layout, columnOfKey, lines) && !line.isBlank() && lines.firstMalformed < 0) {
                        lines.firstMalformed = number;
                    }
                }
            }
        } catch (IOException e) {
            throw unreadable(object, e);
        }
        return new Shape(lines.spellings, lines.rewrite, lines.firstMalformed < 0 ? OptionalLong.empty() : OptionalLong.of(lines.firstMalformed));
    }

    /** Reads every value the parser meets, noting spellings; false if the input is malformed. */
    private static boolean values(JsonParser parser, Layout layout, Map<String, String> columnOfKey, Scan scan) throws IOException {
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
                    String column = columnOfKey.get(layout.match(name));
                    parser.nextToken();
                    if (column == null) {
                        parser.skipChildren();
                        continue;
                    }
                    String previous = scan.spellings.putIfAbsent(column, name);
                    if (previous != null && !previous.equals(name)) {
                        scan.rewrite = true;
                    }
                    nested(parser, layout.types().get(column), layout, scan);
                }
                if (t != JsonToken.END_OBJECT) {
                    return false;
                }
            }
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /** Follows a value along its column type; a struct field spelled other than in lower case means a rewrite. */
    private static void nested(JsonParser parser, DataType type, Layout layout, Scan scan) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT && (type.kind() == DataType.Kind.STRUCT || type.kind() == DataType.Kind.MAP)) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (type.kind() == DataType.Kind.MAP) {
                    nested(parser, type.parameters().get(1), layout, scan);
                    continue;
                }
                int field = type.fieldNames().indexOf(layout.match(name));
                if (field < 0) {
                    parser.skipChildren();
                    continue;
                }
                if (!type.fieldNames().get(field).equals(name)) {
                    scan.rewrite = true;
                }
                nested(parser, type.parameters().get(field), layout, scan);
            }
        } else if (token == JsonToken.START_ARRAY && type.kind() == DataType.Kind.ARRAY) {
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                nested(parser, type.parameters().get(0), layout, scan);
            }
        } else {
            parser.skipChildren();
        }
    }

    private static void rewrite(ObjectInfo object, Path file, Path target, Layout layout) throws IOException {
        try (BufferedReader reader = reader(object, file);
                Writer out = new BufferedWriter(Files.newBufferedWriter(target, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                JsonNode row = null;
                if (!line.isBlank()) {
                    try {
                        row = TREES.readTree(line);
                    } catch (JsonProcessingException e) {
                        // kept as it is, for DuckDB to refuse or skip (ignore.malformed.json) at the same line
                    }
                }
                out.write(row instanceof ObjectNode o ? TREES.writeValueAsString(top(o, layout)) : line);
                out.write('\n');
            }
        } catch (IOException e) {
            throw unreadable(object, e);
        }
    }

    /** A line's object with the table's column names as keys; when a key comes twice in other cases, the last wins. */
    private static ObjectNode top(ObjectNode row, Layout layout) {
        Map<String, String> columnOfKey = new HashMap<>();
        layout.keys().forEach((column, key) -> columnOfKey.put(key, column));
        ObjectNode out = TREES.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String column = columnOfKey.get(layout.match(e.getKey()));
            if (column != null) {
                out.set(column, normalized(e.getValue(), layout.types().get(column), layout));
            }
        }
        return out;
    }

    private static JsonNode normalized(JsonNode value, DataType type, Layout layout) {
        if (value instanceof ObjectNode o && type.kind() == DataType.Kind.STRUCT) {
            ObjectNode out = TREES.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                int field = type.fieldNames().indexOf(layout.match(e.getKey()));
                if (field >= 0) {
                    out.set(type.fieldNames().get(field), normalized(e.getValue(), type.parameters().get(field), layout));
                }
            }
            return out;
        }
        if (value instanceof ObjectNode o && type.kind() == DataType.Kind.MAP) {
            ObjectNode out = TREES.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), normalized(e.getValue(), type.parameters().get(1), layout));
            }
            return out;
        }
        if (value.isArray() && type.kind() == DataType.Kind.ARRAY) {
            ArrayNode out = TREES.createArrayNode();
            for (JsonNode element : value) {
                out.add(normalized(element, type.parameters().get(0), layout));
            }
            return out;
        }
        return value;
    }
}
