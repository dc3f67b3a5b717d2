package io.tributary.content;

import static java.util.Objects.requireNonNull;

/** A saved object shared with a user at a level. */
public record Share(String user, ShareLevel level) {
    public Share {
        requireNonNull(user, "user is null");
        requireNonNull(level, "level is null");
    }
}
