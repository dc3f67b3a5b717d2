package io.tributary.lake;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * A bucket and its rules.
 *
 * @param immutable write-once, as S3 Object Lock in compliance mode: an object can be neither
 *     overwritten nor deleted until it is older than {@code retention}; once set, it cannot be unset
 * @param retention how long objects of an immutable bucket are protected; ignored otherwise
 * @param lifecycle expiration rules; an immutable bucket's objects never expire before their retention
 */
public record BucketSpec(String name, boolean immutable, Duration retention, List<LifecycleRule> lifecycle) {
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(365);

    public BucketSpec {
        Location.validateBucket(requireNonNull(name, "name is null"));
        requireNonNull(retention, "retention is null");
        lifecycle = List.copyOf(lifecycle);
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative");
        }
    }

    public static BucketSpec mutable(String name) {
        return new BucketSpec(name, false, Duration.ZERO, List.of());
    }

    public static BucketSpec immutable(String name, Duration retention) {
        return new BucketSpec(name, true, retention, List.of());
    }
}
