package io.tributary.stream;

import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Named, sharded, durable streams with Kinesis Data Streams semantics. The embedded
 * implementation keeps segment files on local disk; a Kafka implementation maps streams to topics
 * and shards to partitions.
 *
 * <p>Ordering: within a shard, records are read back in the order their appends were
 * acknowledged, with strictly increasing offsets. There is no order across shards.
 *
 * <p>Durability: an append's future completes only once the records are as durable as the
 * configured policy promises ({@code stream.fsync}); readers never see a record before that, and
 * never see a corrupt record.
 *
 * <p>Errors are {@link io.tributary.common.TributaryException}s: {@code NOT_FOUND} for a missing
 * stream or shard, {@code ALREADY_EXISTS}, {@code INVALID_ARGUMENT}, {@code THROTTLED} when
 * in-flight appends pass the configured bound, {@code STORAGE_FAILURE} when the disk fails.
 *
 * <p>Implementations are thread-safe.
 */
public interface StreamLog extends Closeable {
    /**
     * Creates a stream whose hash key space is split uniformly over {@code shardCount} shards. A
     * stream created again under the name of a deleted one gets a later creation time (at least one
     * millisecond), which is how readers holding positions tell the two apart.
     *
     * @throws io.tributary.common.TributaryException {@code ALREADY_EXISTS} if a stream has that name
     */
    default StreamDescription createStream(String name, int shardCount) {
        return createStream(name, shardCount, Map.of());
    }

    /**
     * Creates a stream with tags (see {@link #updateTags}).
     *
     * @throws io.tributary.common.TributaryException {@code ALREADY_EXISTS} if a stream has that name
     */
    StreamDescription createStream(String name, int shardCount, Map<String, String> tags);

    /**
     * Adds tags (replacing the values of keys it has) and removes tags by key, durably, at once.
     * Limits on keys and values are the caller's (they differ by API); the log keeps what it is given.
     */
    StreamDescription updateTags(String name, Map<String, String> added, Set<String> removed);

    /**
     * Sets how long the stream keeps its records, instead of {@code stream.retention}; takes effect at
     * the next retention check (a shortened retention deletes whole expired segments then).
     */
    StreamDescription updateRetention(String name, Duration retention);

    /** Deletes a stream with its records and consumer checkpoints. */
    void deleteStream(String name);

    /** Stream names in lexicographic order. */
    List<String> listStreams();

    Optional<StreamDescription> findStream(String name);

    default StreamDescription describeStream(String name) {
        return findStream(name).orElseThrow(() -> StreamLimits.streamNotFound(name));
    }

    /**
     * Reshards uniformly, as Kinesis's {@code UpdateShardCount}: afterwards {@code targetShardCount}
     * open shards cover the key space in equal ranges. It works as Kinesis does, through splits and
     * merges: each new shard names one parent whose range holds its own or two adjacent parents
     * whose ranges are its own, every closed shard has children, and temporary shards made on the
     * way are closed and empty. Readers finish a shard's parents before reading it. Any ratio is
     * accepted here; the Kinesis API adds Kinesis's per-call limit.
     */
    StreamDescription updateShardCount(String name, int targetShardCount);

    /**
     * Appends records, each routed to the open shard that owns its hash key. Records are validated
     * first (see {@link StreamLimits#validate}); if any is invalid nothing is appended.
     *
     * @return a future completing with one result per record, in the order given, once the batch
     *     is durable per the fsync policy; it completes exceptionally if the write fails. It may
     *     complete on a thread of the log that serves every append: keep work attached to it short
     *     or use the {@code *Async} variants
     * @throws io.tributary.common.TributaryException {@code THROTTLED} synchronously when the
     *     bytes in flight would pass the configured bound
     */
    CompletableFuture<List<AppendResult>> append(String stream, List<AppendRecord> records);

    /**
     * Resolves a start position to the offset of the first record to read. An offset older than
     * retention resolves to the oldest retained record, as Kinesis's trim horizon.
     */
    long resolve(String stream, int shard, StartPosition position);

    /**
     * Reads up to {@code maxRecords} records and about {@code maxBytes} of data (at least one
     * record if any is available) starting at {@code fromOffset}. Reading at the tip returns no
     * records and the same offset.
     */
    ReadResult read(String stream, int shard, long fromOffset, int maxRecords, int maxBytes);

    /** Current figures for every shard of a stream, open and closed. */
    List<ShardStats> stats(String stream);

    ConsumerCheckpoints checkpoints();
}
