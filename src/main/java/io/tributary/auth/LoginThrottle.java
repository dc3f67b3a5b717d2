package io.tributary.auth;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Limits password guessing: after too many failed logins within a window, further attempts for
 * that user name, or from that client address, are refused until the oldest failure leaves the
 * window. Successful logins are not counted. The address limit is higher than the name limit, so
 * one attacker guessing one account does not lock out colleagues behind the same address.
 *
 * <p>Thread-safe (synchronised; the work per call is tiny and logins are rare).
 */
public final class LoginThrottle {
    /** Tracked keys are capped so a flood of distinct names cannot exhaust memory. */
    private static final int MAX_KEYS = 100_000;

    /**
     * @param failuresPerUser failed attempts for one name allowed within the window
     * @param failuresPerAddress failed attempts from one client address allowed within the window
     */
    public record Config(int failuresPerUser, int failuresPerAddress, Duration window) {
        public static final Config DEFAULT = new Config(5, 30, Duration.ofMinutes(1));

        public Config {
            requireNonNull(window, "window is null");
            if (failuresPerUser < 1 || failuresPerAddress < 1 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("login limits and window must be positive");
            }
        }
    }

    private final Config config;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new HashMap<>();

    public LoginThrottle(Config config, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** How long the caller must wait before trying again, or empty if it may try now. */
    public synchronized Optional<Duration> retryAfter(String user, String address) {
        Instant now = clock.instant();
        Optional<Duration> byUser = wait("user:" + user, config.failuresPerUser(), now);
        Optional<Duration> byAddress = wait("addr:" + address, config.failuresPerAddress(), now);
        if (byUser.isPresent() && byAddress.isPresent()) {
            return Optional.of(byUser.get().compareTo(byAddress.get()) >= 0 ? byUser.get() : byAddress.get());
        }
        return byUser.isPresent() ? byUser : byAddress;
    }

    public synchronized void failed(String user, String address) {
        Instant now = clock.instant();
        if (failures.size() >= MAX_KEYS) {
            prune(now);
            if (failures.size() >= MAX_KEYS) {
                failures.clear();
            }
        }
        failures.computeIfAbsent("user:" + user, k -> new ArrayDeque<>()).addLast(now);
        failures.computeIfAbsent("addr:" + address, k -> new ArrayDeque<>()).addLast(now);
    }

    /** How many names and addresses are tracked; bounded by {@value #MAX_KEYS}. */
    synchronized int trackedKeys() {
        return failures.size();
    }

    private Optional<Duration> wait(String key, int limit, Instant now) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return Optional.empty();
        }
        Instant cutoff = now.minus(config.window());
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.removeFirst();
        }
        if (times.isEmpty()) {
            failures.remove(key);
            return Optional.empty();
        }
        if (times.size() < limit) {
            return Optional.empty();
        }
        // Blocked until enough failures age out to bring the count under the limit.
        Instant freeAt = times.stream().skip(times.size() - limit).findFirst().orElseThrow().plus(config.window());
        return Optional.of(Duration.between(now, freeAt));
    }

    private void prune(Instant now) {
        Instant cutoff = now.minus(config.window());
        for (Iterator<Map.Entry<String, Deque<Instant>>> it = failures.entrySet().iterator(); it.hasNext();) {
            Deque<Instant> times = it.next().getValue();
            while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
                times.removeFirst();
            }
            if (times.isEmpty()) {
                it.remove();
            }
        }
    }
}
