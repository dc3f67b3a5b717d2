package io.tributary.stream;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.util.Optional;

/**
 * A record as a producer hands it to a stream: a partition key that picks the shard (unless an
 * explicit hash key overrides it) and opaque data. Limits are Kinesis's and are checked by
 * {@link StreamLimits#validate}; this record only rejects nulls.
 *
 * @param data the payload; the array is owned by the record after construction and must not be
 *     changed by the caller
 */
public record AppendRecord(String partitionKey, Optional<BigInteger> explicitHashKey, byte[] data) {
    public AppendRecord {
        requireNonNull(partitionKey, "partitionKey is null");
        requireNonNull(explicitHashKey, "explicitHashKey is null");
        requireNonNull(data, "data is null");
    }

    public AppendRecord(String partitionKey, byte[] data) {
        this(partitionKey, Optional.empty(), data);
    }
}
