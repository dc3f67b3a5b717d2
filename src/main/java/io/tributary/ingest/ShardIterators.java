package io.tributary.ingest;

import static java.util.Objects.requireNonNull;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * Shard iterators: opaque tokens naming a stream incarnation, a shard and an offset, valid for a
 * limited time as in Kinesis. A token carries everything needed to continue reading, so the server
 * keeps no per-reader state and tokens survive restarts. The checksum only rejects garbage; a
 * forged token grants nothing GetShardIterator would not.
 *
 * <p>Thread-safe.
 */
final class ShardIterators {
    private static final byte VERSION = 1;

    private final Clock clock;
    private final Duration ttl;

    ShardIterators(Clock clock, Duration ttl) {
        this.clock = requireNonNull(clock, "clock is null");
        this.ttl = requireNonNull(ttl, "ttl is null");
    }

    record Position(String stream, long streamCreatedMillis, int shard, long offset) {}

    String encode(Position position) {
        byte[] name = position.stream().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(1 + 8 + 4 + 8 + 8 + 1 + name.length + 4);
        buffer.put(VERSION).putLong(position.streamCreatedMillis()).putInt(position.shard()).putLong(position.offset())
                .putLong(clock.millis()).put((byte) name.length).put(name);
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putInt((int) crc.getValue());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    /**
     * @throws TributaryException {@code INVALID_ARGUMENT} for a token that is not an iterator,
     *     {@code EXPIRED} for one older than the time limit
     */
    Position decode(String token) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (bytes.length < 1 + 8 + 4 + 8 + 8 + 1 + 1 + 4 || bytes[0] != VERSION) {
            throw invalid();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.get();
        long created = buffer.getLong();
        int shard = buffer.getInt();
        long offset = buffer.getLong();
        long issued = buffer.getLong();
        int nameLength = buffer.get() & 0xff;
        if (buffer.remaining() != nameLength + 4) {
            throw invalid();
        }
        byte[] name = new byte[nameLength];
        buffer.get(name);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != buffer.getInt() || shard < 0 || offset < 0) {
            throw invalid();
        }
        long now = clock.millis();
        if (now - issued > ttl.toMillis()) {
            throw new TributaryException(ErrorCode.EXPIRED, String.format(
                    "Iterator expired. The iterator was created at time %d while right now it is %d which is further "
                            + "in the future than the tolerated delay of %d milliseconds. Get a new one with GetShardIterator.",
                    issued, now, ttl.toMillis()));
        }
        return new Position(new String(name, StandardCharsets.UTF_8), created, shard, offset);
    }

    private static TributaryException invalid() {
        return TributaryException.invalidArgument("ShardIterator is not a valid shard iterator; get one with GetShardIterator");
    }
}
