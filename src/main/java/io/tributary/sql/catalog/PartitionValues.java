package io.tributary.sql.catalog;

import io.tributary.common.TributaryException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;

/**
 * Partition values typed by their key's type, as Athena compares them: {@code 09} and {@code 9}
 * are the same {@code int}. Values are kept in a canonical text per type.
 */
public final class PartitionValues {
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder().appendPattern("yyyy-MM-dd[ HH:mm[:ss]]")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd().toFormatter(Locale.ROOT);

    /** Hive's folder for a NULL partition value; a value of every type, read as NULL. */
    public static final String DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

    private PartitionValues() {}

    /** The canonical text of {@code raw} as a value of {@code type}, or empty if it is not one. */
    public static Optional<String> canonical(DataType type, String raw) {
        if (raw.equals(DEFAULT_PARTITION)) {
            return Optional.of(raw);
        }
        String v = raw.trim();
        try {
            return Optional.of(switch (type.kind()) {
                case STRING, VARCHAR, CHAR -> raw;
                case TINYINT, SMALLINT, INT, BIGINT -> {
                    long n = Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
                    long max = switch (type.kind()) {
                        case TINYINT -> Byte.MAX_VALUE;
                        case SMALLINT -> Short.MAX_VALUE;
                        case INT -> Integer.MAX_VALUE;
                        default -> Long.MAX_VALUE;
                    };
                    if (n > max || n < -max - 1) {
                        throw new NumberFormatException("out of range");
                    }
                    yield Long.toString(n);
                }
                case FLOAT, DOUBLE -> Double.toString(Double.parseDouble(v));
                case DECIMAL -> new BigDecimal(v).setScale(type.scale(), java.math.RoundingMode.UNNECESSARY).toPlainString();
                case BOOLEAN -> {
                    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                        throw new IllegalArgumentException("not a boolean");
                    }
                    yield v.toLowerCase(Locale.ROOT);
                }
                case DATE -> LocalDate.parse(v).toString();
                case TIMESTAMP -> LocalDateTime.parse(v, TIMESTAMP).toString().replace('T', ' ');
                case BINARY, ARRAY, MAP, STRUCT -> throw new IllegalArgumentException("not a partition type");
            });
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Like {@link #canonical}, failing with a message naming the key. */
    public static String require(Column key, String raw) {
        return canonical(key.type(), raw).orElseThrow(() -> TributaryException.invalidArgument(
                "partition value '%s' is not a valid %s for partition key '%s'", raw, key.type(), key.name()));
    }

    /** Hive's escaping of a value in a folder name ({@code /} and other specials as {@code %2F}). */
    public static String escapePathValue(String value) {
        StringBuilder sb = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c < 0x20 || "\"#%'*/:=?\\\u007f{[]^".indexOf(c) >= 0) {
                sb.append(String.format("%%%02X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The inverse of {@link #escapePathValue}. */
    public static String unescapePathValue(String text) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()) {
                try {
                    sb.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape; keep as is
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
