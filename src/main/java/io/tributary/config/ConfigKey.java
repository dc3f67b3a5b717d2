package io.tributary.config;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;

/**
 * A documented configuration key such as {@code stream.fsync}. Every key the product reads is
 * declared once as a constant; the declarations are the source of {@code docs/configuration.md}
 * and of the check that rejects unknown keys.
 *
 * @param defaultValue the default as it would be written in YAML, empty when the key has none
 */
public record ConfigKey(String name, Optional<String> defaultValue, String description) {
    public ConfigKey {
        requireNonNull(name, "name is null");
        requireNonNull(defaultValue, "defaultValue is null");
        requireNonNull(description, "description is null");
        if (!name.matches("[a-z]+(\\.[a-z0-9]+(-[a-z0-9]+)*)+")) {
            throw new IllegalArgumentException("config key is not <capability>.<kebab-case>: " + name);
        }
    }

    public static ConfigKey of(String name, String defaultValue, String description) {
        return new ConfigKey(name, Optional.of(defaultValue), description);
    }

    public static ConfigKey optional(String name, String description) {
        return new ConfigKey(name, Optional.empty(), description);
    }

    /** The environment variable that overrides this key: {@code stream.fsync} → {@code TRIBUTARY_STREAM_FSYNC}. */
    public String environmentVariable() {
        return "TRIBUTARY_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
