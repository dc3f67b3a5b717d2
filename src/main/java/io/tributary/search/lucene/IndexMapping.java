package io.tributary.search.lucene;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tributary.common.Json;
import io.tributary.search.FieldType;
import io.tributary.search.SearchException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An index's mapping, flattened to dotted paths: {@code Description} (text) and its multi-field
 * {@code Description.keyword} (keyword), {@code customer.id} inside the object {@code customer}.
 * Explicit mappings are parsed from OpenSearch's {@code {"properties": ...}} form; dynamic fields
 * are added with {@link #with}, by {@code dynamic_templates} first and the default rules after.
 * Changing a field's type or parameters is refused, as in OpenSearch. Every parameter a mapping
 * may carry is either applied or refused with {@code mapper_parsing_exception} naming it.
 *
 * <p>Immutable and thread-safe; updates return a new mapping.
 */
final class IndexMapping {
    static final int TOTAL_FIELDS_LIMIT = 1000;
    static final int DEPTH_LIMIT = 20;
    /** OpenSearch's default {@code dynamic_date_formats}. */
    static final List<String> DEFAULT_DATE_FORMATS = List.of("strict_date_optional_time", "yyyy/MM/dd HH:mm:ss||yyyy/MM/dd||epoch_millis");

    enum Dynamic {
        TRUE,
        FALSE,
        STRICT;

        String jsonValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The parameters of a field beyond its type, as given in the mapping (defaults otherwise).
     *
     * @param nullValue indexed in place of an explicit {@code null}
     * @param ignoreMalformed a value the type cannot hold is left out of the index (and the field listed in {@code _ignored}) instead of failing the document
     * @param copyTo fields the value is also indexed into
     * @param coerce numbers given as strings, and decimals into whole-number fields, are accepted
     * @param enabled for objects: {@code false} keeps the object in {@code _source} without parsing or indexing it
     * @param dynamic for objects: how unmapped fields inside are handled (the root's setting when empty)
     * @param norms for text: length normalization in scoring
     * @param indexOptions for text and keyword: what the index records ({@code docs}, {@code freqs}, {@code positions}, {@code offsets})
     * @param searchAnalyzer for text: the analyzer of query text (the index analyzer when empty)
     * @param meta the field's {@code meta}, kept and shown
     * @param eagerGlobalOrdinals kept and shown; a loading hint with no effect on answers
     */
    record Params(Optional<JsonNode> nullValue, boolean ignoreMalformed, List<String> copyTo, boolean coerce, boolean enabled,
            Optional<Dynamic> dynamic, boolean norms, Optional<String> indexOptions, Optional<String> searchAnalyzer, Optional<JsonNode> meta,
            boolean eagerGlobalOrdinals) {
        static final Params DEFAULT = new Params(Optional.empty(), false, List.of(), true, true, Optional.empty(), true, Optional.empty(),
                Optional.empty(), Optional.empty(), false);

        Params {
            requireNonNull(nullValue, "nullValue is null");
            copyTo = List.copyOf(copyTo);
            requireNonNull(dynamic, "dynamic is null");
            requireNonNull(indexOptions, "indexOptions is null");
            requireNonNull(searchAnalyzer, "searchAnalyzer is null");
            requireNonNull(meta, "meta is null");
        }

        Params withEnabled(boolean value) {
            return new Params(nullValue, ignoreMalformed, copyTo, coerce, value, dynamic, norms, indexOptions, searchAnalyzer, meta, eagerGlobalOrdinals);
        }

        Params withDynamic(Optional<Dynamic> value) {
            return new Params(nullValue, ignoreMalformed, copyTo, coerce, enabled, value, norms, indexOptions, searchAnalyzer, meta, eagerGlobalOrdinals);
        }
    }

    /**
     * One mapped field.
     *
     * @param parent for a multi-field such as {@code Description.keyword}, the field it indexes again
     * @param ignoreAbove keyword values longer than this are kept in {@code _source} but not indexed
     */
    record Field(String path, FieldType type, Optional<String> format, String analyzer, int ignoreAbove, boolean indexed,
            boolean docValues, List<String> subFields, Optional<String> parent, Params params) {
        Field {
            requireNonNull(path, "path is null");
            requireNonNull(type, "type is null");
            requireNonNull(format, "format is null");
            requireNonNull(analyzer, "analyzer is null");
            subFields = List.copyOf(subFields);
            requireNonNull(parent, "parent is null");
            requireNonNull(params, "params is null");
        }

        Field(String path, FieldType type, Optional<String> format, String analyzer, int ignoreAbove, boolean indexed, boolean docValues,
                List<String> subFields, Optional<String> parent) {
            this(path, type, format, analyzer, ignoreAbove, indexed, docValues, subFields, parent, Params.DEFAULT);
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
            return new Field(path, type, format, analyzer, ignoreAbove, indexed, docValues, names, parent, params);
        }

        /** The analyzer of query text for this field. */
        String searchAnalyzer() {
            return params.searchAnalyzer().orElse(analyzer);
        }
    }

    /**
     * One of {@code dynamic_templates}: conditions on a new field's name, path and JSON type, and
     * the mapping it then gets ({@code {name}} and {@code {dynamic_type}} substituted).
     */
    record DynamicTemplate(String name, List<String> match, List<String> unmatch, List<String> pathMatch, List<String> pathUnmatch,
            Optional<String> matchMappingType, boolean regex, ObjectNode mapping, ObjectNode definition) {
        private static final Set<String> KEYS = Set.of("match", "unmatch", "path_match", "path_unmatch", "match_mapping_type", "match_pattern",
                "mapping");
        private static final Set<String> MAPPING_TYPES = Set.of("*", "string", "long", "double", "boolean", "date", "object");

        static DynamicTemplate parse(String name, JsonNode def) {
            if (!def.isObject()) {
                throw SearchException.mapperParsing("dynamic template [%s] must be an object", name);
            }
            for (Iterator<String> it = def.fieldNames(); it.hasNext();) {
                String key = it.next();
                if (!KEYS.contains(key)) {
                    throw SearchException.mapperParsing("Illegal dynamic template parameter: [%s] in dynamic template [%s]; Tributary supports %s",
                            key, name, new java.util.TreeSet<>(KEYS));
                }
            }
            if (!def.path("mapping").isObject()) {
                throw SearchException.mapperParsing("template [%s] must have a [mapping] object", name);
            }
            String pattern = def.path("match_pattern").asText("simple");
            if (!pattern.equals("simple") && !pattern.equals("regex")) {
                throw SearchException.mapperParsing("Illegal match_pattern [%s] in dynamic template [%s]; use simple or regex", pattern, name);
            }
            Optional<String> type = Optional.ofNullable(def.get("match_mapping_type")).map(JsonNode::asText);
            if (type.isPresent() && !MAPPING_TYPES.contains(type.get())) {
                throw SearchException.mapperParsing("No field type matched on [%s], possible values are %s", type.get(), new java.util.TreeSet<>(MAPPING_TYPES));
            }
            DynamicTemplate t = new DynamicTemplate(name, strings(def.get("match")), strings(def.get("unmatch")), strings(def.get("path_match")),
                    strings(def.get("path_unmatch")), type, pattern.equals("regex"), (ObjectNode) def.get("mapping"), ((ObjectNode) def).deepCopy());
            if (t.regex()) {
                for (List<String> patterns : List.of(t.match(), t.unmatch(), t.pathMatch(), t.pathUnmatch())) {
                    patterns.forEach(p -> {
                        try {
                            Pattern.compile(p);
                        } catch (java.util.regex.PatternSyntaxException e) {
                            throw SearchException.mapperParsing("Illegal regular expression [%s] in dynamic template [%s]", p, name);
                        }
                    });
                }
            }
            // Check the mapping now with a sample name, so a bad template fails when it is put.
            IndexMapping.fieldsFor("sample", t.mappingFor("sample", "string"), t.mapping().path("type").asText("").equals("object")
                    || type.filter(x -> x.equals("object")).isPresent());
            return t;
        }

        private static List<String> strings(JsonNode node) {
            List<String> out = new ArrayList<>();
            if (node == null || node.isNull()) {
                return out;
            }
            if (node.isArray()) {
                node.forEach(n -> out.add(n.asText()));
            } else {
                out.add(node.asText());
            }
            return out;
        }

        /** Whether a new field (its leaf name, full path and detected JSON type) takes this template. */
        boolean matches(String leafName, String path, String mappingType) {
            if (matchMappingType.isPresent() && !matchMappingType.get().equals("*") && !matchMappingType.get().equals(mappingType)) {
                return false;
            }
            if (matchMappingType.isEmpty() && mappingType.equals("object") && match.isEmpty() && pathMatch.isEmpty()) {
                return false;
            }
            return (match.isEmpty() || any(match, leafName)) && !any(unmatch, leafName) && (pathMatch.isEmpty() || any(pathMatch, path))
                    && !any(pathUnmatch, path);
        }

        private boolean any(List<String> patterns, String value) {
            for (String p : patterns) {
                if (regex ? Pattern.matches(p, value) : Wildcards.matches(p, value)) {
                    return true;
                }
            }
            return false;
        }

        /** The template's mapping for a field, with {@code {name}} and {@code {dynamic_type}} replaced. */
        JsonNode mappingFor(String leafName, String mappingType) {
            JsonNode m = substitute(mapping, leafName, mappingType.equals("string") ? "text" : mappingType.equals("double") ? "float" : mappingType);
            if (!m.has("type") && !mappingType.equals("object")) {
                ((ObjectNode) m).put("type", mappingType.equals("string") ? "text" : mappingType.equals("double") ? "float" : mappingType);
            }
            return m;
        }

        private static JsonNode substitute(JsonNode node, String name, String dynamicType) {
            if (node.isTextual()) {
                return TextNode.valueOf(node.asText().replace("{name}", name).replace("{dynamic_type}", dynamicType)
                        .replace("{dynamicType}", dynamicType));
            }
            if (node.isObject()) {
                ObjectNode out = Json.mapper().createObjectNode();
                node.fields().forEachRemaining(e -> out.set(e.getKey().replace("{name}", name), substitute(e.getValue(), name, dynamicType)));
                return out;
            }
            if (node.isArray()) {
                ArrayNode out = Json.mapper().createArrayNode();
                node.forEach(n -> out.add(substitute(n, name, dynamicType)));
                return out;
            }
            return node;
        }
    }

    private static final Set<String> COMMON_LEAF = Set.of("type", "index", "store", "meta", "copy_to", "boost");
    private static final Map<FieldType, Set<String>> LEAF_PARAMETERS = leafParameters();
    private static final Set<String> OBJECT_PARAMETERS = Set.of("type", "properties", "dynamic", "enabled");
    private static final Set<String> ROOT_PARAMETERS = Set.of("properties", "dynamic", "date_detection", "numeric_detection",
            "_source", "_meta", "dynamic_date_formats", "_routing", "dynamic_templates");
    static final Set<String> ANALYZERS = Set.of("standard", "simple", "whitespace", "keyword", "stop", "english");
    private static final Set<String> TEXT_INDEX_OPTIONS = Set.of("docs", "freqs", "positions", "offsets");

    private static Map<FieldType, Set<String>> leafParameters() {
        Map<FieldType, Set<String>> out = new java.util.EnumMap<>(FieldType.class);
        Set<String> numeric = Set.of("coerce", "doc_values", "ignore_malformed", "null_value");
        for (FieldType t : FieldType.values()) {
            Set<String> own = switch (t) {
                case TEXT -> Set.of("analyzer", "search_analyzer", "fields", "index_options", "norms", "similarity", "eager_global_ordinals");
                case KEYWORD -> Set.of("doc_values", "fields", "ignore_above", "index_options", "null_value", "similarity", "norms",
                        "eager_global_ordinals");
                case LONG, INTEGER, SHORT, BYTE, DOUBLE, FLOAT -> numeric;
                case DATE -> Set.of("doc_values", "format", "locale", "ignore_malformed", "null_value");
                case BOOLEAN -> Set.of("doc_values", "null_value");
                case OBJECT -> Set.of();
            };
            Set<String> all = new java.util.HashSet<>(COMMON_LEAF);
            all.addAll(own);
            out.put(t, Set.copyOf(all));
        }
        return out;
    }

    private final TreeMap<String, Field> fields;
    private final Dynamic dynamic;
    private final Optional<Boolean> dateDetection;
    private final Optional<Boolean> numericDetection;
    private final Optional<List<String>> dateFormats;
    private final List<DynamicTemplate> templates;
    private final Optional<JsonNode> meta;

    private IndexMapping(Map<String, Field> fields, Dynamic dynamic, Optional<Boolean> dateDetection, Optional<Boolean> numericDetection,
            Optional<List<String>> dateFormats, List<DynamicTemplate> templates, Optional<JsonNode> meta) {
        this.fields = new TreeMap<>(fields);
        this.dynamic = dynamic;
        this.dateDetection = dateDetection;
        this.numericDetection = numericDetection;
        this.dateFormats = dateFormats;
        this.templates = List.copyOf(templates);
        this.meta = meta;
    }

    static IndexMapping empty() {
        return new IndexMapping(Map.of(), Dynamic.TRUE, Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty());
    }

    private IndexMapping withFields(Map<String, Field> newFields) {
        return new IndexMapping(newFields, dynamic, dateDetection, numericDetection, dateFormats, templates, meta);
    }

    Dynamic dynamic() {
        return dynamic;
    }

    /** How unmapped fields inside an object are handled: the nearest enclosing object's {@code dynamic}, else the root's. */
    Dynamic dynamicAt(String objectPath) {
        String p = objectPath;
        while (!p.isEmpty()) {
            Field f = fields.get(p);
            if (f != null && f.params().dynamic().isPresent()) {
                return f.params().dynamic().get();
            }
            int dot = p.lastIndexOf('.');
            p = dot < 0 ? "" : p.substring(0, dot);
        }
        return dynamic;
    }

    boolean dateDetection() {
        return dateDetection.orElse(true);
    }

    boolean numericDetection() {
        return numericDetection.orElse(false);
    }

    List<String> dateFormats() {
        return dateFormats.orElse(DEFAULT_DATE_FORMATS);
    }

    List<DynamicTemplate> templates() {
        return templates;
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

    /** This mapping plus new fields (dynamic additions or an explicit update), refusing type and parameter changes. */
    IndexMapping with(Map<String, Field> additions) {
        return with(additions, TOTAL_FIELDS_LIMIT);
    }

    /** @param fieldsLimit {@code index.mapping.total_fields.limit} */
    IndexMapping with(Map<String, Field> additions, int fieldsLimit) {
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
                Field updated = existing;
                if (!f.subFields().isEmpty()) {
                    List<String> subs = new ArrayList<>(existing.subFields());
                    f.subFields().stream().filter(s -> !subs.contains(s)).forEach(subs::add);
                    updated = existing.withSubFields(subs);
                }
                if (f.type() == FieldType.OBJECT && f.params().dynamic().isPresent()) {
                    // An object's dynamic may change, as in OpenSearch.
                    updated = new Field(updated.path(), updated.type(), updated.format(), updated.analyzer(), updated.ignoreAbove(), updated.indexed(),
                            updated.docValues(), updated.subFields(), updated.parent(), updated.params().withDynamic(f.params().dynamic()));
                }
                merged.put(f.path(), updated);
                continue;
            }
            merged.put(f.path(), f);
        }
        if (merged.size() > fieldsLimit) {
            throw SearchException.illegalArgument("Limit of total fields [%d] has been exceeded; raise index.mapping.total_fields.limit or map "
                    + "fewer fields (dynamic: false, or an object with enabled: false)", fieldsLimit);
        }
        return withFields(merged);
    }

    /** Applies a {@code PUT _mapping} body (or the {@code mappings} of a create request). */
    IndexMapping merge(JsonNode body) {
        return merge(body, Integer.MAX_VALUE);
    }

    /** @param fieldsLimit {@code index.mapping.total_fields.limit} */
    IndexMapping merge(JsonNode body, int fieldsLimit) {
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
        checkSource(root.get("_source"));
        checkRouting(root.get("_routing"));
        Dynamic newDynamic = root.has("dynamic") ? parseDynamic(root.get("dynamic"), "_doc") : dynamic;
        Optional<Boolean> newDateDetection = root.has("date_detection") ? Optional.of(bool(root.get("date_detection"), "date_detection", "_doc"))
                : dateDetection;
        Optional<Boolean> newNumericDetection = root.has("numeric_detection")
                ? Optional.of(bool(root.get("numeric_detection"), "numeric_detection", "_doc")) : numericDetection;
        Optional<List<String>> newDateFormats = dateFormats;
        if (root.has("dynamic_date_formats")) {
            List<String> formats = new ArrayList<>();
            JsonNode f = root.get("dynamic_date_formats");
            if (f.isArray()) {
                f.forEach(n -> formats.add(n.asText()));
            } else {
                formats.add(f.asText());
            }
            formats.forEach(DateFormat::of);
            newDateFormats = Optional.of(List.copyOf(formats));
        }
        List<DynamicTemplate> newTemplates = templates;
        if (root.has("dynamic_templates")) {
            newTemplates = mergeTemplates(templates, root.get("dynamic_templates"));
        }
        Optional<JsonNode> newMeta = root.has("_meta") ? Optional.of(root.get("_meta").deepCopy()) : meta;
        Map<String, Field> additions = new LinkedHashMap<>();
        if (root.has("properties")) {
            parseProperties("", root.get("properties"), additions, 1);
        }
        IndexMapping base = new IndexMapping(fields, newDynamic, newDateDetection, newNumericDetection, newDateFormats, newTemplates, newMeta);
        IndexMapping merged = base.with(additions, fieldsLimit);
        merged.checkCopyTargets();
        return merged;
    }

    /** Templates with the same name are replaced in place, new ones appended, as in OpenSearch. */
    private static List<DynamicTemplate> mergeTemplates(List<DynamicTemplate> current, JsonNode node) {
        if (!node.isArray()) {
            throw SearchException.mapperParsing("[dynamic_templates] must be an array of {\"name\": {...}} objects");
        }
        List<DynamicTemplate> out = new ArrayList<>(current);
        for (JsonNode entry : node) {
            if (!entry.isObject() || entry.size() != 1) {
                throw SearchException.mapperParsing("each of [dynamic_templates] must be an object with one template name");
            }
            Map.Entry<String, JsonNode> e = entry.fields().next();
            DynamicTemplate t = DynamicTemplate.parse(e.getKey(), e.getValue());
            int at = -1;
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).name().equals(t.name())) {
                    at = i;
                }
            }
            if (at >= 0) {
                out.set(at, t);
            } else {
                out.add(t);
            }
        }
        return out;
    }

    private static void checkSource(JsonNode source) {
        if (source == null) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            boolean harmless = e.getKey().equals("enabled") && e.getValue().asBoolean(false)
                    || (e.getKey().equals("includes") || e.getKey().equals("excludes")) && e.getValue().isEmpty();
            if (!harmless) {
                throw SearchException.mapperParsing("[_source] %s is not supported by Tributary: it keeps every document's source as sent",
                        e.getKey() + ": " + DateFormat.truncate(e.getValue().toString()));
            }
        }
    }

    private static void checkRouting(JsonNode routing) {
        if (routing != null && routing.path("required").asBoolean(false)) {
            throw SearchException.mapperParsing("[_routing] required is not supported by Tributary: an index is a single shard");
        }
    }

    /** copy_to targets must not be objects. */
    private void checkCopyTargets() {
        for (Field f : fields.values()) {
            for (String target : f.params().copyTo()) {
                Field t = fields.get(target);
                if (t != null && t.type() == FieldType.OBJECT) {
                    throw SearchException.illegalArgument("Cannot copy to field [%s] since it is mapped as an object", target);
                }
            }
        }
    }

    private static boolean bool(JsonNode value, String parameter, String field) {
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        return switch (value.asText()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw SearchException.mapperParsing("Failed to parse value [%s] as only [true] or [false] are allowed for [%s] on [%s]",
                    DateFormat.truncate(value.asText()), parameter, field);
        };
    }

    private static Dynamic parseDynamic(JsonNode value, String where) {
        return switch (value.asText().toLowerCase(Locale.ROOT)) {
            case "true" -> Dynamic.TRUE;
            case "false" -> Dynamic.FALSE;
            case "strict" -> Dynamic.STRICT;
            default -> throw SearchException.mapperParsing("Could not convert [dynamic] to a boolean or 'strict' on [%s], got [%s]",
                    where, value.asText());
        };
    }

    /**
     * The fields one property definition makes at a path (the field, its multi-fields, parent
     * objects of a dotted path, and for an object what it contains), for a dynamic template.
     */
    static Map<String, Field> fieldsFor(String path, JsonNode definition, boolean object) {
        Map<String, Field> out = new LinkedHashMap<>();
        ObjectNode properties = Json.mapper().createObjectNode();
        JsonNode def = definition;
        if (object && !def.has("type") && !def.has("properties")) {
            def = ((ObjectNode) def.deepCopy()).put("type", "object");
        }
        int dot = path.lastIndexOf('.');
        properties.set(dot < 0 ? path : path.substring(dot + 1), def);
        parseProperties(dot < 0 ? "" : path.substring(0, dot), properties, out, 1);
        return out;
    }

    private static void parseProperties(String prefix, JsonNode properties, Map<String, Field> out, int depth) {
        if (!properties.isObject()) {
            throw SearchException.mapperParsing("Expected map for property [properties] on field [%s] but got a %s",
                    prefix.isEmpty() ? "_doc" : prefix, properties.getNodeType().name().toLowerCase(Locale.ROOT));
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
                        def.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            String type = def.has("type") ? def.get("type").asText() : "object";
            if (type.equals("nested")) {
                throw SearchException.mapperParsing("No handler for type [nested] declared on field [%s]: nested documents are not supported by "
                        + "Tributary; map the field as [object] (its inner fields are then searched across the array's elements)", path);
            }
            FieldType fieldType = FieldType.parse(type, path);
            // "a.b": {...} in a mapping means the object a with the field b.
            String[] segments = path.split("\\.");
            for (int i = 1; i < segments.length; i++) {
                String objectPath = String.join(".", java.util.Arrays.copyOf(segments, i));
                out.putIfAbsent(objectPath, Field.of(objectPath, FieldType.OBJECT));
            }
            if (fieldType == FieldType.OBJECT) {
                checkParameters(def, OBJECT_PARAMETERS, path, type);
                Params params = Params.DEFAULT;
                if (def.has("enabled")) {
                    params = params.withEnabled(bool(def.get("enabled"), "enabled", path));
                }
                if (def.has("dynamic")) {
                    params = params.withDynamic(Optional.of(parseDynamic(def.get("dynamic"), path)));
                }
                out.put(path, new Field(path, FieldType.OBJECT, Optional.empty(), "standard", Integer.MAX_VALUE, true, false, List.of(),
                        Optional.empty(), params));
                if (def.has("properties")) {
                    if (!params.enabled() && !def.get("properties").isEmpty()) {
                        throw SearchException.mapperParsing("the object [%s] is not enabled, so it cannot have [properties]", path);
                    }
                    parseProperties(path, def.get("properties"), out, depth + 1);
                }
                continue;
            }
            checkParameters(def, LEAF_PARAMETERS.get(fieldType), path, type);
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
                    checkParameters(subDef, LEAF_PARAMETERS.get(subType), path + "." + sub.getKey(), subDef.get("type").asText());
                    if (subDef.has("copy_to")) {
                        throw SearchException.mapperParsing("copy_to in multi fields is not allowed. Found the copy_to in field [%s] which is within a multi field.",
                                sub.getKey());
                    }
                    if (subDef.has("fields")) {
                        throw SearchException.mapperParsing("multi field [%s.%s] cannot have [fields] of its own", path, sub.getKey());
                    }
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
            format = Optional.of(def.get("format").asText());
            DateFormat.of(format.get());
        }
        String analyzer = def.path("analyzer").asText("standard");
        if (!ANALYZERS.contains(analyzer)) {
            throw SearchException.mapperParsing("analyzer [%s] has not been configured in mappings; Tributary knows %s (custom analyzers are not supported)",
                    analyzer, new java.util.TreeSet<>(ANALYZERS));
        }
        Optional<String> searchAnalyzer = Optional.ofNullable(def.get("search_analyzer")).map(JsonNode::asText);
        if (searchAnalyzer.isPresent() && !ANALYZERS.contains(searchAnalyzer.get())) {
            throw SearchException.mapperParsing("analyzer [%s] has not been configured in mappings; Tributary knows %s", searchAnalyzer.get(),
                    new java.util.TreeSet<>(ANALYZERS));
        }
        int ignoreAbove = def.has("ignore_above") ? def.get("ignore_above").asInt() : Integer.MAX_VALUE;
        if (ignoreAbove < 0) {
            throw SearchException.mapperParsing("[ignore_above] must be positive, got [%d]", ignoreAbove);
        }
        boolean indexed = !def.has("index") || bool(def.get("index"), "index", path);
        boolean docValues = type != FieldType.TEXT && (!def.has("doc_values") || bool(def.get("doc_values"), "doc_values", path));
        if (def.has("doc_values") && type == FieldType.TEXT && bool(def.get("doc_values"), "doc_values", path)) {
            throw SearchException.mapperParsing("[doc_values] on the text field [%s] is not supported by Tributary; use a keyword multi-field", path);
        }
        if (def.has("store") && bool(def.get("store"), "store", path)) {
            throw SearchException.mapperParsing("[store: true] on [%s] is not supported by Tributary: only _source is stored; read the value from "
                    + "_source or docvalue_fields", path);
        }
        if (def.has("similarity") && !def.get("similarity").asText().equals("BM25")) {
            throw SearchException.mapperParsing("similarity [%s] on [%s] is not supported by Tributary; fields score with BM25",
                    def.get("similarity").asText(), path);
        }
        if (def.has("boost")) {
            throw SearchException.mapperParsing("[boost] in a mapping ([%s]) is not supported by Tributary; boost the field in the query instead", path);
        }
        if (def.has("locale") && !List.of("root", "en", "en_us", "").contains(def.get("locale").asText().toLowerCase(Locale.ROOT))) {
            throw SearchException.mapperParsing("locale [%s] on [%s] is not supported by Tributary; dates are read in the root (English) locale",
                    def.get("locale").asText(), path);
        }
        boolean norms = !def.has("norms") || bool(def.get("norms"), "norms", path);
        if (type == FieldType.KEYWORD && def.has("norms") && norms) {
            throw SearchException.mapperParsing("[norms: true] on the keyword field [%s] is not supported by Tributary", path);
        }
        Optional<String> indexOptions = Optional.ofNullable(def.get("index_options")).map(JsonNode::asText);
        if (indexOptions.isPresent()) {
            Set<String> allowed = type == FieldType.TEXT ? TEXT_INDEX_OPTIONS : Set.of("docs", "freqs");
            if (!allowed.contains(indexOptions.get())) {
                throw SearchException.mapperParsing("Unknown value [%s] for field [index_options] on [%s]; use one of %s", indexOptions.get(), path,
                        new java.util.TreeSet<>(allowed));
            }
        }
        boolean coerce = !def.has("coerce") || bool(def.get("coerce"), "coerce", path);
        boolean ignoreMalformed = def.has("ignore_malformed") && bool(def.get("ignore_malformed"), "ignore_malformed", path);
        List<String> copyTo = new ArrayList<>();
        if (def.has("copy_to")) {
            JsonNode c = def.get("copy_to");
            if (c.isArray()) {
                c.forEach(n -> copyTo.add(n.asText()));
            } else {
                copyTo.add(c.asText());
            }
            if (copyTo.contains(path)) {
                throw SearchException.illegalArgument("[copy_to] of field [%s] cannot name the field itself", path);
            }
        }
        Optional<JsonNode> nullValue = Optional.ofNullable(def.get("null_value")).filter(n -> !n.isNull());
        Optional<JsonNode> meta = Optional.ofNullable(def.get("meta")).map(JsonNode::deepCopy);
        if (meta.isPresent() && !meta.get().isObject()) {
            throw SearchException.mapperParsing("[meta] on [%s] must be an object of strings", path);
        }
        Params params = new Params(nullValue, ignoreMalformed, copyTo, coerce, true, Optional.empty(), norms, indexOptions, searchAnalyzer, meta,
                def.has("eager_global_ordinals") && bool(def.get("eager_global_ordinals"), "eager_global_ordinals", path));
        Field field = new Field(path, type, format, analyzer, ignoreAbove, indexed, docValues, List.of(), parent, params);
        if (nullValue.isPresent()) {
            // The null value must be one the field can hold, as OpenSearch checks when the mapping is put.
            try {
                DocumentParser.check(field, nullValue.get());
            } catch (SearchException e) {
                throw SearchException.mapperParsing("Failed to parse mapping: [null_value] [%s] of [%s] does not fit its type [%s]",
                        DateFormat.truncate(nullValue.get().asText()), path, type.jsonName());
            }
        }
        return field;
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
            root.put("dynamic", dynamic.jsonValue());
        }
        if (!templates.isEmpty()) {
            ArrayNode list = root.putArray("dynamic_templates");
            templates.forEach(t -> list.addObject().set(t.name(), t.definition()));
        }
        dateFormats.ifPresent(f -> {
            ArrayNode list = root.putArray("dynamic_date_formats");
            f.forEach(list::add);
        });
        dateDetection.ifPresent(d -> root.put("date_detection", d));
        numericDetection.ifPresent(n -> root.put("numeric_detection", n));
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
                ObjectNode object = container.has(name) ? (ObjectNode) container.get(name) : container.putObject(name);
                f.params().dynamic().ifPresent(d -> object.put("dynamic", d.jsonValue()));
                if (!f.params().enabled()) {
                    object.put("type", "object").put("enabled", false);
                } else if (!object.has("properties")) {
                    object.putObject("properties");
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
        Params p = f.params();
        p.searchAnalyzer().ifPresent(a -> def.put("search_analyzer", a));
        if (!f.indexed()) {
            def.put("index", false);
        }
        if (!f.docValues() && f.type() != FieldType.TEXT) {
            def.put("doc_values", false);
        }
        if (!p.norms()) {
            def.put("norms", false);
        }
        p.indexOptions().ifPresent(o -> def.put("index_options", o));
        if (!p.coerce()) {
            def.put("coerce", false);
        }
        if (p.ignoreMalformed()) {
            def.put("ignore_malformed", true);
        }
        p.nullValue().ifPresent(v -> def.set("null_value", v));
        if (!p.copyTo().isEmpty()) {
            ArrayNode list = def.putArray("copy_to");
            p.copyTo().forEach(list::add);
        }
        if (p.eagerGlobalOrdinals()) {
            def.put("eager_global_ordinals", true);
        }
        p.meta().ifPresent(m -> def.set("meta", m));
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
        return empty().withFields(merged);
    }
}
