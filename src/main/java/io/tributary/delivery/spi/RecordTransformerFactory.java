package io.tributary.delivery.spi;

import java.util.Map;

/**
 * Creates transforms of one type from a processor declaration
 * ({@code processors: [{type: hop-stamp, field: ...}]}). Factories are found with
 * {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/io.tributary.delivery.spi.RecordTransformerFactory} of a jar on the
 * server's class path.
 */
public interface RecordTransformerFactory {
    /** The processor type this factory serves, such as {@code hop-stamp}. */
    String type();

    /**
     * @throws IllegalArgumentException (or a {@code TributaryException}) naming a missing or invalid parameter
     */
    RecordTransformer create(Map<String, String> parameters);
}
