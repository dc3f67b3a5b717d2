package io.tributary.sql.duckdb;

import static io.tributary.sql.duckdb.Functions.scalar;
import static io.tributary.sql.duckdb.TrinoToDuckDb.string;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.trino.sql.tree.StringLiteral;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trino's string, URL, binary, bitwise and numeric functions beyond the basic ones
 * (functions/string.html, url.html, binary.html, bitwise.html, math.html, conversion.html).
 */
final class TextFunctions {
    /** Java's Formatter specifiers (java.util.Formatter), as Trino's format() reads them. */
    private static final Pattern SPECIFIER = Pattern.compile("%(\\d+\\$)?([-#+ 0,(<]*)(\\d+)?(\\.\\d+)?([a-zA-Z%])");

    private TextFunctions() {}

    static void register() {
        scalar("concat_ws", 2, 254, c -> c.args().size() == 2 ? "trino.concat_ws(" + c.joined() + ")" : "concat_ws(" + c.joined() + ")");
        scalar("format", 1, 100, TextFunctions::format);
        scalar("reverse", 1, 1, c -> "trino.reverse(" + c.arg(0) + ")");
        scalar("strpos", 2, 3, c -> c.args().size() == 2 ? "strpos(" + c.joined() + ")" : "trino.strpos(" + c.joined() + ")");
        scalar("normalize", 1, 2, c -> {
            if (c.args().size() == 2 && !c.literal(1).equalsIgnoreCase("NFC")) {
                throw new TributaryException(ErrorCode.UNSUPPORTED, "normalize(..., " + c.literal(1) + ") is not supported by Tributary's SQL engine; "
                        + "only the NFC form is");
            }
            return "nfc_normalize(" + c.arg(0) + ")";
        });
        scalar("regexp_position", 2, 3, c -> "trino.regexp_position(" + c.arg(0) + ", " + c.arg(1) + ", "
                + (c.args().size() == 3 ? c.arg(2) : "1") + ")");

        // URLs (UrlFunctions: java.net.URI's parts).
        scalar("url_extract_protocol", 1, 1, c -> "trino.url_part(" + c.arg(0) + ", 1)");
        scalar("url_extract_host", 1, 1, c -> "trino.url_part(" + c.arg(0) + ", 2)");
        scalar("url_extract_port", 1, 1, c -> "TRY_CAST(trino.url_part(" + c.arg(0) + ", 3) AS BIGINT)");
        scalar("url_extract_path", 1, 1, c -> "trino.url_part(" + c.arg(0) + ", 4)");
        scalar("url_extract_query", 1, 1, c -> "trino.url_part(" + c.arg(0) + ", 5)");
        scalar("url_extract_fragment", 1, 1, c -> "trino.url_part(" + c.arg(0) + ", 6)");
        scalar("url_extract_parameter", 2, 2, c -> "trino.url_extract_parameter(" + c.joined() + ")");

        // Binary: Trino's digests return varbinary.
        scalar("md5", 1, 1, c -> "unhex(md5(" + c.arg(0) + "))");
        scalar("sha1", 1, 1, c -> "unhex(sha1(" + c.arg(0) + "))");
        scalar("sha256", 1, 1, c -> "unhex(sha256(" + c.arg(0) + "))");
        scalar("to_base64", 1, 1, c -> "to_base64(" + c.arg(0) + ")");
        scalar("from_base64", 1, 1, c -> "from_base64(" + c.arg(0) + ")");

        // Bitwise.
        scalar("bitwise_and", 2, 2, c -> "(" + c.arg(0) + " & " + c.arg(1) + ")");
        scalar("bitwise_or", 2, 2, c -> "(" + c.arg(0) + " | " + c.arg(1) + ")");
        scalar("bitwise_xor", 2, 2, c -> "xor(" + c.joined() + ")");
        scalar("bitwise_not", 1, 1, c -> "(~(" + c.arg(0) + "))");

        // Numbers.
        // truncate(x, n) keeps a decimal's type (MathFunctions.truncate): 1.789 to 2 places is 1.780.
        scalar("truncate", 1, 2, c -> c.args().size() == 1 ? "trunc(" + c.arg(0) + ")"
                : "struct_extract({'d': " + c.arg(0) + " - (" + c.arg(0) + " - trunc(" + c.joined() + ")), 'f': trunc(" + c.joined() + ")}, "
                        + "CASE WHEN typeof(" + c.arg(0) + ") LIKE 'DECIMAL%' THEN 'd' ELSE 'f' END)");
        scalar("width_bucket", 2, 4, c -> switch (c.args().size()) {
            case 2 -> "trino.width_bucket_bins(" + c.joined() + ")";
            case 4 -> "trino.width_bucket(" + c.joined() + ")";
            default -> throw TributaryException.invalidArgument("function width_bucket() takes 2 or 4 arguments, got 3");
        });
        scalar("random", 0, 2, TextFunctions::random);
        scalar("rand", 0, 2, TextFunctions::random);

        // Durations and types.
        scalar("parse_duration", 1, 1, c -> "trino.parse_duration(" + c.arg(0) + ")");
        scalar("human_readable_seconds", 1, 1, c -> "trino.human_readable_seconds(" + c.arg(0) + ")");
        scalar("typeof", 1, 1, c -> "trino.type_name(typeof(" + c.arg(0) + "))");
    }

