package io.tributary.sql.duckdb;

import java.util.List;

/**
 * DuckDB macros, in the schema {@code trino}, that give Trino's answer where it depends on the
 * argument's type: {@code date_add} on a DATE is a DATE, {@code hour} of a timestamp with time
 * zone is the hour in its zone, a double cast to bigint rounds half up, and so on. The translator
 * sees no types, so it cannot choose; DuckDB can, when it binds a call:
 *
 * <ul>
 *   <li>a macro with typed overloads ({@code (x DATE) AS ..., (x) AS ...}) is expanded by the
 *       overload matching the argument's type (DuckDB binds typed overloads when they are created,
 *       which checks them);
 *   <li>{@code CASE WHEN typeof(x) = ... THEN ... END} is folded to one branch when the query is
 *       bound, so the others are never evaluated; every branch must still bind for every type, so
 *       branches read their argument through {@code TRY_CAST}. Where the branches have different
 *       types, the translator emits the choice itself ({@code struct_extract} of a struct with a
 *       constant key, which DuckDB also folds), since a macro body may not use it.
 * </ul>
 *
 * <p>Both are expanded before DuckDB optimizes the query, so a macro costs nothing at run time
 * beyond the expression it expands to. User SQL cannot call these macros: the translator emits
 * them for the functions it translates and refuses every other name.
 *
 * <p>Trino's {@code timestamp(3) with time zone} is represented as {@link #TZ}, a struct of the
 * instant and the zone it is shown in (see docs/decisions.md); Trino's {@code timestamp(3)} is
 * DuckDB's TIMESTAMP (UTC wall time, the session zone being UTC).
 */
final class TrinoMacros {
    /** Trino's timestamp with time zone: the instant, and the zone it is shown and broken down in. */
    static final String TZ = "STRUCT(tz_instant TIMESTAMPTZ, tz_zone VARCHAR)";

    /** How DuckDB's JDBC driver names {@link #TZ}. */
    static final String TZ_TYPE_NAME = "STRUCT(tz_instant TIMESTAMP WITH TIME ZONE, tz_zone VARCHAR)";

    private TrinoMacros() {}

    /** The statements creating the macros, in order (later macros use earlier ones). */
    static List<String> statements() {
        List<String> out = new java.util.ArrayList<>();
        for (String m : MACROS) {
            out.add(m.replace("%TZ%", TZ).replace("%TZNAME%", TZ_TYPE_NAME));
        }
        // Each cast twice: for CAST, failing as Trino's cast fails, and for TRY_CAST, giving NULL instead.
        for (boolean safe : new boolean[] {false, true}) {
            for (String m : CASTS) {
                out.add(m.replace("%TZ%", TZ).replace("%TRY%", safe ? "try_" : "").replace("%CAST%", safe ? "TRY_CAST" : "CAST")
                        .replace("%FAIL%", safe ? "trino.null_of" : "trino.fail_like"));
            }
        }
        return List.copyOf(out);
    }

