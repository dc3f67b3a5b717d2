package io.tributary.search;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The outcome of one bulk item, as OpenSearch reports it per item.
 *
 * @param result {@code created}, {@code updated}, {@code deleted}, {@code not_found} or {@code noop}; empty on failure
 * @param status the HTTP status of this item (201 created, 200, 404, 400, 409, ...)
 */
public record BulkResult(BulkItem.OpType opType, String index, String id, int status, Optional<String> result, long version,
        long seqNo, Optional<SearchException> error) {
    public BulkResult {
        requireNonNull(opType, "opType is null");
        requireNonNull(index, "index is null");
        requireNonNull(id, "id is null");
        requireNonNull(result, "result is null");
        requireNonNull(error, "error is null");
    }

    public static BulkResult failure(BulkItem.OpType opType, String index, String id, SearchException error) {
        return new BulkResult(opType, index, id, error.status(), Optional.empty(), -1, -1, Optional.of(error));
    }

    public boolean failed() {
        return error.isPresent();
    }
}
