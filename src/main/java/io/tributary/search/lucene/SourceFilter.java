package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import io.tributary.search.SearchException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code _source} filtering: {@code false}, a pattern, a list of patterns, or
 * {@code {"includes": [...], "excludes": [...]}}, with dotted paths and wildcards.
 */
record SourceFilter(boolean enabled, List<String> includes, List<String> excludes) {
    static final SourceFilter ALL = new SourceFilter(true, List.of(), List.of());

    static SourceFilter parse(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return ALL;
        }
        if (node.isBoolean()) {
            return node.asBoolean() ? ALL : new SourceFilter(false, List.of(), List.of());
        }
        if (node.isTextual()) {
            String text = node.asText();
            if (text.equals("false")) {
                return new SourceFilter(false, List.of(), List.of());
            }
            if (text.equals("true")) {
                return ALL;
            }
            return new SourceFilter(true, List.of(text.split(",")), List.of());
        }
        if (node.isArray()) {
            return new SourceFilter(true, strings(node), List.of());
        }
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String n = it.next();
                if (!List.of("includes", "excludes", "include", "exclude").contains(n)) {
                    throw SearchException.parsing("Unknown key for a START_OBJECT in [_source]: [%s]", n);
                }
            }
            JsonNode inc = node.has("includes") ? node.get("includes") : node.get("include");
            JsonNode exc = node.has("excludes") ? node.get("excludes") : node.get("exclude");
            return new SourceFilter(true, inc == null ? List.of() : strings(inc), exc == null ? List.of() : strings(exc));
        }
        throw SearchException.parsing("Expected one of [TRUE, FALSE, VALUE_STRING, START_ARRAY, START_OBJECT] for [_source]");
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else {
            out.add(node.asText());
        }
        return out;
    }

    Optional<ObjectNode> apply(ObjectNode source) {
        if (!enabled) {
            return Optional.empty();
        }
        if (includes.isEmpty() && excludes.isEmpty()) {
            return Optional.of(source);
        }
        return Optional.of(filter(source, ""));
    }

    private ObjectNode filter(ObjectNode node, String prefix) {
        ObjectNode out = Json.mapper().createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (excludes.stream().anyMatch(p -> Wildcards.matches(p, path))) {
                continue;
            }
            boolean included = includes.isEmpty() || includes.stream().anyMatch(p -> Wildcards.matches(p, path) || Wildcards.matches(p + ".*", path));
            if (e.getValue().isObject()) {
                if (included && excludes.isEmpty()) {
                    out.set(e.getKey(), e.getValue());
                } else if (included || includes.stream().anyMatch(p -> p.startsWith(path + ".") || p.startsWith("*"))) {
                    ObjectNode child = filter((ObjectNode) e.getValue(), path);
                    if (!child.isEmpty()) {
                        out.set(e.getKey(), child);
                    }
                }
            } else if (included) {
                out.set(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
