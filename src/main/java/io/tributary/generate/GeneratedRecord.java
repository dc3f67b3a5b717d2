package io.tributary.generate;

import static java.util.Objects.requireNonNull;

/** A record ready to send: its partition key and data. */
public record GeneratedRecord(String partitionKey, byte[] data) {
    public GeneratedRecord {
        requireNonNull(partitionKey, "partitionKey is null");
        requireNonNull(data, "data is null");
    }
}
