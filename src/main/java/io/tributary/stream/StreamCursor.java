package io.tributary.stream;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads all shards of a stream for one named consumer, as downstream components (lake delivery,
 * search sinks) do: from the consumer's checkpoints (or the trim horizon), round-robin over shards,
 * and across resharding, a child shard only once its parents are read to their end, so records of
 * one partition key stay in order.
 *
 * <p>{@link #poll} advances the cursor in memory; {@link #commit} makes a position durable. A
 * consumer that must not lose or repeat records commits only what it has made durable downstream,
 * and after a crash starts again from the committed positions.
 *
 * <p>A stream deleted and created again under the same name is another stream whose offsets start
 * over: when the cursor sees a different creation time it drops its positions and reads the new
 * stream from its beginning ({@link #streamCreated} tells owners which stream the positions belong
 * to). While the stream does not exist, {@link #poll} throws {@code NOT_FOUND}.
 *
 * <p>Not thread-safe: one thread owns a cursor.
 */
public final class StreamCursor {
    private static final Logger LOG = LoggerFactory.getLogger(StreamCursor.class);

    private final StreamLog log;
    private final String stream;
    private final String consumer;
    private final Map<Integer, Long> positions = new HashMap<>();
    private StreamDescription description;
    private int nextShard;

    public StreamCursor(StreamLog log, String stream, String consumer) {
        this.log = requireNonNull(log, "log is null");
        this.stream = StreamLimits.validateStreamName(stream);
        this.consumer = StreamLimits.validateConsumerName(consumer);
        this.description = log.describeStream(stream);
        positions.putAll(log.checkpoints().committed(consumer, stream));
    }

    public String stream() {
        return stream;
    }

    public String consumer() {
        return consumer;
    }

    /** When the stream that {@link #positions} refer to was created (its incarnation). */
    public Instant streamCreated() {
        return description.created();
    }

    /**
     * Returns up to {@code maxRecords} records (and about {@code maxBytes}) from the shards that are
     * ready, starting with the shard after the one read last time; empty when caught up.
     */
    public List<StoredRecord> poll(int maxRecords, int maxBytes) {
        refresh();
        List<StoredRecord> out = new ArrayList<>();
        List<ShardDescription> shards = description.shards();
        int bytes = 0;
        for (int i = 0; i < shards.size() && out.size() < maxRecords && bytes < maxBytes; i++) {
            ShardDescription shard = shards.get((nextShard + i) % shards.size());
            if (!ready(shard)) {
                continue;
            }
            long from = position(shard);
            ReadResult result = log.read(stream, shard.shard(), from, maxRecords - out.size(), maxBytes - bytes);
            for (StoredRecord r : result.records()) {
                out.add(r);
                bytes += r.data().length;
            }
            positions.put(shard.shard(), result.nextOffset());
        }
        nextShard = (nextShard + 1) % Math.max(1, shards.size());
        return out;
    }

    /** The next offset to read, per shard, after everything polled so far. */
    public Map<Integer, Long> positions() {
        return Map.copyOf(positions);
    }

    /** Moves the cursor back (or forward) to the given next-offsets, as after a restart. */
    public void seek(Map<Integer, Long> nextOffsets) {
        positions.putAll(nextOffsets);
    }

    /** Durably records next-offsets for this consumer (see {@link ConsumerCheckpoints#commit}). */
    public void commit(Map<Integer, Long> nextOffsets) {
        if (!nextOffsets.isEmpty()) {
            log.checkpoints().commit(consumer, stream, nextOffsets);
        }
    }

    /**
     * How far behind the consumer is: the arrival time of the oldest record not yet polled, or
     * empty when caught up.
     */
    public OptionalLong oldestUnreadArrivalMillis() {
        long oldest = Long.MAX_VALUE;
        for (ShardDescription shard : description.shards()) {
            if (!ready(shard)) {
                continue;
            }
            ReadResult next = log.read(stream, shard.shard(), position(shard), 1, 1);
            if (!next.records().isEmpty()) {
                oldest = Math.min(oldest, next.records().get(0).arrivalTimeMillis());
            }
        }
        return oldest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(oldest);
    }

    private long position(ShardDescription shard) {
        Long position = positions.get(shard.shard());
        if (position == null) {
            position = log.resolve(stream, shard.shard(), StartPosition.trimHorizon());
            positions.put(shard.shard(), position);
        }
        return position;
    }

    /**
     * A shard is ready when it still has records for us and every older closed shard whose hash
     * range overlaps it is fully read. That covers the named parents, their ancestors, and streams
     * resharded by earlier Tributary versions (one step from any count to any other), whose parent
     * fields could not name every shard a child inherits keys from.
     */
    private boolean ready(ShardDescription shard) {
        if (shard.endingOffset().isPresent() && position(shard) >= shard.endingOffset().getAsLong()) {
            return false;
        }
        for (ShardDescription older : description.shards()) {
            if (older.shard() < shard.shard() && older.endingOffset().isPresent() && overlaps(older, shard)
                    && position(older) < older.endingOffset().getAsLong()) {
                return false;
            }
        }
        return true;
    }

    private static boolean overlaps(ShardDescription a, ShardDescription b) {
        HashKeyRange x = a.hashKeyRange();
        HashKeyRange y = b.hashKeyRange();
        return x.startingHashKey().compareTo(y.endingHashKey()) <= 0 && y.startingHashKey().compareTo(x.endingHashKey()) <= 0;
    }

    /** Picks up a resharding, or a new stream of the same name (whose offsets start over). */
    private void refresh() {
        StreamDescription current = log.describeStream(stream);
        if (!current.created().equals(description.created())) {
            LOG.info("Stream '{}' was deleted and created again (created {}); consumer '{}' reads the new stream from its beginning",
                    stream, current.created(), consumer);
            positions.clear();
            positions.putAll(log.checkpoints().committed(consumer, stream));
            description = current;
            nextShard = 0;
            return;
        }
        if (current.shards().size() != description.shards().size()
                || current.openShards().size() != description.openShards().size()) {
            description = current;
        }
    }
}
