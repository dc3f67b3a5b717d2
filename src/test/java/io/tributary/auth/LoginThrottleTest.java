package io.tributary.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.TestingClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final TestingClock clock = new TestingClock();
    private final LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Config(3, 5, Duration.ofMinutes(1)), clock);

    @Test
    void blocksANameAfterItsLimitUntilTheOldestFailureLeavesTheWindow() {
        throttle.failed("alice", "10.0.0.1");
        clock.advance(Duration.ofSeconds(10));
        throttle.failed("alice", "10.0.0.1");
        clock.advance(Duration.ofSeconds(10));
        assertThat(throttle.retryAfter("alice", "10.0.0.1")).isEmpty();
        throttle.failed("alice", "10.0.0.1");
        // Three failures at 0 s, 10 s and 20 s: free again when the first is a minute old, at 60 s.
        assertThat(throttle.retryAfter("alice", "10.0.0.2")).contains(Duration.ofSeconds(40));
        assertThat(throttle.retryAfter("bob", "10.0.0.2")).isEmpty();
        clock.advance(Duration.ofSeconds(40));
        assertThat(throttle.retryAfter("alice", "10.0.0.1")).isEmpty();
    }

    @Test
    void blocksAnAddressAfterItsHigherLimit() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("user" + i, "10.0.0.9");
        }
        assertThat(throttle.retryAfter("someone-else", "10.0.0.9")).contains(Duration.ofMinutes(1));
        assertThat(throttle.retryAfter("someone-else", "10.0.0.8")).isEmpty();
        clock.advance(Duration.ofMinutes(1).plusMillis(1));
        assertThat(throttle.retryAfter("someone-else", "10.0.0.9")).isEqualTo(Optional.empty());
    }

    @Test
    void floodsOfDistinctNamesDoNotGrowWithoutBound() {
        for (int i = 0; i < 150_000; i++) {
            throttle.failed("name" + i, "10.0.0." + (i % 200));
        }
        // Old entries were dropped instead of exhausting memory; recent ones still count.
        assertThat(throttle.trackedKeys()).isLessThanOrEqualTo(100_000);
        assertThat(throttle.retryAfter("name149999", "10.1.1.1")).isEmpty();
        throttle.failed("name149999", "10.1.1.1");
        throttle.failed("name149999", "10.1.1.1");
        assertThat(throttle.retryAfter("name149999", "10.1.1.1")).isPresent();
    }
}
