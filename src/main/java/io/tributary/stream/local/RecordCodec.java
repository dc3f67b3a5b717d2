package io.tributary.stream.local;

import io.tributary.stream.StreamLimits;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The layout of one record in a segment file. All integers are big-endian.
 *
 * <pre>
 * offset  size  field
 *      0     4  length: bytes after this field (23 + key length + data length)
 *      4     4  CRC32C of every byte after this field, up to the end of the record
 *      8     1  format version, 1
 *      9     8  offset of the record in its shard
 *     17     8  arrival time, epoch milliseconds
 *     25     2  partition key length in bytes (unsigned)
 *     27     k  partition key, UTF-8
 *   27+k     d  data
 * </pre>
 *
 * <p>The static members are stateless; an {@link Encoder} is not thread-safe.
 */
final class RecordCodec {
    static final byte FORMAT_VERSION = 1;
    static final int HEADER_SIZE = 27;
    static final int LENGTH_FIELD_SIZE = 4;
    static final int CRC_POSITION = 4;
    static final int VERSION_POSITION = 8;
    static final int OFFSET_POSITION = 9;
    static final int TIMESTAMP_POSITION = 17;
    static final int KEY_LENGTH_POSITION = 25;
    /** The smallest valid value of the length field: a record with an empty key and no data. */
    static final int MIN_LENGTH = HEADER_SIZE - LENGTH_FIELD_SIZE;
    /** 256 characters of at most 4 UTF-8 bytes each. */
    static final int MAX_KEY_BYTES = StreamLimits.MAX_PARTITION_KEY_LENGTH * 4;
    static final int MAX_LENGTH = MIN_LENGTH + MAX_KEY_BYTES + StreamLimits.MAX_RECORD_BYTES;
    static final int MAX_RECORD_SIZE = LENGTH_FIELD_SIZE + MAX_LENGTH;

    private RecordCodec() {}

    static int encodedSize(int keyBytes, int dataBytes) {
        return HEADER_SIZE + keyBytes + dataBytes;
    }

    /**
     * Checksums the record starting at {@code start} of a heap or direct buffer whose length
     * field says {@code length}, without moving the buffer's position.
     */
    static int checksum(CRC32C crc, ByteBuffer view, int start, int length) {
        crc.reset();
        view.limit(start + LENGTH_FIELD_SIZE + length).position(start + VERSION_POSITION);
        crc.update(view);
        return (int) crc.getValue();
    }

    /**
     * Encodes records into one buffer, reusing a view of it and a checksum state so that encoding
     * allocates nothing per record. Not thread-safe.
     */
    static final class Encoder {
        private final CRC32C crc = new CRC32C();
        private final ByteBuffer target;
        private final ByteBuffer view;

        Encoder(ByteBuffer target) {
            this.target = target;
            this.view = target.duplicate();
        }

        ByteBuffer buffer() {
            return target;
        }

        /** Encodes one record at the buffer's position, which must have room for it. */
        void encode(long offset, long arrivalTimeMillis, byte[] key, byte[] data) {
            int start = target.position();
            int length = MIN_LENGTH + key.length + data.length;
            target.putInt(length)
                    .putInt(0)
                    .put(FORMAT_VERSION)
                    .putLong(offset)
                    .putLong(arrivalTimeMillis)
                    .putShort((short) key.length)
                    .put(key)
                    .put(data);
            target.putInt(start + CRC_POSITION, checksum(crc, view, start, length));
        }
    }
}
