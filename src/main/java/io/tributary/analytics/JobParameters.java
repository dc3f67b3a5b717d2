package io.tributary.analytics;

import io.tributary.common.TributaryException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A job's parameter values after conversion and checking against its declarations. Immutable. */
public final class JobParameters {
    private final Map<String, Object> values;
    private final Map<String, String> raw;

    private JobParameters(Map<String, Object> values, Map<String, String> raw) {
        this.values = Map.copyOf(values);
        this.raw = Map.copyOf(raw);
    }

    /**
     * Checks given values against declarations: unknown names, missing required values and values of
     * the wrong type are refused with the parameter named.
     */
    public static JobParameters of(AnalyticsJob job, Map<String, String> given) {
        Map<String, JobParameter> declared = new LinkedHashMap<>();
        job.parameters().forEach(p -> declared.put(p.name(), p));
        for (String name : given.keySet()) {
            if (!declared.containsKey(name)) {
                throw TributaryException.invalidArgument("job '%s' has no parameter '%s'; its parameters are: %s", job.name(), name,
                        declared.isEmpty() ? "none" : String.join(", ", declared.keySet()));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> raw = new LinkedHashMap<>();
        for (JobParameter p : declared.values()) {
            String value = given.containsKey(p.name()) ? given.get(p.name()) : p.defaultValue().orElse(null);
            if (value == null) {
                if (p.required()) {
                    throw TributaryException.invalidArgument("job '%s' needs parameter '%s': %s", job.name(), p.name(), p.help());
                }
                continue;
            }
            values.put(p.name(), p.convert(value));
            raw.put(p.name(), value);
        }
        return new JobParameters(values, raw);
    }

    public String string(String name) {
        return (String) require(name);
    }

    public long integer(String name) {
        return (Long) require(name);
    }

    public boolean bool(String name) {
        return (Boolean) require(name);
    }

    public Duration duration(String name) {
        return (Duration) require(name);
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String name) {
        return (List<String>) require(name);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The values as given (or defaulted), for run records. */
    public Map<String, String> asText() {
        return raw;
    }

    private Object require(String name) {
        Object value = values.get(name);
        if (value == null) {
            throw new IllegalStateException("parameter '" + name + "' was not declared or has no value");
        }
        return value;
    }

    @Override
    public String toString() {
        return raw.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
