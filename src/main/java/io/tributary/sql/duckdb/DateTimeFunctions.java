package io.tributary.sql.duckdb;

import static io.tributary.sql.duckdb.Functions.scalar;
import static io.tributary.sql.duckdb.TrinoToDuckDb.string;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.trino.sql.tree.Expression;
import io.trino.sql.tree.StringLiteral;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Trino's date and time functions. Dates stay dates, timestamps stay timestamps, and a timestamp
 * with time zone is broken down in its own zone; the type-dependent parts are {@link TrinoMacros}.
 */
final class DateTimeFunctions {
    private static final Set<String> CLOCK_UNITS = Set.of("millisecond", "second", "minute", "hour");
    private static final Set<String> UNITS = Set.of("millisecond", "second", "minute", "hour", "day", "week", "month", "quarter", "year");

    private DateTimeFunctions() {}

    static void register() {
        scalar("date_trunc", 2, 2, c -> "trino.date_trunc(" + string(unit(c, 0)) + ", " + c.arg(1) + ")");
        scalar("date_add", 3, 3, c -> add(unit(c, 0), interval(unit(c, 0), c.arg(1)), c.arg(2)));
        scalar("date_diff", 3, 3, c -> "trino." + (CLOCK_UNITS.contains(unit(c, 0)) ? "diff_clock(" : "diff_calendar(") + string(unit(c, 0)) + ", "
                + c.arg(1) + ", " + c.arg(2) + ")");
        scalar("date_format", 2, 2, c -> "strftime(trino.wall(" + c.arg(0) + "), " + string(DateFormats.fromMySql(c.literal(1))) + ")");
        scalar("date_parse", 2, 2, c -> "strptime(" + c.arg(0) + ", " + string(DateFormats.fromMySql(c.literal(1))) + ")");
        scalar("format_datetime", 2, 2, c -> formatDatetime(c.arg(0), DateFormats.fromJoda(c.literal(1))));
        scalar("parse_datetime", 2, 2, c -> parseDatetime(c.arg(0), c.literal(1), DateFormats.fromJoda(c.literal(1))));
        scalar("from_iso8601_timestamp", 1, 1, c -> "trino.from_iso8601_timestamp(" + c.arg(0) + ")");
        scalar("from_iso8601_date", 1, 1, c -> "CAST(" + c.arg(0) + " AS DATE)");
        scalar("to_iso8601", 1, 1, c -> "trino.to_iso8601(" + c.arg(0) + ")");
        scalar("from_unixtime", 1, 2, c -> "trino.from_unixtime(" + c.arg(0) + ", " + (c.args().size() == 2 ? zone(c, 1) : "'UTC'") + ")");
        scalar("to_unixtime", 1, 1, c -> "trino.to_unixtime(" + c.arg(0) + ")");
        scalar("to_milliseconds", 1, 1, c -> "CAST(epoch_ms(TIMESTAMP '1970-01-01' + " + c.arg(0) + ") AS BIGINT)");
        scalar("now", 0, 0, c -> currentTimestamp());
        scalar("current_timezone", 0, 0, c -> "'UTC'");
        scalar("date", 1, 1, c -> "trino.to_date(" + c.arg(0) + ")");
        scalar("at_timezone", 2, 2, c -> "trino.at_timezone(" + c.arg(0) + ", " + zone(c, 1) + ")");
        scalar("with_timezone", 2, 2, c -> "trino.from_local(trino.to_timestamp(" + c.arg(0) + "), " + zone(c, 1) + ")");
        scalar("timezone_hour", 1, 1, c -> "(trino.offset_minutes(" + c.arg(0) + ") // 60)");
        scalar("timezone_minute", 1, 1, c -> "(trino.offset_minutes(" + c.arg(0) + ") % 60)");
        field("year", "year");
        field("quarter", "quarter");
        field("month", "month");
        field("week", "week");
        field("week_of_year", "week");
        field("day", "day");
        field("day_of_month", "day");
        field("day_of_week", "isodow");
        field("dow", "isodow");
        field("day_of_year", "dayofyear");
        field("doy", "dayofyear");
        field("year_of_week", "isoyear");
        field("yow", "isoyear");
        field("hour", "hour");
        field("minute", "minute");
        field("second", "second");
        scalar("millisecond", 1, 1, c -> "(millisecond(trino.wall(" + c.arg(0) + ")) % 1000)");
        field("last_day_of_month", "last_day");
    }

