package io.tributary.auth;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;

/**
 * Who is making a request: a user (by password or session), an access key acting for its owner,
 * or, when authentication is turned off, the anonymous operator.
 *
 * @param name the user name; for an access key, its owner
 * @param accessKeyId the key that signed the request, if any
 * @param roles the roles in effect for this request
 */
public record Principal(String name, Kind kind, Optional<String> accessKeyId, Set<String> roles) {
    public Principal {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(accessKeyId, "accessKeyId is null");
        roles = Set.copyOf(roles);
    }

    /** The principal of every request when the server runs with {@code --no-auth}. */
    public static Principal anonymous() {
        return new Principal("anonymous", Kind.ANONYMOUS, Optional.empty(), Set.of(Roles.ALL_ACCESS));
    }

    public enum Kind {
        USER,
        ACCESS_KEY,
        ANONYMOUS,
    }
}
