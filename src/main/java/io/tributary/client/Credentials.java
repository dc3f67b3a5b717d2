package io.tributary.client;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/** An access key id and secret, as AWS's. */
public record Credentials(String accessKeyId, String secret) {
    public static final String ACCESS_KEY_ID_ENV = "TRIBUTARY_ACCESS_KEY_ID";
    public static final String SECRET_ACCESS_KEY_ENV = "TRIBUTARY_SECRET_ACCESS_KEY";

    public Credentials {
        requireNonNull(accessKeyId, "accessKeyId is null");
        requireNonNull(secret, "secret is null");
    }

    /** Credentials from TRIBUTARY_ACCESS_KEY_ID and TRIBUTARY_SECRET_ACCESS_KEY, if both are set. */
    public static Optional<Credentials> fromEnvironment(Map<String, String> env) {
        String id = env.get(ACCESS_KEY_ID_ENV);
        String secret = env.get(SECRET_ACCESS_KEY_ENV);
        if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new Credentials(id.trim(), secret.trim()));
    }

    @Override
    public String toString() {
        return "Credentials[accessKeyId=" + accessKeyId + "]";
    }
}
