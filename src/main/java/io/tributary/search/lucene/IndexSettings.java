package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import io.tributary.search.SearchException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An index's settings as flat {@code index.*} keys, parsed from either OpenSearch form
 * ({@code {"index": {"refresh_interval": "1s"}}} or {@code {"index.refresh_interval": "1s"}}).
 * Settings Tributary does not know are refused, as OpenSearch refuses them, so a typo does not
 * silently do nothing. Shard and replica counts are accepted and kept for clients but have no
 * effect: an embedded index is one Lucene index.
 *
 * <p>Immutable and thread-safe.
 */
final class IndexSettings {
    static final String REFRESH_INTERVAL = "index.refresh_interval";
    static final String MAX_RESULT_WINDOW = "index.max_result_window";
    private static final Set<String> KNOWN = Set.of("index.number_of_shards", "index.number_of_replicas", REFRESH_INTERVAL,
            MAX_RESULT_WINDOW, "index.auto_expand_replicas", "index.hidden", "index.mapping.total_fields.limit",
            "index.mapping.depth.limit", "index.codec", "index.query.default_field", "index.max_regex_length");
    private static final Set<String> READ_ONLY = Set.of("index.uuid", "index.creation_date", "index.provided_name", "index.version.created");

    private final TreeMap<String, String> values;

    private IndexSettings(Map<String, String> values) {
        this.values = new TreeMap<>(values);
    }

    static IndexSettings defaults() {
        return new IndexSettings(Map.of("index.number_of_shards", "1", "index.number_of_replicas", "1", REFRESH_INTERVAL, "1s"));
    }

    static IndexSettings fromFlat(Map<String, String> flat) {
        return new IndexSettings(flat);
    }

    Map<String, String> flat() {
        return java.util.Collections.unmodifiableMap(values);
    }

    String get(String key) {
        return values.get(key);
    }

    /** Milliseconds between automatic refreshes; negative when refresh is off ({@code -1}). */
    long refreshIntervalMillis() {
        return parseTime(values.getOrDefault(REFRESH_INTERVAL, "1s"), REFRESH_INTERVAL);
    }

    /** {@code index.mapping.total_fields.limit}: at most this many fields may be mapped (1,000 by default). */
    int totalFieldsLimit() {
        return Integer.parseInt(values.getOrDefault("index.mapping.total_fields.limit", Integer.toString(IndexMapping.TOTAL_FIELDS_LIMIT)));
    }

    int maxResultWindow() {
        return Integer.parseInt(values.getOrDefault(MAX_RESULT_WINDOW, "10000"));
    }

    /** These settings updated by a request body; {@code dynamicOnly} refuses settings fixed at creation. */
    IndexSettings merge(JsonNode body, boolean dynamicOnly) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return this;
        }
        if (!body.isObject()) {
            throw SearchException.illegalArgument("settings must be an object, got %s", DateFormat.truncate(body.toString()));
        }
        JsonNode root = body.has("settings") && body.size() == 1 ? body.get("settings") : body;
        Map<String, String> flat = new TreeMap<>();
        flatten("", root, flat);
        TreeMap<String, String> merged = new TreeMap<>(values);
        for (Map.Entry<String, String> e : flat.entrySet()) {
            String key = e.getKey().startsWith("index.") ? e.getKey() : "index." + e.getKey();
            if (READ_ONLY.contains(key)) {
                continue;
            }
            if (!KNOWN.contains(key)) {
                throw SearchException.illegalArgument(
                        "unknown setting [%s] please check that any required plugins are installed, or check the breaking changes documentation for removed settings; Tributary knows %s",
                        key, new java.util.TreeSet<>(KNOWN));
            }
            if (dynamicOnly && key.equals("index.number_of_shards")) {
                throw SearchException.illegalArgument("final %s setting [index.number_of_shards], not updateable", "index");
            }
            String value = e.getValue();
            refuseUnimplemented(key, value);
            switch (key) {
                case REFRESH_INTERVAL -> parseTime(value, key);
                case MAX_RESULT_WINDOW, "index.number_of_shards", "index.number_of_replicas", "index.mapping.total_fields.limit",
                        "index.mapping.depth.limit", "index.max_regex_length" -> {
                    try {
                        if (Integer.parseInt(value) < 0) {
                            throw new NumberFormatException();
                        }
                    } catch (NumberFormatException ex) {
                        throw SearchException.illegalArgument("Failed to parse value [%s] for setting [%s]", DateFormat.truncate(value), key);
                    }
                }
                default -> {
                    // kept as given
                }
            }
            if (value == null) {
                merged.remove(key);
            } else {
                merged.put(key, value);
            }
        }
        return new IndexSettings(merged);
    }

    /**
     * Settings Tributary knows but implements only at their default: another value would be
     * silently ignored, so it is refused naming the setting.
     */
    private static void refuseUnimplemented(String key, String value) {
        if (value == null) {
            return;
        }
        String fixed = switch (key) {
            case "index.hidden" -> "false";
            case "index.codec" -> "default";
            case "index.mapping.depth.limit" -> Integer.toString(IndexMapping.DEPTH_LIMIT);
            case "index.max_regex_length" -> Integer.toString(QueryDsl.MAX_PATTERN_LENGTH);
            default -> null;
        };
        if (fixed != null && !fixed.equals(value)) {
            throw SearchException.illegalArgument("setting [%s] can only be [%s] in Tributary, got [%s]", key, fixed, DateFormat.truncate(value));
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().isObject()) {
                flatten(key, e.getValue(), out);
            } else if (key.startsWith("analysis.") || key.startsWith("index.analysis.")) {
                throw SearchException.illegalArgument("setting [%s]: custom analyzers, tokenizers, filters and normalizers (index.analysis) are not "
                        + "supported by Tributary; map text fields with a built-in analyzer (standard, simple, whitespace, keyword, stop, english)", key);
            } else if (e.getValue().isArray()) {
                throw SearchException.illegalArgument("setting [%s] takes a single value", key);
            } else {
                out.put(key, e.getValue().isNull() ? null : e.getValue().asText());
            }
        }
    }

    /** OpenSearch time values: {@code 500ms}, {@code 1s}, {@code 5m}, {@code -1}. */
    static long parseTime(String value, String setting) {
        String v = value.trim();
        if (v.equals("-1")) {
            return -1;
        }
        try {
            if (v.endsWith("ms")) {
                return Long.parseLong(v.substring(0, v.length() - 2));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1))).toMillis();
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1))).toMillis();
            }
            if (v.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1))).toMillis();
            }
            if (v.endsWith("d")) {
                return Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1))).toMillis();
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw SearchException.illegalArgument("failed to parse setting [%s] with value [%s] as a time value: use a number and a unit (ms, s, m, h, d), or -1",
                setting, DateFormat.truncate(value));
    }

    /** OpenSearch's nested form, {@code {"index": {...}}}, with the index's identity added. */
    ObjectNode toJson(Map<String, String> identity) {
        TreeMap<String, String> all = new TreeMap<>(values);
        all.putAll(identity);
        ObjectNode root = Json.mapper().createObjectNode();
        for (Map.Entry<String, String> e : all.entrySet()) {
            String[] parts = e.getKey().split("\\.");
            ObjectNode node = root;
            for (int i = 0; i < parts.length - 1; i++) {
                node = node.has(parts[i]) && node.get(parts[i]).isObject() ? (ObjectNode) node.get(parts[i]) : node.putObject(parts[i]);
            }
            node.put(parts[parts.length - 1], e.getValue());
        }
        return root;
    }
}
