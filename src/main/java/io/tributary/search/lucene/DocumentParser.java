package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.search.FieldType;
import io.tributary.search.SearchException;
import io.tributary.search.lucene.IndexMapping.Field;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoubleField;
import org.apache.lucene.document.Field.Store;
import org.apache.lucene.document.FloatField;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedNumericDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.util.BytesRef;

/**
 * Turns a JSON document into Lucene fields by its index's mapping, adding dynamic fields the way
 * OpenSearch's default dynamic mapping does: strings become {@code text} with a {@code .keyword}
 * multi-field (ignore_above 256) unless they are ISO dates, whole numbers {@code long}, other
 * numbers {@code float}, booleans {@code boolean}. Values are coerced as OpenSearch coerces them
 * ({@code "5"} into a long field is 5); values that do not fit are refused with
 * {@code mapper_parsing_exception} naming the field.
 *
 * <p>Stateless and thread-safe.
 */
final class DocumentParser {
    static final String ID = "_id";
    static final String SOURCE = "_source";
    static final String VERSION = "_version";
    static final String SEQ_NO = "_seq_no";
    private static final Set<String> METADATA = Set.of("_id", "_source", "_index", "_version", "_seq_no", "_primary_term",
            "_routing", "_field_names", "_ignored", "_type");
    private static final int DYNAMIC_KEYWORD_IGNORE_ABOVE = 256;
    private static final int MAX_TERM_BYTES = 32766;

    /** A parsed document and the fields dynamic mapping added for it. */
    record Parsed(Document document, Map<String, Field> newFields) {}

    /** The document being built: its Lucene fields, the fields mapped for it so far, and those left out as malformed. */
    private record Context(Document doc, IndexMapping mapping, Map<String, Field> added, String id, Set<String> ignored) {
        Optional<Field> field(String path) {
            return mapping.field(path).or(() -> Optional.ofNullable(added.get(path)));
        }

        /** How unmapped fields in an object are handled: its own dynamic, an enclosing object's, or the root's. */
        IndexMapping.Dynamic dynamicAt(String objectPath) {
            String p = objectPath;
            while (!p.isEmpty()) {
                Optional<Field> f = field(p);
                if (f.isPresent() && f.get().params().dynamic().isPresent()) {
                    return f.get().params().dynamic().get();
                }
                int dot = p.lastIndexOf('.');
                p = dot < 0 ? "" : p.substring(0, dot);
            }
            return mapping.dynamic();
        }
    }

    static final String IGNORED = "_ignored";

    private DocumentParser() {}

    static Parsed parse(String id, ObjectNode source, byte[] sourceBytes, long version, long seqNo, IndexMapping mapping) {
        Document doc = new Document();
        doc.add(new StringField(ID, id, Store.YES));
        doc.add(new StoredField(SOURCE, sourceBytes));
        doc.add(new NumericDocValuesField(VERSION, version));
        doc.add(new NumericDocValuesField(SEQ_NO, seqNo));
        Context ctx = new Context(doc, mapping, new LinkedHashMap<>(), id, new java.util.LinkedHashSet<>());
        object("", source, ctx, 1);
        for (String path : ctx.ignored()) {
            doc.add(new StringField(IGNORED, path, Store.YES));
        }
        return new Parsed(doc, ctx.added());
    }

    private static void object(String prefix, JsonNode node, Context ctx, int depth) {
        if (depth > IndexMapping.DEPTH_LIMIT) {
            throw SearchException.mapperParsing("failed to parse: Limit of mapping depth [%d] has been exceeded in document with id '%s'",
                    IndexMapping.DEPTH_LIMIT, ctx.id());
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (prefix.isEmpty() && METADATA.contains(name)) {
                throw SearchException.mapperParsing(
                        "Field [%s] is a metadata field and cannot be added inside a document. Use the index API request parameters.", name);
            }
            if (name.isEmpty() || name.isBlank()) {
                throw SearchException.mapperParsing("failed to parse: field name cannot be an empty string in document with id '%s'", ctx.id());
            }
            if (name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
                throw SearchException.mapperParsing("failed to parse: field name [%s] cannot start or end with a dot or contain two dots", name);
            }
            value(prefix.isEmpty() ? name : prefix + "." + name, e.getValue(), ctx, depth);
        }
    }

