package io.tributary.content;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A dashboard, visual or analysis as stored.
 *
 * @param body the UI's JSON document, kept as given (serialised)
 */
public record SavedObject(String id, ContentKind kind, String name, String owner, String body, List<Share> shares,
        Instant created, Instant updated) {
    public SavedObject {
        requireNonNull(id, "id is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(body, "body is null");
        shares = List.copyOf(shares);
        requireNonNull(created, "created is null");
        requireNonNull(updated, "updated is null");
    }

    /** A saved object together with what the caller may do with it. */
    public record Visible(SavedObject object, ContentAccess access) {
        public Visible {
            requireNonNull(object, "object is null");
            requireNonNull(access, "access is null");
        }
    }
}
