package io.tributary.delivery;

import static java.util.Objects.requireNonNull;

import io.tributary.common.TributaryException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A record transform in a delivery stream's chain, as Firehose's processors: the {@code type} names
 * a {@link io.tributary.delivery.spi.RecordTransformerFactory} (built in: {@code hop-stamp}), the
 * parameters are its own.
 */
public record ProcessorSpec(String type, Map<String, String> parameters) {
    public ProcessorSpec {
        requireNonNull(type, "type is null");
        if (!type.matches("[A-Za-z0-9_.-]{1,128}")) {
            throw TributaryException.invalidArgument("processor type '%s' is invalid: use letters, digits, '_', '.' and '-'", type);
        }
        parameters = java.util.Collections.unmodifiableMap(new TreeMap<>(parameters));
    }
}
