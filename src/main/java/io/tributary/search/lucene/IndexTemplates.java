package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.search.SearchException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Composable index templates ({@code _index_template}): patterns, priority, and the settings,
 * mappings and aliases an index created with a matching name starts with. Kept in
 * {@code templates.json}, replaced atomically on every change.
 *
 * <p>Thread-safe.
 */
final class IndexTemplates {
    private final Path file;
    private final TreeMap<String, ObjectNode> templates = new TreeMap<>();

    IndexTemplates(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            try {
                JsonNode stored = Json.mapper().readTree(file.toFile());
                stored.fields().forEachRemaining(e -> templates.put(e.getKey(), (ObjectNode) e.getValue()));
            } catch (IOException e) {
                throw new SearchException(ErrorCode.STORAGE_FAILURE, "exception", 500, "cannot read index templates from " + file + ": "
                        + e.getMessage() + "; fix or remove the file", e);
            }
        }
    }

    synchronized ObjectNode put(String name, JsonNode body) {
        if (!name.matches("[a-z0-9_.\\-]{1,255}")) {
            throw SearchException.illegalArgument("index_template [%s] invalid, name must be lowercase letters, digits, '_', '.' and '-'", name);
        }
        if (body == null || !body.isObject()) {
            throw SearchException.parsing("index template [%s] must be a JSON object", name);
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!Set.of("index_patterns", "template", "priority", "version", "_meta", "composed_of", "data_stream").contains(key)) {
                throw SearchException.parsing("[index_template] unknown field [%s]", key);
            }
        }
        if (body.has("composed_of") && !body.get("composed_of").isEmpty() || body.has("data_stream")) {
            throw SearchException.illegalArgument("component templates and data streams are not supported by Tributary");
        }
        JsonNode patterns = body.get("index_patterns");
        if (patterns == null || (!patterns.isArray() && !patterns.isTextual()) || patterns.isEmpty() && patterns.isArray()) {
            throw SearchException.illegalArgument("index_template [%s] invalid, cause [index patterns are missing]", name);
        }
        JsonNode template = body.path("template");
        if (!template.isMissingNode()) {
            for (Iterator<String> it = template.fieldNames(); it.hasNext();) {
                String key = it.next();
                if (!Set.of("settings", "mappings", "aliases").contains(key)) {
                    throw SearchException.parsing("[template] unknown field [%s]", key);
                }
            }
            // Validate now, so a bad template fails when it is put rather than when an index is created.
            IndexSettings.defaults().merge(template.get("settings"), false);
            IndexMapping mapping = IndexMapping.empty().merge(template.get("mappings"));
            JsonNode aliases = template.get("aliases");
            if (aliases != null && aliases.isObject()) {
                aliases.fields().forEachRemaining(a -> LuceneSearchEngine.aliasDefinition(a.getKey(), a.getValue(), mapping));
            } else if (aliases != null && !aliases.isNull()) {
                throw SearchException.parsing("[template] [aliases] must be an object of alias names");
            }
        }
        ObjectNode stored = body.deepCopy();
        if (patterns.isTextual()) {
            stored.putArray("index_patterns").add(patterns.asText());
        }
        refuseAmbiguous(name, stored);
        templates.put(name, stored);
        save();
        return Json.mapper().createObjectNode().put("acknowledged", true);
    }

    /**
     * Two templates of the same priority whose patterns can match the same index name would leave
     * the choice between them undefined, so OpenSearch refuses the second; so does Tributary.
     */
    private void refuseAmbiguous(String name, ObjectNode template) {
        long priority = template.path("priority").asLong(0);
        for (Map.Entry<String, ObjectNode> e : templates.entrySet()) {
            if (e.getKey().equals(name) || e.getValue().path("priority").asLong(0) != priority) {
                continue;
            }
            for (JsonNode mine : template.get("index_patterns")) {
                for (JsonNode theirs : e.getValue().get("index_patterns")) {
                    if (overlap(mine.asText(), theirs.asText())) {
                        throw SearchException.illegalArgument("index template [%s] has index patterns %s matching patterns from existing templates "
                                + "[%s] with patterns (%s => %s) that have the same priority [%d], multiple index templates may not match during "
                                + "index creation, please use a different priority", name, template.get("index_patterns"), e.getKey(), e.getKey(),
                                e.getValue().get("index_patterns"), priority);
                    }
                }
            }
        }
    }

    private static boolean overlap(String a, String b) {
        org.apache.lucene.util.automaton.Automaton x = org.apache.lucene.search.WildcardQuery.toAutomaton(
                new org.apache.lucene.index.Term("", a), org.apache.lucene.util.automaton.Operations.DEFAULT_DETERMINIZE_WORK_LIMIT);
        org.apache.lucene.util.automaton.Automaton y = org.apache.lucene.search.WildcardQuery.toAutomaton(
                new org.apache.lucene.index.Term("", b), org.apache.lucene.util.automaton.Operations.DEFAULT_DETERMINIZE_WORK_LIMIT);
        return !org.apache.lucene.util.automaton.Operations.isEmpty(org.apache.lucene.util.automaton.Operations.intersection(x, y));
    }

    synchronized ObjectNode get(String pattern) {
        ObjectNode out = Json.mapper().createObjectNode();
        ArrayNode list = out.putArray("index_templates");
        boolean any = false;
        for (Map.Entry<String, ObjectNode> e : templates.entrySet()) {
            if (Wildcards.matches(pattern, e.getKey())) {
                list.addObject().put("name", e.getKey()).set("index_template", e.getValue());
                any = true;
            }
        }
        if (!any && !pattern.contains("*")) {
            throw new SearchException(ErrorCode.NOT_FOUND, "resource_not_found_exception", 404, "index template matching [" + pattern + "] not found");
        }
        return out;
    }

    synchronized ObjectNode delete(String name) {
        if (templates.remove(name) == null) {
            throw new SearchException(ErrorCode.NOT_FOUND, "index_template_missing_exception", 404, "index_template [" + name + "] missing");
        }
        save();
        return Json.mapper().createObjectNode().put("acknowledged", true);
    }

    /** The template body ({@code template}) of the highest-priority template matching an index name. */
    synchronized Optional<JsonNode> match(String index) {
        return templates.values().stream()
                .filter(t -> {
                    for (JsonNode p : t.get("index_patterns")) {
                        if (Wildcards.matches(p.asText(), index)) {
                            return true;
                        }
                    }
                    return false;
                })
                .max(Comparator.comparingLong(t -> t.path("priority").asLong(0)))
                .map(t -> t.path("template"));
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(templates));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new SearchException(ErrorCode.STORAGE_FAILURE, "exception", 500, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
