package io.tributary.common;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An amount of bytes as written in configuration: {@code 512B}, {@code 64KB}, {@code 256MB},
 * {@code 10GB}. Units are binary (1 KB = 1024 bytes), as in Trino and Kafka configuration; the
 * IEC spellings {@code KiB}, {@code MiB}, {@code GiB}, {@code TiB} mean the same.
 */
public record DataSize(long bytes) implements Comparable<DataSize> {
    private static final Pattern PATTERN =
            Pattern.compile("^\\s*(\\d+(?:\\.\\d+)?)\\s*([KMGT]i?B|B)?\\s*$", Pattern.CASE_INSENSITIVE);

    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("data size is negative: " + bytes);
        }
    }

    public static DataSize ofBytes(long bytes) {
        return new DataSize(bytes);
    }

    public static DataSize ofKilobytes(long kb) {
        return new DataSize(scaled(kb, 1024L, "KB"));
    }

    public static DataSize ofMegabytes(long mb) {
        return new DataSize(scaled(mb, 1024L * 1024, "MB"));
    }

    private static long scaled(long amount, long factor, String unit) {
        try {
            return Math.multiplyExact(amount, factor);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("data size of " + amount + unit + " is too large");
        }
    }

    /** Parses a size such as {@code 256MB}; a bare number is bytes. */
    public static DataSize parse(String text) {
        Matcher m = PATTERN.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a data size; write a number and a unit such as 512KB, 256MB or 1GB");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT).replace("I", "");
        long factor = switch (unit) {
            case "B" -> 1L;
            case "KB" -> 1L << 10;
            case "MB" -> 1L << 20;
            case "GB" -> 1L << 30;
            case "TB" -> 1L << 40;
            default -> throw new IllegalArgumentException("unknown data size unit in '" + text + "'");
        };
        double bytes = value * factor;
        if (bytes > Long.MAX_VALUE) {
            throw new IllegalArgumentException("data size '" + text + "' is too large");
        }
        return new DataSize(Math.round(bytes));
    }

    /** Rounded for people: {@code 86.7 MB}, {@code 3.8 GB}. */
    public String humanReadable() {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    @Override
    public int compareTo(DataSize other) {
        return Long.compare(bytes, other.bytes);
    }

    @Override
    public String toString() {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        long value = bytes;
        int unit = 0;
        while (unit < units.length - 1 && value != 0 && value % 1024 == 0) {
            value /= 1024;
            unit++;
        }
        return value + units[unit];
    }
}
