package io.tributary.stream;

import java.util.List;
import java.util.Map;

/**
 * Durable read positions of named consumers (lake delivery, search sinks, ...), so each resumes
 * where it stopped. A checkpoint is the offset of the next record to read in a shard.
 *
 * <p>Implementations are thread-safe. {@link #commit} is atomic across the shards it names and
 * durable when it returns: after a crash, {@link #committed} returns either all of a commit or
 * none of it.
 */
public interface ConsumerCheckpoints {
    /** Checkpoints of a consumer on a stream, by shard; empty when it never committed. */
    Map<Integer, Long> committed(String consumer, String stream);

    /**
     * Stores next-offsets for some shards of a stream, keeping the consumer's other shards as they
     * were.
     *
     * @throws io.tributary.common.TributaryException {@code NOT_FOUND} if the stream does not exist
     */
    void commit(String consumer, String stream, Map<Integer, Long> nextOffsets);

    /** The consumers that hold checkpoints on a stream. */
    List<String> consumers(String stream);

    /** Forgets a consumer's checkpoints on a stream; does nothing if there are none. */
    void delete(String consumer, String stream);
}