    private static final List<String> MACROS = List.of(
            "CREATE SCHEMA IF NOT EXISTS trino",

            // Fails with the message when cond is true, else NULL of the type of e. Not DuckDB's error(), which TRY refuses (it is
            // volatile): a cast that fails, which TRY catches as Trino's try catches Trino's errors, marked for DuckDbErrors.
            // The cast sits where DuckDB evaluates it only when cond is true (in a list index, not in a CASE condition, which
            // DuckDB folds when it binds, even in a branch it will not take and inside TRY).
            "CREATE MACRO trino.fail(cond, message) AS CAST(CASE WHEN cond THEN '" + DuckDbErrors.MARKER + "' || message END AS INTEGER)",
            "CREATE MACRO trino.fail_like(cond, message, e) AS [e][CAST(trino.fail(cond, message) AS BIGINT)]",
            "CREATE MACRO trino.null_of(cond, message, e) AS [e][CAST(NULL AS BIGINT)]",

            // ---- timestamp with time zone

            // NULL stays NULL (a struct of NULLs would not be).
            """
            CREATE MACRO trino.tz(instant, zone) AS
              CASE WHEN instant IS NULL OR zone IS NULL THEN NULL
              ELSE {'tz_instant': CAST(instant AS TIMESTAMPTZ), 'tz_zone': CAST(zone AS VARCHAR)} END""",
            // ICU knows a fixed offset as GMT+02:00; Trino shows it as +02:00.
            "CREATE MACRO trino.icu_zone(z) AS CASE WHEN left(z, 1) IN ('+', '-') THEN 'GMT' || z ELSE z END",
            // A zone as Trino's TimeZoneKey names it (UTC for every name of UTC and for a zero offset, offsets as +hh:mm);
            // an unknown zone fails in ICU. Zone literals are normalized by the translator; this is for zones in data.
            """
            CREATE MACRO trino.zone_name(z) AS
              CASE WHEN upper(z) IN ('UTC', 'Z', 'GMT', 'UT', 'UCT', 'ZULU', 'GMT0', 'ETC/UTC', 'ETC/GMT', 'ETC/UCT', 'ETC/UT', 'ETC/ZULU',
                                     'ETC/GMT0', 'ETC/GMT+0', 'ETC/GMT-0', 'GMT+0', 'GMT-0', 'UTC+0', 'UTC-0')
                     OR regexp_full_match(z, '[+-]00(:?00)?') THEN 'UTC'
                   WHEN regexp_full_match(z, '[+-]\\d{2}:\\d{2}') THEN z
                   WHEN regexp_full_match(z, '[+-]\\d{4}') THEN left(z, 3) || ':' || right(z, 2)
                   WHEN regexp_full_match(z, '[+-]\\d{2}') THEN z || ':00'
                   ELSE z END""",
            """
            CREATE MACRO trino.zone(z) AS
              CASE WHEN timezone(trino.icu_zone(trino.zone_name(z)), TIMESTAMPTZ '2000-01-01 00:00:00+00') IS NULL THEN NULL
              ELSE trino.zone_name(z) END""",
            // The instant, typed even when x is an untyped NULL (which DuckDB passes to the struct overload).
            "CREATE MACRO trino.instant(x) AS CAST(struct_extract(x, 'tz_instant') AS TIMESTAMPTZ)",
            "CREATE MACRO trino.zone_of(x) AS CAST(struct_extract(x, 'tz_zone') AS VARCHAR)",
            // The wall time of a timestamp with time zone in its zone.
            "CREATE MACRO trino.local(x) AS timezone(trino.icu_zone(trino.zone_of(x)), trino.instant(x))",
            // A wall time in a zone.
            "CREATE MACRO trino.from_local(ts, zone) AS trino.tz(timezone(trino.icu_zone(zone), CAST(ts AS TIMESTAMP)), zone)",
            // The value whose calendar fields Trino reads: the wall time in the value's zone for a timestamp with time zone.
            "CREATE MACRO trino.wall (x %TZ%) AS trino.local(x), (x) AS x",
            // Comparisons of timestamps with time zone compare instants, as Trino's do (the zone is only how it is shown). One
            // typed overload only: with two, DuckDB reports a column that does not exist as an ambiguous macro call.
            "CREATE MACRO trino.key (x %TZ%) AS trino.instant(x), (x) AS x",
            // The zone offset in minutes.
            "CREATE MACRO trino.offset_minutes (x %TZ%) AS date_diff('minute', CAST(trino.instant(x) AS TIMESTAMP), trino.local(x)), (x) AS 0",
            """
            CREATE MACRO trino.offset_text(x, colon) AS
              CASE WHEN trino.offset_minutes(x) < 0 THEN '-' ELSE '+' END
              || lpad(CAST(abs(trino.offset_minutes(x)) // 60 AS VARCHAR), 2, '0') || CASE WHEN colon THEN ':' ELSE '' END
              || lpad(CAST(abs(trino.offset_minutes(x)) % 60 AS VARCHAR), 2, '0')""",
            "CREATE MACRO trino.zone_id (x %TZ%) AS trino.zone_of(x), (x) AS 'UTC'",
            // The instant of a timestamp with time zone, or of a timestamp read in the session zone (UTC).
            "CREATE MACRO trino.instant_of (x %TZ%) AS trino.instant(x), (x) AS CAST(CAST(x AS TIMESTAMP) AS TIMESTAMPTZ)",
            // A timestamp(3) in Trino's text form.
            "CREATE MACRO trino.timestamp_text(ts) AS strftime(ts, '%Y-%m-%d %H:%M:%S.%g')",

            // x AT TIME ZONE zone: the same instant shown in another zone; a timestamp is read in the session zone (UTC).
            """
            CREATE MACRO trino.at_timezone (x %TZ%, zone) AS trino.tz(trino.instant(x), zone),
              (x, zone) AS trino.tz(CAST(CAST(x AS TIMESTAMP) AS TIMESTAMPTZ), zone)""",
            // from_iso8601_timestamp: the zone is the string's offset (Z is UTC), else the session zone (UTC).
            """
            CREATE MACRO trino.from_iso8601_timestamp(s) AS
              trino.tz(CAST(s AS TIMESTAMPTZ),
                       trino.zone_name(CASE WHEN regexp_matches(s, 'T.*(Z|[+-]\\d{2}(:?\\d{2})?)$')
                                       THEN regexp_extract(s, '(Z|[+-]\\d{2}(:?\\d{2})?)$', 1) ELSE 'UTC' END))""",
            // from_unixtime rounds to milliseconds (Math.round in Trino's DateTimeFunctions.fromUnixTime).
            """
            CREATE MACRO trino.from_unixtime(x, zone) AS
              trino.tz(make_timestamp(CAST(floor(CAST(x AS DOUBLE) * 1000 + 0.5) AS BIGINT) * 1000), zone)""",
            "CREATE MACRO trino.to_unixtime (x %TZ%) AS epoch(trino.instant(x)), (x) AS epoch(x)",

            // Each macro has one typed overload at most, and passes other types on to a second macro that has the next: when
            // DuckDB cannot type an argument (a misspelled column) it then expands the typed overload and reports the column,
            // where with several typed candidates it would report an ambiguous call.
            // date_trunc keeps the argument's type; a timestamp with time zone is truncated in its zone.
            """
            CREATE MACRO trino.date_trunc_plain (unit, x DATE) AS CASE WHEN unit IN ('millisecond', 'second', 'minute', 'hour')
                                THEN trino.fail_like(x IS NOT NULL, '''' || unit || ''' is not a valid DATE field', x) ELSE CAST(date_trunc(unit, x) AS DATE) END,
              (unit, x) AS date_trunc(unit, x)""",
            """
            CREATE MACRO trino.date_trunc (unit, x %TZ%) AS trino.from_local(date_trunc(unit, trino.local(x)), trino.zone_of(x)),
              (unit, x) AS trino.date_trunc_plain(unit, x)""",
            // Adding days, weeks, months, quarters or years (date_add, year-month intervals): in the zone's calendar.
            """
            CREATE MACRO trino.add_calendar_plain (x DATE, iv) AS CAST(x + iv AS DATE),
              (x, iv) AS x + iv""",
            """
            CREATE MACRO trino.add_calendar (x %TZ%, iv) AS trino.from_local(trino.local(x) + iv, trino.zone_of(x)),
              (x, iv) AS trino.add_calendar_plain(x, iv)""",
            // Adding a day-to-second interval of whole days: exact for a timestamp with time zone (Trino adds milliseconds).
            """
            CREATE MACRO trino.add_days_plain (x DATE, iv) AS CAST(x + iv AS DATE),
              (x, iv) AS x + iv""",
            """
            CREATE MACRO trino.add_days (x %TZ%, iv) AS trino.tz(trino.instant(x) + iv, trino.zone_of(x)),
              (x, iv) AS trino.add_days_plain(x, iv)""",
            // Adding hours, minutes, seconds or milliseconds: a date has none (Trino: "Cannot add hour, minutes or seconds to a date").
            """
            CREATE MACRO trino.add_clock_plain (x DATE, iv) AS trino.fail_like(x IS NOT NULL, 'Cannot add hour, minutes or seconds to a date', x),
              (x, iv) AS x + iv""",
            """
            CREATE MACRO trino.add_clock (x %TZ%, iv) AS trino.tz(trino.instant(x) + iv, trino.zone_of(x)),
              (x, iv) AS trino.add_clock_plain(x, iv)""",
            // date_diff: calendar units in the first argument's zone, clock units between instants.
            """
            CREATE MACRO trino.diff_calendar_plain (unit, a, b %TZ%) AS date_sub(unit, CAST(a AS TIMESTAMP), CAST(trino.instant(b) AS TIMESTAMP)),
              (unit, a, b) AS date_sub(unit, a, b)""",
            """
            CREATE MACRO trino.diff_calendar (unit, a %TZ%, b) AS
                date_sub(unit, trino.local(a), timezone(trino.icu_zone(trino.zone_of(a)), trino.instant_of(b))),
              (unit, a, b) AS trino.diff_calendar_plain(unit, a, b)""",
            """
            CREATE MACRO trino.diff_clock_dates (unit, a DATE, b DATE) AS
                trino.fail_like(a IS NOT NULL AND b IS NOT NULL, '''' || unit || ''' is not a valid DATE field', CAST(NULL AS BIGINT)),
              (unit, a, b) AS date_sub(unit, a, b)""",
            """
            CREATE MACRO trino.diff_clock_plain (unit, a, b %TZ%) AS date_sub(unit, CAST(CAST(a AS TIMESTAMP) AS TIMESTAMPTZ), trino.instant(b)),
              (unit, a, b) AS trino.diff_clock_dates(unit, a, b)""",
            """
            CREATE MACRO trino.diff_clock (unit, a %TZ%, b) AS date_sub(unit, trino.instant(a), trino.instant_of(b)),
              (unit, a, b) AS trino.diff_clock_plain(unit, a, b)""",
            // to_iso8601: a date as a date, a timestamp with milliseconds, a zone as its offset (Z at zero, as Joda prints it).
            """
            CREATE MACRO trino.to_iso8601_plain (x DATE) AS strftime(x, '%Y-%m-%d'),
              (x) AS strftime(x, '%Y-%m-%dT%H:%M:%S.%g')""",
            """
            CREATE MACRO trino.to_iso8601 (x %TZ%) AS strftime(trino.local(x), '%Y-%m-%dT%H:%M:%S.%g')
                || CASE WHEN trino.offset_minutes(x) = 0 THEN 'Z' ELSE trino.offset_text(x, true) END,
              (x) AS trino.to_iso8601_plain(x)""",

            // ---- strings (StringFunctions in Trino)

            // substr: position 0, a position past either end, and a length of 0 or less give ''.
            """
            CREATE MACRO trino.substr_start(s, st) AS CASE WHEN st < 0 THEN length(s) + st + 1 ELSE st END""",
            """
            CREATE MACRO trino.substr (s, st) AS
                CASE WHEN s IS NULL OR st IS NULL THEN NULL
                     WHEN st = 0 OR trino.substr_start(s, st) NOT BETWEEN 1 AND length(s) THEN ''
                     ELSE substring(s, trino.substr_start(s, st)) END,
              (s, st, n) AS
                CASE WHEN s IS NULL OR st IS NULL OR n IS NULL THEN NULL
                     WHEN st = 0 OR n <= 0 OR trino.substr_start(s, st) NOT BETWEEN 1 AND length(s) THEN ''
                     ELSE substring(s, trino.substr_start(s, st), n) END""",
            """
            CREATE MACRO trino.split(s, d, lim) AS
              CASE WHEN d = '' THEN trino.fail_like(d = '', 'The delimiter may not be the empty string', CAST(NULL AS VARCHAR[]))
                   WHEN lim IS NULL OR len(string_split(s, d)) <= lim THEN string_split(s, d)
                   WHEN lim <= 0 THEN trino.fail_like(lim <= 0, 'Limit must be positive', CAST(NULL AS VARCHAR[]))
                   ELSE list_concat(string_split(s, d)[1:lim - 1], [array_to_string(string_split(s, d)[lim:], d)]) END""",
            """
            CREATE MACRO trino.split_part(s, d, i) AS
              CASE WHEN i <= 0 THEN trino.fail_like(i <= 0, 'Index must be greater than zero', CAST(NULL AS VARCHAR)) ELSE list_extract(string_split(s, d), i) END""",

            "CREATE MACRO trino.reverse (x VARCHAR) AS reverse(x), (x) AS list_reverse(x)",
            // concat_ws(separator, array): the array's non-NULL elements.
            "CREATE MACRO trino.concat_ws (sep, x VARCHAR[]) AS array_to_string(list_filter(x, lambda e: e IS NOT NULL), sep), (sep, x) AS concat_ws(sep, x)",
            // strpos(s, sub, n): the n-th occurrence (from the end when n < 0), overlapping ones counted as Trino's indexOf loop counts them.
            """
            CREATE MACRO trino.occurrences(s, sub) AS list_filter(range(1, length(s) + 1), lambda i: substr(s, i, length(sub)) = sub)""",
            """
            CREATE MACRO trino.strpos(s, sub, n) AS
              CASE WHEN n = 0 THEN trino.fail_like(n = 0, '''instance'' must be a positive or negative number.', CAST(NULL AS BIGINT))
                   WHEN sub = '' THEN 1
                   WHEN n > 0 THEN coalesce(trino.occurrences(s, sub)[n], 0)
                   ELSE coalesce(CASE WHEN len(trino.occurrences(s, sub)) + n + 1 >= 1
                                      THEN trino.occurrences(s, sub)[len(trino.occurrences(s, sub)) + n + 1] END, 0)
              END""",
            // regexp_position: the position of the first match at or after start, or -1.
            """
            CREATE MACRO trino.regexp_position(s, p, st) AS
              CASE WHEN s IS NULL OR p IS NULL OR st IS NULL THEN NULL
                   WHEN NOT regexp_matches(substr(s, st), p) THEN -1
                   ELSE length(regexp_extract(substr(s, st), '^((?s:.*?))(?:' || p || ')', 1)) + st END""",

            // ---- URLs: scheme://user@host:port/path?query#fragment, the parts as java.net.URI gives them (absent parts are NULL).
            """
            CREATE MACRO trino.url_part(u, part) AS
              CASE part
                WHEN 1 THEN nullif(regexp_extract(u, '^([A-Za-z][A-Za-z0-9+.-]*):', 1), '')
                WHEN 2 THEN nullif(regexp_extract(u, '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?(\\[[^\\]]*\\]|[^:/?#]*)', 1), '')
                WHEN 3 THEN nullif(regexp_extract(u, '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?(?:\\[[^\\]]*\\]|[^:/?#]*):(\\d+)', 1), '')
                WHEN 4 THEN regexp_extract(u, '^(?:[A-Za-z][A-Za-z0-9+.-]*:)?(?://[^/?#]*)?([^?#]*)', 1)
                WHEN 5 THEN CASE WHEN regexp_matches(u, '^[^#]*[?]') THEN regexp_extract(u, '^[^#?]*[?]([^#]*)', 1) END
                ELSE CASE WHEN contains(u, '#') THEN regexp_extract(u, '#(.*)$', 1) END END""",
            // url_extract_parameter: the value of the first parameter of that name in the query ('' when it has no '=').
            """
            CREATE MACRO trino.url_parameter_value(e) AS
              CASE WHEN e IS NULL THEN NULL WHEN contains(e, '=') THEN substr(e, strpos(e, '=') + 1) ELSE '' END""",
            """
            CREATE MACRO trino.url_extract_parameter(u, name) AS
              trino.url_parameter_value(list_filter(string_split(trino.url_part(u, 5), '&'), lambda e: split_part(e, '=', 1) = name)[1])""",

            // ---- numbers, durations, types

            // width_bucket (MathFunctions.widthBucket): 0 below the range, n + 1 above it, bounds in either order.
            """
            CREATE MACRO trino.width_bucket(x, b1, b2, n) AS
              CASE WHEN n <= 0 THEN trino.fail_like(n <= 0, 'bucketCount must be greater than 0', CAST(NULL AS BIGINT))
                   WHEN b1 = b2 THEN trino.fail_like(b1 = b2, 'bounds cannot equal each other', CAST(NULL AS BIGINT))
                   WHEN b1 < b2 THEN CASE WHEN x < b1 THEN 0 WHEN x >= b2 THEN n + 1
                                          ELSE CAST(floor((x - b1) / (b2 - b1) * n) AS BIGINT) + 1 END
                   ELSE CASE WHEN x > b1 THEN 0 WHEN x <= b2 THEN n + 1 ELSE CAST(floor((b1 - x) / (b1 - b2) * n) AS BIGINT) + 1 END END""",
            "CREATE MACRO trino.width_bucket_bins(x, bins) AS CAST(len(list_filter(bins, lambda b: b <= x)) AS BIGINT)",
            // parse_duration (airlift Duration, to milliseconds rounded): '42.8ms' is 43 milliseconds.
            """
            CREATE MACRO trino.duration_unit_ms(u) AS
              CASE u WHEN 'ns' THEN 0.000001 WHEN 'us' THEN 0.001 WHEN 'ms' THEN 1 WHEN 's' THEN 1000 WHEN 'm' THEN 60000
                     WHEN 'h' THEN 3600000 WHEN 'd' THEN 86400000 END""",
            """
            CREATE MACRO trino.parse_duration(s) AS
              CASE WHEN NOT regexp_full_match(s, '\\s*\\d+(\\.\\d+)?\\s*(ns|us|ms|s|m|h|d)\\s*')
                   THEN trino.fail_like(NOT regexp_full_match(s, '\\s*\\d+(\\.\\d+)?\\s*(ns|us|ms|s|m|h|d)\\s*'),
                                        'duration is not a valid data duration string: ' || s, INTERVAL '0 seconds')
                   ELSE to_milliseconds(CAST(round(CAST(regexp_extract(s, '(\\d+(\\.\\d+)?)', 1) AS DOUBLE)
                                                    * trino.duration_unit_ms(regexp_extract(s, '(ns|us|ms|s|m|h|d)\\s*$', 1))) AS BIGINT)) END""",
            // human_readable_seconds: weeks, days, hours, minutes, seconds, the zero ones left out ('1 minute, 36 seconds').
            "CREATE MACRO trino.time_unit(n, unit) AS CASE WHEN n = 0 THEN NULL WHEN n = 1 THEN '1 ' || unit ELSE n || ' ' || unit || 's' END",
            """
            CREATE MACRO trino.readable_seconds(s) AS
              CASE WHEN s IS NULL THEN NULL WHEN s = 0 THEN '0 seconds'
                   ELSE concat_ws(', ', trino.time_unit(s // 604800, 'week'), trino.time_unit(s % 604800 // 86400, 'day'),
                                  trino.time_unit(s % 86400 // 3600, 'hour'), trino.time_unit(s % 3600 // 60, 'minute'),
                                  trino.time_unit(s % 60, 'second')) END""",
            "CREATE MACRO trino.human_readable_seconds(x) AS trino.readable_seconds(CAST(floor(CAST(x AS DOUBLE) + 0.5) AS BIGINT))",
            // typeof: Trino's names of the types (varchar without its length).
            """
            CREATE MACRO trino.scalar_type_name(t) AS
              CASE t WHEN 'FLOAT' THEN 'real' WHEN 'TIMESTAMP' THEN 'timestamp(3)' WHEN 'TIME' THEN 'time(3)' WHEN 'BLOB' THEN 'varbinary'
                     WHEN 'INTERVAL' THEN 'interval day to second' WHEN '"NULL"' THEN 'unknown' WHEN 'UBIGINT' THEN 'bigint'
                     WHEN 'TIMESTAMP WITH TIME ZONE' THEN 'timestamp(3) with time zone'
                     WHEN '%TZNAME%' THEN 'timestamp(3) with time zone'
                     ELSE lower(t) END""",
            """
            CREATE MACRO trino.type_name(t) AS
              CASE WHEN t LIKE '%[]' THEN 'array(' || trino.scalar_type_name(left(t, -2)) || ')' ELSE trino.scalar_type_name(t) END""",

            // ---- arrays and maps

            "CREATE MACRO trino.has_null(a) AS len(list_filter(a, lambda e: e IS NULL)) > 0",
            // contains is NULL when the value is not found but the array holds a NULL (Trino's ArrayContains).
            """
            CREATE MACRO trino.contains(a, v) AS
              CASE WHEN a IS NULL OR v IS NULL THEN NULL WHEN list_contains(a, v) THEN true WHEN trino.has_null(a) THEN NULL ELSE false END""",
            // array_max and array_min are NULL when an element is (ArrayMaxFunction).
            "CREATE MACRO trino.array_max(a) AS CASE WHEN trino.has_null(a) THEN NULL ELSE list_max(a) END",
            "CREATE MACRO trino.array_min(a) AS CASE WHEN trino.has_null(a) THEN NULL ELSE list_min(a) END",
            // element_at: NULL past the end of an array or for a missing key; position 0 is an error. Every branch must bind for
            // a map too, whose key may be a string: hence TRY_CAST.
            """
            CREATE MACRO trino.element_at(x, i) AS
              CASE WHEN typeof(x) LIKE 'MAP(%' OR typeof(x) NOT LIKE '%[]' THEN x[i]
                   WHEN TRY_CAST(i AS BIGINT) = 0 THEN trino.fail_like(TRY_CAST(i AS BIGINT) = 0, 'SQL array indices start at 1', x[i])
                   WHEN abs(TRY_CAST(i AS BIGINT)) > cardinality(x) THEN NULL
                   ELSE x[i] END""",
            // map['key']: Trino fails on a missing key (element_at gives NULL).
            """
            CREATE MACRO trino.map_subscript(x, k) AS
              CASE WHEN x IS NULL OR k IS NULL THEN NULL
                   WHEN map_contains(x, k) THEN x[k]
                   ELSE trino.fail_like(true, 'Key not present in map: ' || k, x[k]) END""",
            // array[i]: Trino fails outside the array (a map with other than string keys gives NULL for a missing key here).
            """
            CREATE MACRO trino.subscript(x, i) AS
              CASE WHEN typeof(x) LIKE 'MAP(%' OR typeof(x) NOT LIKE '%[]' THEN x[i]
                   WHEN TRY_CAST(i AS BIGINT) = 0 THEN trino.fail_like(TRY_CAST(i AS BIGINT) = 0, 'SQL array indices start at 1', x[i])
                   WHEN TRY_CAST(i AS BIGINT) < 0 THEN trino.fail_like(TRY_CAST(i AS BIGINT) < 0, 'Array subscript is negative: ' || i, x[i])
                   WHEN TRY_CAST(i AS BIGINT) > cardinality(x)
                   THEN trino.fail_like(TRY_CAST(i AS BIGINT) > cardinality(x), 'Array subscript must be less than or equal to array length: '
                                        || i || ' > ' || cardinality(x), x[i])
                   ELSE x[i] END""",
            // any_match, all_match, none_match over the predicate's answers: NULL decides only when no answer does.
            """
            CREATE MACRO trino.any_match(b) AS
              CASE WHEN b IS NULL THEN NULL WHEN list_contains(b, true) THEN true WHEN trino.has_null(b) THEN NULL ELSE false END""",
            """
            CREATE MACRO trino.all_match(b) AS
              CASE WHEN b IS NULL THEN NULL WHEN list_contains(b, false) THEN false WHEN trino.has_null(b) THEN NULL ELSE true END""",
            """
            CREATE MACRO trino.none_match(b) AS
              CASE WHEN b IS NULL THEN NULL WHEN list_contains(b, true) THEN false WHEN trino.has_null(b) THEN NULL ELSE true END""",
            // array_distinct keeps the first of equal elements, in order, and one NULL (DuckDB's list_distinct drops NULLs).
            "CREATE MACRO trino.array_distinct(a) AS list_filter(a, lambda e, i: list_position(a, e) = i)",
            "CREATE MACRO trino.array_intersect(a, b) AS list_filter(trino.array_distinct(a), lambda e: list_position(b, e) IS NOT NULL)",
            "CREATE MACRO trino.array_except(a, b) AS list_filter(trino.array_distinct(a), lambda e: list_position(b, e) IS NULL)",
            // arrays_overlap: true for a common non-NULL element, else NULL when either array holds a NULL.
            """
            CREATE MACRO trino.arrays_overlap(a, b) AS
              CASE WHEN a IS NULL OR b IS NULL THEN NULL
                   WHEN len(list_filter(a, lambda e: e IS NOT NULL AND list_contains(b, e))) > 0 THEN true
                   WHEN trino.has_null(a) OR trino.has_null(b) THEN NULL ELSE false END""",
            "CREATE MACRO trino.array_remove(a, v) AS CASE WHEN v IS NOT NULL THEN list_filter(a, lambda e: e IS DISTINCT FROM v) END",
            // repeat(x, n) is an array of n copies of x (at most 10,000, as Trino's RepeatFunction).
            """
            CREATE MACRO trino.repeat(x, n) AS
              CASE WHEN n < 0 THEN trino.fail_like(n < 0, 'count argument of repeat function must be greater than or equal to 0', [x])
                   WHEN n > 10000 THEN trino.fail_like(n > 10000, 'count argument of repeat function must be less than or equal to 10000', [x])
                   ELSE list_transform(range(n), lambda i: x) END""",
            // sequence: a step of 1 (or -1, or a day for dates) by default, at most 10,000 entries (Trino's SequenceFunction).
            // Only trino.fail fails: DuckDB folds constant parts of branches not taken too.
            """
            CREATE MACRO trino.sequence_check(n, e) AS
              trino.fail_like(n > 10000, 'result of sequence function must not have more than 10000 entries', e)""",
            """
            CREATE MACRO trino.sequence_plain (a TIMESTAMP, b TIMESTAMP, st) AS generate_series(a, b, st),
              (a, b, st) AS
                CASE WHEN coalesce(st, 1) = 0 THEN trino.fail_like(coalesce(st, 1) = 0, 'step must not be zero', [a])
                     WHEN st IS NOT NULL AND sign(st) * sign(b - a) < 0
                     THEN trino.fail_like(sign(st) * sign(b - a) < 0, 'sequence stop value should be greater than or equal to start value if step is greater than zero otherwise stop should be less than or equal to start', [a])
                     WHEN abs(b - a) // nullif(abs(coalesce(st, 1)), 0) >= 10000
                     THEN trino.sequence_check(abs(b - a) // nullif(abs(coalesce(st, 1)), 0) + 1, [a])
                     ELSE generate_series(a, b, coalesce(st, CASE WHEN a <= b THEN 1 ELSE -1 END)) END""",
            """
            CREATE MACRO trino.sequence (a DATE, b DATE, st) AS
                CASE WHEN st IS NULL AND abs(date_diff('day', a, b)) >= 10000 THEN trino.sequence_check(abs(date_diff('day', a, b)) + 1, CAST(NULL AS DATE[]))
                     ELSE CAST(generate_series(CAST(a AS TIMESTAMP), CAST(b AS TIMESTAMP),
                                               coalesce(st, CASE WHEN a <= b THEN INTERVAL '1 day' ELSE INTERVAL '-1 day' END)) AS DATE[]) END,
              (a, b, st) AS trino.sequence_plain(a, b, st)""",

            // ---- JSON (JsonFunctions, JsonExtract in Trino: text that is not JSON gives NULL)

            """
            CREATE MACRO trino.json_extract_scalar(j, p) AS
              CASE WHEN json_valid(j) AND json_type(j, p) NOT IN ('OBJECT', 'ARRAY') THEN json_extract_string(j, p) END""",
            "CREATE MACRO trino.json_extract(j, p) AS CASE WHEN json_valid(j) THEN json_extract(j, p) END",
            "CREATE MACRO trino.json_array_length(j) AS CASE WHEN json_valid(j) AND json_type(j) = 'ARRAY' THEN json_array_length(j) END",
            """
            CREATE MACRO trino.json_size(j, p) AS
              CASE WHEN NOT json_valid(j) OR json_type(j, p) IS NULL THEN NULL
                   WHEN json_type(j, p) = 'ARRAY' THEN json_array_length(j, p)
                   WHEN json_type(j, p) = 'OBJECT' THEN len(json_keys(j, p))
                   ELSE 0 END""",
            "CREATE MACRO trino.json_index(i) AS CASE WHEN i >= 0 THEN '$[' || i || ']' ELSE '$[#' || i || ']' END",
            // json_array_get gives a string element without its quotes, as Trino's (documented as broken) does.
            """
            CREATE MACRO trino.json_array_get(j, i) AS
              CASE WHEN json_valid(j) AND json_type(j) = 'ARRAY' THEN
                CASE WHEN json_type(j, trino.json_index(i)) = 'VARCHAR' THEN json_extract_string(j, trino.json_index(i))
                     ELSE CAST(json_extract(j, trino.json_index(i)) AS VARCHAR) END END""",
            // json_array_contains matches only elements of the value's JSON type (a string "2" is not the number 2).
            """
            CREATE MACRO trino.json_array_contains(j, v) AS
              CASE WHEN v IS NULL OR NOT json_valid(j) OR json_type(j) <> 'ARRAY' THEN NULL
                   WHEN typeof(v) = 'VARCHAR' THEN len(list_filter(json_extract(j, '$[*]'),
                        lambda e: json_type(e) = 'VARCHAR' AND json_extract_string(e, '$') = TRY_CAST(v AS VARCHAR))) > 0
                   WHEN typeof(v) = 'BOOLEAN' THEN len(list_filter(json_extract(j, '$[*]'),
                        lambda e: json_type(e) = 'BOOLEAN' AND TRY_CAST(json_extract_string(e, '$') AS BOOLEAN) = TRY_CAST(v AS BOOLEAN))) > 0
                   WHEN typeof(v) IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT') THEN len(list_filter(json_extract(j, '$[*]'),
                        lambda e: json_type(e) IN ('BIGINT', 'UBIGINT') AND TRY_CAST(json_extract_string(e, '$') AS HUGEINT) = TRY_CAST(v AS HUGEINT))) > 0
                   ELSE len(list_filter(json_extract(j, '$[*]'),
                        lambda e: json_type(e) IN ('BIGINT', 'UBIGINT', 'DOUBLE') AND TRY_CAST(json_extract_string(e, '$') AS DOUBLE) = TRY_CAST(v AS DOUBLE))) > 0
              END""",
            """
            CREATE MACRO trino.is_json_scalar(j) AS
              CASE WHEN j IS NULL THEN NULL WHEN NOT json_valid(j) THEN trino.fail_like(NOT json_valid(j), 'Invalid JSON value: ' || j, CAST(NULL AS BOOLEAN))
                   ELSE json_type(j) NOT IN ('ARRAY', 'OBJECT') END""",

            // ---- division (DoubleOperators.divide, DecimalOperators.divide in Trino)

            // A double divided by zero is an infinity or NaN, as in Java.
            """
            CREATE MACRO trino.divide_double(a, b) AS
              CASE WHEN b = 0 THEN CASE WHEN isnan(a) OR a = 0 THEN CAST('NaN' AS DOUBLE)
                                        WHEN (a > 0) = NOT signbit(CAST(b AS DOUBLE)) THEN CAST('Infinity' AS DOUBLE)
                                        ELSE CAST('-Infinity' AS DOUBLE) END
                   ELSE a / b END""",
            // A decimal's scale, from its type (a constant once the query is bound); integers have scale 0.
            """
            CREATE MACRO trino.scale(x) AS
              CASE WHEN typeof(x) LIKE 'DECIMAL(%' THEN CAST(regexp_extract(typeof(x), ',\\s*(\\d+)\\)', 1) AS INTEGER) ELSE 0 END""",
            // A decimal's digits as an integer: 12.50 is 1250.
            "CREATE MACRO trino.unscaled(x) AS TRY_CAST(replace(CAST(x AS VARCHAR), '.', '') AS HUGEINT)",
            "CREATE MACRO trino.ten(k) AS CAST('1' || repeat('0', k) AS HUGEINT)",
            // n / b rounded half away from zero (UnscaledDecimal128Arithmetic.divideRoundUp).
            """
            CREATE MACRO trino.quotient_half_up(n, b) AS
              (n // b) + CASE WHEN 2 * abs(n % b) >= abs(b) THEN sign(n) * sign(b) ELSE 0 END""",

            // ---- numbers as text

            // DuckDB prints the shortest digits that read back as the same double (or real), as Java does; Java lays them out
            // differently (Double.toString and Float.toString, which Trino's casts to varchar use): plain from 10^-3 to 10^7,
            // else d.dddEn.
            // s is DuckDB's text of a positive number: 1.5, 10000000000.0, 1e-05, 1.2345678901234569e+23.
            "CREATE MACRO trino.mantissa_all(s) AS replace(split_part(s, 'e', 1), '.', '')",
            "CREATE MACRO trino.digits(s) AS rtrim(ltrim(trino.mantissa_all(s), '0'), '0')",
            """
            CREATE MACRO trino.point(s) AS
              length(split_part(split_part(s, 'e', 1), '.', 1))
              + CASE WHEN contains(s, 'e') THEN CAST(split_part(s, 'e', 2) AS INTEGER) ELSE 0 END
              - (length(trino.mantissa_all(s)) - length(ltrim(trino.mantissa_all(s), '0')))""",
            """
            CREATE MACRO trino.java_layout(d, p) AS
              CASE WHEN p - 1 >= -3 AND p - 1 < 7 THEN
                     CASE WHEN p <= 0 THEN '0.' || repeat('0', -p) || d
                          WHEN p >= length(d) THEN d || repeat('0', p - length(d)) || '.0'
                          ELSE left(d, p) || '.' || substr(d, p + 1) END
                   ELSE left(d, 1) || '.' || CASE WHEN length(d) > 1 THEN substr(d, 2) ELSE '0' END || 'E' || CAST(p - 1 AS VARCHAR) END""",
            """
            CREATE MACRO trino.double_text(x) AS
              CASE WHEN x IS NULL THEN NULL
                   WHEN isnan(x) THEN 'NaN'
                   WHEN isinf(x) THEN CASE WHEN x > 0 THEN 'Infinity' ELSE '-Infinity' END
                   WHEN x = 0 THEN CASE WHEN signbit(x) THEN '-0.0' ELSE '0.0' END
                   ELSE CASE WHEN x < 0 THEN '-' ELSE '' END
                        || trino.java_layout(trino.digits(CAST(abs(x) AS VARCHAR)), trino.point(CAST(abs(x) AS VARCHAR))) END"""
    );

