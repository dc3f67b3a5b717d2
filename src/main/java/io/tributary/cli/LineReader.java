package io.tributary.cli;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * Splits a byte stream into lines on {@code \n}, as the bytes are (no character decoding, so
 * Latin-1 or binary input is sent unchanged), dropping a {@code \r} before the {@code \n}. A line
 * longer than {@code maxBytes} is not kept in memory: it comes back as too long, with its length.
 *
 * <p>Not thread-safe.
 */
final class LineReader {
    /** One line: its number (from 1), its bytes, or its length when it was too long to keep. */
    record Line(long number, byte[] bytes, long length, boolean tooLong) {
        Line {
            requireNonNull(bytes, "bytes is null");
        }

        /** Blank lines (nothing but spaces and tabs) are not records. */
        boolean isBlank() {
            if (tooLong) {
                return false;
            }
            for (byte b : bytes) {
                if (b != ' ' && b != '\t') {
                    return false;
                }
            }
            return true;
        }
    }

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private long number;

    LineReader(InputStream in, int maxBytes) {
        this.in = requireNonNull(in, "in is null");
        this.maxBytes = maxBytes;
    }

    /**
     * The next line, blocking until it is complete (or the input ends); empty at the end. Reads
     * only what is available, so lines arriving slowly (from {@code tail -f}) come back one by one.
     */
    Optional<Line> next() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long length = 0;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (!any) {
                        return Optional.empty();
                    }
                    return Optional.of(finish(line, length));
                }
            }
            any = true;
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int count = position - start;
            if (length + count <= maxBytes + 1L) {
                line.write(buffer, start, count);
            }
            length += count;
            if (position < limit) {
                position++;
                return Optional.of(finish(line, length));
            }
        }
    }

    private Line finish(ByteArrayOutputStream line, long length) {
        number++;
        byte[] bytes = line.toByteArray();
        if (length > 0 && bytes.length == length && bytes[bytes.length - 1] == '\r') {
            bytes = Arrays.copyOf(bytes, bytes.length - 1);
            length--;
        }
        boolean tooLong = length > maxBytes;
        return new Line(number, tooLong ? new byte[0] : bytes, length, tooLong);
    }
}
