package io.tributary.auth;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Looks roles up by name for the {@link Authorizer}; implementations are thread-safe. */
@FunctionalInterface
public interface RoleDirectory {
    Optional<Role> role(String name);

    /** Read-only access to everything, as OpenSearch security's {@code readall}. */
    Role READ_ALL = new Role("readall", "Read every index and stream", Set.of("cluster_monitor"), List.of(
            new ResourceGrant("index", List.of("*"), Set.of("read")),
            new ResourceGrant("stream", List.of("*"), Set.of("read"))));

    /** Only the built-in roles ({@code all_access} is decided by the authorizer itself, {@code readall}). */
    RoleDirectory BUILT_IN = name -> name.equals(READ_ALL.name()) ? Optional.of(READ_ALL) : Optional.empty();
}
