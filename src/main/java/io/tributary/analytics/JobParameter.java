package io.tributary.analytics;

import static java.util.Objects.requireNonNull;

import io.tributary.common.Durations;
import io.tributary.common.TributaryException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A parameter a job declares: its name, type, default and help text. Values arrive as text (from
 * the command line, the API or a schedule) and are converted and checked here, so every job gets
 * the same clear errors.
 */
public record JobParameter(String name, Type type, Optional<String> defaultValue, boolean required, String help) {
    public JobParameter {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(defaultValue, "defaultValue is null");
        requireNonNull(help, "help is null");
        if (!name.matches("[a-z][a-z0-9-]*(\\.[a-z0-9-]+)*")) {
            throw new IllegalArgumentException("parameter names are lower-case kebab-case: " + name);
        }
    }

    public static JobParameter optional(String name, Type type, String defaultValue, String help) {
        return new JobParameter(name, type, Optional.of(defaultValue), false, help);
    }

    public static JobParameter required(String name, Type type, String help) {
        return new JobParameter(name, type, Optional.empty(), true, help);
    }

    public enum Type {
        STRING,
        INTEGER,
        BOOLEAN,
        DURATION,
        /** Comma-separated values. */
        LIST,
    }

    /** Converts a value of this parameter's type, naming the parameter when it does not fit. */
    public Object convert(String value) {
        try {
            return switch (type) {
                case STRING -> value;
                case INTEGER -> Long.parseLong(value.trim());
                case BOOLEAN -> switch (value.trim().toLowerCase(Locale.ROOT)) {
                    case "true", "yes" -> Boolean.TRUE;
                    case "false", "no" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException("not true or false");
                };
                case DURATION -> Durations.parse(value);
                case LIST -> value.isBlank() ? List.of() : List.of(value.split("\\s*,\\s*"));
            };
        } catch (RuntimeException e) {
            throw TributaryException.invalidArgument("parameter '%s' expects %s, got '%s'%s", name,
                    type.name().toLowerCase(Locale.ROOT), value, e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        }
    }
}
