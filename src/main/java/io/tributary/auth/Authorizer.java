package io.tributary.auth;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;

/**
 * The single place that decides whether a principal may do something. Every API (Kinesis,
 * REST, SQL, search, UI) asks it before acting.
 *
 * <p>Thread-safe.
 */
public final class Authorizer {
    public boolean allows(Principal principal, Permission permission) {
        return principal.roles().contains(Roles.ALL_ACCESS);
    }

    /** @throws TributaryException {@code ACCESS_DENIED} naming the principal, action and resource */
    public void check(Principal principal, Permission permission) {
        if (!allows(principal, permission)) {
            throw new TributaryException(ErrorCode.ACCESS_DENIED, String.format(
                    "%s is not allowed to %s %s '%s'; ask an administrator for a role that grants it",
                    principal.name(), permission.action().name().toLowerCase(java.util.Locale.ROOT),
                    permission.resourceType(), permission.resource()));
        }
    }
}
