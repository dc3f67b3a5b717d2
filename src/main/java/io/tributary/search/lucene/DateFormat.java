package io.tributary.search.lucene;

import static java.time.temporal.ChronoField.DAY_OF_MONTH;
import static java.time.temporal.ChronoField.HOUR_OF_DAY;
import static java.time.temporal.ChronoField.MINUTE_OF_HOUR;
import static java.time.temporal.ChronoField.MONTH_OF_YEAR;
import static java.time.temporal.ChronoField.NANO_OF_SECOND;
import static java.time.temporal.ChronoField.SECOND_OF_MINUTE;
import static java.time.temporal.ChronoField.YEAR;

import io.tributary.search.SearchException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A date field's {@code format}: OpenSearch's named formats that matter in practice
 * ({@code strict_date_optional_time}, {@code date_optional_time}, {@code epoch_millis},
 * {@code epoch_second}) and Java patterns such as {@code yyyy-MM-dd HH:mm:ss}, joined with
 * {@code ||} as alternatives. Values without an offset are in the given zone (UTC by default).
 * Printing uses the first format, as OpenSearch does for {@code key_as_string}.
 *
 * <p>Immutable and thread-safe.
 */
final class DateFormat {
    static final String DEFAULT = "strict_date_optional_time||epoch_millis";

