package io.tributary.delivery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.lake.Location;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The write-ahead record that makes delivery exactly once: before a batch's objects are written,
 * the batch (per shard, the first and last source offset) and the key of every object it will
 * produce are forced to disk. After a crash the batch is delivered again from exactly those
 * records under exactly those keys; objects that had landed are kept, the rest are written, and
 * only then does the checkpoint move past the batch.
 *
 * <p>Only the latest batch matters (a batch is journalled only after the previous one's checkpoint
 * is committed), so the journal is one small file replaced atomically.
 *
 * <p>Not thread-safe: owned by one delivery thread.
 */
final class ObjectJournal {
    /**
     * One batch: source ranges by shard and the objects it produces, by group identity.
     *
     * @param sourceCreatedMillis creation time of the source stream, so a batch of a deleted and
     *     re-created stream is never confused with the new stream's records
     * @param spec the declaration the batch was planned with, so it is planned the same way again
     *     even if the declaration changed before the restart
     */
    record Entry(long sequence, long sourceCreatedMillis, DeliveryStreamSpec spec, Map<Integer, Range> ranges, List<JournalObject> objects) {
        Entry {
            requireNonNull(spec, "spec is null");
            ranges = java.util.Collections.unmodifiableMap(new TreeMap<>(ranges));
            objects = List.copyOf(objects);
        }

        /** The checkpoint after the batch: the offset after each shard's last record. */
        Map<Integer, Long> nextOffsets() {
            Map<Integer, Long> next = new TreeMap<>();
            ranges.forEach((shard, range) -> next.put(shard, range.last() + 1));
            return next;
        }

        /** True when the committed checkpoints are past this batch on every shard it covers. */
        boolean committedIn(Map<Integer, Long> committed) {
            for (Map.Entry<Integer, Range> e : ranges.entrySet()) {
                Long position = committed.get(e.getKey());
                if (position == null || position <= e.getValue().last()) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Source offsets {@code first..last} (inclusive) of one shard in a batch. */
    record Range(long first, long last) {
        Range {
            if (first < 0 || last < first) {
                throw new IllegalArgumentException("invalid range " + first + ".." + last);
            }
        }
    }

    /**
     * @param identity what groups records into this object (partition values, error type, or the
     *     per-record key), recomputed from the records when the batch is delivered again
     */
    record JournalObject(String identity, Location location) {
        JournalObject {
            requireNonNull(identity, "identity is null");
            requireNonNull(location, "location is null");
        }
    }

    private final Path file;

    ObjectJournal(Path directory) {
        this.file = requireNonNull(directory, "directory is null").resolve("journal.json");
    }

    Optional<Entry> read() {
        try {
            JsonNode node = Json.mapper().readTree(Files.readAllBytes(file));
            Map<Integer, Range> ranges = new TreeMap<>();
            node.path("ranges").fields().forEachRemaining(e -> ranges.put(Integer.parseInt(e.getKey()),
                    new Range(e.getValue().path("first").asLong(), e.getValue().path("last").asLong())));
            List<JournalObject> objects = new ArrayList<>();
            for (JsonNode o : node.path("objects")) {
                objects.add(new JournalObject(o.path("identity").asText(), Location.parse(o.path("location").asText())));
            }
            return Optional.of(new Entry(node.path("sequence").asLong(), node.path("sourceCreated").asLong(),
                    DeliveryStreamSpec.fromJson(node.path("spec")), ranges, objects));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "the delivery journal " + file + " cannot be read (" + e.getMessage()
                    + "); it is written atomically, so this is disk damage: restore it or delete it to accept possible duplicates", e);
        }
    }

    /** Replaces the journal with {@code entry}, durably, before any of its objects is written. */
    void write(Entry entry) {
        ObjectNode node = Json.mapper().createObjectNode().put("sequence", entry.sequence())
                .put("sourceCreated", entry.sourceCreatedMillis());
        node.set("spec", entry.spec().toJson());
        ObjectNode ranges = node.putObject("ranges");
        entry.ranges().forEach((shard, range) -> ranges.putObject(Integer.toString(shard)).put("first", range.first()).put("last", range.last()));
        ArrayNode objects = node.putArray("objects");
        for (JournalObject o : entry.objects()) {
            objects.addObject().put("identity", o.identity()).put("location", o.location().toString());
        }
        Path tmp = file.resolveSibling("journal.json.tmp");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(Json.mapper().writeValueAsBytes(node)));
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException e) {
                // some file systems cannot open directories; the rename is still atomic there
            }
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "writing the delivery journal " + file + " failed: " + e.getMessage(), e);
        }
    }
}
