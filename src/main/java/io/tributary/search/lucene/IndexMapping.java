package io.tributary.search.lucene;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import io.tributary.search.FieldType;
import io.tributary.search.SearchException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An index's mapping, flattened to dotted paths: {@code Description} (text) and its multi-field
 * {@code Description.keyword} (keyword), {@code customer.id} inside the object {@code customer}.
 * Explicit mappings are parsed from OpenSearch's {@code {"properties": ...}} form; dynamic fields
 * are added with {@link #with}. Changing a field's type is refused, as in OpenSearch.
 *
 * <p>Immutable and thread-safe; updates return a new mapping.
 */
final class IndexMapping {
    static final int TOTAL_FIELDS_LIMIT = 1000;
    static final int DEPTH_LIMIT = 20;

    enum Dynamic {
        TRUE,
        FALSE,
        STRICT,
    }

    /**
     * One mapped field.
     *
     * @param parent for a multi-field such as {@code Description.keyword}, the field it indexes again
     * @param ignoreAbove keyword values longer than this are kept in {@code _source} but not indexed
     */
    record Field(String path, FieldType type, Optional<String> format, String analyzer, int ignoreAbove, boolean indexed,
            boolean docValues, List<String> subFields, Optional<String> parent) {
        Field {
            requireNonNull(path, "path is null");
            requireNonNull(type, "type is null");
            requireNonNull(format, "format is null");
            requireNonNull(analyzer, "analyzer is null");
            subFields = List.copyOf(subFields);
            requireNonNull(parent, "parent is null");
        }

        static Field of(String path, FieldType type) {
            return new Field(path, type, Optional.empty(), "standard", Integer.MAX_VALUE, true, type != FieldType.TEXT,
                    List.of(), Optional.empty());
        }

        DateFormat dateFormat() {
            return DateFormat.of(format.orElse(DateFormat.DEFAULT));
        }

        boolean aggregatable() {
            return docValues && type != FieldType.TEXT && type != FieldType.OBJECT;
        }

        Field withSubFields(List<String> names) {
            return new Field(path, type, format, analyzer, ignoreAbove, indexed, docValues, names, parent);
        }
    }

    private static final Set<String> LEAF_PARAMETERS = Set.of("type", "format", "fields", "ignore_above", "index", "doc_values",
            "analyzer", "search_analyzer", "store", "norms", "coerce", "ignore_malformed", "null_value", "similarity",
            "index_options", "locale", "boost", "copy_to", "eager_global_ordinals", "meta");
    private static final Set<String> OBJECT_PARAMETERS = Set.of("type", "properties", "dynamic", "enabled", "include_in_parent",
            "include_in_root");
    private static final Set<String> ROOT_PARAMETERS = Set.of("properties", "dynamic", "date_detection", "numeric_detection",
            "_source", "_meta", "dynamic_date_formats", "_routing", "dynamic_templates");
    static final Set<String> ANALYZERS = Set.of("standard", "simple", "whitespace", "keyword", "stop", "english");

    private final TreeMap<String, Field> fields;
    private final Dynamic dynamic;
    private final boolean dateDetection;
    private final boolean numericDetection;
    private final Optional<JsonNode> meta;

    private IndexMapping(Map<String, Field> fields, Dynamic dynamic, boolean dateDetection, boolean numericDetection,
            Optional<JsonNode> meta) {
        this.fields = new TreeMap<>(fields);
        this.dynamic = dynamic;
        this.dateDetection = dateDetection;
        this.numericDetection = numericDetection;
        this.meta = meta;
    }

    static IndexMapping empty() {
        return new IndexMapping(Map.of(), Dynamic.TRUE, true, false, Optional.empty());
    }

    Dynamic dynamic() {
        return dynamic;
    }

    boolean dateDetection() {
        return dateDetection;
    }

    boolean numericDetection() {
        return numericDetection;
    }

    Optional<Field> field(String path) {
        return Optional.ofNullable(fields.get(path));
    }

    Map<String, Field> fields() {
        return java.util.Collections.unmodifiableMap(fields);
    }

    int size() {
        return fields.size();
    }

    /** Fields under an object path (or the path itself when it is a leaf). */
    List<Field> fieldsUnder(String path) {
        List<Field> out = new ArrayList<>();
        Field exact = fields.get(path);
        if (exact != null && exact.type() != FieldType.OBJECT) {
            out.add(exact);
        }
        for (Field f : fields.tailMap(path + ".", true).values()) {
            if (!f.path().startsWith(path + ".")) {
                break;
            }
            if (f.type() != FieldType.OBJECT) {
                out.add(f);
            }
        }
        return out;
    }

    /** This mapping plus new fields (dynamic additions or an explicit update), refusing type changes. */
    IndexMapping with(Map<String, Field> additions) {
        if (additions.isEmpty()) {
            return this;
        }
        Map<String, Field> merged = new LinkedHashMap<>(fields);
        for (Field f : additions.values()) {
            Field existing = merged.get(f.path());
            if (existing != null) {
                if (existing.type() != f.type()) {
                    throw SearchException.illegalArgument("mapper [%s] cannot be changed from type [%s] to [%s]",
                            f.path(), existing.type().jsonName(), f.type().jsonName());
                }
                if (!existing.format().equals(f.format()) && f.format().isPresent()) {
                    throw SearchException.illegalArgument("Mapper for [%s] conflicts with existing mapper: Cannot update parameter [format] from [%s] to [%s]",
                            f.path(), existing.format().orElse(DateFormat.DEFAULT), f.format().get());
                }
                if (!f.subFields().isEmpty()) {
                    List<String> subs = new ArrayList<>(existing.subFields());
                    f.subFields().stream().filter(s -> !subs.contains(s)).forEach(subs::add);
                    merged.put(f.path(), existing.withSubFields(subs));
                }
                continue;
            }
            merged.put(f.path(), f);
        }
        if (merged.size() > TOTAL_FIELDS_LIMIT) {
            throw SearchException.illegalArgument("Limit of total fields [%d] has been exceeded", TOTAL_FIELDS_LIMIT);
        }
        return new IndexMapping(merged, dynamic, dateDetection, numericDetection, meta);
    }

    /** Applies a {@code PUT _mapping} body (or the {@code mappings} of a create request). */
    IndexMapping merge(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return this;
        }
        if (!body.isObject()) {
            throw SearchException.mapperParsing("Failed to parse mapping: the mapping must be an object");
        }
        JsonNode root = body;
        if (root.size() == 1 && root.has("_doc") && root.get("_doc").isObject()) {
            root = root.get("_doc");
        }
        Iterator<String> names = root.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!ROOT_PARAMETERS.contains(name)) {
                throw SearchException.mapperParsing("Root mapping definition has unsupported parameters:  [%s : %s]",
                        name, DateFormat.truncate(root.get(name).toString()));
            }
        }
        Dynamic newDynamic = root.has("dynamic") ? parseDynamic(root.get("dynamic"), "_doc") : dynamic;
        boolean newDateDetection = root.has("date_detection") ? root.get("date_detection").asBoolean() : dateDetection;
        boolean newNumericDetection = root.has("numeric_detection") ? root.get("numeric_detection").asBoolean() : numericDetection;
        Optional<JsonNode> newMeta = root.has("_meta") ? Optional.of(root.get("_meta").deepCopy()) : meta;
        Map<String, Field> additions = new LinkedHashMap<>();
        if (root.has("properties")) {
            parseProperties("", root.get("properties"), additions, 1);
        }
        IndexMapping base = new IndexMapping(fields, newDynamic, newDateDetection, newNumericDetection, newMeta);
        return base.with(additions);
    }

    private static Dynamic parseDynamic(JsonNode value, String where) {
        return switch (value.asText().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> Dynamic.TRUE;
            case "false" -> Dynamic.FALSE;
            case "strict" -> Dynamic.STRICT;
            default -> throw SearchException.mapperParsing("Could not convert [dynamic] to a boolean or 'strict' on [%s], got [%s]",
                    where, value.asText());
        };
    }

    private static void parseProperties(String prefix, JsonNode properties, Map<String, Field> out, int depth) {
        if (!properties.isObject()) {
            throw SearchException.mapperParsing("Expected map for property [properties] on field [%s] but got a %s",
                    prefix.isEmpty() ? "_doc" : prefix, properties.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (depth > DEPTH_LIMIT) {
            throw SearchException.illegalArgument("Limit of mapping depth [%d] has been exceeded", DEPTH_LIMIT);
        }
        Iterator<Map.Entry<String, JsonNode>> it = properties.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (name.isBlank() || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
                throw SearchException.mapperParsing("field name [%s] is invalid: it must not be empty, start or end with a dot, or contain two dots", name);
            }
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            JsonNode def = e.getValue();
            if (!def.isObject()) {
                throw SearchException.mapperParsing("Expected map for property [fields] on field [%s] but got a class %s", path,
                        def.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            String type = def.has("type") ? def.get("type").asText() : def.has("properties") ? "object" : "object";
            FieldType fieldType = FieldType.parse(type, path);
            // "a.b": {...} in a mapping means the object a with the field b.
            String[] segments = path.split("\\.");
            for (int i = 1; i < segments.length; i++) {
                String objectPath = String.join(".", java.util.Arrays.copyOf(segments, i));
                out.putIfAbsent(objectPath, Field.of(objectPath, FieldType.OBJECT));
            }
            if (fieldType == FieldType.OBJECT) {
                checkParameters(def, OBJECT_PARAMETERS, path, type);
                out.put(path, Field.of(path, FieldType.OBJECT));
                if (def.has("properties")) {
                    parseProperties(path, def.get("properties"), out, depth + 1);
                }
                continue;
            }
            checkParameters(def, LEAF_PARAMETERS, path, type);
            Field field = leaf(path, fieldType, def, Optional.empty());
            List<String> subNames = new ArrayList<>();
            if (def.has("fields")) {
                JsonNode subs = def.get("fields");
                if (!subs.isObject()) {
                    throw SearchException.mapperParsing("Expected map for property [fields] on field [%s]", path);
                }
                Iterator<Map.Entry<String, JsonNode>> subIt = subs.fields();
                while (subIt.hasNext()) {
                    Map.Entry<String, JsonNode> sub = subIt.next();
                    JsonNode subDef = sub.getValue();
                    if (!subDef.isObject() || !subDef.has("type")) {
                        throw SearchException.mapperParsing("No type specified for field [%s.%s]", path, sub.getKey());
                    }
                    FieldType subType = FieldType.parse(subDef.get("type").asText(), path + "." + sub.getKey());
                    if (subType == FieldType.OBJECT) {
                        throw SearchException.mapperParsing("Type [object] cannot be used in multi field [%s.%s]", path, sub.getKey());
                    }
                    checkParameters(subDef, LEAF_PARAMETERS, path + "." + sub.getKey(), subDef.get("type").asText());
                    out.put(path + "." + sub.getKey(), leaf(path + "." + sub.getKey(), subType, subDef, Optional.of(path)));
                    subNames.add(sub.getKey());
                }
            }
            out.put(path, field.withSubFields(subNames));
        }
    }

    private static Field leaf(String path, FieldType type, JsonNode def, Optional<String> parent) {
        Optional<String> format = Optional.empty();
        if (def.has("format")) {
            if (type != FieldType.DATE) {
                throw SearchException.mapperParsing("unknown parameter [format] on mapper [%s] of type [%s]", path, type.jsonName());
            }
            format = Optional.of(def.get("format").asText());
            DateFormat.of(format.get());
        }
        String analyzer = def.path("analyzer").asText("standard");
        if (!ANALYZERS.contains(analyzer)) {
            throw SearchException.mapperParsing("analyzer [%s] has not been configured in mappings; Tributary knows %s", analyzer,
                    new java.util.TreeSet<>(ANALYZERS));
        }
        int ignoreAbove = def.has("ignore_above") ? def.get("ignore_above").asInt() : Integer.MAX_VALUE;
        if (ignoreAbove < 0) {
            throw SearchException.mapperParsing("[ignore_above] must be positive, got [%d]", ignoreAbove);
        }
        boolean indexed = def.path("index").asBoolean(true);
        boolean docValues = type != FieldType.TEXT && def.path("doc_values").asBoolean(true);
        return new Field(path, type, format, analyzer, ignoreAbove, indexed, docValues, List.of(), parent);
    }

    private static void checkParameters(JsonNode def, Set<String> allowed, String path, String type) {
        Iterator<String> names = def.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw SearchException.mapperParsing("unknown parameter [%s] on mapper [%s] of type [%s]", name, path, type);
            }
        }
    }

    /** OpenSearch's nested form: {@code {"properties": {...}}}, fields in name order. */
    ObjectNode toJson() {
        ObjectNode root = Json.mapper().createObjectNode();
        if (dynamic != Dynamic.TRUE) {
            root.put("dynamic", dynamic == Dynamic.STRICT ? "strict" : "false");
        }
        meta.ifPresent(m -> root.set("_meta", m));
        ObjectNode properties = Json.mapper().createObjectNode();
        for (Field f : fields.values()) {
            if (f.parent().isPresent()) {
                continue;
            }
            ObjectNode container = properties;
            String[] segments = f.path().split("\\.");
            for (int i = 0; i < segments.length - 1; i++) {
                ObjectNode object = container.has(segments[i]) ? (ObjectNode) container.get(segments[i])
                        : container.putObject(segments[i]);
                container = object.has("properties") ? (ObjectNode) object.get("properties") : object.putObject("properties");
            }
            String name = segments[segments.length - 1];
            if (f.type() == FieldType.OBJECT) {
                if (!container.has(name)) {
                    container.putObject(name).putObject("properties");
                }
                continue;
            }
            ObjectNode def = container.putObject(name);
            describe(f, def);
            if (!f.subFields().isEmpty()) {
                ObjectNode subs = def.putObject("fields");
                for (String sub : f.subFields()) {
                    Field subField = fields.get(f.path() + "." + sub);
                    if (subField != null) {
                        describe(subField, subs.putObject(sub));
                    }
                }
            }
        }
        if (!properties.isEmpty()) {
            root.set("properties", properties);
        }
        return root;
    }

    private static void describe(Field f, ObjectNode def) {
        def.put("type", f.type().jsonName());
        f.format().ifPresent(fmt -> def.put("format", fmt));
        if (f.ignoreAbove() != Integer.MAX_VALUE) {
            def.put("ignore_above", f.ignoreAbove());
        }
        if (!f.analyzer().equals("standard") && f.type() == FieldType.TEXT) {
            def.put("analyzer", f.analyzer());
        }
        if (!f.indexed()) {
            def.put("index", false);
        }
        if (!f.docValues() && f.type() != FieldType.TEXT) {
            def.put("doc_values", false);
        }
    }

    /** The union of several indexes' mappings for a search across them; the first index wins a conflict. */
    static IndexMapping union(List<IndexMapping> mappings) {
        if (mappings.size() == 1) {
            return mappings.get(0);
        }
        Map<String, Field> merged = new LinkedHashMap<>();
        for (IndexMapping m : mappings) {
            m.fields.forEach(merged::putIfAbsent);
        }
        return new IndexMapping(merged, Dynamic.TRUE, true, false, Optional.empty());
    }
}
