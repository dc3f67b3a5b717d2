package io.tributary.search.lucene;

import io.tributary.search.FieldType;
import io.tributary.search.SearchException;
import io.tributary.search.lucene.IndexMapping.Field;
import java.io.IOException;
import java.util.Optional;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.util.NumericUtils;

/** Where an aggregation reads a field's values: numeric doc values decoded by type, or keyword ordinals. */
record ValueSource(Field field) {
    enum Kind {
        LONG,
        DOUBLE,
        FLOAT,
        KEYWORD,
    }

    /** The field's source, or empty when the field is not mapped (the aggregation is then empty, as in OpenSearch). */
    static Optional<ValueSource> of(IndexMapping mapping, String fieldName, String aggregation) {
        if (fieldName == null) {
            throw SearchException.illegalArgument("Required one of fields [field, script], but none were specified for aggregation [%s]", aggregation);
        }
        if (QueryDsl.isMetadata(fieldName) || fieldName.equals("_source") || fieldName.equals("_seq_no") || fieldName.equals("_version")) {
            throw SearchException.illegalArgument("aggregation [%s] on the metadata field [%s] is not supported by Tributary (a terms aggregation "
                    + "on _index is)", aggregation, fieldName);
        }
        Optional<Field> f = mapping.field(fieldName);
        if (f.isEmpty()) {
            return Optional.empty();
        }
        Field field = f.get();
        if (field.type() == FieldType.TEXT) {
            throw SearchException.illegalArgument("Text fields are not optimised for operations that require per-document field data like "
                    + "aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. "
                    + "Alternatively, set fielddata=true on [%s] in order to load field data by uninverting the inverted index.", fieldName);
        }
        if (field.type() == FieldType.OBJECT) {
            throw SearchException.illegalArgument("Field [%s] of type [object] is not supported for aggregation [%s]", fieldName, aggregation);
        }
        if (!field.docValues()) {
            throw SearchException.illegalArgument("Can't load fielddata on [%s] because fielddata is unsupported on fields of type [%s]. "
                    + "Use doc values instead.", fieldName, field.type().jsonName());
        }
        return Optional.of(new ValueSource(field));
    }

    Kind kind() {
        return switch (field.type()) {
            case LONG, INTEGER, SHORT, BYTE, DATE, BOOLEAN -> Kind.LONG;
            case DOUBLE -> Kind.DOUBLE;
            case FLOAT -> Kind.FLOAT;
            case KEYWORD -> Kind.KEYWORD;
            case TEXT, OBJECT -> throw new IllegalStateException("no doc values for " + field.type());
        };
    }

    boolean numeric() {
        return kind() != Kind.KEYWORD;
    }

    SortedNumericDocValues numeric(LeafReaderContext context) throws IOException {
        return DocValues.getSortedNumeric(context.reader(), field.path());
    }

    SortedSetDocValues ordinals(LeafReaderContext context) throws IOException {
        return DocValues.getSortedSet(context.reader(), field.path());
    }

    /** A raw numeric doc value as a double. */
    double decode(long raw) {
        return switch (kind()) {
            case LONG -> raw;
            case DOUBLE -> NumericUtils.sortableLongToDouble(raw);
            case FLOAT -> NumericUtils.sortableIntToFloat((int) raw);
            case KEYWORD -> throw new IllegalStateException("keyword values are not numbers");
        };
    }

    /** A number as a string the way OpenSearch prints it for this field (dates formatted). */
    Optional<String> asString(double value) {
        return asString(value, Optional.empty());
    }

    /**
     * A number as a string: dates in the aggregation's {@code format} or the field's, other
     * numbers only when a {@code format} (a decimal pattern such as {@code 0.00}) is given.
     */
    Optional<String> asString(double value, Optional<String> format) {
        if (field.type() == FieldType.DATE) {
            return Optional.of(format.map(DateFormat::of).orElse(field.dateFormat()).format((long) value, java.time.ZoneOffset.UTC));
        }
        return format.map(f -> decimalFormat(f).format(value));
    }

    /** A {@code format} of a numeric aggregation: a Java decimal pattern, checked when the request is read. */
    static java.text.DecimalFormat decimalFormat(String pattern) {
        try {
            return new java.text.DecimalFormat(pattern, java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw SearchException.illegalArgument("[format] [%s] is not a decimal pattern such as 0.00: %s", pattern, e.getMessage());
        }
    }

    /** Checks a {@code format} for this field when the aggregation is read. */
    void checkFormat(Optional<String> format) {
        format.ifPresent(f -> {
            if (field.type() == FieldType.DATE) {
                DateFormat.of(f);
            } else if (field.type() == FieldType.KEYWORD || field.type() == FieldType.BOOLEAN) {
                throw SearchException.illegalArgument("[format] does not apply to the %s field [%s]", field.type().jsonName(), field.path());
            } else {
                decimalFormat(f);
            }
        });
    }
}
