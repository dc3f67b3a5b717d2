package io.tributary.delivery;

import static java.util.Objects.requireNonNull;

import io.tributary.common.TributaryException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a delivery stream writes after each record. Firehose concatenates records as they were
 * sent ({@link #NONE}); its {@code AppendDelimiterToRecord} processor appends a delimiter to every
 * record ({@link #always}). Declared delivery streams default to appending {@code \n} only where a
 * record does not already end with one ({@link #NEWLINE_WHERE_MISSING}), so NDJSON producers that
 * do and do not end their records with a newline both give one record per line.
 *
 * @param text the delimiter, written as UTF-8; empty for none
 * @param onlyWhereMissing skip records that already end with the delimiter
 */
public record RecordDelimiter(String text, boolean onlyWhereMissing) {
    public static final RecordDelimiter NONE = new RecordDelimiter("", false);
    public static final RecordDelimiter NEWLINE_WHERE_MISSING = new RecordDelimiter("\n", true);
    /** Firehose's {@code AppendDelimiterToRecord} without a {@code Delimiter} parameter. */
    public static final RecordDelimiter NEWLINE = new RecordDelimiter("\n", false);
    private static final int MAX_LENGTH = 64;

    public RecordDelimiter {
        requireNonNull(text, "text is null");
        if (text.length() > MAX_LENGTH) {
            throw TributaryException.invalidArgument("a record delimiter may have at most %d characters, got %d", MAX_LENGTH, text.length());
        }
    }

    /** Appends {@code text} after every record, as Firehose's AppendDelimiterToRecord processor. */
    public static RecordDelimiter always(String text) {
        return new RecordDelimiter(text, false);
    }

    /**
     * Reads a delimiter as Firehose's {@code Delimiter} parameter writes it: {@code \n}, {@code \t},
     * {@code \r} and {@code \\} are escapes, anything else is literal.
     */
    public static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                out.append(c);
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '\\' -> out.append('\\');
                default -> out.append('\\').append(next);
            }
        }
        return out.toString();
    }

    /** The inverse of {@link #unescape}, for describing a delimiter. */
    public static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
    }

    public boolean isNone() {
        return text.isEmpty();
    }

    /** The bytes written after this record. */
    public int extraBytes(byte[] data) {
        return appends(data) ? bytes().length : 0;
    }

    /** Writes a record and, where due, the delimiter. */
    public void write(OutputStream out, byte[] data) throws IOException {
        out.write(data);
        if (appends(data)) {
            out.write(bytes());
        }
    }

    private boolean appends(byte[] data) {
        if (text.isEmpty()) {
            return false;
        }
        if (!onlyWhereMissing) {
            return true;
        }
        byte[] delimiter = bytes();
        return data.length < delimiter.length
                || !Arrays.equals(data, data.length - delimiter.length, data.length, delimiter, 0, delimiter.length);
    }

    private byte[] bytes() {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
