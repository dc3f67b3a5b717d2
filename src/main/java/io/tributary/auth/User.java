package io.tributary.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Set;

/** A user account. The password hash never leaves the store. */
public record User(String name, Set<String> roles, Instant created) {
    public User {
        requireNonNull(name, "name is null");
        roles = Set.copyOf(roles);
        requireNonNull(created, "created is null");
    }
}
