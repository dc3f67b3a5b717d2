package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import java.io.IOException;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;

/**
 * A document read back: id, source, version, sequence number, and the fields whose values were
 * left out as malformed ({@code _ignored}).
 */
record StoredDocument(String id, ObjectNode source, byte[] sourceBytes, long version, long seqNo, java.util.List<String> ignored) {
    private static final Set<String> FIELDS = Set.of(DocumentParser.ID, DocumentParser.SOURCE, DocumentParser.IGNORED);

    static StoredDocument read(LeafReader reader, int doc) throws IOException {
        Document stored = reader.storedFields().document(doc, FIELDS);
        var ref = stored.getBinaryValue(DocumentParser.SOURCE);
        byte[] exact = java.util.Arrays.copyOfRange(ref.bytes, ref.offset, ref.offset + ref.length);
        ObjectNode source = (ObjectNode) Json.mapper().readTree(exact);
        return new StoredDocument(stored.get(DocumentParser.ID), source, exact, numeric(reader, DocumentParser.VERSION, doc),
                numeric(reader, DocumentParser.SEQ_NO, doc), java.util.List.of(stored.getValues(DocumentParser.IGNORED)));
    }

    /** Adds {@code _ignored} to a hit or a GET answer when a value was left out. */
    void writeIgnored(ObjectNode out) {
        if (!ignored.isEmpty()) {
            com.fasterxml.jackson.databind.node.ArrayNode list = out.putArray(DocumentParser.IGNORED);
            ignored.forEach(list::add);
        }
    }

    private static long numeric(LeafReader reader, String field, int doc) throws IOException {
        NumericDocValues values = reader.getNumericDocValues(field);
        return values != null && values.advanceExact(doc) ? values.longValue() : 1;
    }
}
