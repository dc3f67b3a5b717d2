package io.tributary.search;

import static java.util.Objects.requireNonNull;

/** One index as {@code _cat/indices} lists it. */
public record IndexInfo(String name, String uuid, long docs, long deletedDocs, long sizeBytes, long createdMillis) {
    public IndexInfo {
        requireNonNull(name, "name is null");
        requireNonNull(uuid, "uuid is null");
    }
}
