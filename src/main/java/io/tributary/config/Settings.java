package io.tributary.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.DataSize;
import io.tributary.common.Durations;
import io.tributary.common.EditDistance;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Scalar settings from {@code tributary.yaml}, flattened to dotted keys, with environment
 * variables overriding the file and command-line flags overriding both. Typed getters convert
 * values and name the key in every error.
 *
 * <p>Immutable and thread-safe.
 */
public final class Settings {
    private final Map<String, String> values;
    private final Map<String, String> sources;

    private Settings(Map<String, String> values, Map<String, String> sources) {
        this.values = Map.copyOf(values);
        this.sources = Map.copyOf(sources);
    }

    public static Settings empty() {
        return new Settings(Map.of(), Map.of());
    }

    /**
     * Builds settings from a YAML tree (sections listed in {@code structuredSections} are left to
     * their own parsers), environment variables for the known keys, and explicit overrides.
     *
     * @throws TributaryException {@code INVALID_ARGUMENT} for a key nobody reads, naming it and the nearest known key
     */
    public static Settings of(
            JsonNode yaml,
            Collection<ConfigKey> knownKeys,
            Collection<String> structuredSections,
            Map<String, String> environment,
            Map<String, String> overrides) {
        requireNonNull(yaml, "yaml is null");
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        Map<String, ConfigKey> byName = new LinkedHashMap<>();
        knownKeys.forEach(k -> byName.put(k.name(), k));

        Map<String, String> fromFile = new LinkedHashMap<>();
        if (yaml.isObject()) {
            flatten("", (ObjectNode) yaml, structuredSections, fromFile);
        } else if (!yaml.isNull() && !yaml.isMissingNode()) {
            throw TributaryException.invalidArgument("the configuration file must be a YAML mapping of sections such as server:, stream:, pipeline:");
        }
        for (Map.Entry<String, String> e : fromFile.entrySet()) {
            if (!byName.containsKey(e.getKey())) {
                throw TributaryException.invalidArgument(
                        "unknown configuration key '%s'%s; all keys are listed in docs/configuration.md",
                        e.getKey(), suggestion(e.getKey(), byName.keySet()));
            }
            values.put(e.getKey(), e.getValue());
            sources.put(e.getKey(), "configuration file");
        }
        for (ConfigKey key : knownKeys) {
            String env = environment.get(key.environmentVariable());
            if (env != null) {
                values.put(key.name(), env);
                sources.put(key.name(), "environment variable " + key.environmentVariable());
            }
        }
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!byName.containsKey(e.getKey())) {
                throw new IllegalArgumentException("override of undeclared key " + e.getKey());
            }
            values.put(e.getKey(), e.getValue());
            sources.put(e.getKey(), "command line");
        }
        for (ConfigKey key : knownKeys) {
            if (!values.containsKey(key.name()) && key.defaultValue().isPresent()) {
                values.put(key.name(), key.defaultValue().get());
                sources.put(key.name(), "default");
            }
        }
        return new Settings(values, sources);
    }

    private static void flatten(String prefix, ObjectNode node, Collection<String> structured, Map<String, String> out) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            if (structured.contains(key)) {
                continue;
            }
            if (value.isObject()) {
                flatten(key, (ObjectNode) value, structured, out);
            } else if (value.isArray()) {
                throw TributaryException.invalidArgument(
                        "configuration key '%s' takes a single value, not a list", key);
            } else if (!value.isNull()) {
                out.put(key, value.asText());
            }
        }
    }

    private static String suggestion(String key, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = EditDistance.between(key, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 4) ? " (did you mean '" + best + "'?)" : "";
    }

    public Optional<String> find(ConfigKey key) {
        return Optional.ofNullable(values.get(key.name())).filter(v -> !v.isBlank());
    }

    public String string(ConfigKey key) {
        return find(key).orElseThrow(() -> TributaryException.invalidArgument(
                "configuration key '%s' must be set (environment variable %s)", key.name(), key.environmentVariable()));
    }

    public int integer(ConfigKey key) {
        return convert(key, Integer::parseInt, "a whole number");
    }

    public boolean bool(ConfigKey key) {
        return convert(key, v -> switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("not a boolean");
        }, "true or false");
    }

    public Duration duration(ConfigKey key) {
        return convert(key, Durations::parse, "a duration such as 30s or 24h");
    }

    public DataSize dataSize(ConfigKey key) {
        return convert(key, DataSize::parse, "a data size such as 256MB");
    }

    public Path path(ConfigKey key) {
        return convert(key, Path::of, "a file system path");
    }

    public Optional<Path> optionalPath(ConfigKey key) {
        return find(key).map(v -> convertValue(key, v, Path::of, "a file system path"));
    }

    public <T> T convert(ConfigKey key, Function<String, T> parser, String expected) {
        return convertValue(key, string(key), parser, expected);
    }

    private <T> T convertValue(ConfigKey key, String value, Function<String, T> parser, String expected) {
        try {
            return parser.apply(value.trim());
        } catch (RuntimeException e) {
            throw new TributaryException(ErrorCode.INVALID_ARGUMENT, String.format(
                    "configuration key '%s' (from %s) is '%s', expected %s%s",
                    key.name(), sources.getOrDefault(key.name(), "?"), value, expected,
                    e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** Where each effective value came from, for {@code tributary server --print-config}-style diagnostics. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        values.keySet().stream().sorted().forEach(k -> lines.add(
                k + " = " + (k.contains("password") || k.contains("secret") ? "****" : values.get(k))
                        + "  (" + sources.get(k) + ")"));
        return lines;
    }
}
