package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.sql.duckdb.SupportedFunctions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every translated function against Trino's documented result (the examples of trino.io's function
 * pages where they have one), run through the parser, the translator and DuckDB. Each line is
 * {@code expression  ==>  result as Athena prints it}; a line starting with SELECT is a whole query,
 * a line starting with {@code --} says where the expected values come from, and a result
 * {@code ERROR: text} means the statement fails saying that.
 */
class FunctionTranslationTest {
    private static final String CASES = """
            5 / 2 ==> 2
            -5 / 2 ==> -2
            7 % 3 ==> 1
            CAST(5 AS double) / 2 ==> 2.5
            abs(-5) ==> 5
            ceil(1.2) ==> 2
            ceiling(-1.5) ==> -1
            floor(1.8) ==> 1
            sqrt(16) ==> 4.0
            cbrt(27) ==> 3.0
            exp(0) ==> 1.0
            ln(1) ==> 0.0
            log2(8) ==> 3.0
            log10(1000) ==> 3.0
            log(2, 8) ==> 3.0
            power(2, 10) ==> 1024.0
            pow(2, 3) ==> 8.0
            sign(-3) ==> -1
            round(2.5) ==> 3
            round(-2.5) ==> -3
            round(3.14159, 2) ==> 3.14
            truncate(-1.7) ==> -1
            radians(180) ==> 3.141592653589793
            degrees(pi()) ==> 180.0
            sin(0) ==> 0.0
            cos(0) ==> 1.0
            tan(0) ==> 0.0
            asin(1) ==> 1.5707963267948966
            acos(1) ==> 0.0
            atan(1) ==> 0.7853981633974483
            atan2(1, 1) ==> 0.7853981633974483
            greatest(1, 5, 3) ==> 5
            least(4, 2, 9) ==> 2
            is_nan(nan()) ==> true
            is_finite(1e0) ==> true
            is_infinite(infinity()) ==> true
            mod(-7, 3) ==> -1
            pi() ==> 3.141592653589793
            e() ==> 2.718281828459045
            random() BETWEEN 0 AND 1 ==> true
            rand() < 1 ==> true
            length('hello') ==> 5
            lower('ABC') ==> abc
            upper('abc') ==> ABC
            trim('  a  ') ==> a
            ltrim('  a') ==> a
            rtrim('a  ') ==> a
            reverse('abc') ==> cba
            lpad('7', 3, '0') ==> 007
            rpad('ab', 4, 'x') ==> abxx
            strpos('hello', 'l') ==> 3
            position('l' IN 'hello') ==> 3
            starts_with('hello', 'he') ==> true
            chr(65) ==> A
            codepoint('A') ==> 65
            translate('abcd', 'ab', 'xy') ==> xycd
            levenshtein_distance('kitten', 'sitting') ==> 3
            hamming_distance('abc', 'abd') ==> 1
            from_utf8(to_utf8('hi')) ==> hi
            to_hex(to_utf8('A')) ==> 41
            from_utf8(from_hex('4142')) ==> AB
            substr('hello', 2, 3) ==> ell
            substring('hello', -3) ==> llo
            replace('hello', 'l') ==> heo
            replace('hello', 'l', 'L') ==> heLLo
            concat('a', 'b', 'c') ==> abc
            concat('a', NULL) ==> NULL
            split('a,b,c', ',') ==> [a, b, c]
            split_part('a,b,c', ',', 2) ==> b
            split_part('a,b', ',', 3) ==> NULL
            regexp_like('1a 2b 14m', '\\d+b') ==> true
            regexp_extract('1a 2b 14m', '\\d+') ==> 1
            regexp_extract('1a 2b 14m', '(\\d+)([a-z]+)', 2) ==> a
            regexp_extract('abc', '\\d') ==> NULL
            regexp_extract_all('1a 2b 14m', '\\d+') ==> [1, 2, 14]
            regexp_count('1a 2b 14m', '\\s*[a-z]+\\s*') ==> 3
            regexp_split('1a 2b 14m', '\\s*[a-z]+\\s*') ==> [1, 2, 14, ]
            regexp_replace('1a 2b 14m', '\\d+[ab] ') ==> 14m
            regexp_replace('1a 2b 14m', '(\\d+)([ab]) ', '3c$2 ') ==> 3ca 3cb 14m
            'a' || 'b' ==> ab
            'abc' LIKE 'a%' ==> true
            json_extract_scalar('{"a": {"b": 1}}', '$.a.b') ==> 1
            json_extract('{"a": [1,2]}', '$.a') ==> [1,2]
            json_array_length('[1, 2, 3]') ==> 3
            json_format(json_parse('{"a":1}')) ==> {"a":1}
            cardinality(ARRAY[1, 2, 3]) ==> 3
            element_at(ARRAY[1, 2, 3], 2) ==> 2
            element_at(ARRAY[1, 2, 3], -1) ==> 3
            ARRAY[1, 2, 3][2] ==> 2
            contains(ARRAY[1, 2], 2) ==> true
            array_join(ARRAY['a', 'b'], '-') ==> a-b
            array_max(ARRAY[1, 7, 3]) ==> 7
            array_min(ARRAY[1, 7, 3]) ==> 1
            array_sort(ARRAY[3, 1, 2]) ==> [1, 2, 3]
            flatten(ARRAY[ARRAY[1, 2], ARRAY[3]]) ==> [1, 2, 3]
            array_position(ARRAY[5, 6], 6) ==> 2
            array_position(ARRAY[5, 6], 7) ==> 0
            slice(ARRAY[1, 2, 3, 4], 2, 2) ==> [2, 3]
            sequence(1, 5) ==> [1, 2, 3, 4, 5]
            sequence(1, 10, 3) ==> [1, 4, 7, 10]
            date_trunc('month', TIMESTAMP '2010-05-17 10:30:00') ==> 2010-05-01 00:00:00.000
            date_trunc('hour', TIMESTAMP '2010-05-17 10:30:00') ==> 2010-05-17 10:00:00.000
            date_add('day', 1, TIMESTAMP '2020-01-31 00:00:00') ==> 2020-02-01 00:00:00.000
            date_add('month', 1, TIMESTAMP '2020-01-31 00:00:00') ==> 2020-02-29 00:00:00.000
            date_add('hour', -2, TIMESTAMP '2020-01-01 01:00:00') ==> 2019-12-31 23:00:00.000
            date_diff('day', TIMESTAMP '2020-01-01 00:00:00', TIMESTAMP '2020-01-02 23:00:00') ==> 1
            date_diff('hour', TIMESTAMP '2020-01-01 23:30:00', TIMESTAMP '2020-01-02 00:10:00') ==> 0
            date_format(TIMESTAMP '2010-05-01 13:05:09', '%M %d %Y %H:%i:%s') ==> May 01 2010 13:05:09
            date_format(TIMESTAMP '2010-05-01 13:05:09', '%Y-%m-%d %h %p %W') ==> 2010-05-01 01 PM Saturday
            date_parse('2010/05/01 13', '%Y/%m/%d %H') ==> 2010-05-01 13:00:00.000
            format_datetime(TIMESTAMP '2010-05-01 13:05:09', 'yyyy-MM-dd HH:mm') ==> 2010-05-01 13:05
            parse_datetime('2010-05-01 13:05', 'yyyy-MM-dd HH:mm') ==> 2010-05-01 13:05:00.000 UTC
            from_iso8601_timestamp('2020-05-11T11:15:05') ==> 2020-05-11 11:15:05.000 UTC
            from_iso8601_timestamp('2020-05-11T11:15:05.055Z') ==> 2020-05-11 11:15:05.055 UTC
            from_iso8601_date('2020-05-11') ==> 2020-05-11
            to_iso8601(TIMESTAMP '2020-05-11 11:15:05') ==> 2020-05-11T11:15:05.000
            to_unixtime(TIMESTAMP '1970-01-01 00:01:00') ==> 60.0
            from_unixtime(60) ==> 1970-01-01 00:01:00.000 UTC
            now() IS NOT NULL ==> true
            current_timezone() ==> UTC
            date(TIMESTAMP '2020-05-11 11:15:05') ==> 2020-05-11
            year(TIMESTAMP '2010-05-17 10:30:00') ==> 2010
            quarter(TIMESTAMP '2010-05-17 10:30:00') ==> 2
            month(TIMESTAMP '2010-05-17 10:30:00') ==> 5
            week(DATE '2010-01-04') ==> 1
            week_of_year(DATE '2010-01-04') ==> 1
            day(TIMESTAMP '2010-05-17 10:30:00') ==> 17
            day_of_month(DATE '2010-05-17') ==> 17
            day_of_week(DATE '2010-05-17') ==> 1
            dow(DATE '2010-05-16') ==> 7
            day_of_year(DATE '2010-02-01') ==> 32
            doy(DATE '2010-02-01') ==> 32
            year_of_week(DATE '2010-01-01') ==> 2009
            yow(DATE '2010-01-01') ==> 2009
            hour(TIMESTAMP '2010-05-17 10:30:45') ==> 10
            minute(TIMESTAMP '2010-05-17 10:30:45') ==> 30
            second(TIMESTAMP '2010-05-17 10:30:45') ==> 45
            millisecond(TIMESTAMP '2010-05-17 10:30:45.123') ==> 123
            last_day_of_month(DATE '2010-02-10') ==> 2010-02-28
            extract(YEAR FROM TIMESTAMP '2010-05-17 10:30:00') ==> 2010
            TIMESTAMP '2010-12-31' ==> 2010-12-31 00:00:00.000
            TIMESTAMP '2010-01-01 00:00:00' + INTERVAL '1' DAY ==> 2010-01-02 00:00:00.000
            length(CAST(uuid() AS varchar)) ==> 36
            if(1 > 2, 'a', 'b') ==> b
            coalesce(NULL, 'x') ==> x
            nullif(1, 1) ==> NULL
            CAST('12' AS integer) + 1 ==> 13
            TRY_CAST('x' AS integer) ==> NULL
            CASE WHEN 1 = 1 THEN 'yes' ELSE 'no' END ==> yes
            -- Timestamps with time zone keep their zone (trino.io/docs/current/functions/datetime.html, "Time zone conversion").
            timestamp '2012-10-31 01:00 UTC' ==> 2012-10-31 01:00:00.000 UTC
            timestamp '2012-10-31 01:00 UTC' AT TIME ZONE 'America/Los_Angeles' ==> 2012-10-30 18:00:00.000 America/Los_Angeles
            -- A timestamp is read in the session zone (UTC), then shown in the zone.
            TIMESTAMP '2012-10-30 01:00:00' AT TIME ZONE 'America/Los_Angeles' ==> 2012-10-29 18:00:00.000 America/Los_Angeles
            hour(TIMESTAMP '2009-12-06 10:30:00' AT TIME ZONE 'America/New_York') ==> 5
            TIMESTAMP '2020-01-01 10:00:00 +05:00' ==> 2020-01-01 10:00:00.000 +05:00
            at_timezone(TIMESTAMP '2022-11-01 09:08:07.321 Europe/Berlin', 'America/Denver') ==> 2022-11-01 02:08:07.321 America/Denver
            with_timezone(TIMESTAMP '2022-11-01 09:08:07.321', 'Australia/Sydney') ==> 2022-11-01 09:08:07.321 Australia/Sydney
            from_iso8601_timestamp('2020-05-11T11:15:05.055+01:00') ==> 2020-05-11 11:15:05.055 +01:00
            hour(from_iso8601_timestamp('2020-05-11T11:15:05+02:00')) ==> 11
            CAST(from_iso8601_timestamp('2020-05-11T23:15:05-05:00') AS date) ==> 2020-05-11
            date(from_iso8601_timestamp('2020-05-11T23:15:05-05:00')) ==> 2020-05-11
            CAST(from_iso8601_timestamp('2020-05-11T23:15:05-05:00') AS timestamp) ==> 2020-05-11 23:15:05.000
            CAST(from_iso8601_timestamp('2020-05-11T11:15:05+02:00') AS varchar) ==> 2020-05-11 11:15:05.000 +02:00
            format_datetime(from_iso8601_timestamp('2020-01-05T15:04:05+02:00'), 'yyyy-MM-dd HH:mm Z') ==> 2020-01-05 15:04 +0200
            format_datetime(from_iso8601_timestamp('2020-01-05T15:04:05-05:30'), 'HH:mm ZZ ZZZ') ==> 15:04 -05:30 -05:30
            parse_datetime('2020-01-05 15:04 +0200', 'yyyy-MM-dd HH:mm Z') ==> 2020-01-05 15:04:00.000 +02:00
            timezone_hour(from_iso8601_timestamp('2020-05-11T11:15:05-05:30')) ==> -5
            timezone_minute(from_iso8601_timestamp('2020-05-11T11:15:05-05:30')) ==> -30
            extract(TIMEZONE_HOUR FROM from_iso8601_timestamp('2020-05-11T11:15:05+02:00')) ==> 2
            date_trunc('day', from_iso8601_timestamp('2020-05-11T01:15:05+02:00')) ==> 2020-05-11 00:00:00.000 +02:00
            date_add('day', -1, TIMESTAMP '2020-03-01 00:00:00 UTC') ==> 2020-02-29 00:00:00.000 UTC
            date_diff('hour', TIMESTAMP '2020-03-01 00:00:00 UTC', TIMESTAMP '2020-03-02 00:00:00 UTC') ==> 24
            -- Two timestamps with time zone are equal when they are the same instant, whatever their zones.
            from_iso8601_timestamp('2020-01-01T02:00:00+02:00') = TIMESTAMP '2020-01-01 00:00:00 UTC' ==> true
            from_iso8601_timestamp('2020-01-01T02:00:00+02:00') >= TIMESTAMP '2020-01-01 00:00:00 UTC' ==> true
            from_iso8601_timestamp('2020-01-01T02:00:00+02:00') < TIMESTAMP '2020-01-01 00:00:00.001 UTC' ==> true
            to_unixtime(from_iso8601_timestamp('1970-01-01T02:00:00+02:00')) ==> 0.0
            -- from_unixtime rounds to milliseconds (Math.round in DateTimeFunctions.fromUnixTime): 0.5 ms is 1 ms.
            from_unixtime(0.0005) ==> 1970-01-01 00:00:00.001 UTC
            from_unixtime(0, 'Asia/Kolkata') ==> 1970-01-01 05:30:00.000 Asia/Kolkata
            to_iso8601(DATE '2020-01-01') ==> 2020-01-01
            to_iso8601(TIMESTAMP '2020-01-01 10:00:00 UTC') ==> 2020-01-01T10:00:00.000Z
            to_iso8601(from_iso8601_timestamp('2020-05-11T11:15:05.055+01:00')) ==> 2020-05-11T11:15:05.055+01:00
            to_milliseconds(INTERVAL '1' DAY) ==> 86400000
            -- Date arithmetic keeps dates (datetime.html: date_add and date_trunc return "[same as input]").
            date '2012-08-08' + interval '2' day ==> 2012-08-10
            date '2012-08-08' - interval '2' day ==> 2012-08-06
            timestamp '2012-08-08 01:00' + interval '29' hour ==> 2012-08-09 06:00:00.000
            timestamp '2012-10-31 01:00' + interval '1' month ==> 2012-11-30 01:00:00.000
            timestamp '2012-10-31 01:00' - interval '1' month ==> 2012-09-30 01:00:00.000
            timestamp '2012-08-08 01:00' - interval '29' hour ==> 2012-08-06 20:00:00.000
            INTERVAL '3' MONTH + DATE '2020-01-31' ==> 2020-04-30
            CAST(DATE '2020-01-03' - INTERVAL '1' DAY AS varchar) ==> 2020-01-02
            CAST(date_add('day', -1, DATE '2020-01-03') AS varchar) ==> 2020-01-02
            date_add('day', 1, DATE '2020-01-31') ==> 2020-02-01
            date_add('month', 1, DATE '2020-01-31') ==> 2020-02-29
            date_add('quarter', 1, DATE '2020-01-31') ==> 2020-04-30
            DATE '2020-01-31' + INTERVAL '1' MONTH ==> 2020-02-29
            DATE '2020-01-31' + INTERVAL '1-1' YEAR TO MONTH ==> 2021-02-28
            date_trunc('month', DATE '2020-05-17') ==> 2020-05-01
            date_trunc('week', DATE '2020-05-17') ==> 2020-05-11
            date_trunc('second', TIMESTAMP '2001-08-22 03:04:05.321') ==> 2001-08-22 03:04:05.000
            date_trunc('week', TIMESTAMP '2001-08-22 03:04:05.321') ==> 2001-08-20 00:00:00.000
            date_trunc('quarter', TIMESTAMP '2001-08-22 03:04:05.321') ==> 2001-07-01 00:00:00.000
            date_add('second', 86, TIMESTAMP '2020-03-01 00:00:00') ==> 2020-03-01 00:01:26.000
            date_diff('second', TIMESTAMP '2020-03-01 00:00:00', TIMESTAMP '2020-03-02 00:00:00') ==> 86400
            date_diff('day', DATE '2020-03-01', DATE '2020-03-02') ==> 1
            TIMESTAMP '2020-01-01 00:00:00' + INTERVAL '1 02:03:04' DAY TO SECOND ==> 2020-01-02 02:03:04.000
            TIMESTAMP '2020-01-02 00:00:00' + INTERVAL '-1' DAY ==> 2020-01-01 00:00:00.000
            -- Calendar functions of an aggregate or a window function.
            SELECT hour(max(x)) FROM (VALUES TIMESTAMP '2020-01-02 10:00:00') AS t(x) ==> 10
            SELECT date_trunc('month', min(x)) FROM (VALUES DATE '2020-01-17') AS t(x) ==> 2020-01-01
            SELECT count(*) FROM (VALUES TIMESTAMP '2020-01-02 10:00:00') AS t(x) HAVING max(x) > TIMESTAMP '2020-01-01 00:00:00' ==> 1
            SELECT hour(max(x) OVER ()) FROM (VALUES TIMESTAMP '2020-01-02 10:00:00') AS t(x) ==> 10
            -- Casts. A double to an integer type rounds half up (DoubleOperators.castToLong: DoubleMath.roundToLong(value, HALF_UP)).
            CAST(2.5e0 AS integer) ==> 3
            CAST(-2.5e0 AS bigint) ==> -3
            CAST(0.5e0 AS bigint) ==> 1
            CAST(3.5e0 AS integer) ==> 4
            CAST(REAL '2.5' AS smallint) ==> 3
            TRY_CAST(-0.5e0 AS tinyint) ==> -1
            CAST(2.5 AS bigint) ==> 3
            -- A string cast to varchar(n) is cut to n characters (VarcharToVarcharCast.truncate).
            CAST('abcdef' AS varchar(3)) ==> abc
            CAST('ab' AS varchar(3)) ==> ab
            -- CAST(json AS varchar), CAST(x AS json): functions/json.html, "Cast from JSON", "Cast to JSON".
            CAST(JSON '"abc"' AS VARCHAR) ==> abc
            CAST(JSON '42' AS VARCHAR) ==> 42
            CAST(JSON 'true' AS VARCHAR) ==> true
            CAST(JSON 'null' AS VARCHAR) ==> NULL
            TRY_CAST(JSON '[1, 2, 3]' AS VARCHAR) ==> NULL
            CAST(json_extract('{"a":"hello"}', '$.a') AS varchar) ==> hello
            CAST('abc' AS JSON) ==> "abc"
            CAST(true AS JSON) ==> true
            CAST(ARRAY[1, NULL, 456] AS JSON) ==> [1,null,456]
            CAST(CAST(ROW(123, 'abc', true) AS ROW(v1 BIGINT, v2 VARCHAR, v3 BOOLEAN)) AS JSON) ==> {"v1":123,"v2":"abc","v3":true}
            -- Text forms: a timestamp(3) with milliseconds, a double as Java's Double.toString (DoubleOperators.castToVarchar).
            CAST(TIMESTAMP '2020-01-01 10:00:00' AS varchar) ==> 2020-01-01 10:00:00.000
            CAST(1e10 AS varchar) ==> 1.0E10
            CAST(1e-5 AS varchar) ==> 1.0E-5
            CAST(2.5e0 AS varchar) ==> 2.5
            CAST(1234567.0e0 AS varchar) ==> 1234567.0
            CAST(12345678.0e0 AS varchar) ==> 1.2345678E7
            CAST(0.001e0 AS varchar) ==> 0.001
            CAST(-0.0001e0 AS varchar) ==> -1.0E-4
            CAST(nan() AS varchar) ==> NaN
            CAST(-infinity() AS varchar) ==> -Infinity
            CAST(REAL '0.1' AS varchar) ==> 0.1
            CAST(DATE '2020-01-02' AS varchar) ==> 2020-01-02
            CAST(1.50 AS varchar) ==> 1.50
            -- Values as Trino prints them: arrays of timestamps with seconds, rows as {name=value}, intervals as 1 02:00:00.000 and 3-5.
            SELECT array_agg(x ORDER BY x) FROM (VALUES TIMESTAMP '2009-12-06 10:30:00', TIMESTAMP '2009-12-06 10:31:00') AS t(x) ==> [2009-12-06 10:30:00.000, 2009-12-06 10:31:00.000]
            sequence(TIMESTAMP '2020-01-01 00:00:00', TIMESTAMP '2020-01-01 02:00:00', INTERVAL '1' HOUR) ==> [2020-01-01 00:00:00.000, 2020-01-01 01:00:00.000, 2020-01-01 02:00:00.000]
            CAST(ROW(123, 'abc', true) AS ROW(v1 BIGINT, v2 VARCHAR, v3 BOOLEAN)) ==> {v1=123, v2=abc, v3=true}
            ROW('Bob', 38) ==> {field0=Bob, field1=38}
            ARRAY[CAST(ROW(1, 'a') AS ROW(x integer, y varchar))] ==> [{x=1, y=a}]
            INTERVAL '2' DAY + INTERVAL '3' HOUR ==> 2 03:00:00.000
            INTERVAL '2' DAY - INTERVAL '3' HOUR ==> 1 21:00:00.000
            INTERVAL '3' YEAR + INTERVAL '5' MONTH ==> 3-5
            INTERVAL '3' YEAR - INTERVAL '5' MONTH ==> 2-7
            TIMESTAMP '2020-01-01 02:00:00' - TIMESTAMP '2020-01-01 01:00:00' ==> 0 01:00:00.000
            time '01:00' + interval '3' hour ==> 04:00:00.000
            ARRAY[1e10, 2.5e0] ==> [1.0E10, 2.5]
            -- JSON (functions/json.html): json_extract_scalar needs a scalar; text that is not JSON gives NULL (JsonExtract).
            json_extract_scalar('{"a":[1,2],"b":{"c":1}}', '$.a') ==> NULL
            json_extract_scalar('{"b":{"c":1}}', '$.b') ==> NULL
            json_extract_scalar('not json', '$.a') ==> NULL
            json_extract_scalar('[1, 2, 3]', '$[2]') ==> 3
            json_extract_scalar('{"a b": {"c": "x"}}', '$["a b"].c') ==> x
            json_extract('{"store": {"book": [1]}}', '$.store[book]') ==> [1]
            json_extract('not json', '$.a') ==> NULL
            json_array_length('not json') ==> NULL
            json_size('{"x": {"a": 1, "b": 2}}', '$.x') ==> 2
            json_size('{"x": [1, 2, 3]}', '$.x') ==> 3
            json_size('{"x": {"a": 1, "b": 2}}', '$.x.a') ==> 0
            is_json_scalar('1') ==> true
            is_json_scalar('[1, 2, 3]') ==> false
            json_array_contains('[1, 2, 3]', 2) ==> true
            json_array_contains('["2"]', 2) ==> false
            json_array_contains('["a", "b"]', 'b') ==> true
            json_array_get('["a", [3, 9], "c"]', 0) ==> a
            json_array_get('["a", [3, 9], "c"]', 1) ==> [3,9]
            json_array_get('["c", [3, 9], "a"]', -1) ==> a
            json_array_get('[]', 0) ==> NULL
            json_array_get('["a", "b", "c"]', 10) ==> NULL
            json_array_get('["c", "b", "a"]', -10) ==> NULL
            json_format(JSON '[1, 2, 3]') ==> [1,2,3]
            json_format(JSON '"a"') ==> "a"
            json_parse('[1, 2, 3]') ==> [1,2,3]
            -- NULLs: greatest/least (AbstractGreatestLeast), contains (ArrayContains), array_max (ArrayMaxFunction).
            greatest(1, NULL, 3) ==> NULL
            least(1, NULL) ==> NULL
            contains(ARRAY[1, NULL], 2) ==> NULL
            contains(ARRAY[1, NULL], 1) ==> true
            array_max(ARRAY[1, NULL, 3]) ==> NULL
            array_min(ARRAY[1, NULL, 3]) ==> NULL
            array_position(ARRAY[1, 2], NULL) ==> NULL
            array_join(ARRAY[1, NULL, 3], ',', 'x') ==> 1,x,3
            array_join(ARRAY[1.5e0, 1e10], ';') ==> 1.5;1.0E10
            -- Decimal division: scale max(s1, s2), rounded half up (DecimalOperators.divide).
            10.00 / 3 ==> 3.33
            CAST(10 AS decimal(10,2)) / 3 ==> 3.33
            DECIMAL '1.00' / DECIMAL '3' ==> 0.33
            -2.5 / 3 ==> -0.8
            1.05 / 2 ==> 0.53
            2.5 / 0.5 ==> 5.0
            SELECT avg(x) FROM (VALUES 1.00, 2.00) AS t(x) ==> 1.50
            SELECT sum(x) / count(*) FROM (VALUES 1.00, 2.00, 2.00) AS t(x) ==> 1.67
            -- A double divided by zero is an infinity or NaN (DoubleOperators.divide is Java's /).
            1e0 / 0 ==> Infinity
            -1e0 / 0 ==> -Infinity
            0e0 / 0 ==> NaN
            REAL '1' / 4 ==> 0.25
            5 / 0 ==> ERROR: Division by zero
            -- Strings (StringFunctions): substr from 0 or past either end is empty; split and split_part check their arguments.
            length(substr('hello', 0)) ==> 0
            substr('hello', -3, 2) ==> ll
            substr('hello', 5) ==> o
            length(substr('hello', -10)) ==> 0
            length(substr('hello', 2, -1)) ==> 0
            split_part('a,b,c', ',', 0) ==> ERROR: Index must be greater than zero
            split('abc', '') ==> ERROR: The delimiter may not be the empty string
            split('a,b,c', ',', 2) ==> [a, b,c]
            upper('straße') ==> STRAßE
            -- Array subscripts fail outside the array; element_at is NULL past the end (ArraySubscriptOperator, ElementAtFunction).
            ARRAY[1, 2, 3][5] ==> ERROR: Array subscript must be less than or equal to array length: 5 > 3
            ARRAY[1, 2, 3][0] ==> ERROR: SQL array indices start at 1
            element_at(ARRAY[1, 2, 3], 5) ==> NULL
            element_at(ARRAY[1, 2, 3], 0) ==> ERROR: SQL array indices start at 1
            -- sequence steps by 1 or -1 (a day for dates) and stops at 10,000 entries (SequenceFunction).
            sequence(5, 1) ==> [5, 4, 3, 2, 1]
            sequence(DATE '2020-01-01', DATE '2020-01-03') ==> [2020-01-01, 2020-01-02, 2020-01-03]
            sequence(DATE '2020-01-01', DATE '2020-03-01', INTERVAL '1' MONTH) ==> [2020-01-01, 2020-02-01, 2020-03-01]
            sequence(1, 100000) ==> ERROR: result of sequence function must not have more than 10000 entries
            sequence(1, 5, 0) ==> ERROR: step must not be zero
            -- try returns NULL for division by zero, invalid casts and function arguments, numbers out of range (conditional.html#try).
            try(5 / 0) ==> NULL
            COALESCE(try(10 / 0), 0) ==> 0
            try(CAST('x' AS integer)) ==> NULL
            try(CAST(2147483648 AS integer)) ==> NULL
            try(split_part('a', ',', 0)) ==> NULL
            try(json_parse('not json')) ==> NULL
            try(date_parse('nope', '%Y-%m-%d')) ==> NULL
            try(12 / 4) ==> 3
            SELECT try(x / y) FROM (VALUES (1, 0)) AS t(x, y) ==> NULL
            -- Lambdas (functions/lambda.html, functions/array.html).
            transform(ARRAY[5, 6], x -> x + 1) ==> [6, 7]
            transform(ARRAY[5, NULL, 6], x -> coalesce(x, 0) + 1) ==> [6, 1, 7]
            transform(ARRAY['x', 'abc', 'z'], x -> x || '0') ==> [x0, abc0, z0]
            filter(ARRAY[5, -6, NULL, 7], x -> x > 0) ==> [5, 7]
            filter(ARRAY[5, NULL, 7, NULL], x -> x IS NOT NULL) ==> [5, 7]
            reduce(ARRAY[5, 20, 50], 0, (s, x) -> s + x, s -> s) ==> 75
            reduce(ARRAY[5, 20, NULL, 50], 0, (s, x) -> s + x, s -> s) ==> NULL
            reduce(ARRAY[5, 20, NULL, 50], 0, (s, x) -> s + coalesce(x, 0), s -> s) ==> 75
            reduce(ARRAY[2147483647, 1], BIGINT '0', (s, x) -> s + x, s -> s) ==> 2147483648
            reduce(ARRAY[5, 6, 10, 20], CAST(ROW(0.0, 0) AS ROW(sum DOUBLE, count INTEGER)), (s, x) -> CAST(ROW(x + s.sum, s.count + 1) AS ROW(sum DOUBLE, count INTEGER)), s -> IF(s.count = 0, NULL, s.sum / s.count)) ==> 10.25
            any_match(ARRAY[5, -6, NULL, 7], x -> x > 0) ==> true
            all_match(ARRAY[5, -6, NULL, 7], x -> x > 0) ==> false
            none_match(ARRAY[5, -6, NULL, 7], x -> x > 10) ==> NULL
            any_match(ARRAY[], x -> x > 0) ==> false
            all_match(ARRAY[], x -> x > 0) ==> true
            -- Arrays (functions/array.html).
            array_distinct(ARRAY[1, 2, 1, NULL, NULL]) ==> [1, 2, NULL]
            array_union(ARRAY[1, 2], ARRAY[2, 3]) ==> [1, 2, 3]
            array_intersect(ARRAY[1, 2, 3], ARRAY[2, 3, 4]) ==> [2, 3]
            array_except(ARRAY[1, 2, 3], ARRAY[2]) ==> [1, 3]
            arrays_overlap(ARRAY[1, 2], ARRAY[2, 3]) ==> true
            arrays_overlap(ARRAY[1, NULL], ARRAY[3]) ==> NULL
            arrays_overlap(ARRAY[1], ARRAY[3]) ==> false
            array_remove(ARRAY[1, 2, 1], 1) ==> [2]
            concat_arrays(ARRAY[1], ARRAY[2]) ==> [1, 2]
            zip(ARRAY[1, 2], ARRAY['1b', null, '3b']) ==> [{field0=1, field1=1b}, {field0=2, field1=NULL}, {field0=NULL, field1=3b}]
            repeat('a', 3) ==> [a, a, a]
            repeat('a', 10001) ==> ERROR: count argument of repeat function must be less than or equal to 10000
            reverse(ARRAY[1, 2, 3]) ==> [3, 2, 1]
            array_sort(ARRAY[3, NULL, 1]) ==> [1, 3, NULL]
            -- Maps (functions/map.html).
            map(ARRAY[1, 3], ARRAY[2, 4]) ==> {1=2, 3=4}
            map() ==> {}
            map_keys(map(ARRAY['a', 'b'], ARRAY[1, 2])) ==> [a, b]
            map_values(map(ARRAY['a', 'b'], ARRAY[1, 2])) ==> [1, 2]
            map_from_entries(ARRAY[(1, 'x'), (2, 'y')]) ==> {1=x, 2=y}
            map_entries(map(ARRAY[1, 2], ARRAY['x', 'y'])) ==> [{field0=1, field1=x}, {field0=2, field1=y}]
            map_concat(map(ARRAY['a'], ARRAY[1]), map(ARRAY['a', 'b'], ARRAY[2, 3])) ==> {a=2, b=3}
            element_at(map(ARRAY['a'], ARRAY[1]), 'a') ==> 1
            element_at(map(ARRAY['a'], ARRAY[1]), 'b') ==> NULL
            cardinality(map(ARRAY['a', 'b'], ARRAY[1, 2])) ==> 2
            map(ARRAY['a'], ARRAY[1])['a'] ==> 1
            map(ARRAY['a'], ARRAY[1])['b'] ==> ERROR: Key not present in map: b
            CAST(NULL AS map(varchar, integer))['b'] ==> NULL
            -- Strings (functions/string.html, conversion.html#format).
            concat_ws(',', 'a', 'b') ==> a,b
            concat_ws(',', 'a', NULL, 'b') ==> a,b
            concat_ws(NULL, 'a') ==> NULL
            concat_ws('-', ARRAY['x', NULL, 'y']) ==> x-y
            format('%s%%', 123) ==> 123%
            format('%.5f', pi()) ==> 3.14159
            format('%03d', 8) ==> 008
            format('%2$s %3$s %1$s', 'a', 'b', 'c') ==> b c a
            format('%s', 1e10) ==> 1.0E10
            format('%,.2f', 1234567.89) ==> ERROR: uses the flags ','
            strpos('abcab', 'ab', 2) ==> 4
            strpos('abcab', 'ab', -1) ==> 4
            strpos('aaa', 'aa', 2) ==> 2
            strpos('abc', 'x', 1) ==> 0
            regexp_position('I have 23 apples, 5 pears and 13 oranges', '\\b\\d+\\b') ==> 8
            regexp_position('I have 23 apples, 5 pears and 13 oranges', '\\b\\d+\\b', 10) ==> 19
            regexp_position('abc', 'x') ==> -1
            normalize('e' || chr(769)) ==> é
            -- URLs (functions/url.html): [protocol:][//host[:port]][path][?query][#fragment].
            url_extract_protocol('http://www.example.com:80/stuff/index.html?a=1&b=2#frag') ==> http
            url_extract_host('http://www.example.com:80/stuff/index.html?a=1&b=2#frag') ==> www.example.com
            url_extract_port('http://www.example.com:80/stuff/index.html?a=1&b=2#frag') ==> 80
            url_extract_path('http://www.example.com:80/stuff/index.html?a=1&b=2#frag') ==> /stuff/index.html
            url_extract_query('http://www.example.com:80/stuff/index.html?a=1&b=2#frag') ==> a=1&b=2
            url_extract_fragment('http://www.example.com:80/stuff/index.html?a=1&b=2#frag') ==> frag
            url_extract_parameter('http://www.example.com/index.html?a=1&b=2', 'b') ==> 2
            url_extract_parameter('http://www.example.com/index.html?a=1&b=2', 'c') ==> NULL
            url_extract_port('http://www.example.com/') ==> NULL
            -- Binary: digests are varbinary; the values are the RFC 1321 and FIPS 180 test vectors for 'abc'.
            to_hex(md5(to_utf8('abc'))) ==> 900150983CD24FB0D6963F7D28E17F72
            to_hex(sha1(to_utf8('abc'))) ==> A9993E364706816ABA3E25717850C26C9CD0D89D
            to_hex(sha256(to_utf8('abc'))) ==> BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD
            to_base64(to_utf8('hi')) ==> aGk=
            -- A varbinary prints as Trino's SqlVarbinary: hex bytes, words of 8 bytes three spaces apart.
            to_utf8('hi') ==> 68 69
            md5(to_utf8('abc')) ==> 90 01 50 98 3c d2 4f b0   d6 96 3f 7d 28 e1 7f 72
            from_utf8(from_base64('aGk=')) ==> hi
            -- Bitwise (functions/bitwise.html) and numbers (functions/math.html).
            bitwise_and(19, 25) ==> 17
            bitwise_or(19, 25) ==> 27
            bitwise_xor(19, 25) ==> 10
            bitwise_not(-12) ==> 11
            truncate(1.789, 2) ==> 1.780
            truncate(REAL '12.333', -1) ==> 10.0
            truncate(12.333e0, 1) ==> 12.3
            width_bucket(5.3e0, 0.2e0, 10.6e0, 5) ==> 3
            width_bucket(-1, 0, 10, 5) ==> 0
            width_bucket(10, 0, 10, 5) ==> 6
            width_bucket(5.0e0, ARRAY[1.0e0, 3.0e0, 6.0e0]) ==> 2
            random(10) BETWEEN 0 AND 9 ==> true
            rand(5, 6) ==> 5
            -- Durations and types.
            parse_duration('42.8ms') ==> 0 00:00:00.043
            parse_duration('3.81 d') ==> 3 19:26:24.000
            human_readable_seconds(96) ==> 1 minute, 36 seconds
            human_readable_seconds(3762) ==> 1 hour, 2 minutes, 42 seconds
            human_readable_seconds(56363463) ==> 93 weeks, 1 day, 8 hours, 31 minutes, 3 seconds
            typeof(123) ==> integer
            typeof(1.5) ==> decimal(2,1)
            typeof(1.5e0) ==> double
            typeof(ARRAY[1e0]) ==> array(double)
            typeof(from_iso8601_timestamp('2020-01-01T00:00:00Z')) ==> timestamp(3) with time zone
            SELECT listagg(x, ',') WITHIN GROUP (ORDER BY x DESC) FROM (VALUES 'a', 'b', NULL, 'c') AS t(x) ==> c,b,a
            SELECT count(*) FROM (VALUES 1, 2, 3) AS t(x) ==> 3
            SELECT count(x) FROM (VALUES 1, NULL, 3) AS t(x) ==> 2
            SELECT count(DISTINCT x) FROM (VALUES 1, 1, 3) AS t(x) ==> 2
            SELECT sum(x) FROM (VALUES 1, 2, 3) AS t(x) ==> 6
            SELECT avg(x) FROM (VALUES 1, 2) AS t(x) ==> 1.5
            SELECT min(x) FROM (VALUES 3, 1, 2) AS t(x) ==> 1
            SELECT max(x) FROM (VALUES 3, 1, 2) AS t(x) ==> 3
            SELECT count_if(x > 1) FROM (VALUES 1, 2, 3) AS t(x) ==> 2
            SELECT arbitrary(x) FROM (VALUES 7) AS t(x) ==> 7
            SELECT any_value(x) FROM (VALUES 7) AS t(x) ==> 7
            SELECT approx_distinct(x) FROM (VALUES 1, 1, 2) AS t(x) ==> 2
            SELECT approx_percentile(x, 0.5) FROM (VALUES 1, 2, 3, 4, 5, 6, 7, 8, 9) AS t(x) ==> 5
            SELECT array_agg(x ORDER BY x) FROM (VALUES 3, 1, 2) AS t(x) ==> [1, 2, 3]
            SELECT bool_and(x) FROM (VALUES true, false) AS t(x) ==> false
            SELECT every(x) FROM (VALUES true, true) AS t(x) ==> true
            SELECT bool_or(x) FROM (VALUES true, false) AS t(x) ==> true
            SELECT max_by(n, s) FROM (VALUES ('a', 1), ('b', 3), ('c', 2)) AS t(n, s) ==> b
            SELECT min_by(n, s) FROM (VALUES ('a', 1), ('b', 3), ('c', 2)) AS t(n, s) ==> a
            SELECT stddev(x) FROM (VALUES 1, 2, 3, 4) AS t(x) ==> 1.2909944487358056
            SELECT stddev_samp(x) FROM (VALUES 1, 2, 3, 4) AS t(x) ==> 1.2909944487358056
            SELECT stddev_pop(x) FROM (VALUES 1, 2, 3, 4) AS t(x) ==> 1.118033988749895
            SELECT variance(x) FROM (VALUES 1, 2, 3, 4) AS t(x) ==> 1.6666666666666667
            SELECT var_samp(x) FROM (VALUES 1, 2, 3, 4) AS t(x) ==> 1.6666666666666667
            SELECT var_pop(x) FROM (VALUES 1, 2, 3, 4) AS t(x) ==> 1.25
            SELECT corr(x, y) FROM (VALUES (1, 2), (2, 4), (3, 6)) AS t(x, y) ==> 1.0
            SELECT covar_samp(x, y) FROM (VALUES (1, 2), (2, 4), (3, 6)) AS t(x, y) ==> 2.0
            SELECT covar_pop(x, y) FROM (VALUES (1, 2), (2, 4), (3, 6)) AS t(x, y) ==> 1.3333333333333333
            SELECT regr_slope(y, x) FROM (VALUES (1, 2), (2, 4), (3, 6)) AS t(x, y) ==> 2.0
            SELECT regr_intercept(y, x) FROM (VALUES (1, 2), (2, 4), (3, 6)) AS t(x, y) ==> 0.0
            SELECT geometric_mean(x) FROM (VALUES 1, 4) AS t(x) ==> 2.0
            SELECT histogram(x) FROM (VALUES 'a', 'a', 'b') AS t(x) ==> {a=2, b=1}
            SELECT sum(x) FILTER (WHERE x > 1) FROM (VALUES 1, 2, 3) AS t(x) ==> 5
            SELECT array_agg(r ORDER BY x) FROM (SELECT x, row_number() OVER (ORDER BY x) AS r FROM (VALUES 30, 10, 20) AS t(x)) ==> [1, 2, 3]
            SELECT array_agg(r ORDER BY x) FROM (SELECT x, rank() OVER (ORDER BY x) AS r FROM (VALUES 1, 1, 2) AS t(x)) ==> [1, 1, 3]
            SELECT array_agg(r ORDER BY x) FROM (SELECT x, dense_rank() OVER (ORDER BY x) AS r FROM (VALUES 1, 1, 2) AS t(x)) ==> [1, 1, 2]
            SELECT array_agg(r ORDER BY x) FROM (SELECT x, percent_rank() OVER (ORDER BY x) AS r FROM (VALUES 1, 2, 3) AS t(x)) ==> [0.0, 0.5, 1.0]
            SELECT array_agg(r ORDER BY x) FROM (SELECT x, cume_dist() OVER (ORDER BY x) AS r FROM (VALUES 1, 2, 3, 4) AS t(x)) ==> [0.25, 0.5, 0.75, 1.0]
            SELECT array_agg(r ORDER BY x) FROM (SELECT x, ntile(2) OVER (ORDER BY x) AS r FROM (VALUES 1, 2, 3, 4) AS t(x)) ==> [1, 1, 2, 2]
            SELECT array_agg(r ORDER BY x) FROM (SELECT x, lag(x) OVER (ORDER BY x) AS r FROM (VALUES 1, 2, 3) AS t(x)) ==> [NULL, 1, 2]
            SELECT array_agg(r ORDER BY x) FROM (SELECT x, lead(x, 1, 0) OVER (ORDER BY x) AS r FROM (VALUES 1, 2, 3) AS t(x)) ==> [2, 3, 0]
            SELECT array_agg(r ORDER BY x) FROM (SELECT x, first_value(x) OVER (ORDER BY x) AS r FROM (VALUES 1, 2, 3) AS t(x)) ==> [1, 1, 1]
            SELECT array_agg(r ORDER BY x) FROM (SELECT x, last_value(x) OVER (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS r FROM (VALUES 1, 2, 3) AS t(x)) ==> [3, 3, 3]
            SELECT array_agg(r ORDER BY x) FROM (SELECT x, nth_value(x, 2) OVER (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS r FROM (VALUES 1, 2, 3) AS t(x)) ==> [2, 2, 2]
            SELECT array_agg(r ORDER BY x) FROM (SELECT x, sum(x) OVER (ORDER BY x) AS r FROM (VALUES 1, 2, 3) AS t(x)) ==> [1, 3, 6]
            -- Null treatment (functions/window.html#value-functions) and named windows (sql/select.html#window-clause).
            SELECT array_agg(r ORDER BY i) FROM (SELECT i, lag(x) IGNORE NULLS OVER (ORDER BY i) AS r FROM (VALUES (1, 10), (2, NULL), (3, 30), (4, NULL)) AS t(i, x)) ==> [NULL, 10, 10, 30]
            SELECT array_agg(r ORDER BY i) FROM (SELECT i, lag(x) RESPECT NULLS OVER (ORDER BY i) AS r FROM (VALUES (1, 10), (2, NULL), (3, 30), (4, NULL)) AS t(i, x)) ==> [NULL, 10, NULL, 30]
            SELECT array_agg(r ORDER BY i) FROM (SELECT i, lead(x) IGNORE NULLS OVER (ORDER BY i) AS r FROM (VALUES (1, 10), (2, NULL), (3, 30), (4, NULL)) AS t(i, x)) ==> [30, 30, NULL, NULL]
            SELECT array_agg(r ORDER BY i) FROM (SELECT i, last_value(x) IGNORE NULLS OVER (ORDER BY i) AS r FROM (VALUES (1, 10), (2, NULL), (3, 30), (4, NULL)) AS t(i, x)) ==> [10, 10, 30, 30]
            SELECT sum(x) IGNORE NULLS OVER () FROM (VALUES 1) AS t(x) ==> ERROR: IGNORE NULLS and RESPECT NULLS apply to lag, lead
            SELECT array_agg(r ORDER BY x) FROM (SELECT x, sum(x) OVER w AS r FROM (VALUES 1, 2, 3) AS t(x) WINDOW w AS (ORDER BY x)) ==> [1, 3, 6]
            SELECT array_agg(r ORDER BY g, x) FROM (SELECT g, x, sum(x) OVER (w ORDER BY x) AS r FROM (VALUES (1, 1), (1, 2), (2, 5)) AS t(g, x) WINDOW w AS (PARTITION BY g)) ==> [1, 3, 5]
            SELECT array_agg(r ORDER BY x) FROM (SELECT x, count(*) OVER v AS r FROM (VALUES 1, 2, 3) AS t(x) WINDOW w AS (ORDER BY x), v AS (w ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)) ==> [1, 2, 2]
            SELECT sum(x) OVER nope FROM (VALUES 1) AS t(x) ==> ERROR: Cannot resolve WINDOW name nope
            SELECT sum(x) OVER (w PARTITION BY x) FROM (VALUES 1) AS t(x) WINDOW w AS (ORDER BY x) ==> ERROR: cannot specify PARTITION BY
            SELECT 1 FROM (VALUES 1) AS t(x) WINDOW w AS (), w AS () ==> ERROR: WINDOW 'w' specified more than once
            """;

