package io.tributary.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQL benchmark end to end on a small data set, so the command keeps working. Not a timed test. */
class SqlBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void smallRunMeasuresEveryPart() throws Exception {
        List<String> lines = new ArrayList<>();
        SqlBenchmark.Report r = new SqlBenchmark(new SqlBenchmark.Options(40_000, 4, 2, 1, 20, dir), lines::add).run();
        assertThat(r.mscPartitions()).isEqualTo(20);
        assertThat(r.rows()).isEqualTo(40_000);
        assertThat(r.parquetBytes()).isPositive().isLessThan(r.jsonBytes());
        // The lab's 2010 range: twelve months, each with revenue.
        assertThat(r.monthlyRevenue()).hasSize(12).allMatch(row -> row.startsWith("2010-"));
        for (double millis : new double[] {r.jsonMillis(), r.jsonRawMillis(), r.jsonRawByPartsMillis(), r.parquetMillis(), r.parquetRawMillis(),
                r.parquetRawByPartsMillis()}) {
            assertThat(millis).isPositive();
        }
        assertThat(lines).anyMatch(l -> l.startsWith("run 1: JSON ") && l.contains("by parts"));
    }
}
