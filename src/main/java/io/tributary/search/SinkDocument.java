package io.tributary.search;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A document a stream sink writes: its id, the document, and the document's JSON bytes (the
 * {@code _source} stored as is, so the sink serialises each record once).
 */
public record SinkDocument(String id, ObjectNode source, byte[] sourceBytes) {
    public SinkDocument {
        requireNonNull(id, "id is null");
        requireNonNull(source, "source is null");
        requireNonNull(sourceBytes, "sourceBytes is null");
    }
}
