package io.tributary.search;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * One operation of a bulk request, or the error that made a line of it unreadable (which is then
 * reported as that item's failure while the other items go ahead).
 *
 * @param index the target index or alias (the request's default when the action line names none)
 * @param id the document id; empty to let the index generate one (index operations only)
 * @param body for index and create the document; for update the update request
 *     ({@code doc}, {@code doc_as_upsert}, {@code upsert}); empty for delete
 * @param error set when the line could not be read; the item is then not executed
 * @param line the 1-based line of the action in the request, for error messages
 * @param options concurrency conditions ({@code if_seq_no}, external {@code version}) and {@code require_alias}
 */
public record BulkItem(OpType opType, String index, Optional<String> id, Optional<ObjectNode> body, Optional<SearchException> error, int line,
        WriteOptions options) {
    public BulkItem {
        requireNonNull(opType, "opType is null");
        requireNonNull(index, "index is null");
        requireNonNull(id, "id is null");
        requireNonNull(body, "body is null");
        requireNonNull(error, "error is null");
        requireNonNull(options, "options is null");
    }

    public BulkItem(OpType opType, String index, Optional<String> id, Optional<ObjectNode> body, Optional<SearchException> error, int line) {
        this(opType, index, id, body, error, line, WriteOptions.DEFAULT);
    }

    public static BulkItem index(String index, Optional<String> id, ObjectNode document) {
        return new BulkItem(OpType.INDEX, index, id, Optional.of(document), Optional.empty(), 0);
    }

    public static BulkItem failed(OpType opType, String index, Optional<String> id, SearchException error, int line) {
        return new BulkItem(opType, index, id, Optional.empty(), Optional.of(error), line);
    }

    public enum OpType {
        INDEX,
        CREATE,
        UPDATE,
        DELETE;

        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
