package io.tributary.delivery;

import io.tributary.lake.Location;

/**
 * Told when delivery writes the first object into a partition folder (a prefix such as
 * {@code s3://tributary-lake/json-data/year=2026/month=11/day=25/hour=14/}), so a catalog can
 * register the partition without listing the lake.
 *
 * <p>Called on the delivery thread after the object is written and before the checkpoint moves
 * on, so after a crash a call may be repeated: implementations must be idempotent, quick, and
 * thread-safe (several delivery streams call it). Exceptions are logged and otherwise ignored.
 */
@FunctionalInterface
public interface PartitionListener {
    PartitionListener NONE = (deliveryStream, partition) -> {};

    void partitionAdded(String deliveryStream, Location partition);
}
