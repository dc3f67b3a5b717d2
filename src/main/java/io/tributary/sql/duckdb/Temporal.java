package io.tributary.sql.duckdb;

import static io.tributary.sql.duckdb.TrinoToDuckDb.string;

import io.trino.sql.tree.IntervalLiteral;
import io.trino.sql.tree.IntervalLiteral.IntervalField;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Timestamp and interval literals, and arithmetic with intervals, as Trino types them. */
final class Temporal {
    /** A timestamp literal: date, optional time with fraction, optional zone (a name or an offset). */
    private static final Pattern TIMESTAMP = Pattern.compile(
            "\\s*(\\d{4}-\\d{1,2}-\\d{1,2}(?:[ T]\\d{1,2}:\\d{1,2}(?::\\d{1,2}(?:\\.(\\d*))?)?)?)\\s*(\\S.*?)?\\s*");
    private static final Pattern DAY_TIME = Pattern.compile("(-)?(?:(\\d+) )?(\\d+)(?::(\\d+))?(?::(\\d+(?:\\.\\d+)?))?");

    private Temporal() {}

    /**
     * {@code TIMESTAMP '...'}: a timestamp, or a timestamp with time zone when it names a zone. Tributary's timestamps
     * have millisecond precision, as Athena's tables do; more digits are refused rather than cut.
     */
    static String timestampLiteral(String value, String where) {
        Matcher m = TIMESTAMP.matcher(value);
        if (!m.matches()) {
            throw TributaryException.invalidArgument("%s'%s' is not a valid timestamp literal", where, value);
        }
        if (m.group(2) != null && m.group(2).length() > 3) {
            throw new TributaryException(ErrorCode.UNSUPPORTED, where + "TIMESTAMP '" + value + "' has more than 3 fractional digits; "
                    + "Tributary's timestamps have millisecond precision (timestamp(3), as Athena's tables)");
        }
        String local = "CAST(" + string(m.group(1)) + " AS TIMESTAMP)";
        if (m.group(3) == null) {
            return local;
        }
        return "trino.from_local(" + local + ", " + string(TimeZones.require(m.group(3), where)) + ")";
    }

    /** An interval literal as a DuckDB interval: {@code '3' MONTH}, {@code '-1' DAY}, {@code '1-2' YEAR TO MONTH}, {@code '1 02:03:04' DAY TO SECOND}. */
    static String interval(IntervalLiteral i) {
        String value = i.getValue().trim();
        String sign = i.getSign() == IntervalLiteral.Sign.NEGATIVE ? "-" : "";
        IntervalField start = i.getStartField();
        IntervalField end = i.getEndField().orElse(start);
        if (start == IntervalField.YEAR && end == IntervalField.MONTH) {
            Matcher m = Pattern.compile("(-)?(\\d+)-(\\d+)").matcher(value);
            if (!m.matches()) {
                throw invalid(i);
            }
            String s = m.group(1) == null ? "" : "-";
            return "(" + sign + "(INTERVAL " + string(s + m.group(2) + " years " + s + m.group(3) + " months") + "))";
        }
        if (start == end) {
            if (!value.matches("-?\\d+(\\.\\d+)?") || value.contains(".") && start != IntervalField.SECOND) {
                throw invalid(i);
            }
            return "(" + sign + "INTERVAL " + string(value + " " + start.name().toLowerCase(Locale.ROOT)) + ")";
        }
        // DAY TO HOUR/MINUTE/SECOND, HOUR TO MINUTE/SECOND, MINUTE TO SECOND: the fields from start to end, in order.
        Matcher m = DAY_TIME.matcher(value);
        if (!m.matches() || start.ordinal() > end.ordinal() || start.ordinal() < IntervalField.DAY.ordinal()) {
            throw invalid(i);
        }
        String[] given = {m.group(2), m.group(3), m.group(4), m.group(5)};
        int count = end.ordinal() - start.ordinal() + 1;
        java.util.List<String> fields = new java.util.ArrayList<>();
        for (String g : given) {
            if (g != null) {
                fields.add(g);
            }
        }
        if (fields.size() != count) {
            throw invalid(i);
        }
        long days = 0;
        long hours = 0;
        long minutes = 0;
        String seconds = "0";
        for (int k = 0; k < count; k++) {
            IntervalField f = IntervalField.values()[start.ordinal() + k];
            String v = fields.get(k);
            switch (f) {
                case DAY -> days = Long.parseLong(v);
                case HOUR -> hours = Long.parseLong(v);
                case MINUTE -> minutes = Long.parseLong(v);
                case SECOND -> seconds = v;
                default -> throw invalid(i);
            }
        }
        String s = m.group(1) == null ? "" : "-";
        String text = s + days + " days " + s + hours + " hours " + s + minutes + " minutes " + s + seconds + " seconds";
        return "(" + sign + "(INTERVAL " + string(text) + "))";
    }

    private static TributaryException invalid(IntervalLiteral i) {
        return TributaryException.invalidArgument("%sInvalid INTERVAL %s value: '%s'", TrinoToDuckDb.location(i),
                i.getStartField() + i.getEndField().map(e -> " TO " + e).orElse(""), i.getValue());
    }

    /**
     * {@code value + interval}: months and years in the calendar (a date stays a date); whole days exactly (a date stays a
     * date; a timestamp with time zone moves by 24 hours a day, as Trino adds milliseconds); hours and shorter exactly, which
     * a date cannot take.
     */
    static String plusInterval(String value, String interval, IntervalLiteral literal) {
        IntervalField start = literal.getStartField();
        IntervalField end = literal.getEndField().orElse(start);
        String macro = switch (start) {
            case YEAR, MONTH -> "add_calendar";
            case DAY -> end == IntervalField.DAY ? "add_days" : "add_clock";
            case HOUR, MINUTE, SECOND -> "add_clock";
        };
        return "trino." + macro + "(" + value + ", " + interval + ")";
    }
}
