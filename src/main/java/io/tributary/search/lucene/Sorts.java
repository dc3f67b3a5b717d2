package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tributary.common.Json;
import io.tributary.search.FieldType;
import io.tributary.search.SearchException;
import io.tributary.search.lucene.IndexMapping.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.SortedNumericSelector;
import org.apache.lucene.search.SortedNumericSortField;
import org.apache.lucene.search.SortedSetSelector;
import org.apache.lucene.search.SortedSetSortField;
import org.apache.lucene.util.BytesRef;

/** {@code sort} clauses to a Lucene {@link Sort}, and sort values to and from JSON ({@code search_after}). */
final class Sorts {
    private Sorts() {}

    /** Empty when the request sorts by score only (the default). */
    static Optional<Sort> parse(JsonNode node, IndexMapping mapping) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Optional.empty();
        }
        List<JsonNode> clauses = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(clauses::add);
        } else {
            clauses.add(node);
        }
        List<SortField> fields = new ArrayList<>();
        for (JsonNode clause : clauses) {
            String name;
            String order = null;
            String missing = "_last";
            Optional<String> mode = Optional.empty();
            Optional<String> unmappedType = Optional.empty();
            if (clause.isTextual()) {
                name = clause.asText();
                int colon = name.lastIndexOf(':');
                if (colon > 0) {
                    order = name.substring(colon + 1);
                    name = name.substring(0, colon);
                }
            } else if (clause.isObject() && clause.size() == 1) {
                Map.Entry<String, JsonNode> e = clause.fields().next();
                name = e.getKey();
                if (e.getValue().isTextual()) {
                    order = e.getValue().asText();
                } else if (e.getValue().isObject()) {
                    JsonNode p = e.getValue();
                    for (String key : (Iterable<String>) p::fieldNames) {
                        if (!Set.of("order", "missing", "unmapped_type", "mode", "format", "numeric_type").contains(key)) {
                            throw SearchException.parsing("[field_sort] unknown field [%s]", key);
                        }
                    }
                    order = p.path("order").asText(null);
                    missing = p.path("missing").asText("_last");
                    mode = Optional.ofNullable(p.get("mode")).map(JsonNode::asText);
                    unmappedType = Optional.ofNullable(p.get("unmapped_type")).map(JsonNode::asText);
                    if (p.has("format") || p.has("numeric_type")) {
                        throw SearchException.parsing("[field_sort] [%s] is not supported by Tributary", p.has("format") ? "format" : "numeric_type");
                    }
                } else {
                    throw SearchException.parsing("[sort] malformed clause for [%s]", name);
                }
            } else {
                throw SearchException.parsing("[sort] each clause must be a field name or an object with one field, got %s",
                        DateFormat.truncate(clause.toString()));
            }
            if (order != null && !order.equals("asc") && !order.equals("desc")) {
                throw SearchException.illegalArgument("Unknown SortOrder [%s]; use asc or desc", order);
            }
            fields.add(field(name, order, missing, mode, unmappedType, mapping));
        }
        if (fields.size() == 1 && fields.get(0).getType() == SortField.Type.SCORE && !fields.get(0).getReverse()) {
            return Optional.empty();
        }
        return Optional.of(new Sort(fields.toArray(SortField[]::new)));
    }

    private static SortField field(String name, String order, String missing, Optional<String> mode, Optional<String> unmappedType,
            IndexMapping mapping) {
        if (name.equals("_score")) {
            return new SortField(null, SortField.Type.SCORE, "asc".equals(order));
        }
        if (name.equals("_doc")) {
            return new SortField(null, SortField.Type.DOC, "desc".equals(order));
        }
        boolean reverse = "desc".equals(order);
        if (name.equals(DocumentParser.ID)) {
            if (mode.isPresent() && !List.of("min", "max").contains(mode.get().toLowerCase(java.util.Locale.ROOT))) {
                throw SearchException.queryShard("we only support AVG, MEDIAN and SUM on number based fields (sort on [_id] with mode [%s])", mode.get());
            }
            // Every document has an id, so missing never applies.
            return IdSort.field(reverse);
        }
        Optional<Field> field = mapping.field(name);
        FieldType type;
        String path = name;
        if (field.isEmpty()) {
            if (unmappedType.isEmpty()) {
                throw SearchException.queryShard("No mapping found for [%s] in order to sort on", name);
            }
            type = FieldType.parse(unmappedType.get(), name);
        } else {
            type = field.get().type();
            path = field.get().path();
            if (type == FieldType.TEXT) {
                throw SearchException.illegalArgument("Text fields are not optimised for operations that require per-document field data like "
                        + "aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. "
                        + "Alternatively, set fielddata=true on [%s] in order to load field data by uninverting the inverted index. "
                        + "Note that this can use significant memory.", name);
            }
            if (type == FieldType.OBJECT || !field.get().docValues()) {
                throw SearchException.illegalArgument("Can't sort on [%s]: it is an object or has no doc values", name);
            }
        }
        boolean missingFirst = missing.equals("_first");
        boolean customMissing = !missing.equals("_first") && !missing.equals("_last");
        // "_last" means last in either direction; Lucene applies the missing value before reversing.
        boolean missingHigh = missingFirst == reverse;
        String m = mode.map(v -> v.toLowerCase(java.util.Locale.ROOT)).orElse(reverse ? "max" : "min");
        if (!List.of("min", "max", "sum", "avg", "median").contains(m)) {
            throw SearchException.illegalArgument("Unknown MultiValueMode [%s]; use min, max, sum, avg or median", m);
        }
        return switch (type) {
            case KEYWORD -> {
                if (!m.equals("min") && !m.equals("max")) {
                    throw SearchException.queryShard("we only support AVG, MEDIAN and SUM on number based fields (sort on [%s] with mode [%s])", name, m);
                }
                if (customMissing) {
                    throw SearchException.illegalArgument("[missing] of a sort on the keyword field [%s] must be _first or _last in Tributary, got [%s]",
                            name, missing);
                }
                SortedSetSortField f = new SortedSetSortField(path, reverse, m.equals("max") ? SortedSetSelector.Type.MAX : SortedSetSelector.Type.MIN);
                f.setMissingValue(missingHigh ? SortField.STRING_LAST : SortField.STRING_FIRST);
                yield f;
            }
            case LONG, INTEGER, SHORT, BYTE, DATE, BOOLEAN -> {
                Long missingValue = customMissing ? missingLong(missing, name, field) : missingHigh ? Long.MAX_VALUE : Long.MIN_VALUE;
                yield numeric(path, SortField.Type.LONG, m, reverse, missingValue);
            }
            case DOUBLE -> {
                Double missingValue = customMissing ? missingDouble(missing, name) : missingHigh ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                yield numeric(path, SortField.Type.DOUBLE, m, reverse, missingValue);
            }
            case FLOAT -> {
                Float missingValue = customMissing ? (float) missingDouble(missing, name) : missingHigh ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
                yield numeric(path, SortField.Type.FLOAT, m, reverse, missingValue);
            }
            case TEXT, OBJECT -> throw new IllegalStateException("checked above");
        };
    }

    private static SortField numeric(String path, SortField.Type type, String mode, boolean reverse, Number missing) {
        if (mode.equals("min") || mode.equals("max")) {
            SortedNumericSortField f = new SortedNumericSortField(path, type, reverse,
                    mode.equals("max") ? SortedNumericSelector.Type.MAX : SortedNumericSelector.Type.MIN);
            f.setMissingValue(missing);
            return f;
        }
        return ModeSortField.of(path, type, ModeSortField.Mode.valueOf(mode.toUpperCase(java.util.Locale.ROOT)), reverse, missing);
    }

    /** A value for documents without one: a number, or for a date field a date. */
    private static long missingLong(String missing, String name, Optional<Field> field) {
        try {
            return Long.parseLong(missing);
        } catch (NumberFormatException e) {
            if (field.isPresent() && field.get().type() == FieldType.DATE) {
                try {
                    return field.get().dateFormat().parse(missing);
                } catch (SearchException invalid) {
                    // reported below
                }
            }
            throw SearchException.illegalArgument("[missing] of the sort on [%s] must be _first, _last or a value of the field, got [%s]", name, missing);
        }
    }

    private static double missingDouble(String missing, String name) {
        try {
            return Double.parseDouble(missing);
        } catch (NumberFormatException e) {
            throw SearchException.illegalArgument("[missing] of the sort on [%s] must be _first, _last or a number, got [%s]", name, missing);
        }
    }

    static SortField.Type type(SortField f) {
        if (f instanceof SortedSetSortField || IdSort.is(f)) {
            return SortField.Type.STRING;
        }
        if (f instanceof ModeSortField m) {
            return m.numericType();
        }
        return f instanceof SortedNumericSortField n ? n.getNumericType() : f.getType();
    }

    /** A {@code search_after} position: after every document with these sort values. */
    static FieldDoc after(JsonNode values, Sort sort, IndexMapping mapping) {
        SortField[] fields = sort.getSort();
        if (!values.isArray() || values.size() != fields.length) {
            throw SearchException.illegalArgument("search_after has %d value(s) but sort has %d", values.isArray() ? values.size() : 1, fields.length);
        }
        Object[] out = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            JsonNode v = values.get(i);
            try {
                out[i] = switch (type(fields[i])) {
                    case LONG -> v.isNumber() ? v.asLong() : longValue(v.asText(), fields[i], mapping);
                    case DOUBLE -> v.asDouble();
                    case FLOAT, SCORE -> (float) v.asDouble();
                    case DOC, INT -> v.asInt();
                    case STRING, STRING_VAL -> v.isNull() ? null : new BytesRef(v.asText());
                    default -> throw SearchException.illegalArgument("search_after cannot follow sort [%s]", fields[i]);
                };
            } catch (NumberFormatException e) {
                throw SearchException.illegalArgument("Failed to parse search_after value [%s] for sort field [%s]", v.asText(), fields[i].getField());
            }
        }
        return new FieldDoc(Integer.MAX_VALUE, Float.NaN, out);
    }

    /** A sort value given as text: a number, or for a date field a date in the field's format (OpenSearch accepts both). */
    private static long longValue(String text, SortField field, IndexMapping mapping) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            Optional<Field> f = field.getField() == null ? Optional.empty() : mapping.field(field.getField());
            if (f.isPresent() && f.get().type() == FieldType.DATE) {
                try {
                    return f.get().dateFormat().parse(text);
                } catch (SearchException invalid) {
                    throw new NumberFormatException(text);
                }
            }
            throw e;
        }
    }

    static ArrayNode values(FieldDoc doc) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (Object v : doc.fields) {
            switch (v) {
                case null -> out.addNull();
                case Long l -> out.add(l);
                case Double d -> out.add(d);
                case Float f -> out.add(f);
                case Integer i -> out.add(i);
                case BytesRef b -> out.add(b.utf8ToString());
                default -> out.add(v.toString());
            }
        }
        return out;
    }
}
