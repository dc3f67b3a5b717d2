package io.tributary.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * De-aggregates records written by the Kinesis Producer Library in its aggregated format: the
 * magic {@code F3 89 9A C2}, a protobuf {@code AggregatedRecord}, and the MD5 of the protobuf
 * bytes. The protobuf is decoded by hand (three messages, a dozen lines of wire format) rather than
 * pulling in a protobuf runtime.
 *
 * <pre>
 * message AggregatedRecord { repeated string partition_key_table = 1; repeated string explicit_hash_key_table = 2;
 *                            repeated Record records = 3; }
 * message Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2;
 *                  required bytes data = 3; repeated Tag tags = 4; }
 * </pre>
 *
 * <p>As the Kinesis Client Library does, a record with the magic whose checksum or protobuf does not
 * check out is passed on as a plain record rather than dropped.
 *
 * <p>Stateless and thread-safe.
 */
public final class KplAggregation {
    public static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
    private static final int DIGEST = 16;

    /** One user record from an aggregate. */
    public record SubRecord(String partitionKey, byte[] data) {}

    private KplAggregation() {}

    public static boolean looksAggregated(byte[] data) {
        return data.length >= MAGIC.length + DIGEST && Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** The user records of an aggregated record, or empty when {@code data} is not a valid aggregate. */
    public static Optional<List<SubRecord>> deaggregate(byte[] data) {
        if (!looksAggregated(data)) {
            return Optional.empty();
        }
        int end = data.length - DIGEST;
        byte[] digest = md5(data, MAGIC.length, end - MAGIC.length);
        if (!Arrays.equals(digest, 0, DIGEST, data, end, data.length)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(data, MAGIC.length, end));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static List<SubRecord> parse(byte[] buf, int start, int end) {
        List<String> keys = new ArrayList<>();
        List<long[]> indexes = new ArrayList<>();
        List<byte[]> datas = new ArrayList<>();
        Reader r = new Reader(buf, start, end);
        while (r.more()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (field == 1 && wire == 2) {
                keys.add(new String(r.bytes(), StandardCharsets.UTF_8));
            } else if (field == 3 && wire == 2) {
                int length = r.length();
                Reader rec = new Reader(buf, r.pos, r.pos + length);
                r.pos += length;
                long keyIndex = -1;
                byte[] data = null;
                while (rec.more()) {
                    long t = rec.varint();
                    int f = (int) (t >>> 3);
                    int w = (int) (t & 7);
                    if (f == 1 && w == 0) {
                        keyIndex = rec.varint();
                    } else if (f == 3 && w == 2) {
                        data = rec.bytes();
                    } else {
                        rec.skip(w);
                    }
                }
                if (keyIndex < 0 || data == null) {
                    throw new IllegalArgumentException("record without partition key index or data");
                }
                indexes.add(new long[] {keyIndex});
                datas.add(data);
            } else {
                r.skip(wire);
            }
        }
        List<SubRecord> out = new ArrayList<>(datas.size());
        for (int i = 0; i < datas.size(); i++) {
            long index = indexes.get(i)[0];
            if (index >= keys.size()) {
                throw new IllegalArgumentException("partition key index out of range");
            }
            out.add(new SubRecord(keys.get((int) index), datas.get(i)));
        }
        return out;
    }

    static byte[] md5(byte[] data, int offset, int length) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(data, offset, length);
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    /** Protobuf wire-format reading over a byte range; every overrun is an IllegalArgumentException. */
    private static final class Reader {
        final byte[] buf;
        final int end;
        int pos;

        Reader(byte[] buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new IllegalArgumentException("truncated varint");
                }
                byte b = buf[pos++];
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("varint too long");
        }

        int length() {
            long length = varint();
            if (length < 0 || length > end - pos) {
                throw new IllegalArgumentException("length-delimited field overruns its message");
            }
            return (int) length;
        }

        byte[] bytes() {
            int length = length();
            byte[] out = Arrays.copyOfRange(buf, pos, pos + length);
            pos += length;
            return out;
        }

        void skip(int wire) {
            switch (wire) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> advance(length());
                case 5 -> advance(4);
                default -> throw new IllegalArgumentException("unsupported wire type " + wire);
            }
        }

        private void advance(int n) {
            if (n > end - pos) {
                throw new IllegalArgumentException("field overruns its message");
            }
            pos += n;
        }
    }
}
