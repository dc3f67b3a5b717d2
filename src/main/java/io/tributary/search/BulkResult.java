package io.tributary.search;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The outcome of one bulk item, as OpenSearch reports it per item.
 *
 * @param result {@code created}, {@code updated}, {@code deleted}, {@code not_found} or {@code noop}; empty on failure
 * @param status the HTTP status of this item (201 created, 200, 404, 400, 409, ...)
 * @param source for an update, the document as it is after it (OpenSearch's {@code get} of an update asking {@code _source})
 */
public record BulkResult(BulkItem.OpType opType, String index, String id, int status, Optional<String> result, long version,
        long seqNo, Optional<SearchException> error, Optional<ObjectNode> source) {
    public BulkResult {
        requireNonNull(opType, "opType is null");
        requireNonNull(index, "index is null");
        requireNonNull(id, "id is null");
        requireNonNull(result, "result is null");
        requireNonNull(error, "error is null");
        requireNonNull(source, "source is null");
    }

    public BulkResult(BulkItem.OpType opType, String index, String id, int status, Optional<String> result, long version, long seqNo,
            Optional<SearchException> error) {
        this(opType, index, id, status, result, version, seqNo, error, Optional.empty());
    }

    public static BulkResult failure(BulkItem.OpType opType, String index, String id, SearchException error) {
        return new BulkResult(opType, index, id, error.status(), Optional.empty(), -1, -1, Optional.of(error));
    }

    public boolean failed() {
        return error.isPresent();
    }
}
