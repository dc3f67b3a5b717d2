package io.tributary.stream.local;

import static java.util.Objects.requireNonNull;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.stream.AppendRecord;
import io.tributary.stream.AppendResult;
import io.tributary.stream.ConsumerCheckpoints;
import io.tributary.stream.ReadResult;
import io.tributary.stream.ShardStats;
import io.tributary.stream.StartPosition;
import io.tributary.stream.StreamDescription;
import io.tributary.stream.StreamLimits;
import io.tributary.stream.StreamLog;
import io.tributary.stream.StreamLogConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded stream log: Kinesis Data Streams semantics on local disk.
 *
 * <p>Each stream is a directory under {@link StreamLogConfig#directory()} holding
 * {@code stream.json}, a directory of segment files per shard and the consumers' checkpoint
 * files. Appends go through one committer thread that groups concurrent batches and shares an
 * fsync among them (see {@link GroupCommitter}); reads go straight to the files without locks.
 * On start-up every shard's last segment, and any segment without a valid sidecar, is checked
 * record by record and truncated at the first damaged byte.
 *
 * <p>Thread-safe. Append futures complete on the committer thread: keep work attached to them
 * short or use the {@code *Async} variants. Only one instance may use a directory at a time; a
 * lock file enforces that across processes.
 */
public final class LocalStreamLog implements StreamLog {
    private static final Logger log = LoggerFactory.getLogger(LocalStreamLog.class);
    private static final String LOCK_FILE = LocalStream.STAGING_PREFIX + "lock";
    private static final long RETENTION_CHECK_SECONDS = 30;
    /** Positions in a segment are ints in the sparse index. */
    private static final long MAX_SEGMENT_BYTES = Integer.MAX_VALUE - (long) RecordCodec.MAX_RECORD_SIZE;

    /** Appends since this log was opened. */
    public record AppendCounters(long records, long bytes) {}

    private final StreamLogConfig config;
    private final Clock clock;
    private final LogFileChannels channels;
    private final long segmentLimit;
    private final ConcurrentHashMap<String, LocalStream> streams = new ConcurrentHashMap<>();
    /** Creation times of deleted streams, so a stream created again under a name is told apart; guarded by catalogLock. */
    private final Map<String, Instant> deletedCreated = new HashMap<>();
    private final Object catalogLock = new Object();
    private final FileCheckpoints checkpoints;
    private final GroupCommitter committer;
    private final ScheduledExecutorService retention;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private volatile boolean closed;

    public LocalStreamLog(StreamLogConfig config, Clock clock) {
        this(config, clock, LogFileChannels.DEFAULT);
    }

    LocalStreamLog(StreamLogConfig config, Clock clock, LogFileChannels channels) {
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.channels = requireNonNull(channels, "channels is null");
        this.segmentLimit = Math.min(config.segmentSize().bytes(), MAX_SEGMENT_BYTES);
        Path root = config.directory();
        try {
            Files.createDirectories(root);
            lockChannel = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw storageFailure("open the stream directory " + root + " (check that it is writable)", e);
        }
        try {
            lock = lockChannel.tryLock();
            if (lock == null) {
                throw new OverlappingFileLockException();
            }
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly(lockChannel);
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "stream directory " + root
                    + " is in use by another Tributary process; stop it or configure a different data directory", e);
        }
        try {
            openStreams(root);
        } catch (IOException | RuntimeException e) {
            streams.values().forEach(LocalStream::closeChannels);
            closeQuietly(lockChannel);
            throw e instanceof TributaryException tributary ? tributary
                    : storageFailure("open the streams in " + root, e);
        }
        this.checkpoints = new FileCheckpoints(this::stream);
        this.committer = new GroupCommitter(config.fsync(), config.fsyncInterval(), config.maxInFlight(), clock,
                "tributary-stream-committer");
        this.retention = Executors.newSingleThreadScheduledExecutor(
                runnable -> Thread.ofPlatform().name("tributary-stream-retention").daemon(true).unstarted(runnable));
        retention.scheduleWithFixedDelay(this::enforceRetentionQuietly,
                RETENTION_CHECK_SECONDS, RETENTION_CHECK_SECONDS, TimeUnit.SECONDS);
        log.info("Opened stream log in {} with {} streams (fsync {})", root, streams.size(), config.fsync());
    }

    private void openStreams(Path root) throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.sorted().toList()) {
                String name = entry.getFileName().toString();
                if (!Files.isDirectory(entry)) {
                    continue;
                }
                if (name.startsWith(LocalStream.STAGING_PREFIX)) {
                    log.info("Removing {}, left over from a stream creation or deletion that did not finish", entry);
                    LocalStream.deleteRecursively(entry);
                    continue;
                }
                if (!Files.exists(entry.resolve(StreamMetadata.FILE_NAME))) {
                    log.warn("Ignoring directory {}: it has no {} and so is not a stream", entry, StreamMetadata.FILE_NAME);
                    continue;
                }
                LocalStream stream = LocalStream.open(entry, channels, segmentLimit);
                if (!stream.name().equals(name)) {
                    stream.closeChannels();
                    throw new IOException("directory " + entry + " holds stream '" + stream.name()
                            + "'; rename the directory to the stream's name");
                }
                streams.put(name, stream);
            }
        }
    }

    @Override
    public StreamDescription createStream(String name, int shardCount, Map<String, String> tags) {
        requireNonNull(tags, "tags is null");
        StreamLimits.validateStreamName(name);
        StreamLimits.validateShardCount(shardCount);
        synchronized (catalogLock) {
            checkOpen();
            if (streams.containsKey(name)) {
                throw new TributaryException(ErrorCode.ALREADY_EXISTS,
                        "stream '%s' already exists; pick another name or delete it first".formatted(name));
            }
            // Readers tell a stream created again from the deleted one by its creation time (in milliseconds, as
            // shard iterators and delivery journals keep it): never the same as the earlier stream's.
            Instant created = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            Instant earlier = deletedCreated.get(name);
            if (earlier != null && !created.isAfter(earlier)) {
                created = earlier.plusMillis(1);
            }
            LocalStream stream;
            try {
                stream = LocalStream.create(
                        config.directory(), name, shardCount, created, tags, channels, segmentLimit);
            } catch (IOException e) {
                throw storageFailure("create stream '" + name + "'", e);
            }
            streams.put(name, stream);
            log.info("Created stream '{}' with {} shards", name, shardCount);
            return stream.metadata().describe(config.retention());
        }
    }

    @Override
    public void deleteStream(String name) {
        requireNonNull(name, "name is null");
        checkOpen();
        LocalStream stream = stream(name);
        // Not under the catalog lock: work attached to append futures runs on the committer
        // thread and may itself create a stream.
        committer.execute(() -> {
            if (stream.isDeleted()) {
                throw StreamLimits.streamNotFound(name);
            }
            stream.markDeleted();
            return null;
        });
        Path trash;
        synchronized (catalogLock) {
            synchronized (stream.checkpointLock) {
                try {
                    trash = stream.moveToTrash(config.directory());
                } catch (IOException e) {
                    throw storageFailure("delete the files of stream '" + name + "' in " + stream.directory(), e);
                }
            }
            streams.remove(name, stream);
            deletedCreated.merge(name, stream.metadata().created(), (a, b) -> a.isAfter(b) ? a : b);
        }
        try {
            LocalStream.deleteRecursively(trash);
        } catch (IOException e) {
            log.warn("Could not remove {} of deleted stream '{}'; it is removed on the next start", trash, name, e);
        }
        log.info("Deleted stream '{}'", name);
    }

    @Override
    public List<String> listStreams() {
        checkOpen();
        return streams.keySet().stream().sorted().toList();
    }

    @Override
    public Optional<StreamDescription> findStream(String name) {
        requireNonNull(name, "name is null");
        checkOpen();
        return Optional.ofNullable(streams.get(name)).map(stream -> stream.metadata().describe(config.retention()));
    }

    @Override
    public StreamDescription updateShardCount(String name, int targetShardCount) {
        StreamLimits.validateShardCount(targetShardCount);
        checkOpen();
        LocalStream stream = stream(name);
        boolean changed = committer.execute(() -> {
            if (stream.isDeleted()) {
                throw StreamLimits.streamNotFound(name);
            }
            if (stream.layout().size() == targetShardCount) {
                return false;
            }
            stream.reshard(targetShardCount, clock.instant().truncatedTo(ChronoUnit.MILLIS));
            return true;
        });
        if (changed) {
            log.info("Resharded stream '{}' to {} shards", name, targetShardCount);
        }
        return stream.metadata().describe(config.retention());
    }

    @Override
    public StreamDescription updateTags(String name, Map<String, String> added, Set<String> removed) {
        requireNonNull(added, "added is null");
        requireNonNull(removed, "removed is null");
        return updateSettings(name, metadata -> {
            Map<String, String> tags = new java.util.TreeMap<>(metadata.tags());
            tags.keySet().removeAll(removed);
            tags.putAll(added);
            return metadata.withTags(tags);
        });
    }

    @Override
    public StreamDescription updateRetention(String name, Duration retention) {
        requireNonNull(retention, "retention is null");
        if (retention.isNegative() || retention.isZero()) {
            throw TributaryException.invalidArgument("retention must be positive, got %s", retention);
        }
        StreamDescription updated = updateSettings(name, metadata -> metadata.withRetention(retention));
        log.info("Stream '{}' now keeps its records for {}", name, retention);
        return updated;
    }

    /** Changes stream.json on the committer thread, where resharding writes it too. */
    private StreamDescription updateSettings(String name, java.util.function.UnaryOperator<StreamMetadata> change) {
        checkOpen();
        LocalStream stream = stream(name);
        committer.execute(() -> {
            if (stream.isDeleted()) {
                throw StreamLimits.streamNotFound(name);
            }
            try {
                stream.update(change);
            } catch (IOException e) {
                throw storageFailure("update " + stream.directory().resolve(StreamMetadata.FILE_NAME), e);
            }
            return null;
        });
        return stream.metadata().describe(config.retention());
    }

    @Override
    public CompletableFuture<List<AppendResult>> append(String stream, List<AppendRecord> records) {
        requireNonNull(records, "records is null");
        checkOpen();
        LocalStream target = stream(stream);
        for (AppendRecord record : records) {
            StreamLimits.validate(requireNonNull(record, "record is null"));
        }
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        PendingAppend append = new PendingAppend(target, records);
        append.route(target.layout());
        committer.submit(append);
        return append.future;
    }

    @Override
    public long resolve(String stream, int shard, StartPosition position) {
        requireNonNull(position, "position is null");
        checkOpen();
        LocalStream target = stream(stream);
        return whileExists(target, () -> target.shard(shard).resolve(position));
    }

    @Override
    public ReadResult read(String stream, int shard, long fromOffset, int maxRecords, int maxBytes) {
        if (maxRecords < 1) {
            throw TributaryException.invalidArgument("maxRecords must be at least 1, got %d", maxRecords);
        }
        if (maxBytes < 1) {
            throw TributaryException.invalidArgument("maxBytes must be at least 1, got %d", maxBytes);
        }
        checkOpen();
        LocalStream target = stream(stream);
        return whileExists(target, () -> target.shard(shard).read(fromOffset, maxRecords, maxBytes, clock.millis()));
    }

    @Override
    public List<ShardStats> stats(String stream) {
        checkOpen();
        LocalStream target = stream(stream);
        return target.shards().stream().map(ShardLog::stats).toList();
    }

    @Override
    public ConsumerCheckpoints checkpoints() {
        return checkpoints;
    }

    /** Records and bytes (as stored, with headers) appended to a stream since this log was opened. */
    public AppendCounters appendCounters(String stream) {
        LocalStream target = stream(stream);
        return new AppendCounters(target.appendedRecords(), target.appendedBytes());
    }

    /** Bytes accepted by {@link #append} but not yet durable, which {@code stream.max-in-flight} bounds. */
    public long inFlightBytes() {
        return committer.inFlightBytes();
    }

    /**
     * Deletes sealed segments that passed {@code stream.retention} (by the injected clock) or
     * that push a shard past {@code stream.retention-size}. Runs every 30 seconds.
     *
     * @return the number of segments deleted
     */
    int enforceRetention() {
        long maxBytes = config.retentionSize().bytes();
        int deleted = 0;
        for (LocalStream stream : streams.values()) {
            long cutoff = clock.millis() - stream.metadata().retention().orElse(config.retention()).toMillis();
            for (ShardLog shard : stream.shards()) {
                deleted += shard.enforceRetention(cutoff, maxBytes);
            }
        }
        return deleted;
    }

    private void enforceRetentionQuietly() {
        try {
            enforceRetention();
        } catch (RuntimeException e) {
            log.warn("Retention check failed; retrying in {} seconds", RETENTION_CHECK_SECONDS, e);
        }
    }

    /**
     * Finishes every accepted append (written and, unless the policy is NEVER, forced), stops the
     * background threads and closes all files. Later calls fail.
     */
    @Override
    public void close() {
        synchronized (catalogLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        retention.shutdownNow();
        committer.close();
        try {
            retention.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        streams.values().forEach(LocalStream::closeChannels);
        try {
            lock.release();
        } catch (IOException e) {
            log.debug("Could not release the lock on {}", config.directory(), e);
        }
        closeQuietly(lockChannel);
        log.info("Closed stream log in {}", config.directory());
    }

    private LocalStream stream(String name) {
        requireNonNull(name, "stream is null");
        LocalStream stream = streams.get(name);
        if (stream == null) {
            throw StreamLimits.streamNotFound(name);
        }
        return stream;
    }

    private void checkOpen() {
        if (closed) {
            throw closedError();
        }
    }

    /** Runs a read; if it failed because the stream was deleted under it, says so. */
    private static <T> T whileExists(LocalStream stream, Supplier<T> read) {
        try {
            return read.get();
        } catch (TributaryException e) {
            if (e.code() == ErrorCode.STORAGE_FAILURE && stream.isDeleted()) {
                throw StreamLimits.streamNotFound(stream.name());
            }
            throw e;
        }
    }

    static TributaryException closedError() {
        // UNAVAILABLE answers 503 (ServiceUnavailableException), which clients retry.
        return new TributaryException(ErrorCode.UNAVAILABLE,
                "the stream log is closed (Tributary is shutting down); retry once it is running again");
    }

    static TributaryException storageFailure(String action, Throwable cause) {
        return new TributaryException(ErrorCode.STORAGE_FAILURE,
                "could not " + action + ": " + cause + "; check the disk and file permissions", cause);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("Could not close {}", channel, e);
        }
    }
}
