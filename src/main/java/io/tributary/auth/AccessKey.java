package io.tributary.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * An API access key (id and secret, as AWS's), owned by a user whose permissions it carries.
 *
 * @param source where the key was declared: {@code api} (created through the API or CLI),
 *     {@code config} (tributary.yaml) or {@code environment} (TRIBUTARY_ACCESS_KEY_ID)
 */
public record AccessKey(String id, String owner, String description, String source, Instant created, Optional<Instant> revoked) {
    public AccessKey {
        requireNonNull(id, "id is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(description, "description is null");
        requireNonNull(source, "source is null");
        requireNonNull(created, "created is null");
        requireNonNull(revoked, "revoked is null");
    }

    public boolean active() {
        return revoked.isEmpty();
    }

    /** A key with its secret, returned exactly once when the key is created. */
    public record WithSecret(AccessKey key, String secret) {
        public WithSecret {
            requireNonNull(key, "key is null");
            requireNonNull(secret, "secret is null");
        }
    }
}
