package io.tributary.schedule;

import static java.util.Objects.requireNonNull;

import io.tributary.common.TributaryException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a schedule fires, written as EventBridge does: {@code rate(5 minutes)},
 * {@code cron(5 * * * ? *)} (minutes, hours, day of month, month, day of week, year; {@code ?} in one
 * of the day fields), or a plain five-field cron line ({@code 5 * * * *}). Times are UTC, as on AWS.
 *
 * <p>Supported in cron fields: {@code *}, numbers, lists, ranges, steps ({@code 0/15}, {@code *}{@code /10}),
 * month and day names, {@code L} (last day of the month) and {@code ?}. Anything else is refused by name.
 *
 * <p>Immutable and thread-safe.
 */
public final class ScheduleExpression {
    private static final Pattern RATE = Pattern.compile("rate\\(\\s*(\\d+)\\s+(minute|minutes|hour|hours|day|days)\\s*\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    private final String text;
    private final Optional<Duration> rate;
    private final BitSet minutes = new BitSet(60);
    private final BitSet hours = new BitSet(24);
    private final BitSet daysOfMonth = new BitSet(32);
    private final BitSet months = new BitSet(13);
    /** 1 = Sunday ... 7 = Saturday, as in AWS cron. */
    private final BitSet daysOfWeek = new BitSet(8);
    private final BitSet years = new BitSet(3000);
    private boolean lastDayOfMonth;
    private boolean anyDayOfMonth;
    private boolean anyDayOfWeek;

    private ScheduleExpression(String text) {
        this.text = requireNonNull(text, "text is null").trim();
        Matcher rateMatcher = RATE.matcher(this.text);
        Matcher cronMatcher = CRON.matcher(this.text);
        if (rateMatcher.matches()) {
            long value = Long.parseLong(rateMatcher.group(1));
            String unit = rateMatcher.group(2);
            if (value < 1) {
                throw invalid("a rate must be at least 1");
            }
            if (value == 1 != unit.matches("minute|hour|day")) {
                throw invalid("write rate(1 " + unit.replaceAll("s$", "") + ") for one and rate(N " + unit.replaceAll("s?$", "s") + ") for more, as EventBridge does");
            }
            this.rate = Optional.of(switch (unit.replaceAll("s$", "")) {
                case "minute" -> Duration.ofMinutes(value);
                case "hour" -> Duration.ofHours(value);
                default -> Duration.ofDays(value);
            });
            return;
        }
        this.rate = Optional.empty();
        String[] fields;
        if (cronMatcher.matches()) {
            fields = cronMatcher.group(1).trim().split("\\s+");
            if (fields.length != 6) {
                throw invalid("cron(...) takes 6 fields: minutes hours day-of-month month day-of-week year, got " + fields.length);
            }
            if (!fields[2].equals("?") && !fields[4].equals("?")) {
                throw invalid("cron(...) needs '?' in day-of-month or day-of-week, as EventBridge requires");
            }
        } else {
            fields = this.text.split("\\s+");
            if (fields.length != 5) {
                throw invalid("use rate(N minutes|hours|days), cron(min hour dom month dow year) or a 5-field cron line");
            }
            fields = new String[] {fields[0], fields[1], fields[2], fields[3], standardDayOfWeek(fields[4]), "*"};
        }
        parse(fields[0], minutes, 0, 59, null, "minutes");
        parse(fields[1], hours, 0, 23, null, "hours");
        if (fields[2].equals("L")) {
            lastDayOfMonth = true;
        } else if (fields[2].equals("?")) {
            anyDayOfMonth = true;
        } else {
            parse(fields[2], daysOfMonth, 1, 31, null, "day-of-month");
            anyDayOfMonth = fields[2].equals("*");
        }
        parse(fields[3], months, 1, 12, MONTHS, "month");
        if (fields[4].equals("?")) {
            anyDayOfWeek = true;
        } else {
            parse(fields[4], daysOfWeek, 1, 7, DAYS, "day-of-week");
            anyDayOfWeek = fields[4].equals("*");
        }
        parse(fields[5], years, 1970, 2199, null, "year");
    }

    /** Plain cron counts days of the week 0-7 from Sunday; EventBridge counts 1-7. */
    private static String standardDayOfWeek(String field) {
        if (field.equals("*") || field.equals("?")) {
            return field;
        }
        StringBuilder sb = new StringBuilder();
        Matcher m = Pattern.compile("\\d+").matcher(field);
        while (m.find()) {
            int d = Integer.parseInt(m.group());
            m.appendReplacement(sb, Integer.toString(d % 7 + 1));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    public static ScheduleExpression parse(String text) {
        return new ScheduleExpression(text);
    }

    private TributaryException invalid(String why) {
        return TributaryException.invalidArgument("schedule expression '%s' is invalid: %s", text, why);
    }

    private void parse(String field, BitSet target, int min, int max, String[] names, String what) {
        for (String part : field.split(",")) {
            String p = part.toUpperCase(Locale.ROOT);
            int step = 1;
            int slash = p.indexOf('/');
            if (slash >= 0) {
                step = number(p.substring(slash + 1), 1, max, null, what);
                p = p.substring(0, slash);
            }
            int from;
            int to;
            if (p.equals("*")) {
                from = min;
                to = max;
            } else if (p.contains("-")) {
                String[] range = p.split("-", 2);
                from = number(range[0], min, max, names, what);
                to = number(range[1], min, max, names, what);
                if (to < from) {
                    throw invalid(what + " range " + part + " runs backwards");
                }
            } else {
                from = number(p, min, max, names, what);
                to = slash >= 0 ? max : from;
            }
            for (int v = from; v <= to; v += step) {
                target.set(v);
            }
        }
    }

    private int number(String token, int min, int max, String[] names, String what) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(token)) {
                    return i + 1;
                }
            }
        }
        if (!token.matches("\\d{1,4}")) {
            throw invalid("'" + token + "' is not supported in the " + what + " field (use numbers, names, *, lists, ranges, steps"
                    + (what.startsWith("day") ? ", L or ?" : "") + ")");
        }
        int v = Integer.parseInt(token);
        if (v < min || v > max) {
            throw invalid(what + " value " + v + " is out of range " + min + "-" + max);
        }
        return v;
    }

    /** The first firing time strictly after {@code after}, or empty when there is none (a past year). */
    public Optional<Instant> next(Instant after) {
        if (rate.isPresent()) {
            // Rates fire on multiples of the period since the epoch, so restarts do not shift them.
            long period = rate.get().toMillis();
            long next = (Math.floorDiv(after.toEpochMilli(), period) + 1) * period;
            return Optional.of(Instant.ofEpochMilli(next));
        }
        ZonedDateTime t = after.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        for (int guard = 0; guard < 3_000_000; guard++) {
            if (t.getYear() > 2199) {
                return Optional.empty();
            }
            if (!years.get(t.getYear())) {
                t = ZonedDateTime.of(t.getYear() + 1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
                continue;
            }
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).withHour(0).withMinute(0).plusMonths(1);
                continue;
            }
            if (!dayMatches(t.toLocalDate())) {
                t = t.withHour(0).withMinute(0).plusDays(1);
                continue;
            }
            if (!hours.get(t.getHour())) {
                t = t.withMinute(0).plusHours(1);
                continue;
            }
            if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
                continue;
            }
            return Optional.of(t.toInstant());
        }
        return Optional.empty();
    }

    private boolean dayMatches(LocalDate date) {
        boolean dom = lastDayOfMonth ? date.getDayOfMonth() == date.lengthOfMonth() : anyDayOfMonth || daysOfMonth.get(date.getDayOfMonth());
        int awsDay = date.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : date.getDayOfWeek().getValue() + 1;
        boolean dow = anyDayOfWeek || daysOfWeek.get(awsDay);
        if (!anyDayOfMonth && !anyDayOfWeek && !lastDayOfMonth) {
            // Classic cron: when both day fields are restricted, either may match.
            return dom || dow;
        }
        return dom && dow;
    }

    @Override
    public String toString() {
        return text;
    }
}
