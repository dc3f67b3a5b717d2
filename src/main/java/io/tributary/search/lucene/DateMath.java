package io.tributary.search.lucene;

import io.tributary.search.SearchException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * OpenSearch date math: an anchor ({@code now}, or a date followed by {@code ||}) and operations
 * {@code +1d}, {@code -15m}, {@code /d}. Rounding goes down, or, for the upper end of inclusive
 * ranges ({@code lte}) and the lower end of exclusive ones ({@code gt}), to the last millisecond
 * of the unit, as OpenSearch does; a plain date without math rounds up what it leaves out the same
 * way ({@link DateFormat#parse(String, ZoneId, boolean)}). A result outside the representable
 * years is a 400, not an arithmetic failure.
 */
final class DateMath {
    private DateMath() {}

    static long parse(String text, DateFormat format, ZoneId zone, long nowMillis, boolean roundUp) {
        String anchor;
        String math;
        if (text.startsWith("now")) {
            anchor = null;
            math = text.substring(3);
        } else {
            int sep = text.indexOf("||");
            if (sep < 0) {
                return format.parse(text, zone, roundUp);
            }
            anchor = text.substring(0, sep);
            math = text.substring(sep + 2);
        }
        long base = anchor == null ? nowMillis : format.parse(anchor, zone);
        try {
            return apply(text, math, Instant.ofEpochMilli(base).atZone(zone), roundUp);
        } catch (java.time.DateTimeException | ArithmeticException e) {
            throw invalid(text, "the date is out of range (" + e.getMessage() + ")");
        }
    }

    private static long apply(String text, String math, ZonedDateTime anchor, boolean roundUp) {
        ZonedDateTime t = anchor;
        int i = 0;
        while (i < math.length()) {
            char op = math.charAt(i++);
            if (op != '+' && op != '-' && op != '/') {
                throw invalid(text, "operator '" + op + "' is not one of +, - and /");
            }
            int amount = 1;
            if (op != '/') {
                int start = i;
                while (i < math.length() && Character.isDigit(math.charAt(i))) {
                    i++;
                }
                if (i > start) {
                    try {
                        amount = Integer.parseInt(math.substring(start, i));
                    } catch (NumberFormatException e) {
                        throw invalid(text, "amount too large");
                    }
                }
            }
            if (i >= math.length()) {
                throw invalid(text, "missing unit");
            }
            char unit = math.charAt(i++);
            ChronoUnit u = switch (unit) {
                case 'y' -> ChronoUnit.YEARS;
                case 'M' -> ChronoUnit.MONTHS;
                case 'w' -> ChronoUnit.WEEKS;
                case 'd' -> ChronoUnit.DAYS;
                case 'h', 'H' -> ChronoUnit.HOURS;
                case 'm' -> ChronoUnit.MINUTES;
                case 's' -> ChronoUnit.SECONDS;
                default -> throw invalid(text, "unit '" + unit + "' is not one of y, M, w, d, h, H, m, s");
            };
            if (op == '/') {
                t = roundDown(t, u);
                if (roundUp) {
                    t = t.plus(1, u).minus(1, ChronoUnit.MILLIS);
                }
            } else {
                t = op == '+' ? t.plus(amount, u) : t.minus(amount, u);
            }
        }
        return t.toInstant().toEpochMilli();
    }

    static ZonedDateTime roundDown(ZonedDateTime t, ChronoUnit unit) {
        return switch (unit) {
            case YEARS -> t.withDayOfYear(1).truncatedTo(ChronoUnit.DAYS);
            case MONTHS -> t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
            case WEEKS -> t.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).truncatedTo(ChronoUnit.DAYS);
            default -> t.truncatedTo(unit);
        };
    }

    private static SearchException invalid(String text, String why) {
        return new SearchException(io.tributary.common.ErrorCode.INVALID_ARGUMENT, "parse_exception", 400,
                "failed to parse date math [" + DateFormat.truncate(text) + "]: " + why);
    }
}
