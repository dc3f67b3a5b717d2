package io.tributary.auth;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What authentication needs from an HTTP request, independent of the web framework.
 *
 * @param rawPath the path exactly as sent on the wire (still percent-encoded)
 * @param rawQuery the query string as sent, without '?', empty if none
 * @param headers header values by lower-case name
 * @param body supplies the request body; only read when a signature covers it
 * @param secure whether the request arrived over TLS
 */
public record RequestView(
        String method, String rawPath, String rawQuery, Map<String, List<String>> headers, Supplier<byte[]> body, boolean secure) {
    public RequestView {
        requireNonNull(method, "method is null");
        requireNonNull(rawPath, "rawPath is null");
        requireNonNull(rawQuery, "rawQuery is null");
        requireNonNull(body, "body is null");
        TreeMap<String, List<String>> lower = new TreeMap<>();
        headers.forEach((name, values) -> lower.merge(name.toLowerCase(Locale.ROOT), List.copyOf(values),
                (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList()));
        headers = java.util.Collections.unmodifiableMap(lower);
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
