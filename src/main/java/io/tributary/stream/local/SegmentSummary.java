package io.tributary.stream.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * What a closed segment holds, kept in a small sidecar file ({@code <base>.summary}) written when
 * the segment rolls, so that start-up, retention and timestamp lookups need not scan closed
 * segments. The sidecar carries its own checksum and the segment's size: a sidecar that is
 * missing, torn or disagrees with the file is ignored and the segment is scanned instead.
 *
 * @param recordCount records in the segment, with offsets {@code baseOffset} to {@code baseOffset + recordCount - 1}
 * @param firstArrivalMillis arrival time of the first record; 0 when empty
 * @param lastArrivalMillis arrival time of the last record, the newest; 0 when empty
 * @param sizeBytes bytes of the segment file
 */
record SegmentSummary(long baseOffset, long recordCount, long firstArrivalMillis, long lastArrivalMillis, long sizeBytes) {
    static final String SUFFIX = ".summary";
    private static final int MAGIC = 0x54525353; // "TRSS"
    private static final int VERSION = 1;
    private static final int SIZE = 4 + 4 + 5 * 8 + 4;

    SegmentSummary {
        if (baseOffset < 0 || recordCount < 0 || sizeBytes < 0) {
            throw new IllegalArgumentException("invalid segment summary: " + baseOffset + ", " + recordCount + ", " + sizeBytes);
        }
    }

    static SegmentSummary empty(long baseOffset) {
        return new SegmentSummary(baseOffset, 0, 0, 0, 0);
    }

    /** The offset after the last record. */
    long endOffset() {
        return baseOffset + recordCount;
    }

    /**
     * Writes the sidecar without forcing it: a sidecar lost in a crash is rebuilt by scanning,
     * and one that does not match its segment is never trusted.
     */
    void write(Path path) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(SIZE)
                .putInt(MAGIC)
                .putInt(VERSION)
                .putLong(baseOffset)
                .putLong(recordCount)
                .putLong(firstArrivalMillis)
                .putLong(lastArrivalMillis)
                .putLong(sizeBytes);
        buffer.putInt(checksum(buffer.array()));
        Files.write(path, buffer.array());
    }

    /** Reads a sidecar; empty if it is missing or damaged. */
    static Optional<SegmentSummary> read(Path path) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (bytes.length != SIZE) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (buffer.getInt() != MAGIC || buffer.getInt() != VERSION || buffer.getInt(SIZE - 4) != checksum(bytes)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SegmentSummary(
                    buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static int checksum(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, SIZE - 4);
        return (int) crc.getValue();
    }
}
