package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.search.FieldType;
import io.tributary.search.SearchException;
import io.tributary.search.lucene.IndexMapping.Field;
import java.util.Locale;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.Query;

/**
 * OpenSearch's fuzziness — a fixed number of edits (at most 2) or {@code AUTO[:low,high]} by the
 * term's length — with the fuzzy query's other options. The query is Lucene's {@link FuzzyQuery},
 * which keeps the {@code maxExpansions} best terms and blends their frequencies, as OpenSearch's does.
 *
 * @param fixed the edits for every term, or -1 for AUTO
 */
record Fuzzy(int fixed, int low, int high, int prefixLength, int maxExpansions, boolean transpositions) {
    /** Reads {@code fuzziness} and the options named by {@code transpositionsKey}, {@code prefix_length} and {@code max_expansions}. */
    static Fuzzy parse(JsonNode fuzziness, JsonNode p, String transpositionsKey) {
        int prefix = p.path("prefix_length").asInt(0);
        int expansions = p.path("max_expansions").asInt(50);
        if (prefix < 0) {
            throw SearchException.illegalArgument("[prefix_length] must be a non-negative number, got %d", prefix);
        }
        if (expansions <= 0) {
            throw SearchException.illegalArgument("[max_expansions] must be greater than 0, got %d", expansions);
        }
        boolean transpositions = p.path(transpositionsKey).asBoolean(true);
        String text = fuzziness.asText().trim();
        String upper = text.toUpperCase(Locale.ROOT);
        if (upper.equals("AUTO")) {
            return new Fuzzy(-1, 3, 6, prefix, expansions, transpositions);
        }
        if (upper.startsWith("AUTO:")) {
            String[] bounds = text.substring(5).split(",");
            try {
                int low = Integer.parseInt(bounds[0].trim());
                int high = Integer.parseInt(bounds[1].trim());
                if (bounds.length == 2 && low >= 0 && high >= low) {
                    return new Fuzzy(-1, low, high, prefix, expansions, transpositions);
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                // reported below
            }
            throw SearchException.parsing("failed to find low and high distance values in fuzziness [%s]; write AUTO:3,6", DateFormat.truncate(text));
        }
        try {
            float edits = Float.parseFloat(text);
            if (edits >= 0 && !Float.isNaN(edits)) {
                return new Fuzzy(Math.min(2, (int) edits), 0, 0, prefix, expansions, transpositions);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw SearchException.parsing("fuzziness [%s] is not valid; use AUTO, AUTO:low,high, 0, 1 or 2", DateFormat.truncate(text));
    }

    /** The edits allowed for one (analyzed) term. */
    int edits(String term) {
        if (fixed >= 0) {
            return fixed;
        }
        int length = term.codePointCount(0, term.length());
        return length < low ? 0 : length < high ? 1 : 2;
    }

    /** The fuzzy query for one term of a text or keyword field. */
    Query query(Field f, String term) {
        if (f.type() != FieldType.TEXT && f.type() != FieldType.KEYWORD) {
            throw SearchException.queryShard("failed to create query: Can only use fuzzy queries on keyword and text fields - not on [%s] which is of "
                    + "type [%s]", f.path(), f.type().jsonName());
        }
        if (!f.indexed()) {
            throw SearchException.queryShard("failed to create query: Cannot search on field [%s] since it is not indexed (a fuzzy query needs its terms).",
                    f.path());
        }
        return new FuzzyQuery(new Term(f.path(), term), edits(term), prefixLength, maxExpansions, transpositions);
    }
}
