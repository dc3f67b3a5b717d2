package io.tributary.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * OpenSearch's {@code filter_path}: a comma-separated list of dotted paths that keeps only the
 * matching parts of a response ({@code hits.hits._id}), where {@code *} stands for one name (or
 * part of one) and {@code **} for any number of levels; a path starting with {@code -} removes what
 * it matches instead. Arrays are looked through. What no inclusion matches is left out, down to
 * {@code {}}.
 *
 * <p>Immutable and thread-safe.
 */
final class FilterPath {
    private final List<String[]> includes = new ArrayList<>();
    private final List<String[]> excludes = new ArrayList<>();

    private FilterPath(String spec) {
        for (String raw : spec.split(",")) {
            String p = raw.trim();
            if (p.isEmpty()) {
                continue;
            }
            if (p.startsWith("-")) {
                excludes.add(p.substring(1).split("\\."));
            } else {
                includes.add(p.split("\\."));
            }
        }
    }

    static Optional<FilterPath> parse(String spec) {
        return spec == null || spec.isBlank() ? Optional.empty() : Optional.of(new FilterPath(spec));
    }

    JsonNode apply(JsonNode response) {
        JsonNode kept = includes.isEmpty() ? response.deepCopy() : include(response, includes.stream().map(p -> new Cursor(p, 0)).toList());
        if (kept == null) {
            return Json.mapper().createObjectNode();
        }
        for (String[] e : excludes) {
            exclude(kept, e, 0);
        }
        return kept;
    }

    /** Where a pattern stands while descending: the pattern and the index of its next segment. */
    private record Cursor(String[] segments, int at) {
        boolean done() {
            return at >= segments.length;
        }
    }

    private static boolean matches(String segment, String name) {
        if (segment.equals("*")) {
            return true;
        }
        if (!segment.contains("*")) {
            return segment.equals(name);
        }
        return name.matches(java.util.regex.Pattern.quote(segment).replace("*", "\\E.*\\Q"));
    }

    /** The cursors that continue below a field named {@code name}; a finished cursor keeps the whole subtree. */
    private static List<Cursor> advance(List<Cursor> cursors, String name) {
        List<Cursor> next = new ArrayList<>();
        for (Cursor c : cursors) {
            String seg = c.segments()[c.at()];
            if (seg.equals("**")) {
                next.add(c);
                if (c.at() + 1 < c.segments().length && matches(c.segments()[c.at() + 1], name)) {
                    next.add(new Cursor(c.segments(), c.at() + 2));
                }
                if (c.at() + 1 == c.segments().length) {
                    next.add(new Cursor(c.segments(), c.at() + 1));
                }
            } else if (matches(seg, name)) {
                next.add(new Cursor(c.segments(), c.at() + 1));
            }
        }
        return next;
    }

    private static JsonNode include(JsonNode node, List<Cursor> cursors) {
        if (cursors.stream().anyMatch(Cursor::done)) {
            return node.deepCopy();
        }
        if (node.isArray()) {
            ArrayNode out = Json.mapper().createArrayNode();
            for (JsonNode element : node) {
                JsonNode kept = include(element, cursors);
                if (kept != null) {
                    out.add(kept);
                }
            }
            return out.isEmpty() ? null : out;
        }
        if (!node.isObject()) {
            return null;
        }
        ObjectNode out = Json.mapper().createObjectNode();
        node.fields().forEachRemaining(e -> {
            List<Cursor> next = advance(cursors, e.getKey());
            if (!next.isEmpty()) {
                JsonNode kept = include(e.getValue(), next);
                if (kept != null) {
                    out.set(e.getKey(), kept);
                }
            }
        });
        return out.isEmpty() ? null : out;
    }

    private static void exclude(JsonNode node, String[] pattern, int at) {
        if (node.isArray()) {
            node.forEach(element -> exclude(element, pattern, at));
            return;
        }
        if (!(node instanceof ObjectNode object) || at >= pattern.length) {
            return;
        }
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            if (pattern[at].equals("**")) {
                exclude(object, pattern, at + 1);
                exclude(object.get(name), pattern, at);
                continue;
            }
            if (matches(pattern[at], name)) {
                if (at == pattern.length - 1) {
                    object.remove(name);
                } else {
                    exclude(object.get(name), pattern, at + 1);
                }
            }
        }
    }
}