    /** A calendar field, read from the wall time (in the value's own zone for a timestamp with time zone). */
    private static void field(String name, String duck) {
        scalar(name, 1, 1, c -> duck + "(trino.wall(" + c.arg(0) + "))");
    }

    /** Trino's current_timestamp: a timestamp(3) with time zone in the session zone, UTC. */
    static String currentTimestamp() {
        return "trino.tz(date_trunc('millisecond', current_timestamp), 'UTC')";
    }

    /** A zone argument: a literal is checked and named as Trino names it; a zone from data is checked when the query runs. */
    static String zone(Functions.Call c, int i) {
        return zone(c.nodes().get(i), c.arg(i));
    }

    static String zone(Expression node, String translated) {
        if (node instanceof StringLiteral s) {
            return string(TimeZones.require(s.getValue(), TrinoToDuckDb.location(node)));
        }
        return "trino.zone(" + translated + ")";
    }

    /** {@code x + interval}: days and longer in the calendar of x's zone, hours and shorter exactly. */
    static String add(String unit, String interval, String value) {
        return "trino." + (CLOCK_UNITS.contains(unit) ? "add_clock(" : "add_calendar(") + value + ", " + interval + ")";
    }

    private static String formatDatetime(String value, List<DateFormats.Part> parts) {
        List<String> pieces = new ArrayList<>();
        for (DateFormats.Part part : parts) {
            pieces.add(switch (part) {
                case DateFormats.Text t -> "strftime(trino.wall(" + value + "), " + string(t.strftime()) + ")";
                case DateFormats.Zone z -> switch (z) {
                    case OFFSET -> "trino.offset_text(" + value + ", false)";
                    case OFFSET_COLON -> "trino.offset_text(" + value + ", true)";
                    case ID -> "trino.zone_id(" + value + ")";
                };
            });
        }
        return pieces.size() == 1 ? pieces.get(0) : "(" + String.join(" || ", pieces) + ")";
    }

    /**
     * parse_datetime: without a zone in the pattern the text is read in the session zone (UTC); with an offset ({@code Z},
     * {@code ZZ}) at the end, the value keeps that offset as its zone.
     */
    private static String parseDatetime(String text, String pattern, List<DateFormats.Part> parts) {
        if (parts.size() == 1 && parts.get(0) instanceof DateFormats.Text t) {
            return "trino.tz(strptime(" + text + ", " + string(t.strftime()) + "), 'UTC')";
        }
        boolean trailingOffset = parts.size() == 2 && parts.get(0) instanceof DateFormats.Text && parts.get(1) instanceof DateFormats.Zone z
                && z != DateFormats.Zone.ID;
        if (!trailingOffset) {
            throw new TributaryException(ErrorCode.UNSUPPORTED, "parse_datetime pattern '" + pattern
                    + "': Tributary reads a zone only as an offset (Z or ZZ) at the end of the pattern");
        }
        String strftime = ((DateFormats.Text) parts.get(0)).strftime() + "%z";
        return "trino.tz(strptime(" + text + ", " + string(strftime) + "), trino.zone_name(regexp_extract(" + text
                + ", '([+-]\\d{2}:?\\d{2}|Z)\\s*$', 1)))";
    }

    static String unit(Functions.Call c, int i) {
        String unit = c.literal(i).toLowerCase(Locale.ROOT);
        if (!UNITS.contains(unit)) {
            throw TributaryException.invalidArgument("'%s' is not a valid unit for %s(); use one of %s", c.literal(i), c.name(), new TreeSet<>(UNITS));
        }
        return unit;
    }

    static String interval(String unit, String amount) {
        return switch (unit) {
            case "quarter" -> "to_months(CAST(" + amount + " AS INTEGER) * 3)";
            case "millisecond" -> "to_milliseconds(CAST(" + amount + " AS BIGINT))";
            default -> "to_" + unit + "s(CAST(" + amount + " AS " + (unit.equals("second") ? "DOUBLE" : "INTEGER") + "))";
        };
    }
}
