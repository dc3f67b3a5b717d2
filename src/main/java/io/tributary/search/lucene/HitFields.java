package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import io.tributary.search.FieldType;
import io.tributary.search.SearchException;
import io.tributary.search.lucene.IndexMapping.Field;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.util.NumericUtils;

/**
 * The {@code fields} of a hit a search asks for, as OpenSearch Dashboards' Discover reads them:
 * {@code docvalue_fields} from doc values (keywords sorted and distinct, dates formatted) and
 * {@code fields} from {@code _source} read by the mapping (multi-fields take their parent's
 * values). Both take field patterns and a date {@code format}.
 *
 * <p>Immutable; reads per hit.
 */
final class HitFields {
    /** One requested field or pattern, with an optional date format. */
    record Request(String pattern, Optional<String> format) {}

    private final List<Request> docValueFields;
    private final List<Request> sourceFields;

    private HitFields(List<Request> docValueFields, List<Request> sourceFields) {
        this.docValueFields = List.copyOf(docValueFields);
        this.sourceFields = List.copyOf(sourceFields);
    }

    static HitFields parse(JsonNode request) {
        return new HitFields(requests(request.get("docvalue_fields"), "docvalue_fields"), requests(request.get("fields"), "fields"));
    }

    boolean isEmpty() {
        return docValueFields.isEmpty() && sourceFields.isEmpty();
    }

    private static List<Request> requests(JsonNode node, String key) {
        List<Request> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw SearchException.parsing("[%s] must be an array of field names or {\"field\", \"format\"} objects", key);
        }
        for (JsonNode n : node) {
            if (n.isTextual()) {
                out.add(new Request(n.asText(), Optional.empty()));
            } else if (n.isObject() && n.has("field")) {
                for (String k : (Iterable<String>) n::fieldNames) {
                    if (!k.equals("field") && !k.equals("format") && !(k.equals("include_unmapped") && !n.get(k).asBoolean())) {
                        throw SearchException.parsing("[%s] unknown field [%s]", key, k);
                    }
                }
                Optional<String> format = Optional.ofNullable(n.get("format")).map(JsonNode::asText).filter(f -> !f.equals("use_field_mapping"));
                format.ifPresent(DateFormat::of);
                out.add(new Request(n.get("field").asText(), format));
            } else {
                throw SearchException.parsing("[%s] entries must be field names or {\"field\", \"format\"} objects, got %s", key,
                        DateFormat.truncate(n.toString()));
            }
        }
        return out;
    }

    /** Checks the doc-value fields against the mapping before the search runs: a text field has no doc values, as OpenSearch says. */
    void check(IndexMapping mapping) {
        for (Request r : docValueFields) {
            for (Field f : matching(mapping, r.pattern())) {
                if (f.type() == FieldType.TEXT) {
                    throw SearchException.illegalArgument("Text fields are not optimised for operations that require per-document field data like "
                            + "aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. "
                            + "Alternatively, set fielddata=true on [%s] in order to load field data by uninverting the inverted index. "
                            + "Note that this can use significant memory.", f.path());
                }
            }
        }
    }

    private static List<Field> matching(IndexMapping mapping, String pattern) {
        List<Field> out = new ArrayList<>();
        if (pattern.contains("*") || pattern.contains("?")) {
            mapping.fields().values().stream().filter(f -> f.type() != FieldType.OBJECT && Wildcards.matches(pattern, f.path())).forEach(out::add);
        } else {
            mapping.field(pattern).filter(f -> f.type() != FieldType.OBJECT).ifPresent(out::add);
        }
        return out;
    }

    /** Adds {@code fields} to a hit when any requested field has a value in it. */
    void write(ObjectNode hit, IndexMapping mapping, LeafReaderContext leaf, int doc, ObjectNode source) throws IOException {
        ObjectNode fields = Json.mapper().createObjectNode();
        for (Request r : docValueFields) {
            for (Field f : matching(mapping, r.pattern())) {
                if (f.docValues() && !fields.has(f.path())) {
                    ArrayNode values = docValues(f, r.format(), leaf, doc);
                    if (!values.isEmpty()) {
                        fields.set(f.path(), values);
                    }
                }
            }
        }
        for (Request r : sourceFields) {
            for (Field f : matching(mapping, r.pattern())) {
                if (!fields.has(f.path())) {
                    ArrayNode values = sourceValues(f, r.format(), source);
                    if (!values.isEmpty()) {
                        fields.set(f.path(), values);
                    }
                }
            }
        }
        if (!fields.isEmpty()) {
            hit.set("fields", fields);
        }
    }

    private static ArrayNode docValues(Field f, Optional<String> format, LeafReaderContext leaf, int doc) throws IOException {
        ArrayNode out = Json.mapper().createArrayNode();
        if (f.type() == FieldType.KEYWORD) {
            SortedSetDocValues values = DocValues.getSortedSet(leaf.reader(), f.path());
            if (values.advanceExact(doc)) {
                for (int i = 0; i < values.docValueCount(); i++) {
                    out.add(values.lookupOrd(values.nextOrd()).utf8ToString());
                }
            }
            return out;
        }
        SortedNumericDocValues values = DocValues.getSortedNumeric(leaf.reader(), f.path());
        if (!values.advanceExact(doc)) {
            return out;
        }
        for (int i = 0; i < values.docValueCount(); i++) {
            long raw = values.nextValue();
            switch (f.type()) {
                case DATE -> out.add(format.map(DateFormat::of).orElse(f.dateFormat()).format(raw, java.time.ZoneOffset.UTC));
                case BOOLEAN -> out.add(raw == 1);
                case DOUBLE -> out.add(NumericUtils.sortableLongToDouble(raw));
                case FLOAT -> out.add((double) NumericUtils.sortableIntToFloat((int) raw));
                default -> out.add(raw);
            }
        }
        return out;
    }

    private static ArrayNode sourceValues(Field f, Optional<String> format, ObjectNode source) {
        ArrayNode out = Json.mapper().createArrayNode();
        List<JsonNode> values = new ArrayList<>(DocumentParser.values(source, f.parent().orElse(f.path())));
        if (values.isEmpty()) {
            f.params().nullValue().ifPresent(values::add);
        }
        for (JsonNode v : values) {
            if (v.isNull() || v.isContainerNode()) {
                continue;
            }
            try {
                switch (f.type()) {
                    case TEXT -> out.add(v.asText());
                    case KEYWORD -> {
                        if (v.asText().length() <= f.ignoreAbove()) {
                            out.add(v.asText());
                        }
                    }
                    case DATE -> {
                        DateFormat fmt = f.dateFormat();
                        long millis = fmt.parse(v.isNumber() ? DateFormat.numberText(v) : v.asText());
                        out.add(format.map(DateFormat::of).orElse(fmt).format(millis, java.time.ZoneOffset.UTC));
                    }
                    case BOOLEAN -> out.add(v.isBoolean() ? v.asBoolean() : Boolean.parseBoolean(v.asText()));
                    case LONG, INTEGER, SHORT, BYTE -> out.add(v.isNumber() ? v.longValue() : new java.math.BigDecimal(v.asText().trim()).longValue());
                    case DOUBLE, FLOAT -> out.add(v.isNumber() ? v.doubleValue() : Double.parseDouble(v.asText().trim()));
                    case OBJECT -> {
                        // objects have no values of their own
                    }
                }
            } catch (RuntimeException malformed) {
                // A value the field could not index (ignore_malformed) is not one of its values.
            }
        }
        return out;
    }
}
