package io.tributary.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleExpressionTest {
    private static Instant next(String expression, String after) {
        return ScheduleExpression.parse(expression).next(Instant.parse(after)).orElseThrow();
    }

    @Test
    void ratesFireOnWholeMultiplesOfTheirPeriod() {
        assertThat(next("rate(5 minutes)", "2026-11-25T10:07:31Z")).isEqualTo("2026-11-25T10:10:00Z");
        assertThat(next("rate(5 minutes)", "2026-11-25T10:10:00Z")).isEqualTo("2026-11-25T10:15:00Z");
        assertThat(next("rate(1 hour)", "2026-11-25T10:07:31Z")).isEqualTo("2026-11-25T11:00:00Z");
        assertThat(next("rate(1 day)", "2026-11-25T10:07:31Z")).isEqualTo("2026-11-26T00:00:00Z");
    }

    @Test
    void eventBridgeCronExpressions() {
        assertThat(next("cron(5 * * * ? *)", "2026-11-25T10:07:00Z")).isEqualTo("2026-11-25T11:05:00Z");
        assertThat(next("cron(5 * * * ? *)", "2026-11-25T10:04:59Z")).isEqualTo("2026-11-25T10:05:00Z");
        // Friday 27 November 2026 afternoon: the next weekday noon is Monday the 30th.
        assertThat(next("cron(0 12 ? * MON-FRI *)", "2026-11-27T13:00:00Z")).isEqualTo("2026-11-30T12:00:00Z");
        assertThat(next("cron(0 0 L * ? *)", "2026-02-10T00:00:00Z")).isEqualTo("2026-02-28T00:00:00Z");
        assertThat(next("cron(0/15 * * * ? *)", "2026-11-25T10:16:00Z")).isEqualTo("2026-11-25T10:30:00Z");
        assertThat(next("cron(30 8 1 JAN,JUL ? *)", "2026-11-25T00:00:00Z")).isEqualTo("2027-01-01T08:30:00Z");
        assertThat(next("cron(0 0 ? * 1 *)", "2026-11-25T00:00:00Z")).as("1 is Sunday in EventBridge").isEqualTo("2026-11-29T00:00:00Z");
        assertThat(ScheduleExpression.parse("cron(0 0 1 1 ? 2020)").next(Instant.parse("2026-01-01T00:00:00Z"))).isEmpty();
    }

    @Test
    void plainFiveFieldCron() {
        assertThat(next("*/15 * * * *", "2026-11-25T10:16:00Z")).isEqualTo("2026-11-25T10:30:00Z");
        // Classic cron counts Monday as 1: Wednesday 25 November → Monday 30 November.
        assertThat(next("0 9 * * 1", "2026-11-25T10:00:00Z")).isEqualTo("2026-11-30T09:00:00Z");
        assertThat(next("0 9 * * 0", "2026-11-25T10:00:00Z")).as("0 is Sunday").isEqualTo("2026-11-29T09:00:00Z");
        assertThat(next("5 * * * *", "2026-11-25T10:07:00Z")).isEqualTo("2026-11-25T11:05:00Z");
    }

    @Test
    void invalidExpressionsAreNamedWithTheReason() {
        for (String bad : List.of("hello", "rate(0 minutes)", "rate(5 minute)", "rate(1 minutes)", "rate(5 weeks)",
                "cron(5 * * * * *)", "cron(61 * * * ? *)", "cron(0 0 ? * 8 *)", "cron(0 0 ? * MON#2 *)", "cron(5 * * *)",
                "* * * *", "0 25 * * *", "0 0 31-1 * *")) {
            assertThatThrownBy(() -> ScheduleExpression.parse(bad)).as(bad).hasMessageContaining(bad.length() > 3 ? bad.substring(0, 4) : bad)
                    .hasMessageContaining("invalid");
        }
    }
}
