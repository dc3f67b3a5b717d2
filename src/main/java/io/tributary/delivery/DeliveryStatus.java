package io.tributary.delivery;

import static java.util.Objects.requireNonNull;

import io.tributary.lake.Location;
import java.time.Instant;
import java.util.Optional;

/**
 * A delivery stream's state, for describe: its spec, what it holds, what it delivered since start.
 *
 * @param sourceStream the stream it reads (for direct puts, its internal buffer stream)
 * @param lagMillis age of the oldest record not yet delivered, 0 when caught up
 */
public record DeliveryStatus(DeliveryStreamSpec spec, String sourceStream, Instant created, long bufferedRecords, long bufferedBytes,
        long lagMillis, long recordsDelivered, long objectsWritten, long errorRecords, Optional<Location> lastObject,
        Optional<Instant> lastDelivery, Optional<String> lastError) {
    public DeliveryStatus {
        requireNonNull(spec, "spec is null");
        requireNonNull(sourceStream, "sourceStream is null");
        requireNonNull(created, "created is null");
        requireNonNull(lastObject, "lastObject is null");
        requireNonNull(lastDelivery, "lastDelivery is null");
        requireNonNull(lastError, "lastError is null");
    }
}