    @TempDir
    static Path dir;

    static SqlStack stack;

    @BeforeAll
    static void start() {
        stack = new SqlStack(dir);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    static Stream<List<String>> cases() {
        return CASES.lines().filter(l -> !l.isBlank() && !l.startsWith("--")).map(l -> Arrays.asList(l.split(" ==> ", 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void trinosResult(List<String> c) {
        String sql = c.get(0).startsWith("SELECT ") ? c.get(0) : "SELECT " + c.get(0);
        if (c.get(1).startsWith("ERROR: ")) {
            assertThat(stack.failure(sql)).as(sql).contains(c.get(1).substring("ERROR: ".length()));
            return;
        }
        List<String[]> rows = stack.rows(sql, "default");
        assertThat(rows).hasSize(1);
        String value = rows.get(0)[0];
        assertThat(value == null ? "NULL" : value).as(sql).isEqualTo(c.get(1));
    }

    @Test
    void everySupportedFunctionHasACase() {
        Set<String> used = new TreeSet<>();
        Matcher m = Pattern.compile("([a-z_0-9]+)\\(").matcher(CASES.toLowerCase(Locale.ROOT));
        while (m.find()) {
            used.add(m.group(1));
        }
        Set<String> missing = new TreeSet<>(SupportedFunctions.names());
        missing.removeAll(used);
        assertThat(missing).as("supported functions without a test case").isEmpty();
    }
}
