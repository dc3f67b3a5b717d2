package io.tributary.search;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The mapping types Tributary's index supports, named as in OpenSearch mappings. */
public enum FieldType {
    TEXT,
    KEYWORD,
    LONG,
    INTEGER,
    SHORT,
    BYTE,
    DOUBLE,
    FLOAT,
    BOOLEAN,
    DATE,
    OBJECT;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isNumeric() {
        return switch (this) {
            case LONG, INTEGER, SHORT, BYTE, DOUBLE, FLOAT -> true;
            case TEXT, KEYWORD, BOOLEAN, DATE, OBJECT -> false;
        };
    }

    public boolean isWholeNumber() {
        return switch (this) {
            case LONG, INTEGER, SHORT, BYTE -> true;
            case TEXT, KEYWORD, DOUBLE, FLOAT, BOOLEAN, DATE, OBJECT -> false;
        };
    }

    /** Whether values live in sortable numeric doc values (numbers, dates and booleans). */
    public boolean hasNumericDocValues() {
        return isNumeric() || this == DATE || this == BOOLEAN;
    }

    public static FieldType parse(String name, String field) {
        for (FieldType t : values()) {
            if (t.jsonName().equals(name)) {
                return t;
            }
        }
        if ("nested".equals(name)) {
            return OBJECT;
        }
        throw SearchException.mapperParsing("No handler for type [%s] declared on field [%s]; Tributary supports %s",
                name, field, Arrays.stream(values()).map(FieldType::jsonName).collect(Collectors.joining(", ")));
    }
}