    /** random(): [0, 1); random(n): [0, n); random(m, n): [m, n). */
    private static String random(Functions.Call c) {
        return switch (c.args().size()) {
            case 0 -> "random()";
            case 1 -> "CAST(floor(random() * " + c.arg(0) + ") AS BIGINT)";
            default -> "(" + c.arg(0) + " + CAST(floor(random() * (" + c.arg(1) + " - " + c.arg(0) + ")) AS BIGINT))";
        };
    }

    /**
     * format(pattern, args...) with a literal pattern in java.util.Formatter's syntax, as Trino's format runs it: %s prints
     * the value as Trino casts it to varchar, %d an integer, %f a number rounded half up at the precision (Formatter rounds
     * the exact decimal value HALF_UP), with widths, '-' and '0' flags and positions (%2$s). Other conversions and flags are
     * refused by name.
     */
    private static String format(Functions.Call c) {
        if (!(c.nodes().get(0) instanceof StringLiteral literal)) {
            throw new TributaryException(ErrorCode.UNSUPPORTED, "format(...) with a pattern that is not a literal is not supported by "
                    + "Tributary's SQL engine");
        }
        String pattern = literal.getValue();
        StringBuilder printf = new StringBuilder();
        List<String> values = new ArrayList<>();
        Matcher m = SPECIFIER.matcher(pattern);
        int at = 0;
        int next = 1;
        while (m.find()) {
            printf.append(pattern.substring(at, m.start()).replace("%", "%%"));
            at = m.end();
            char conversion = m.group(5).charAt(0);
            if (conversion == '%' || conversion == 'n') {
                printf.append(conversion == '%' ? "%%" : "\n");
                continue;
            }
            String flags = m.group(2);
            if (!flags.matches("[-0]*")) {
                throw unsupportedFormat(pattern, "the flags '" + flags + "'");
            }
            int index = m.group(1) == null ? next++ : Integer.parseInt(m.group(1).substring(0, m.group(1).length() - 1));
            if (index < 1 || index >= c.args().size()) {
                throw TributaryException.invalidArgument("format pattern '%s' refers to argument %d, but %d were given", pattern, index,
                        c.args().size() - 1);
            }
            String value = c.arg(index);
            String width = m.group(3) == null ? "" : m.group(3);
            String precision = m.group(4) == null ? "" : m.group(4);
            String spec = "%" + flags + width;
            switch (conversion) {
                case 's', 'S' -> {
                    printf.append(spec).append(precision).append('s');
                    values.add(conversion == 'S' ? "upper(trino.to_varchar(" + value + "))" : "trino.to_varchar(" + value + ")");
                }
                case 'd' -> {
                    printf.append(spec).append('d');
                    values.add(value);
                }
                case 'x', 'X', 'o' -> {
                    printf.append(spec).append(conversion);
                    values.add(value);
                }
                case 'f' -> {
                    int digits = precision.isEmpty() ? 6 : Integer.parseInt(precision.substring(1));
                    printf.append(spec).append('.').append(digits).append('f');
                    values.add("round(CAST(" + value + " AS DOUBLE), " + digits + ")");
                }
                default -> throw unsupportedFormat(pattern, "'%" + conversion + "'");
            }
        }
        printf.append(pattern.substring(at).replace("%", "%%"));
        return "printf(" + string(printf.toString()) + (values.isEmpty() ? "" : ", " + String.join(", ", values)) + ")";
    }

    private static TributaryException unsupportedFormat(String pattern, String what) {
        return new TributaryException(ErrorCode.UNSUPPORTED, "format pattern '" + pattern + "' uses " + what
                + ", which Tributary cannot translate; it runs %s, %d, %x, %o and %f with widths, precisions, '-' and '0'");
    }
}
