package io.tributary.analytics.latency;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/**
 * Parses hop timestamps to epoch microseconds. The telemetry's own format
 * ({@code 2024-09-06T14:48:46.268925+00:00}) takes a fast path, since a run parses millions; other
 * ISO-8601 forms go through {@link java.time}.
 */
final class Timestamps {
    private Timestamps() {}

    static OptionalLong epochMicros(String text) {
        long fast = fastPath(text);
        if (fast != Long.MIN_VALUE) {
            return OptionalLong.of(fast);
        }
        try {
            return OptionalLong.of(micros(OffsetDateTime.parse(text).toInstant()));
        } catch (DateTimeParseException e) {
            try {
                return OptionalLong.of(micros(Instant.parse(text)));
            } catch (DateTimeParseException e2) {
                return OptionalLong.empty();
            }
        }
    }

    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss.ffffff+HH:MM}; Long.MIN_VALUE when the text has another shape. */
    private static long fastPath(String s) {
        if (s.length() != 32 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(19) != '.' || s.charAt(29) != ':' || (s.charAt(26) != '+' && s.charAt(26) != '-')) {
            return Long.MIN_VALUE;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        int micro = digits(s, 20, 6);
        int offsetHours = digits(s, 27, 2);
        int offsetMinutes = digits(s, 30, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59 || micro < 0
                || offsetHours > 18 || offsetMinutes > 59 || offsetHours < 0 || offsetMinutes < 0 || hour < 0 || minute < 0 || second < 0) {
            return Long.MIN_VALUE;
        }
        if (day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return Long.MIN_VALUE;
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        long offset = (offsetHours * 3600L + offsetMinutes * 60L) * (s.charAt(26) == '-' ? -1 : 1);
        long seconds = days * 86_400L + hour * 3600L + minute * 60L + second - offset;
        return seconds * 1_000_000L + micro;
    }

    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