    private static void value(String path, JsonNode value, Context ctx, int depth) {
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (element.isArray()) {
                    throw SearchException.mapperParsing("failed to parse field [%s]: arrays of arrays are not supported", path);
                }
                value(path, element, ctx, depth);
            }
            return;
        }
        Optional<Field> mapped = ctx.field(path);
        if (value.isNull()) {
            // An explicit null indexes the field's null_value, if it has one.
            if (mapped.isPresent() && mapped.get().type() != FieldType.OBJECT && mapped.get().params().nullValue().isPresent()) {
                indexWithSubFields(mapped.get(), mapped.get().params().nullValue().get(), ctx);
            }
            return;
        }
        if (value.isObject()) {
            if (mapped.isPresent() && mapped.get().type() != FieldType.OBJECT) {
                throw SearchException.mapperParsing("failed to parse field [%s] of type [%s] in document with id '%s'. Preview of field's value: '%s'",
                        path, mapped.get().type().jsonName(), ctx.id(), DateFormat.truncate(value.toString()));
            }
            if (mapped.isEmpty()) {
                if (!dynamicAllows(ctx, path)) {
                    return;
                }
                mapped = Optional.of(dynamicObject(path, ctx));
            }
            if (!mapped.get().params().enabled()) {
                // enabled: false keeps the object in _source only.
                return;
            }
            object(path, value, ctx, depth + 1);
            return;
        }
        Field field;
        if (mapped.isPresent()) {
            field = mapped.get();
            if (field.type() == FieldType.OBJECT) {
                if (!field.params().enabled()) {
                    return;
                }
                throw SearchException.mapperParsing("object mapping for [%s] tried to parse field [%s] as object, but found a concrete value",
                        path, path);
            }
        } else {
            if (!dynamicAllows(ctx, path)) {
                return;
            }
            field = dynamicField(path, value, ctx);
        }
        indexWithSubFields(field, value, ctx);
        // copy_to: the value is indexed again into each target, which is not copied further (as in OpenSearch).
        for (String target : field.params().copyTo()) {
            Optional<Field> t = ctx.field(target);
            if (t.isEmpty() && dynamicAllows(ctx, target)) {
                t = Optional.of(dynamicField(target, value, ctx));
            }
            if (t.isPresent()) {
                if (t.get().type() == FieldType.OBJECT) {
                    throw SearchException.mapperParsing("Cannot copy to field [%s] since it is mapped as an object", target);
                }
                indexWithSubFields(t.get(), value, ctx);
            }
        }
    }

    private static void indexWithSubFields(Field field, JsonNode value, Context ctx) {
        index(field, value, ctx);
        for (String sub : field.subFields()) {
            ctx.field(field.path() + "." + sub).ifPresent(subField -> index(subField, value, ctx));
        }
    }

    private static boolean dynamicAllows(Context ctx, String path) {
        int dot = path.lastIndexOf('.');
        String parent = dot < 0 ? "" : path.substring(0, dot);
        return switch (ctx.dynamicAt(parent)) {
            case TRUE -> true;
            case FALSE -> false;
            case STRICT -> throw new SearchException(io.tributary.common.ErrorCode.INVALID_ARGUMENT, "strict_dynamic_mapping_exception", 400,
                    "mapping set to strict, dynamic introduction of [" + path.substring(dot + 1) + "] within [" + (parent.isEmpty() ? "_doc" : parent)
                            + "] is not allowed");
        };
    }

    /** A new object, as a dynamic template for objects maps it, else a plain object. */
    private static Field dynamicObject(String path, Context ctx) {
        String leaf = path.substring(path.lastIndexOf('.') + 1);
        for (IndexMapping.DynamicTemplate t : ctx.mapping().templates()) {
            if (t.matches(leaf, path, "object")) {
                Map<String, Field> fields = IndexMapping.fieldsFor(path, t.mappingFor(leaf, "object"), true);
                Field object = fields.get(path);
                if (object == null || object.type() != FieldType.OBJECT) {
                    throw SearchException.mapperParsing("dynamic template [%s] maps the object [%s] as [%s]; objects can only be mapped as object",
                            t.name(), path, object == null ? "nothing" : object.type().jsonName());
                }
                addParents(path, ctx);
                fields.forEach(ctx.added()::putIfAbsent);
                return object;
            }
        }
        Field object = Field.of(path, FieldType.OBJECT);
        addParents(path, ctx);
        ctx.added().put(path, object);
        return object;
    }

    /** A new field for a value: by the first dynamic template that matches, else by OpenSearch's default rules. */
    private static Field dynamicField(String path, JsonNode value, Context ctx) {
        IndexMapping mapping = ctx.mapping();
        String detected;
        Optional<String> dateFormat = Optional.empty();
        if (value.isBoolean()) {
            detected = "boolean";
        } else if (value.isIntegralNumber()) {
            detected = "long";
        } else if (value.isNumber()) {
            detected = "double";
        } else {
            String text = value.asText();
            Optional<String> date = mapping.dateDetection() ? detectDate(text, mapping.dateFormats()) : Optional.empty();
            if (date.isPresent()) {
                detected = "date";
                dateFormat = date.filter(f -> !f.equals("strict_date_optional_time"));
            } else if (mapping.numericDetection() && isNumber(text)) {
                detected = text.contains(".") || text.contains("e") || text.contains("E") ? "double" : "long";
            } else {
                detected = "string";
            }
        }
        String leaf = path.substring(path.lastIndexOf('.') + 1);
        for (IndexMapping.DynamicTemplate t : mapping.templates()) {
            if (t.matches(leaf, path, detected)) {
                Map<String, Field> fields = IndexMapping.fieldsFor(path, t.mappingFor(leaf, detected), false);
                Field field = fields.get(path);
                if (field == null || field.type() == FieldType.OBJECT) {
                    throw SearchException.mapperParsing("dynamic template [%s] maps the value of [%s] as an object", t.name(), path);
                }
                addParents(path, ctx);
                fields.forEach(ctx.added()::putIfAbsent);
                return field;
            }
        }
        Field field = switch (detected) {
            case "boolean" -> Field.of(path, FieldType.BOOLEAN);
            case "long" -> Field.of(path, FieldType.LONG);
            case "double" -> Field.of(path, FieldType.FLOAT);
            case "date" -> new Field(path, FieldType.DATE, dateFormat, "standard", Integer.MAX_VALUE, true, true, List.of(), Optional.empty());
            default -> {
                Field keyword = new Field(path + ".keyword", FieldType.KEYWORD, Optional.empty(), "standard",
                        DYNAMIC_KEYWORD_IGNORE_ABOVE, true, true, List.of(), Optional.of(path));
                ctx.added().put(keyword.path(), keyword);
                yield Field.of(path, FieldType.TEXT).withSubFields(List.of("keyword"));
            }
        };
        ctx.added().put(path, field);
        addParents(path, ctx);
        return field;
    }

    /** Parent objects of a dotted name ("a.b": 1) exist as objects, as OpenSearch maps them. */
    private static void addParents(String path, Context ctx) {
        int dot = path.lastIndexOf('.');
        while (dot > 0) {
            String parent = path.substring(0, dot);
            if (ctx.mapping().field(parent).isEmpty()) {
                ctx.added().putIfAbsent(parent, Field.of(parent, FieldType.OBJECT));
            }
            dot = parent.lastIndexOf('.');
        }
    }

    /**
     * OpenSearch's dynamic date detection: a string that is not a number (so {@code epoch_millis}
     * or a bare year cannot make one a date) which one of the dynamic date formats parses; that format.
     */
    static Optional<String> detectDate(String text, List<String> formats) {
        if (text.isEmpty() || text.length() > 64 || isNumber(text)) {
            return Optional.empty();
        }
        for (String f : formats) {
            if (DateFormat.of(f).canParse(text)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** OpenSearch's default dynamic date detection. */
    static boolean looksLikeDate(String text) {
        return detectDate(text, IndexMapping.DEFAULT_DATE_FORMATS).isPresent();
    }

    private static boolean isNumber(String text) {
        try {
            new BigDecimal(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Checks that a value fits a field (a mapping's null_value), without indexing it. */
    static void check(Field field, JsonNode value) {
        index(field, value, new Document(), "null_value");
    }

    private static void index(Field field, JsonNode value, Context ctx) {
        try {
            index(field, value, ctx.doc(), ctx.id());
        } catch (SearchException e) {
            // ignore_malformed: the document goes in without this value, and _ignored names the field (as in OpenSearch).
            if (field.params().ignoreMalformed() && e.type().equals("mapper_parsing_exception")) {
                ctx.ignored().add(field.parent().orElse(field.path()));
                return;
            }
            throw e;
        }
    }

    private static void index(Field field, JsonNode value, Document doc, String id) {
        String path = field.path();
        try {
            switch (field.type()) {
                case TEXT -> {
                    if (field.indexed()) {
                        doc.add(new org.apache.lucene.document.Field(path, value.asText(), textType(field)));
                    }
                }
                case KEYWORD -> {
                    String text = value.asText();
                    if (text.length() > field.ignoreAbove()) {
                        return;
                    }
                    BytesRef bytes = new BytesRef(text);
                    if (bytes.length > MAX_TERM_BYTES) {
                        throw SearchException.illegalArgument(
                                "Document contains at least one immense term in field=\"%s\" (whose UTF8 encoding is longer than the max length %d); use a text field or set ignore_above",
                                path, MAX_TERM_BYTES);
                    }
                    if (field.indexed() && field.docValues() && field.params().indexOptions().filter(o -> !o.equals("docs")).isEmpty()) {
                        doc.add(new KeywordField(path, bytes, Store.NO));
                    } else if (field.indexed() && field.docValues()) {
                        doc.add(new org.apache.lucene.document.Field(path, bytes, KEYWORD_WITH_FREQS));
                        doc.add(new SortedSetDocValuesField(path, bytes));
                    } else if (field.indexed()) {
                        doc.add(new StringField(path, bytes, Store.NO));
                    } else if (field.docValues()) {
                        doc.add(new SortedSetDocValuesField(path, bytes));
                    }
                }
                case LONG, INTEGER, SHORT, BYTE -> addLong(field, wholeNumber(field, value, id), doc);
                case DOUBLE -> {
                    double d = decimal(field, value, id);
                    if (field.indexed() && field.docValues()) {
                        doc.add(new DoubleField(path, d, Store.NO));
                    } else if (field.docValues()) {
                        doc.add(new SortedNumericDocValuesField(path, org.apache.lucene.util.NumericUtils.doubleToSortableLong(d)));
                    } else if (field.indexed()) {
                        doc.add(new org.apache.lucene.document.DoublePoint(path, d));
                    }
                }
                case FLOAT -> {
                    float f = (float) decimal(field, value, id);
                    if (Float.isInfinite(f)) {
                        throw malformed(field, value, id, "[float] supports only finite values");
                    }
                    if (field.indexed() && field.docValues()) {
                        doc.add(new FloatField(path, f, Store.NO));
                    } else if (field.docValues()) {
                        doc.add(new SortedNumericDocValuesField(path, org.apache.lucene.util.NumericUtils.floatToSortableInt(f)));
                    } else if (field.indexed()) {
                        doc.add(new org.apache.lucene.document.FloatPoint(path, f));
                    }
                }
                case DATE -> {
                    // Numbers go through the format as text, as in OpenSearch: 1772705472 in an epoch_second field is seconds.
                    String text = value.isNumber() ? DateFormat.numberText(value) : value.asText();
                    long millis;
                    try {
                        millis = field.dateFormat().parse(text);
                    } catch (SearchException e) {
                        throw malformed(field, value, id, "failed to parse date field [" + DateFormat.truncate(text)
                                + "] with format [" + field.format().orElse(DateFormat.DEFAULT) + "]");
                    }
                    addLong(field, millis, doc);
                }
                case BOOLEAN -> {
                    boolean b;
                    if (value.isBoolean()) {
                        b = value.asBoolean();
                    } else if (value.isTextual() && (value.asText().equals("true") || value.asText().equals("false"))) {
                        b = Boolean.parseBoolean(value.asText());
                    } else if (value.isTextual() && value.asText().isEmpty()) {
                        b = false;
                    } else {
                        throw malformed(field, value, id, "Failed to parse value [" + DateFormat.truncate(value.asText())
                                + "] as only [true] or [false] are allowed.");
                    }
                    if (field.indexed()) {
                        doc.add(new StringField(path, b ? "T" : "F", Store.NO));
                    }
                    if (field.docValues()) {
                        doc.add(new SortedNumericDocValuesField(path, b ? 1 : 0));
                    }
                }
                case OBJECT -> throw new IllegalStateException("objects are not indexed as values");
            }
        } catch (SearchException e) {
            throw e;
        } catch (RuntimeException e) {
            throw malformed(field, value, id, e.getMessage());
        }
    }

    private static final org.apache.lucene.document.FieldType KEYWORD_WITH_FREQS = keywordWithFreqs();
    private static final Map<String, org.apache.lucene.document.FieldType> TEXT_TYPES = new java.util.concurrent.ConcurrentHashMap<>();

    private static org.apache.lucene.document.FieldType keywordWithFreqs() {
        org.apache.lucene.document.FieldType t = new org.apache.lucene.document.FieldType(StringField.TYPE_NOT_STORED);
        t.setIndexOptions(org.apache.lucene.index.IndexOptions.DOCS_AND_FREQS);
        t.freeze();
        return t;
    }

    /** A text field's Lucene type from its norms and index_options. */
    private static org.apache.lucene.document.FieldType textType(Field field) {
        String options = field.params().indexOptions().orElse("positions");
        boolean norms = field.params().norms();
        return TEXT_TYPES.computeIfAbsent(options + "/" + norms, k -> {
            org.apache.lucene.document.FieldType t = new org.apache.lucene.document.FieldType(TextField.TYPE_NOT_STORED);
            t.setOmitNorms(!norms);
            t.setIndexOptions(switch (options) {
                case "docs" -> org.apache.lucene.index.IndexOptions.DOCS;
                case "freqs" -> org.apache.lucene.index.IndexOptions.DOCS_AND_FREQS;
                case "offsets" -> org.apache.lucene.index.IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS;
                default -> org.apache.lucene.index.IndexOptions.DOCS_AND_FREQS_AND_POSITIONS;
            });
            t.freeze();
            return t;
        });
    }

    private static void addLong(Field field, long v, Document doc) {
        if (field.indexed() && field.docValues()) {
            doc.add(new LongField(field.path(), v, Store.NO));
        } else if (field.docValues()) {
            doc.add(new SortedNumericDocValuesField(field.path(), v));
        } else if (field.indexed()) {
            doc.add(new LongPoint(field.path(), v));
        }
    }

    private static long wholeNumber(Field field, JsonNode value, String id) {
        double min;
        double max;
        switch (field.type()) {
            case INTEGER -> {
                min = Integer.MIN_VALUE;
                max = Integer.MAX_VALUE;
            }
            case SHORT -> {
                min = Short.MIN_VALUE;
                max = Short.MAX_VALUE;
            }
            case BYTE -> {
                min = Byte.MIN_VALUE;
                max = Byte.MAX_VALUE;
            }
            default -> {
                min = Long.MIN_VALUE;
                max = Long.MAX_VALUE;
            }
        }
        if (!field.params().coerce() && !value.isNumber()) {
            throw malformed(field, value, id, "Illegal value: coerce is false and the value is not a number");
        }
        BigDecimal number;
        try {
            number = value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText().trim());
        } catch (NumberFormatException e) {
            throw malformed(field, value, id, "For input string: \"" + DateFormat.truncate(value.asText()) + "\"");
        }
        if (!field.params().coerce() && number.stripTrailingZeros().scale() > 0) {
            throw malformed(field, value, id, "Value [" + DateFormat.truncate(number.toPlainString()) + "] has a decimal part and coerce is false");
        }
        if (number.compareTo(BigDecimal.valueOf(min)) < 0 || number.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw malformed(field, value, id, "Value [" + DateFormat.truncate(number.toPlainString()) + "] is out of range for "
                    + (field.type() == FieldType.INTEGER ? "an " : "a ") + field.type().jsonName());
        }
        return number.longValue();
    }

    private static double decimal(Field field, JsonNode value, String id) {
        double d;
        if (!field.params().coerce() && !value.isNumber()) {
            throw malformed(field, value, id, "Illegal value: coerce is false and the value is not a number");
        }
        if (value.isNumber()) {
            d = value.asDouble();
        } else {
            try {
                d = Double.parseDouble(value.asText().trim());
            } catch (NumberFormatException e) {
                throw malformed(field, value, id, "For input string: \"" + DateFormat.truncate(value.asText()) + "\"");
            }
        }
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw malformed(field, value, id, "[" + field.type().jsonName() + "] supports only finite values");
        }
        return d;
    }

    private static SearchException malformed(Field field, JsonNode value, String id, String reason) {
        return SearchException.mapperParsing("failed to parse field [%s] of type [%s] in document with id '%s'. Preview of field's value: '%s'%s",
                field.path(), field.type().jsonName(), id, DateFormat.truncate(value.asText()), reason == null ? "" : ": " + reason);
    }

    /** The values of a field in a source document, by dotted path, for realtime reads. */
    static List<JsonNode> values(JsonNode source, String path) {
        List<JsonNode> out = new ArrayList<>();
        collect(source, path.split("\\."), 0, out);
        return out;
    }

    private static void collect(JsonNode node, String[] segments, int i, List<JsonNode> out) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return;
        }
        if (node.isArray()) {
            node.forEach(n -> collect(n, segments, i, out));
            return;
        }
        if (i == segments.length) {
            out.add(node);
            return;
        }
        collect(node.get(segments[i]), segments, i + 1, out);
    }
}
