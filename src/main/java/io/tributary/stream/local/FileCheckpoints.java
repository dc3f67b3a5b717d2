package io.tributary.stream.local;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.TributaryException;
import io.tributary.stream.ConsumerCheckpoints;
import io.tributary.stream.ShardIds;
import io.tributary.stream.StreamLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Consumer checkpoints as one JSON file per consumer and stream,
 * {@code <stream>/consumers/<consumer>.json}, replaced atomically with all shards of a commit:
 *
 * <pre>{@code {"consumer": "lake", "stream": "orders", "checkpoints": {"0": 1200, "1": 980}}}</pre>
 *
 * <p>Thread-safe: reads and writes of one stream's checkpoints are serialized on its lock.
 */
final class FileCheckpoints implements ConsumerCheckpoints {
    static final String DIRECTORY = "consumers";
    private static final String SUFFIX = ".json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<String, LocalStream> streams;

    /** @param streams finds a stream by name, throwing NOT_FOUND when there is none */
    FileCheckpoints(Function<String, LocalStream> streams) {
        this.streams = requireNonNull(streams, "streams is null");
    }

    @Override
    public Map<Integer, Long> committed(String consumer, String stream) {
        StreamLimits.validateConsumerName(consumer);
        LocalStream target = streams.apply(stream);
        synchronized (target.checkpointLock) {
            checkNotDeleted(target);
            return Collections.unmodifiableSortedMap(new TreeMap<>(load(target, consumer)));
        }
    }

    @Override
    public void commit(String consumer, String stream, Map<Integer, Long> nextOffsets) {
        StreamLimits.validateConsumerName(consumer);
        requireNonNull(nextOffsets, "nextOffsets is null");
        LocalStream target = streams.apply(stream);
        for (Map.Entry<Integer, Long> entry : nextOffsets.entrySet()) {
            int shard = requireNonNull(entry.getKey(), "shard is null");
            long offset = requireNonNull(entry.getValue(), "offset is null");
            long end = target.shard(shard).stats().endOffset();
            if (offset < 0 || offset > end) {
                throw TributaryException.invalidArgument(
                        "checkpoint %d for stream '%s' %s is out of range: use an offset from 0 to %d, the shard's next offset",
                        offset, target.name(), ShardIds.format(shard), end);
            }
        }
        if (nextOffsets.isEmpty()) {
            return;
        }
        synchronized (target.checkpointLock) {
            checkNotDeleted(target);
            SortedMap<Integer, Long> merged = new TreeMap<>(load(target, consumer));
            merged.putAll(nextOffsets);
            ObjectNode root = JSON.createObjectNode().put("consumer", consumer).put("stream", target.name());
            ObjectNode checkpoints = root.putObject("checkpoints");
            merged.forEach((shard, offset) -> checkpoints.put(Integer.toString(shard), offset));
            Path file = file(target, consumer);
            try {
                Files.createDirectories(file.getParent());
                AtomicWrite.replace(file, JSON.writeValueAsBytes(root));
            } catch (IOException e) {
                throw LocalStreamLog.storageFailure("write checkpoint " + file, e);
            }
            target.checkpointCache.put(consumer, Map.copyOf(merged));
        }
    }

    @Override
    public List<String> consumers(String stream) {
        LocalStream target = streams.apply(stream);
        synchronized (target.checkpointLock) {
            checkNotDeleted(target);
            Path directory = target.directory().resolve(DIRECTORY);
            try (Stream<Path> files = Files.list(directory)) {
                return files.map(file -> file.getFileName().toString())
                        .filter(name -> name.endsWith(SUFFIX))
                        .map(name -> name.substring(0, name.length() - SUFFIX.length()))
                        .filter(FileCheckpoints::isConsumerName)
                        .sorted()
                        .toList();
            } catch (NoSuchFileException e) {
                return List.of();
            } catch (IOException e) {
                throw LocalStreamLog.storageFailure("list consumers in " + directory, e);
            }
        }
    }

    @Override
    public void delete(String consumer, String stream) {
        StreamLimits.validateConsumerName(consumer);
        LocalStream target = streams.apply(stream);
        synchronized (target.checkpointLock) {
            checkNotDeleted(target);
            Path file = file(target, consumer);
            try {
                if (Files.deleteIfExists(file)) {
                    AtomicWrite.syncDirectory(file.getParent());
                }
            } catch (IOException e) {
                throw LocalStreamLog.storageFailure("delete checkpoint " + file, e);
            }
            target.checkpointCache.remove(consumer);
        }
    }

    private static void checkNotDeleted(LocalStream stream) {
        if (stream.isDeleted()) {
            throw StreamLimits.streamNotFound(stream.name());
        }
    }

    private static boolean isConsumerName(String name) {
        try {
            StreamLimits.validateConsumerName(name);
            return true;
        } catch (TributaryException e) {
            return false;
        }
    }

    private static Path file(LocalStream stream, String consumer) {
        return stream.directory().resolve(DIRECTORY).resolve(consumer + SUFFIX);
    }

    /** The consumer's checkpoints, from the cache or its file; call with the stream's lock held. */
    private static Map<Integer, Long> load(LocalStream stream, String consumer) {
        Map<Integer, Long> cached = stream.checkpointCache.get(consumer);
        if (cached != null) {
            return cached;
        }
        Path file = file(stream, consumer);
        Map<Integer, Long> loaded = new TreeMap<>();
        try {
            JsonNode checkpoints = JSON.readTree(Files.readAllBytes(file)).get("checkpoints");
            if (checkpoints == null || !checkpoints.isObject()) {
                throw new IOException("no 'checkpoints' object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = checkpoints.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getValue().canConvertToLong()) {
                    throw new IOException("checkpoint of shard " + field.getKey() + " is not a number");
                }
                loaded.put(Integer.parseInt(field.getKey()), field.getValue().asLong());
            }
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException | NumberFormatException e) {
            throw LocalStreamLog.storageFailure(
                    "read checkpoint " + file + " (delete it to make consumer '" + consumer + "' start over)", e);
        }
        Map<Integer, Long> result = Map.copyOf(loaded);
        stream.checkpointCache.put(consumer, result);
        return result;
    }
}
