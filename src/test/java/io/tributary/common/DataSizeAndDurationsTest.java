package io.tributary.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DataSizeAndDurationsTest {
    @Test
    void parsesBinaryDataSizes() {
        assertThat(DataSize.parse("512").bytes()).isEqualTo(512);
        assertThat(DataSize.parse("64KB").bytes()).isEqualTo(64 * 1024);
        assertThat(DataSize.parse("256MB").bytes()).isEqualTo(256L * 1024 * 1024);
        assertThat(DataSize.parse("1 GiB").bytes()).isEqualTo(1L << 30);
        assertThat(DataSize.parse("1.5mb").bytes()).isEqualTo(3L * 512 * 1024);
        assertThat(DataSize.parse("0").bytes()).isZero();
        assertThat(DataSize.ofMegabytes(128).toString()).isEqualTo("128MB");
        assertThat(DataSize.ofBytes(1000).toString()).isEqualTo("1000B");
    }

    @Test
    void rejectsMalformedDataSizesNamingTheForm() {
        for (String bad : new String[] {"", "MB", "-1MB", "12XB", "1e9", "99999999999999TB"}) {
            assertThatThrownBy(() -> DataSize.parse(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> DataSize.parse("ten")).hasMessageContaining("256MB");
    }

    @Test
    void parsesAndFormatsDurations() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.format(Duration.ofHours(48))).isEqualTo("2d");
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        for (String bad : new String[] {"", "5", "1.5h", "5 minutes", "-3s"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).hasMessageContaining("duration");
        }
    }
}
