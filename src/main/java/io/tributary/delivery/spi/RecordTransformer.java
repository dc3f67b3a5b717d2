package io.tributary.delivery.spi;

import java.util.List;

/**
 * A record transform, Tributary's counterpart of Firehose's Lambda data transformation: it receives
 * a batch and returns one result per record, in the same order.
 *
 * <p>Delivery is exactly once because a batch interrupted by a crash is transformed again from the
 * same source records; a transform must therefore give the same outcome (Ok, Dropped or
 * ProcessingFailed) and the same partition keys for the same input. The data it returns may
 * differ (a timestamp, for example).
 *
 * <p>Implementations must be thread-safe: one instance may serve several delivery threads. A
 * runtime exception fails every record of the batch as {@code processing-failed}.
 */
public interface RecordTransformer {
    List<TransformResult> transform(List<TransformInput> batch);
}
