package io.tributary.stream.local;

import static io.tributary.stream.local.RecordCodec.HEADER_SIZE;
import static io.tributary.stream.local.RecordCodec.KEY_LENGTH_POSITION;
import static io.tributary.stream.local.RecordCodec.LENGTH_FIELD_SIZE;
import static io.tributary.stream.local.RecordCodec.MAX_KEY_BYTES;
import static io.tributary.stream.local.RecordCodec.MAX_LENGTH;
import static io.tributary.stream.local.RecordCodec.MIN_LENGTH;
import static java.util.Objects.requireNonNull;

import io.tributary.stream.StoredRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Walks the records of a byte range of a segment file in order, checking each one: a sane
 * length, a matching checksum, the expected format version and the next offset. It stops at the
 * end of the range or at the first record that fails a check, and then says why in
 * {@link #problem()}; it never exposes a record that failed.
 *
 * <p>Reads ahead in large positional reads. Not thread-safe; use one cursor per reader.
 */
final class SegmentCursor {
    /** Reads bytes of a file at a position, as {@link java.nio.channels.FileChannel#read(ByteBuffer, long)}. */
    @FunctionalInterface
    interface PositionalReader {
        int read(ByteBuffer target, long position) throws IOException;
    }

    private final PositionalReader reader;
    private final long limit;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer;
    private ByteBuffer view;
    private long bufferStart;
    private long nextPosition;
    private long expectedOffset;
    private String problem;

    // The current record.
    private long position = -1;
    private int index;
    private int length;

    /**
     * @param start file position of a record boundary
     * @param limit file position where the range ends; a record must end at or before it
     * @param expectedOffset the offset of the record at {@code start}
     * @param readAhead bytes to read at a time
     */
    SegmentCursor(PositionalReader reader, long start, long limit, long expectedOffset, int readAhead) {
        this.reader = requireNonNull(reader, "reader is null");
        this.limit = limit;
        this.nextPosition = start;
        this.expectedOffset = expectedOffset;
        this.buffer = ByteBuffer.allocate(Math.max(readAhead, HEADER_SIZE)).limit(0);
        this.view = buffer.duplicate();
        this.bufferStart = start;
    }

    /** Moves to the next record; false at the end of the range or at the first bad record. */
    boolean next() throws IOException {
        if (problem != null || nextPosition >= limit) {
            return false;
        }
        long start = nextPosition;
        if (limit - start < LENGTH_FIELD_SIZE || !fill(start, LENGTH_FIELD_SIZE)) {
            return fail("a torn record header at byte %d", start);
        }
        int at = (int) (start - bufferStart);
        int recordLength = buffer.getInt(at);
        if (recordLength < MIN_LENGTH || recordLength > MAX_LENGTH) {
            return fail("an invalid record length %d at byte %d", recordLength, start);
        }
        long end = start + LENGTH_FIELD_SIZE + recordLength;
        if (end > limit) {
            return fail("a torn record at byte %d: its %d bytes run past the end at byte %d",
                    start, LENGTH_FIELD_SIZE + recordLength, limit);
        }
        if (!fill(start, LENGTH_FIELD_SIZE + recordLength)) {
            return fail("a torn record at byte %d: the file ends before its end at byte %d", start, end);
        }
        at = (int) (start - bufferStart);
        int storedCrc = buffer.getInt(at + RecordCodec.CRC_POSITION);
        if (RecordCodec.checksum(crc, view, at, recordLength) != storedCrc) {
            return fail("a checksum mismatch in the record at byte %d", start);
        }
        byte version = buffer.get(at + RecordCodec.VERSION_POSITION);
        if (version != RecordCodec.FORMAT_VERSION) {
            return fail("an unknown record format version %d at byte %d", version, start);
        }
        long offset = buffer.getLong(at + RecordCodec.OFFSET_POSITION);
        if (offset != expectedOffset) {
            return fail("offset %d at byte %d where offset %d was expected", offset, start, expectedOffset);
        }
        int keyLength = Short.toUnsignedInt(buffer.getShort(at + KEY_LENGTH_POSITION));
        if (keyLength > MAX_KEY_BYTES || keyLength > recordLength - MIN_LENGTH) {
            return fail("an invalid partition key length %d at byte %d", keyLength, start);
        }
        position = start;
        index = at;
        length = recordLength;
        nextPosition = end;
        expectedOffset++;
        return true;
    }

    /** Why the walk stopped before the end of the range, if it did. */
    Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** File position of the current record. */
    long position() {
        return position;
    }

    /** File position just after the current record, or the start if there is none yet. */
    long nextPosition() {
        return nextPosition;
    }

    /** The offset the next record must have. */
    long nextOffset() {
        return expectedOffset;
    }

    long offset() {
        return buffer.getLong(index + RecordCodec.OFFSET_POSITION);
    }

    long arrivalTimeMillis() {
        return buffer.getLong(index + RecordCodec.TIMESTAMP_POSITION);
    }

    /** Bytes of partition key and data: what read limits count. */
    int payloadSize() {
        return length - MIN_LENGTH;
    }

    /** Bytes the current record takes in the file. */
    int recordSize() {
        return LENGTH_FIELD_SIZE + length;
    }

    StoredRecord toStoredRecord(int shard) {
        int keyLength = Short.toUnsignedInt(buffer.getShort(index + KEY_LENGTH_POSITION));
        int keyStart = index + HEADER_SIZE;
        String key = new String(buffer.array(), keyStart, keyLength, StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOfRange(buffer.array(), keyStart + keyLength, index + LENGTH_FIELD_SIZE + length);
        return new StoredRecord(shard, offset(), arrivalTimeMillis(), key, data);
    }

    private boolean fail(String format, Object... args) {
        problem = format.formatted(args);
        return false;
    }

    /** Makes the buffer hold bytes [start, start + count) of the file; false if the file is shorter. */
    private boolean fill(long start, int count) throws IOException {
        if (start >= bufferStart && start + count <= bufferStart + buffer.limit()) {
            return true;
        }
        if (count > buffer.capacity()) {
            buffer = ByteBuffer.allocate(Math.max(count, buffer.capacity() * 2));
            view = buffer.duplicate();
        }
        int want = (int) Math.min(buffer.capacity(), limit - start);
        buffer.clear().limit(want);
        bufferStart = start;
        while (buffer.position() < count) {
            int read = reader.read(buffer, start + buffer.position());
            if (read < 0) {
                buffer.flip();
                return false;
            }
        }
        buffer.flip();
        return true;
    }
}
