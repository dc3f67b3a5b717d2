package io.tributary.sql.duckdb;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;

/**
 * Converts the date patterns of Trino's functions to DuckDB's strftime/strptime patterns:
 * MySQL-style patterns ({@code date_format}, {@code date_parse}: {@code %M} is the month name,
 * {@code %i} the minutes) and Joda-style patterns ({@code format_datetime}, {@code parse_datetime}).
 * A specifier with no DuckDB equivalent is refused by name.
 */
final class DateFormats {
    private DateFormats() {}

    /** MySQL's specifiers, as Trino's date_format documents them. */
    static String fromMySql(String pattern) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 1 >= pattern.length()) {
                throw unsupported(pattern, "a trailing '%'");
            }
            char s = pattern.charAt(++i);
            out.append(switch (s) {
                case 'a' -> "%a";
                case 'b' -> "%b";
                case 'c' -> "%-m";
                case 'd' -> "%d";
                case 'e' -> "%-d";
                case 'f' -> "%f";
                case 'H' -> "%H";
                case 'h', 'I' -> "%I";
                case 'i' -> "%M";
                case 'j' -> "%j";
                case 'k' -> "%-H";
                case 'l' -> "%-I";
                case 'M' -> "%B";
                case 'm' -> "%m";
                case 'p' -> "%p";
                case 'r' -> "%I:%M:%S %p";
                case 'S', 's' -> "%S";
                case 'T' -> "%H:%M:%S";
                case 'W' -> "%A";
                case 'Y' -> "%Y";
                case 'y' -> "%y";
                case 'v' -> "%V";
                case 'x' -> "%G";
                case '%' -> "%%";
                // Trino's documentation lists %D %U %u %V %w %X as not supported; they fail there too.
                default -> throw unsupported(pattern, "'%" + s + "'");
            });
        }
        return out.toString();
    }

    /** A part of a translated Joda pattern: strftime text, or the value's zone, which strftime cannot print. */
    sealed interface Part permits Text, Zone {}

    record Text(String strftime) implements Part {}

    /** Joda's {@code Z} ({@code +0200}), {@code ZZ} ({@code +02:00}) and {@code ZZZ} (the zone's id). */
    enum Zone implements Part {
        OFFSET, OFFSET_COLON, ID
    }

    /** Joda-Time's pattern letters, as Trino's format_datetime documents them; zones as {@link Zone} parts. */
    static java.util.List<Part> fromJoda(String pattern) {
        java.util.List<Part> parts = new java.util.ArrayList<>();
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '\'') {
                int end = pattern.indexOf('\'', i + 1);
                if (end < 0) {
                    throw unsupported(pattern, "an unterminated quote");
                }
                out.append(end == i + 1 ? "'" : pattern.substring(i + 1, end).replace("%", "%%"));
                i = end + 1;
                continue;
            }
            if (!Character.isLetter(c)) {
                out.append(c == '%' ? "%%" : String.valueOf(c));
                i++;
                continue;
            }
            int run = 1;
            while (i + run < pattern.length() && pattern.charAt(i + run) == c) {
                run++;
            }
            String token = pattern.substring(i, i + run);
            if (c == 'Z') {
                if (!out.isEmpty()) {
                    parts.add(new Text(out.toString()));
                    out.setLength(0);
                }
                parts.add(run == 1 ? Zone.OFFSET : run == 2 ? Zone.OFFSET_COLON : Zone.ID);
                i += run;
                continue;
            }
            out.append(switch (c) {
                case 'y', 'Y', 'x' -> run == 2 ? "%y" : "%Y";
                case 'M' -> run >= 4 ? "%B" : run == 3 ? "%b" : run == 2 ? "%m" : "%-m";
                case 'd' -> run == 2 ? "%d" : "%-d";
                case 'H' -> run == 2 ? "%H" : "%-H";
                case 'h' -> run == 2 ? "%I" : "%-I";
                case 'm' -> run == 2 ? "%M" : "%-M";
                case 's' -> run == 2 ? "%S" : "%-S";
                case 'S' -> switch (run) {
                    case 3 -> "%g";
                    case 6 -> "%f";
                    case 9 -> "%n";
                    default -> throw unsupported(pattern, "'" + token + "' (use SSS, SSSSSS or SSSSSSSSS)");
                };
                case 'a' -> "%p";
                case 'E' -> run >= 4 ? "%A" : "%a";
                case 'D' -> "%j";
                default -> throw unsupported(pattern, "'" + token + "'");
            });
            i += run;
        }
        if (!out.isEmpty() || parts.isEmpty()) {
            parts.add(new Text(out.toString()));
        }
        return java.util.List.copyOf(parts);
    }

    private static TributaryException unsupported(String pattern, String what) {
        return new TributaryException(ErrorCode.UNSUPPORTED, "date pattern '" + pattern + "' uses " + what
                + ", which Tributary cannot translate");
    }
}