    private static final DateTimeFormatter OPTIONAL_TIME = new DateTimeFormatterBuilder()
            .appendValue(YEAR, 4)
            .optionalStart().appendLiteral('-').appendValue(MONTH_OF_YEAR, 2)
            .optionalStart().appendLiteral('-').appendValue(DAY_OF_MONTH, 2)
            .optionalStart().appendLiteral('T').appendValue(HOUR_OF_DAY, 2)
            .optionalStart().appendLiteral(':').appendValue(MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .optionalEnd().optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalEnd().optionalEnd().optionalEnd()
            .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT).withChronology(java.time.chrono.IsoChronology.INSTANCE);
    /** The same, filling in what the text leaves out with the last hour, minute, second and nanosecond (OpenSearch's round-up parser). */
    private static final DateTimeFormatter OPTIONAL_TIME_ROUND_UP = roundUp(OPTIONAL_TIME);
    private static final DateTimeFormatter PRINT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT);

    private sealed interface Part {}

    private record Named(String name) implements Part {}

    private record Pattern(String pattern, DateTimeFormatter formatter, DateTimeFormatter roundUpFormatter) implements Part {}

    private static DateTimeFormatter roundUp(DateTimeFormatter parser) {
        return new DateTimeFormatterBuilder().append(parser)
                .parseDefaulting(HOUR_OF_DAY, 23).parseDefaulting(MINUTE_OF_HOUR, 59).parseDefaulting(SECOND_OF_MINUTE, 59)
                .parseDefaulting(NANO_OF_SECOND, 999_999_999)
                .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT).withChronology(java.time.chrono.IsoChronology.INSTANCE);
    }

    private final String spec;
    private final List<Part> parts;

    private DateFormat(String spec, List<Part> parts) {
        this.spec = spec;
        this.parts = List.copyOf(parts);
    }

    static DateFormat defaultFormat() {
        return of(DEFAULT);
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, DateFormat> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    /** The format for a spec; formats are immutable, so each spec is parsed once (documents ask per value). */
    static DateFormat of(String spec) {
        DateFormat cached = CACHE.get(spec);
        if (cached != null) {
            return cached;
        }
        DateFormat parsed = compile(spec);
        if (CACHE.size() < 1000) {
            CACHE.put(spec, parsed);
        }
        return parsed;
    }

    private static DateFormat compile(String spec) {
        List<Part> parts = new ArrayList<>();
        for (String part : spec.split("\\|\\|")) {
            String p = part.trim();
            switch (p) {
                case "strict_date_optional_time", "date_optional_time", "strict_date_optional_time_nanos", "epoch_millis",
                        "epoch_second", "strict_date_time", "date_time", "strict_date", "date" -> parts.add(new Named(p));
                default -> {
                    try {
                        DateTimeFormatter f = DateTimeFormatter.ofPattern(p.replace('y', 'u'), Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
                        parts.add(new Pattern(p, f, roundUp(f)));
                    } catch (IllegalArgumentException e) {
                        throw SearchException.mapperParsing("Invalid format: [%s]: %s", spec, e.getMessage());
                    }
                }
            }
        }
        if (parts.isEmpty()) {
            throw SearchException.mapperParsing("Invalid format: [%s]: empty", spec);
        }
        return new DateFormat(spec, parts);
    }

    String spec() {
        return spec;
    }

    long parse(String text) {
        return parse(text, ZoneOffset.UTC);
    }

    /** Epoch milliseconds of the text, trying each alternative in turn. */
    long parse(String text, ZoneId zone) {
        return parse(text, zone, false);
    }

    /**
     * Epoch milliseconds of the text. With {@code roundUp} (the upper end of {@code lte}, the lower
     * end of {@code gt}), what the text leaves out takes OpenSearch's round-up defaults: hour 23,
     * minute 59, second 59 and millisecond 999, so {@code lte: "2026-03-05"} takes in the whole day
     * (month and day still default to 1, as in OpenSearch).
     */
    long parse(String text, ZoneId zone, boolean roundUp) {
        for (Part part : parts) {
            try {
                return switch (part) {
                    case Named n -> switch (n.name()) {
                        case "epoch_millis" -> parseEpoch(text, 1, false);
                        case "epoch_second" -> parseEpoch(text, 1000, roundUp);
                        default -> parseOptionalTime(text, zone, roundUp);
                    };
                    case Pattern p -> parsePattern(roundUp ? p.roundUpFormatter() : p.formatter(), text, zone);
                };
            } catch (DateTimeParseException | NumberFormatException | ArithmeticException ignored) {
                // try the next alternative
            }
        }
        throw SearchException.mapperParsing("failed to parse date field [%s] with format [%s]", truncate(text), spec);
    }

    boolean canParse(String text) {
        try {
            parse(text);
            return true;
        } catch (SearchException e) {
            return false;
        }
    }

    String format(long millis, ZoneId zone) {
        Part first = parts.get(0);
        return switch (first) {
            case Named n -> switch (n.name()) {
                case "epoch_millis" -> Long.toString(millis);
                case "epoch_second" -> java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
                default -> PRINT.format(Instant.ofEpochMilli(millis).atZone(zone));
            };
            case Pattern p -> p.formatter().format(Instant.ofEpochMilli(millis).atZone(zone));
        };
    }

    private static long parseEpoch(String text, long factor, boolean roundUp) {
        if (text.isEmpty() || !text.chars().allMatch(c -> Character.isDigit(c) || c == '-' || c == '.')) {
            throw new NumberFormatException(text);
        }
        if (text.contains(".")) {
            return new java.math.BigDecimal(text).multiply(java.math.BigDecimal.valueOf(factor))
                    .setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
        }
        long millis = Math.multiplyExact(Long.parseLong(text), factor);
        // Whole seconds round up to their last millisecond, as the missing fraction does in OpenSearch.
        return roundUp ? Math.addExact(millis, factor - 1) : millis;
    }

    private static long parseOptionalTime(String text, ZoneId zone, boolean roundUp) {
        long fast = fastIso(text);
        if (fast != Long.MIN_VALUE) {
            return roundUp && text.length() == 20 ? fast + 999 : fast;
        }
        return resolve((roundUp ? OPTIONAL_TIME_ROUND_UP : OPTIONAL_TIME).parse(text), zone);
    }

    private static long parsePattern(DateTimeFormatter formatter, String text, ZoneId zone) {
        TemporalAccessor t = formatter.parse(text);
        if (t.isSupported(ChronoField.INSTANT_SECONDS)) {
            return Instant.from(t).toEpochMilli();
        }
        return resolve(t, zone);
    }

    /** The instant of parsed fields; a missing month or day is the first, a missing time of day midnight. */
    private static long resolve(TemporalAccessor t, ZoneId zone) {
        LocalDate date = t.isSupported(ChronoField.EPOCH_DAY) ? LocalDate.from(t) : LocalDate.of(t.get(YEAR),
                t.isSupported(MONTH_OF_YEAR) ? t.get(MONTH_OF_YEAR) : 1, t.isSupported(DAY_OF_MONTH) ? t.get(DAY_OF_MONTH) : 1);
        LocalTime time = LocalTime.of(t.isSupported(HOUR_OF_DAY) ? t.get(HOUR_OF_DAY) : 0,
                t.isSupported(MINUTE_OF_HOUR) ? t.get(MINUTE_OF_HOUR) : 0,
                t.isSupported(SECOND_OF_MINUTE) ? t.get(SECOND_OF_MINUTE) : 0,
                t.isSupported(NANO_OF_SECOND) ? t.get(NANO_OF_SECOND) : 0);
        ZoneId effective = t.isSupported(ChronoField.OFFSET_SECONDS) ? ZoneOffset.ofTotalSeconds(t.get(ChronoField.OFFSET_SECONDS)) : zone;
        return ZonedDateTime.of(date, time, effective).toInstant().toEpochMilli();
    }

    /** A JSON number as the text a date format parses (OpenSearch reads numbers in date fields through the format). */
    static String numberText(com.fasterxml.jackson.databind.JsonNode number) {
        return number.isIntegralNumber() ? number.asText() : number.decimalValue().stripTrailingZeros().toPlainString();
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ssZ} and {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, what sinks write, without
     * java.time's general parser (several times slower, and every document has a date); anything
     * else returns {@code Long.MIN_VALUE} for the general parser.
     */
    static long fastIso(String t) {
        int n = t.length();
        if ((n != 20 && n != 24) || t.charAt(n - 1) != 'Z' || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':' || (n == 24 && t.charAt(19) != '.')) {
            return Long.MIN_VALUE;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        int millis = n == 24 ? digits(t, 20, 3) : 0;
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || millis < 0 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return Long.MIN_VALUE;
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    private static int digits(String t, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    static String truncate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }
}
