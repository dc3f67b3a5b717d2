package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.apache.lucene.index.LeafReaderContext;

/**
 * What a hit shows after its {@code _index} and {@code _id}, as the request asks: a search's hits
 * and a {@code top_hits} aggregation's take the same options and write them in the same order.
 *
 * @param source how the caller filters {@code _source} (a search also weighs {@code stored_fields})
 */
record HitContent(boolean version, boolean seqNo, SourceFilter source, HitFields fields) {
    /** {@code version}, {@code seq_no_primary_term}, {@code fields} and {@code docvalue_fields} of a request. */
    static HitContent parse(JsonNode request, SourceFilter source) {
        return new HitContent(request.path("version").asBoolean(false), request.path("seq_no_primary_term").asBoolean(false), source,
                HitFields.parse(request));
    }

    /**
     * Writes {@code _version}, {@code _seq_no} and {@code _primary_term}, {@code _score} (null for
     * NaN: not scored), the ignored fields, {@code _source} and {@code fields}.
     */
    void write(ObjectNode hit, StoredDocument doc, float score, IndexMapping mapping, LeafReaderContext leaf, int inLeaf) throws IOException {
        if (version) {
            hit.put("_version", doc.version());
        }
        if (seqNo) {
            hit.put("_seq_no", doc.seqNo()).put("_primary_term", 1);
        }
        if (Float.isNaN(score)) {
            hit.putNull("_score");
        } else {
            hit.put("_score", score);
        }
        doc.writeIgnored(hit);
        source.apply(doc.source()).ifPresent(s -> hit.set("_source", s));
        if (!fields.isEmpty()) {
            fields.write(hit, mapping, leaf, inLeaf, doc.source());
        }
    }
}
