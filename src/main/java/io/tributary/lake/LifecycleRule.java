package io.tributary.lake;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** Expire objects under a key prefix once they are older than {@code expireAfter}. */
public record LifecycleRule(String prefix, Duration expireAfter) {
    public LifecycleRule {
        requireNonNull(prefix, "prefix is null");
        requireNonNull(expireAfter, "expireAfter is null");
        if (expireAfter.isNegative() || expireAfter.isZero()) {
            throw new IllegalArgumentException("a lifecycle rule's expire-after must be positive");
        }
    }
}
