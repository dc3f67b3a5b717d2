package io.tributary.auth;

import static java.util.Objects.requireNonNull;

/**
 * An action on a resource, as the authorizer checks it: {@code (WRITE, stream, retail-trans)}.
 *
 * @param resourceType the kind of resource: {@code stream}, {@code delivery-stream}, {@code table},
 *     {@code index}, {@code cluster}, ...
 * @param resource its name; {@code *} for the whole kind
 */
public record Permission(Action action, String resourceType, String resource) {
    public Permission {
        requireNonNull(action, "action is null");
        requireNonNull(resourceType, "resourceType is null");
        requireNonNull(resource, "resource is null");
    }

    public static Permission of(Action action, String resourceType, String resource) {
        return new Permission(action, resourceType, resource);
    }

    public enum Action {
        /** Read records, rows, documents or descriptions. */
        READ,
        /** Append or change data. */
        WRITE,
        /** Create the resource (an index, also implicitly on its first write), without the right to change or delete it. */
        CREATE,
        /** Create, change or delete the resource itself. */
        MANAGE,
    }
}
