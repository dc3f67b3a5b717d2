package io.tributary.search;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.stream.StoredRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Base64;

/**
 * A sink's dead-letter file, {@code <data-dir>/search/dead-letter/<sink>.ndjson}: one JSON line
 * per record that was not indexed, with where it came from (stream, shard, sequence number,
 * arrival), why, and the record itself ({@code record} as text, or {@code record_base64} when it is
 * not UTF-8). A file rather than a stream, so {@code apply --prune} cannot delete it and it needs
 * no stream of its own; {@link #sync} forces it before the sink commits past the records in it,
 * so a failed record is never lost. After a crash, replayed records may appear twice.
 *
 * <p>Not thread-safe: the sink's thread owns it.
 */
final class DeadLetters implements AutoCloseable {
    private final Path file;
    private FileChannel channel;
    private boolean dirty;
    private long count;

    DeadLetters(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    long count() {
        return count;
    }

    void add(String sink, StoredRecord record, String stream, String kind, String reason) {
        ObjectNode line = Json.mapper().createObjectNode();
        line.put("time", Instant.now().toString()).put("sink", sink).put("stream", stream).put("shard", record.shardId())
                .put("sequence_number", record.sequenceNumber()).put("arrival", Instant.ofEpochMilli(record.arrivalTimeMillis()).toString())
                .put("kind", kind).put("reason", reason);
        try {
            line.put("record", StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(record.data())).toString());
        } catch (CharacterCodingException e) {
            line.put("record_base64", Base64.getEncoder().encodeToString(record.data()));
        }
        try {
            if (channel == null) {
                Files.createDirectories(file.getParent());
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            }
            ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            dirty = true;
            count++;
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "cannot write the dead-letter file " + file + ": " + e.getMessage(), e);
        }
    }

    void sync() {
        if (!dirty) {
            return;
        }
        try {
            channel.force(false);
            dirty = false;
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "cannot force the dead-letter file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                sync();
                channel.close();
            } catch (IOException | RuntimeException e) {
                // closing anyway
            }
        }
    }
}
