package io.tributary.stream.local;

import static java.util.Objects.requireNonNull;

import io.tributary.stream.HashKeyRange;
import io.tributary.stream.ShardDescription;
import io.tributary.stream.ShardIds;
import io.tributary.stream.StreamLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream of the local log: its directory, its metadata and a {@link ShardLog} per shard.
 *
 * <p>Thread-safety: thread-safe. Metadata, shard map and layout are immutable snapshots that only
 * the committer thread replaces (resharding); readers take whichever is current. Checkpoint
 * files are read and written under {@link #checkpointLock}.
 */
final class LocalStream {
    private static final Logger log = LoggerFactory.getLogger(LocalStream.class);
    /** Temporary directories are named with a character stream names cannot contain. */
    static final String STAGING_PREFIX = "~";

    private final Path directory;
    private final LogFileChannels channels;
    private final long segmentLimit;
    private volatile StreamMetadata metadata;
    private volatile Map<Integer, ShardLog> shards;
    private volatile ShardLayout layout;
    private volatile boolean deleted;
    private final LongAdder appendedRecords = new LongAdder();
    private final LongAdder appendedBytes = new LongAdder();
    final Object checkpointLock = new Object();
    /** Consumer checkpoints read or written so far; guarded by {@link #checkpointLock}. */
    final Map<String, Map<Integer, Long>> checkpointCache = new HashMap<>();

    private LocalStream(Path directory, LogFileChannels channels, long segmentLimit, StreamMetadata metadata,
            Map<Integer, ShardLog> shards) {
        this.directory = requireNonNull(directory, "directory is null");
        this.channels = requireNonNull(channels, "channels is null");
        this.segmentLimit = segmentLimit;
        install(metadata, shards);
    }

    /**
     * Creates a stream: builds its directory under a temporary name, then renames it into place,
     * so that after a crash the stream either exists completely or not at all.
     */
    static LocalStream create(Path root, String name, int shardCount, Instant created, Map<String, String> tags, LogFileChannels channels,
            long segmentLimit) throws IOException {
        Path staging = root.resolve(STAGING_PREFIX + "creating-" + name);
        deleteRecursively(staging);
        Files.createDirectories(staging);
        List<HashKeyRange> ranges = HashKeyRange.uniform(shardCount);
        List<ShardDescription> shards = new ArrayList<>();
        for (int shard = 0; shard < shardCount; shard++) {
            shards.add(new ShardDescription(
                    shard, ranges.get(shard), 0, OptionalLong.empty(), OptionalInt.empty(), OptionalInt.empty(), created, Optional.empty()));
            Path shardDirectory = ShardLog.directory(staging, shard);
            Files.createDirectories(shardDirectory);
            Files.createFile(LogSegment.fileName(shardDirectory, 0));
            AtomicWrite.syncDirectory(shardDirectory);
        }
        new StreamMetadata(name, created, shards, Optional.empty(), tags).write(staging);
        Path target = root.resolve(name);
        if (Files.exists(target) && !isEmptyDirectory(target)) {
            deleteRecursively(staging);
            throw new IOException("directory " + target + " exists but holds no stream; move it away to create stream '"
                    + name + "'");
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        AtomicWrite.syncDirectory(root);
        return open(target, channels, segmentLimit);
    }

    private static boolean isEmptyDirectory(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(path)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Opens a stream directory, recovering each shard. */
    static LocalStream open(Path directory, LogFileChannels channels, long segmentLimit) throws IOException {
        StreamMetadata metadata = StreamMetadata.read(directory);
        removeUnknownShards(directory, metadata);
        Map<Integer, ShardLog> shards = new LinkedHashMap<>();
        for (ShardDescription shard : metadata.shards()) {
            shards.put(shard.shard(), ShardRecovery.open(
                    metadata.name(), shard.shard(), directory, channels, segmentLimit, shard.endingOffset()));
        }
        return new LocalStream(directory, channels, segmentLimit, metadata, shards);
    }

    /** Shard directories newer than the metadata are left over from a resharding that did not finish. */
    private static void removeUnknownShards(Path directory, StreamMetadata metadata) throws IOException {
        int maxShard = metadata.maxShard();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!Files.isDirectory(entry) || !name.startsWith("shardId-")) {
                    continue;
                }
                int shard;
                try {
                    shard = ShardIds.parse(name);
                } catch (RuntimeException e) {
                    continue;
                }
                if (shard > maxShard) {
                    log.warn("Removing {}: stream '{}' has no such shard (a resharding did not finish)",
                            entry, metadata.name());
                    deleteRecursively(entry);
                }
            }
        }
    }

    String name() {
        return metadata.name();
    }

    Path directory() {
        return directory;
    }

    StreamMetadata metadata() {
        return metadata;
    }

    ShardLayout layout() {
        return layout;
    }

    ShardLog shard(int shard) {
        ShardLog log = shards.get(shard);
        if (log == null) {
            throw StreamLimits.shardNotFound(name(), shard);
        }
        return log;
    }

    /** Every shard, open and closed, in shard order. */
    List<ShardLog> shards() {
        return shards.values().stream().sorted(Comparator.comparingInt(ShardLog::shard)).toList();
    }

    boolean isDeleted() {
        return deleted;
    }

    void recordAppended(int records, long bytes) {
        appendedRecords.add(records);
        appendedBytes.add(bytes);
    }

    long appendedRecords() {
        return appendedRecords.sum();
    }

    long appendedBytes() {
        return appendedBytes.sum();
    }

    /**
     * Reshards uniformly through splits and merges (see {@link ReshardPlan}). Runs on the committer
     * thread, after every earlier append is written (and forced, unless the policy is NEVER): creates
     * the new shards, then replaces {@code stream.json} with the shards it closes ended at their next
     * offsets; nothing changes in memory unless that succeeded.
     */
    void reshard(int shardCount, Instant now) throws IOException {
        StreamMetadata current = metadata;
        ReshardPlan plan = ReshardPlan.of(current.openShards(), HashKeyRange.uniform(shardCount), current.maxShard() + 1, now);
        List<ShardDescription> updated = new ArrayList<>();
        for (ShardDescription shard : current.shards()) {
            updated.add(plan.closed().contains(shard.shard()) ? shard.closedAt(shards.get(shard.shard()).nextOffset(), now) : shard);
        }
        updated.addAll(plan.created());
        Map<Integer, ShardLog> created = new LinkedHashMap<>();
        try {
            for (ShardDescription shard : plan.created()) {
                created.put(shard.shard(), ShardLog.create(name(), shard.shard(), directory, channels, segmentLimit));
            }
            for (ShardLog shard : created.values()) {
                AtomicWrite.syncDirectory(shard.directory());
            }
            AtomicWrite.syncDirectory(directory);
            current.withShards(updated).write(directory);
        } catch (IOException | RuntimeException e) {
            for (ShardLog shard : created.values()) {
                shard.closeChannels();
                deleteRecursively(shard.directory());
            }
            throw e;
        }
        Map<Integer, ShardLog> all = new LinkedHashMap<>(shards);
        all.putAll(created);
        // The parents, and the temporary shards of splits and merges, which end where they start.
        for (ShardDescription shard : updated) {
            boolean closes = plan.closed().contains(shard.shard()) || (created.containsKey(shard.shard()) && !shard.isOpen());
            if (closes) {
                all.get(shard.shard()).close().seal();
            }
        }
        install(current.withShards(updated), all);
    }

    /**
     * Replaces the stream's settings (retention, tags) in {@code stream.json}; runs on the committer
     * thread, as resharding does, so the two never write the file at once.
     */
    void update(java.util.function.UnaryOperator<StreamMetadata> change) throws IOException {
        StreamMetadata updated = change.apply(metadata);
        if (!updated.shards().equals(metadata.shards())) {
            throw new IllegalArgumentException("shards change only by resharding");
        }
        updated.write(directory);
        metadata = updated;
    }

    private void install(StreamMetadata newMetadata, Map<Integer, ShardLog> newShards) {
        List<ShardDescription> open = newMetadata.openShards();
        List<ShardLog> openLogs = open.stream().map(shard -> newShards.get(shard.shard())).toList();
        this.shards = Map.copyOf(newShards);
        this.metadata = newMetadata;
        this.layout = new ShardLayout(open, openLogs);
    }

    /** Stops all use of the files; runs on the committer thread so no write is under way. */
    void markDeleted() {
        deleted = true;
        for (ShardLog shard : shards.values()) {
            shard.discard();
        }
    }

    void closeChannels() {
        for (ShardLog shard : shards.values()) {
            shard.closeChannels();
        }
    }

    /**
     * Renames the directory out of the way, so that a crash while deleting its files never
     * leaves half a stream behind, and returns where it went.
     */
    Path moveToTrash(Path root) throws IOException {
        Path trash = root.resolve(STAGING_PREFIX + "deleted-" + name() + "-" + System.nanoTime());
        Files.move(directory, trash, StandardCopyOption.ATOMIC_MOVE);
        AtomicWrite.syncDirectory(root);
        return trash;
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path entry : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(entry);
            }
        }
    }
}
