package io.tributary.delivery.spi;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * What a transform made of one record, as Firehose's Lambda results: {@link Ok} (with the new data
 * and optional partition keys for {@code !{partitionKeyFromLambda:name}}), {@link Dropped} (left out
 * on purpose, counted) or {@link ProcessingFailed} (written to the error output as
 * {@code processing-failed} with the message).
 */
public sealed interface TransformResult {
    record Ok(byte[] data, Map<String, String> partitionKeys) implements TransformResult {
        public Ok {
            requireNonNull(data, "data is null");
            partitionKeys = Map.copyOf(partitionKeys);
        }

        public Ok(byte[] data) {
            this(data, Map.of());
        }
    }

    record Dropped() implements TransformResult {}

    record ProcessingFailed(String errorMessage) implements TransformResult {
        public ProcessingFailed {
            requireNonNull(errorMessage, "errorMessage is null");
        }
    }
}
