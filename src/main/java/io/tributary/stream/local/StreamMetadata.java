package io.tributary.stream.local;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.stream.HashKeyRange;
import io.tributary.stream.ShardDescription;
import io.tributary.stream.StreamDescription;
import io.tributary.stream.StreamDescription.StreamStatus;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What {@code <stream>/stream.json} holds: the stream's name, creation time and every shard, open
 * and closed, with hash ranges, parents and ending offsets. Replaced atomically as a whole.
 *
 * <pre>{@code
 * {"formatVersion": 1, "name": "orders", "created": "2025-01-01T00:00:00Z", "status": "ACTIVE",
 *  "shards": [{"shard": 0, "startingHashKey": "0", "endingHashKey": "3402...", "startingOffset": 0,
 *              "endingOffset": 1200, "parent": null, "adjacentParent": null,
 *              "opened": "2025-01-01T00:00:00Z", "closed": "2025-01-02T10:00:00Z"}, ...]}
 * }</pre>
 *
 * <p>A stream may also have {@code "retention": "PT48H"} (its own, else {@code stream.retention})
 * and {@code "tags": {"team": "data"}}.
 *
 * <p>{@code opened}, {@code closed}, {@code retention} and {@code tags} were added without a new
 * format version: files without them
 * (written by earlier versions) read with the stream's creation time as every shard's opening, no
 * closing time, the configured retention and no tags; earlier versions ignore them.
 */
record StreamMetadata(String name, Instant created, List<ShardDescription> shards, Optional<Duration> retention, Map<String, String> tags) {
    static final String FILE_NAME = "stream.json";
    private static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param retention the stream's own retention (Kinesis's RetentionPeriodHours); empty for {@code stream.retention}
     * @param tags the stream's tags (Kinesis's AddTagsToStream)
     */
    StreamMetadata {
        requireNonNull(name, "name is null");
        requireNonNull(created, "created is null");
        requireNonNull(retention, "retention is null");
        shards = List.copyOf(shards);
        tags = Collections.unmodifiableMap(new TreeMap<>(tags));
    }

    StreamMetadata(String name, Instant created, List<ShardDescription> shards) {
        this(name, created, shards, Optional.empty(), Map.of());
    }

    StreamMetadata withShards(List<ShardDescription> newShards) {
        return new StreamMetadata(name, created, newShards, retention, tags);
    }

    StreamMetadata withRetention(Duration newRetention) {
        return new StreamMetadata(name, created, shards, Optional.of(newRetention), tags);
    }

    StreamMetadata withTags(Map<String, String> newTags) {
        return new StreamMetadata(name, created, shards, retention, newTags);
    }

    List<ShardDescription> openShards() {
        return shards.stream().filter(ShardDescription::isOpen).toList();
    }

    int maxShard() {
        return shards.stream().mapToInt(ShardDescription::shard).max().orElse(-1);
    }

    StreamDescription describe(Duration defaultRetention) {
        return new StreamDescription(name, StreamStatus.ACTIVE, created, retention.orElse(defaultRetention), shards, tags);
    }

    void write(Path streamDirectory) throws IOException {
        ObjectNode root = JSON.createObjectNode()
                .put("formatVersion", FORMAT_VERSION)
                .put("name", name)
                .put("created", created.toString())
                .put("status", StreamStatus.ACTIVE.name());
        retention.ifPresent(r -> root.put("retention", r.toString()));
        if (!tags.isEmpty()) {
            ObjectNode t = root.putObject("tags");
            tags.forEach(t::put);
        }
        ArrayNode array = root.putArray("shards");
        for (ShardDescription shard : shards) {
            ObjectNode node = array.addObject()
                    .put("shard", shard.shard())
                    .put("startingHashKey", shard.hashKeyRange().startingHashKey().toString())
                    .put("endingHashKey", shard.hashKeyRange().endingHashKey().toString())
                    .put("startingOffset", shard.startingOffset());
            putOptional(node, "endingOffset", shard.endingOffset());
            putOptional(node, "parent", shard.parent());
            putOptional(node, "adjacentParent", shard.adjacentParent());
            node.put("opened", shard.opened().toString());
            shard.closed().ifPresent(closed -> node.put("closed", closed.toString()));
        }
        AtomicWrite.replace(streamDirectory.resolve(FILE_NAME), JSON.writeValueAsBytes(root));
    }

    static StreamMetadata read(Path streamDirectory) throws IOException {
        Path file = streamDirectory.resolve(FILE_NAME);
        try {
            JsonNode root = JSON.readTree(Files.readAllBytes(file));
            int version = required(root, "formatVersion").asInt();
            if (version != FORMAT_VERSION) {
                throw new IOException("unsupported format version " + version + " in " + file
                        + "; it was written by a newer Tributary");
            }
            Instant created = Instant.parse(required(root, "created").asText());
            List<ShardDescription> shards = new ArrayList<>();
            for (JsonNode node : required(root, "shards")) {
                OptionalLong ending = optionalLong(node, "endingOffset");
                Optional<Instant> closed = optionalInstant(node, "closed");
                shards.add(new ShardDescription(
                        required(node, "shard").asInt(),
                        new HashKeyRange(
                                new BigInteger(required(node, "startingHashKey").asText()),
                                new BigInteger(required(node, "endingHashKey").asText())),
                        required(node, "startingOffset").asLong(),
                        ending,
                        optionalInt(node, "parent"),
                        optionalInt(node, "adjacentParent"),
                        // Written by versions that kept no shard times: the stream's creation is the earliest a shard opened.
                        optionalInstant(node, "opened").orElse(created),
                        ending.isPresent() ? closed : Optional.empty()));
            }
            Optional<Duration> retention = root.hasNonNull("retention") ? Optional.of(Duration.parse(root.get("retention").asText()))
                    : Optional.empty();
            Map<String, String> tags = new TreeMap<>();
            root.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
            return new StreamMetadata(required(root, "name").asText(), created, shards, retention, tags);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IOException("stream metadata " + file + " is damaged (" + e.getMessage()
                    + "); restore it from a backup or delete the stream directory", e);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return value;
    }

    private static OptionalLong optionalLong(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? OptionalLong.empty() : OptionalLong.of(value.asLong());
    }

    private static Optional<Instant> optionalInstant(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(Instant.parse(value.asText()));
    }

    private static OptionalInt optionalInt(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? OptionalInt.empty() : OptionalInt.of(value.asInt());
    }

    private static void putOptional(ObjectNode node, String field, OptionalLong value) {
        if (value.isPresent()) {
            node.put(field, value.getAsLong());
        } else {
            node.putNull(field);
        }
    }

    private static void putOptional(ObjectNode node, String field, OptionalInt value) {
        if (value.isPresent()) {
            node.put(field, value.getAsInt());
        } else {
            node.putNull(field);
        }
    }
}
