package io.tributary.search;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A document a stream sink writes: its id, the document, and the document's JSON bytes (the
 * {@code _source} stored as is, so the sink serialises each record once).
 *
 * @param mayExist whether a document with this id may already be in the index, so the write must
 *     replace it; {@code false} lets the index append without looking for it, which is several
 *     times faster (OpenSearch's append-only path for generated ids)
 */
public record SinkDocument(String id, ObjectNode source, byte[] sourceBytes, boolean mayExist) {
    public SinkDocument {
        requireNonNull(id, "id is null");
        requireNonNull(source, "source is null");
        requireNonNull(sourceBytes, "sourceBytes is null");
    }

    public SinkDocument(String id, ObjectNode source, byte[] sourceBytes) {
        this(id, source, sourceBytes, true);
    }
}
