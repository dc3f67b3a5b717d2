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

    private DocumentParser() {}

    static Parsed parse(String id, ObjectNode source, byte[] sourceBytes, long version, long seqNo, IndexMapping mapping) {
        Document doc = new Document();
        doc.add(new StringField(ID, id, Store.YES));
        doc.add(new StoredField(SOURCE, sourceBytes));
        doc.add(new NumericDocValuesField(VERSION, version));
        doc.add(new NumericDocValuesField(SEQ_NO, seqNo));
        Map<String, Field> added = new LinkedHashMap<>();
        object("", source, doc, mapping, added, id, 1);
        return new Parsed(doc, added);
    }

    private static void object(String prefix, JsonNode node, Document doc, IndexMapping mapping, Map<String, Field> added,
            String id, int depth) {
        if (depth > IndexMapping.DEPTH_LIMIT) {
            throw SearchException.mapperParsing("failed to parse: Limit of mapping depth [%d] has been exceeded in document with id '%s'",
                    IndexMapping.DEPTH_LIMIT, id);
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
                throw SearchException.mapperParsing("failed to parse: field name cannot be an empty string in document with id '%s'", id);
            }
            if (name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
                throw SearchException.mapperParsing("failed to parse: field name [%s] cannot start or end with a dot or contain two dots", name);
            }
            value(prefix.isEmpty() ? name : prefix + "." + name, e.getValue(), doc, mapping, added, id, depth);
        }
    }

    private static void value(String path, JsonNode value, Document doc, IndexMapping mapping, Map<String, Field> added,
            String id, int depth) {
        if (value.isNull()) {
            return;
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (element.isArray()) {
                    throw SearchException.mapperParsing("failed to parse field [%s]: arrays of arrays are not supported", path);
                }
                value(path, element, doc, mapping, added, id, depth);
            }
            return;
        }
        Optional<Field> mapped = mapping.field(path).or(() -> Optional.ofNullable(added.get(path)));
        if (value.isObject()) {
            if (mapped.isPresent() && mapped.get().type() != FieldType.OBJECT) {
                throw SearchException.mapperParsing("failed to parse field [%s] of type [%s] in document with id '%s'. Preview of field's value: '%s'",
                        path, mapped.get().type().jsonName(), id, DateFormat.truncate(value.toString()));
            }
            if (mapped.isEmpty()) {
                if (!dynamicAllows(mapping, path)) {
                    return;
                }
                added.put(path, Field.of(path, FieldType.OBJECT));
            }
            object(path, value, doc, mapping, added, id, depth + 1);
            return;
        }
        Field field;
        if (mapped.isPresent()) {
            field = mapped.get();
            if (field.type() == FieldType.OBJECT) {
                throw SearchException.mapperParsing("object mapping for [%s] tried to parse field [%s] as object, but found a concrete value",
                        path, path);
            }
        } else {
            if (!dynamicAllows(mapping, path)) {
                return;
            }
            field = dynamicField(path, value, mapping, added);
        }
        index(field, value, doc, id);
        for (String sub : field.subFields()) {
            Field subField = mapping.field(path + "." + sub).orElseGet(() -> added.get(path + "." + sub));
            if (subField != null) {
                index(subField, value, doc, id);
            }
        }
    }

    private static boolean dynamicAllows(IndexMapping mapping, String path) {
        return switch (mapping.dynamic()) {
            case TRUE -> true;
            case FALSE -> false;
            case STRICT -> throw SearchException.mapperParsing(
                    "mapping set to strict, dynamic introduction of [%s] within [_doc] is not allowed", path);
        };
    }

    private static Field dynamicField(String path, JsonNode value, IndexMapping mapping, Map<String, Field> added) {
        Field field;
        if (value.isBoolean()) {
            field = Field.of(path, FieldType.BOOLEAN);
        } else if (value.isIntegralNumber()) {
            field = Field.of(path, FieldType.LONG);
        } else if (value.isNumber()) {
            field = Field.of(path, FieldType.FLOAT);
        } else {
            String text = value.asText();
            if (mapping.dateDetection() && looksLikeDate(text)) {
                field = Field.of(path, FieldType.DATE);
            } else if (mapping.numericDetection() && isNumber(text)) {
                field = Field.of(path, text.contains(".") ? FieldType.FLOAT : FieldType.LONG);
            } else {
                Field keyword = new Field(path + ".keyword", FieldType.KEYWORD, Optional.empty(), "standard",
                        DYNAMIC_KEYWORD_IGNORE_ABOVE, true, true, List.of(), Optional.of(path));
                added.put(keyword.path(), keyword);
                field = Field.of(path, FieldType.TEXT).withSubFields(List.of("keyword"));
            }
        }
        added.put(path, field);
        // Parent objects of a dotted name ("a.b": 1) exist as objects, as OpenSearch maps them.
        int dot = path.lastIndexOf('.');
        while (dot > 0) {
            String parent = path.substring(0, dot);
            if (mapping.field(parent).isEmpty()) {
                added.putIfAbsent(parent, Field.of(parent, FieldType.OBJECT));
            }
            dot = parent.lastIndexOf('.');
        }
        return field;
    }

    /** OpenSearch's default dynamic date detection, strict_date_optional_time with at least a full date. */
    static boolean looksLikeDate(String text) {
        return text.length() >= 10 && text.length() <= 35 && text.charAt(4) == '-' && text.charAt(7) == '-'
                && Character.isDigit(text.charAt(0)) && DateFormat.defaultFormat().canParse(text);
    }

    private static boolean isNumber(String text) {
        try {
            new BigDecimal(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void index(Field field, JsonNode value, Document doc, String id) {
        String path = field.path();
        try {
            switch (field.type()) {
                case TEXT -> {
                    if (field.indexed()) {
                        doc.add(new TextField(path, value.asText(), Store.NO));
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
                    if (field.indexed() && field.docValues()) {
                        doc.add(new KeywordField(path, bytes, Store.NO));
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
        BigDecimal number;
        try {
            number = value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText().trim());
        } catch (NumberFormatException e) {
            throw malformed(field, value, id, "For input string: \"" + DateFormat.truncate(value.asText()) + "\"");
        }
        if (number.compareTo(BigDecimal.valueOf(min)) < 0 || number.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw malformed(field, value, id, "Value [" + DateFormat.truncate(number.toPlainString()) + "] is out of range for "
                    + (field.type() == FieldType.INTEGER ? "an " : "a ") + field.type().jsonName());
        }
        return number.longValue();
    }

    private static double decimal(Field field, JsonNode value, String id) {
        double d;
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
