package io.tributary.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A web login. The token itself is never stored; {@code id} is its SHA-256, which is enough to
 * find and end the session but not to use it.
 *
 * @param id hex SHA-256 of the cookie's token
 * @param csrfToken the value state-changing requests made with the cookie must send in {@code X-CSRF-Token}
 */
public record Session(String id, String user, String csrfToken, Instant created, Instant lastSeen) {
    public Session {
        requireNonNull(id, "id is null");
        requireNonNull(user, "user is null");
        requireNonNull(csrfToken, "csrfToken is null");
        requireNonNull(created, "created is null");
        requireNonNull(lastSeen, "lastSeen is null");
    }

    /** A new session and the token for the cookie; the token exists only in this value and in the browser. */
    public record Started(String token, Session session) {
        public Started {
            requireNonNull(token, "token is null");
            requireNonNull(session, "session is null");
        }
    }
}
