package io.tributary.sql.duckdb;

import io.tributary.common.TributaryException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time zone names as Trino's {@code TimeZoneKey} gives them: region names in their canonical
 * spelling (matched case-insensitively), fixed offsets as {@code +02:00}, and {@code UTC} for every
 * name of UTC and for a zero offset.
 *
 * <p>Immutable and thread-safe.
 */
final class TimeZones {
    private static final Set<String> UTC_NAMES = Set.of("utc", "z", "gmt", "ut", "uct", "zulu", "gmt0", "etc/utc", "etc/gmt", "etc/uct",
            "etc/ut", "etc/zulu", "etc/gmt0", "etc/gmt+0", "etc/gmt-0", "gmt+0", "gmt-0", "utc+0", "utc-0", "greenwich", "etc/greenwich",
            "universal", "etc/universal");
    private static final Pattern OFFSET = Pattern.compile("([+-])(\\d{1,2})(?::?(\\d{2}))?");
    private static final Map<String, String> REGIONS = new TreeMap<>();

    static {
        for (String id : ZoneId.getAvailableZoneIds()) {
            REGIONS.put(id.toLowerCase(Locale.ROOT), id);
        }
    }

    private TimeZones() {}

    /** Trino's name for a zone, or empty when Trino does not know it. */
    static Optional<String> canonical(String zone) {
        String z = zone.trim();
        String lower = z.toLowerCase(Locale.ROOT);
        if (UTC_NAMES.contains(lower)) {
            return Optional.of("UTC");
        }
        Matcher m = OFFSET.matcher(z);
        if (m.matches()) {
            int hours = Integer.parseInt(m.group(2));
            int minutes = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
            if (hours > 14 || minutes > 59) {
                return Optional.empty();
            }
            if (hours == 0 && minutes == 0) {
                return Optional.of("UTC");
            }
            return Optional.of(String.format(Locale.ROOT, "%s%02d:%02d", m.group(1), hours, minutes));
        }
        return Optional.ofNullable(REGIONS.get(lower));
    }

    /** {@link #canonical} for a zone written in a query; an unknown zone fails as in Trino. */
    static String require(String zone, String where) {
        return canonical(zone).orElseThrow(() -> TributaryException.invalidArgument("%sTime zone not supported: %s", where, zone));
    }

    /** The Java zone of a Trino zone name, for showing a value in it. */
    static ZoneId zoneId(String trinoName) {
        String name = canonical(trinoName).orElse(trinoName);
        if (name.equals("UTC")) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw TributaryException.invalidArgument("Time zone not supported: %s", trinoName);
        }
    }
}
