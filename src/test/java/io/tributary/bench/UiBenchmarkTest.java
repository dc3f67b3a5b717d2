package io.tributary.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UI benchmark end to end on a small data set: it only reports once all 12 panels are drawn. Not a timed test. */
class UiBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void smallRunDrawsEveryPanelOnEveryLoad() throws Exception {
        List<String> lines = new ArrayList<>();
        UiBenchmark.Report r = new UiBenchmark(new UiBenchmark.Options(2_000, 2, dir, Path.of("/usr/bin/chromium")), lines::add).run();
        assertThat(r.panels()).isEqualTo(12);
        assertThat(r.sqlPanels() + r.searchPanels()).isEqualTo(12);
        assertThat(r.warmLoadsMs()).hasSize(1);
        assertThat(r.firstLoadMs()).isPositive();
        assertThat(r.medianMs()).isEqualTo(r.warmLoadsMs().get(0));
        assertThat(lines).anyMatch(l -> l.startsWith("load 2: ") && l.endsWith("until 12 panels drawn"));
    }

    @Test
    void badOptionsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> new UiBenchmark.Options(0, 5, dir, Path.of("/usr/bin/chromium")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("records must be positive");
        assertThatThrownBy(() -> new UiBenchmark(new UiBenchmark.Options(10, 2, dir, dir.resolve("no-chromium")), l -> {}).run())
                .hasMessageContaining("no Chromium at");
    }

    @Test
    void medianOfEvenAndOddCounts() {
        assertThat(UiBenchmark.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(UiBenchmark.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    }
}