    /** Casts, created as {@code trino.to_...} (failing) and {@code trino.try_to_...} (NULL instead). */
    private static final List<String> CASTS = List.of(
            // CAST(x AS timestamp with time zone): a string may name its zone (else the session zone, UTC).
            """
            CREATE MACRO trino.%TRY%parse_tz(s) AS
              trino.from_local(
                %CAST%(regexp_extract(s, '^\\s*(.*?\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?|\\d{4}-\\d{1,2}-\\d{1,2})\\s*(Z|[+-]\\d{2}(:?\\d{2})?|[A-Za-z][A-Za-z0-9_/+-]*)?\\s*$', 1)
                     AS TIMESTAMP),
                trino.zone(coalesce(nullif(regexp_extract(s,
                  '^\\s*(.*?\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?|\\d{4}-\\d{1,2}-\\d{1,2})\\s*(Z|[+-]\\d{2}(:?\\d{2})?|[A-Za-z][A-Za-z0-9_/+-]*)?\\s*$', 4), ''),
                  'UTC')))""",
            """
            CREATE MACRO trino.%TRY%to_tz (x %TZ%) AS x,
              (x) AS CASE WHEN typeof(x) = 'VARCHAR' THEN trino.%TRY%parse_tz(CAST(x AS VARCHAR))
                          WHEN x IS NOT NULL AND TRY_CAST(x AS TIMESTAMP) IS NULL
                          THEN %FAIL%(x IS NOT NULL AND TRY_CAST(x AS TIMESTAMP) IS NULL, 'Cannot cast ' || typeof(x) || ' to timestamp with time zone', CAST(NULL AS %TZ%))
                          ELSE trino.tz(CAST(TRY_CAST(x AS TIMESTAMP) AS TIMESTAMPTZ), 'UTC') END""",
            "CREATE MACRO trino.%TRY%to_timestamp (x %TZ%) AS trino.local(x), (x) AS %CAST%(x AS TIMESTAMP)",
            "CREATE MACRO trino.%TRY%to_date (x %TZ%) AS CAST(trino.local(x) AS DATE), (x) AS %CAST%(x AS DATE)",
            // CAST(json AS varchar): a JSON string without its quotes, JSON null as NULL; arrays and objects cannot be cast.
            """
            CREATE MACRO trino.%TRY%json_varchar(j) AS
              CASE json_type(j) WHEN 'NULL' THEN NULL
                                WHEN 'ARRAY' THEN %FAIL%(json_type(j) = 'ARRAY', 'Cannot cast JSON array to varchar', CAST(NULL AS VARCHAR))
                                WHEN 'OBJECT' THEN %FAIL%(json_type(j) = 'OBJECT', 'Cannot cast JSON object to varchar', CAST(NULL AS VARCHAR))
                                ELSE json_extract_string(j, '$') END""",
            // CAST(x AS varchar) as Trino prints x: timestamps with milliseconds, doubles and reals as Java prints them.
            """
            CREATE MACRO trino.%TRY%to_varchar (x %TZ%) AS trino.timestamp_text(trino.local(x)) || ' ' || trino.zone_of(x),
              (x) AS CASE WHEN typeof(x) LIKE 'TIMESTAMP%' THEN trino.timestamp_text(TRY_CAST(x AS TIMESTAMP))
                          WHEN typeof(x) = 'DOUBLE' THEN trino.double_text(TRY_CAST(x AS DOUBLE))
                          WHEN typeof(x) = 'FLOAT' THEN trino.double_text(TRY_CAST(x AS FLOAT))
                          WHEN typeof(x) = 'JSON' THEN trino.%TRY%json_varchar(TRY_CAST(x AS JSON))
                          ELSE %CAST%(x AS VARCHAR) END""",
            // CAST(x AS varchar(n)) cuts a string to n characters (Trino's VarcharToVarcharCast); any other value must fit.
            """
            CREATE MACRO trino.%TRY%varchar_fit(x, n) AS
              CASE WHEN typeof(x) = 'VARCHAR' THEN left(CAST(x AS VARCHAR), n)
                   WHEN length(trino.%TRY%to_varchar(x)) > n
                   THEN %FAIL%(length(trino.%TRY%to_varchar(x)) > n, 'Value ' || trino.%TRY%to_varchar(x) || ' cannot be represented as varchar(' || n || ')', CAST(NULL AS VARCHAR))
                   ELSE trino.%TRY%to_varchar(x) END""",
            // char(n) pads with spaces to n characters.
            """
            CREATE MACRO trino.%TRY%to_varchar_n(x, n, pad) AS
              CASE WHEN pad THEN rpad(trino.%TRY%varchar_fit(x, n), n, ' ') ELSE trino.%TRY%varchar_fit(x, n) END""",
            // CAST(x AS JSON): a string becomes a JSON string (json_parse reads JSON text); a timestamp with time zone cannot.
            """
            CREATE MACRO trino.%TRY%to_json (x %TZ%) AS %FAIL%(x IS NOT NULL, 'Cannot cast timestamp with time zone to json', CAST(NULL AS JSON)),
              (x) AS CASE WHEN typeof(x) = 'JSON' THEN TRY_CAST(x AS JSON) ELSE to_json(x) END""",
            // A double or real cast to an integer type rounds half away from zero (Trino's DoubleOperators.castToLong uses
            // HALF_UP); DuckDB's cast rounds half to even.
            """
            CREATE MACRO trino.%TRY%to_bigint(x) AS
              CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN %CAST%(round(TRY_CAST(x AS DOUBLE)) AS BIGINT) ELSE %CAST%(x AS BIGINT) END""",
            """
            CREATE MACRO trino.%TRY%to_integer(x) AS
              CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN %CAST%(round(TRY_CAST(x AS DOUBLE)) AS INTEGER) ELSE %CAST%(x AS INTEGER) END""",
            """
            CREATE MACRO trino.%TRY%to_smallint(x) AS
              CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN %CAST%(round(TRY_CAST(x AS DOUBLE)) AS SMALLINT) ELSE %CAST%(x AS SMALLINT) END""",
            """
            CREATE MACRO trino.%TRY%to_tinyint(x) AS
              CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN %CAST%(round(TRY_CAST(x AS DOUBLE)) AS TINYINT) ELSE %CAST%(x AS TINYINT) END"""
    );
}
