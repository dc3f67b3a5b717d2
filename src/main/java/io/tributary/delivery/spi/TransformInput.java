package io.tributary.delivery.spi;

import static java.util.Objects.requireNonNull;

/**
 * One record handed to a transform, as Firehose hands records to a Lambda function.
 *
 * @param recordId unique within the delivery stream (the source sequence number, with the index
 *     of a de-aggregated sub-record)
 * @param approximateArrivalTimestamp epoch milliseconds when the source accepted the record
 * @param data the record's bytes; the transform must not change the array
 */
public record TransformInput(String recordId, long approximateArrivalTimestamp, byte[] data) {
    public TransformInput {
        requireNonNull(recordId, "recordId is null");
        requireNonNull(data, "data is null");
    }
}
