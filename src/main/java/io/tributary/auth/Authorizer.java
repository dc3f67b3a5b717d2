package io.tributary.auth;

import static java.util.Objects.requireNonNull;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;

/**
 * The single place that decides whether a principal may do something. Every API (Kinesis,
 * REST, SQL, search, UI) asks it before acting.
 *
 * <p>A principal holding {@code all_access} may do everything. Otherwise each of its roles is
 * looked up in the {@link RoleDirectory} and the permission is allowed when one of them grants it:
 * a cluster permission for {@code cluster} resources, or a grant whose resource type matches and
 * one of whose patterns matches the resource's name ({@code index_permissions} with
 * {@code retail*} allow {@code (READ, index, retail-2026.11.25)} when they include {@code read}).
 *
 * <p>Thread-safe.
 */
public final class Authorizer {
    private final RoleDirectory roles;

    /** An authorizer knowing only the built-in roles, for tests and tools without a metadata store. */
    public Authorizer() {
        this(RoleDirectory.BUILT_IN);
    }

    public Authorizer(RoleDirectory roles) {
        this.roles = requireNonNull(roles, "roles is null");
    }

    public boolean allows(Principal principal, Permission permission) {
        if (principal.roles().contains(Roles.ALL_ACCESS)) {
            return true;
        }
        for (String name : principal.roles()) {
            if (roles.role(name).map(r -> r.allows(permission)).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    /** @throws TributaryException {@code ACCESS_DENIED} naming the principal, action and resource */
    public void check(Principal principal, Permission permission) {
        if (!allows(principal, permission)) {
            throw denied(principal, permission);
        }
    }

    public static TributaryException denied(Principal principal, Permission permission) {
        return new TributaryException(ErrorCode.ACCESS_DENIED, String.format(
                "%s%s is not allowed to %s %s '%s'; ask an administrator for a role that grants it",
                principal.name(), principal.accessKeyId().map(k -> " (access key " + k + ")").orElse(""),
                permission.action().name().toLowerCase(java.util.Locale.ROOT), permission.resourceType(), permission.resource()));
    }
}
