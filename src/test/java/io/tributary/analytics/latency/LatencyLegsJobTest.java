package io.tributary.analytics.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.analytics.DirectoryInput;
import io.tributary.analytics.DirectoryOutput;
import io.tributary.analytics.JobRunner;
import io.tributary.analytics.ProgressListener;
import io.tributary.analytics.RunRecord;
import io.tributary.common.Json;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on the real archived telemetry, checked against DuckDB: the raw timestamp strings are
 * loaded into a table and DuckDB parses them, computes every leg and every statistic. None of the
 * job's code computes the expected values.
 */
class LatencyLegsJobTest {
    static final Path SAMPLE = Path.of("samples/cna-telemetry/immutable");
    static final String[] AWS_HOPS = {"cna_timestamp", "RG_1_API_Gateway_timestamp", "RG_1_SQS_Forwarder_timestamp",
            "RG_GOV_IMS_API_Gateway_timestamp", "RG_GOV_IMS_Converter_timestamp", "RG_GOV_IMS_Archiver_timestamp"};
    /** Leg → (from, to) per provider, written out again here rather than taken from the job. */
    static final Map<String, Map<String, String[]>> LEGS = Map.of(
            "AWS", Map.of("Leg 1", new String[] {AWS_HOPS[0], AWS_HOPS[1]}, "Leg 2", new String[] {AWS_HOPS[1], AWS_HOPS[2]},
                    "Leg 3", new String[] {AWS_HOPS[2], AWS_HOPS[3]}, "Leg 4", new String[] {AWS_HOPS[3], AWS_HOPS[4]},
                    "Leg 5", new String[] {AWS_HOPS[4], AWS_HOPS[5]}),
            "IBM", Map.of("Leg 1", new String[] {AWS_HOPS[0], AWS_HOPS[3]}, "Leg 4", new String[] {AWS_HOPS[3], AWS_HOPS[4]},
                    "Leg 5", new String[] {AWS_HOPS[4], AWS_HOPS[5]}));
    static final double TOLERANCE = 1e-6;

    @TempDir
    static Path out;

    static RunRecord run;
    static Connection duck;

    @BeforeAll
    static void runJobAndLoadDuckDb() throws Exception {
        run = new JobRunner(Clock.systemUTC(), Map.of()).run(new LatencyLegsJob(), new DirectoryInput(SAMPLE), new DirectoryOutput(out),
                Map.of(), ProgressListener.NONE, r -> {});
        duck = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = duck.createStatement()) {
            s.execute("SET threads = 1");
            s.execute("CREATE TABLE hops (csp VARCHAR, file VARCHAR, hop VARCHAR, ts VARCHAR)");
        }
        try (PreparedStatement insert = duck.prepareStatement("INSERT INTO hops VALUES (?, ?, ?, ?)");
                Stream<Path> files = Files.list(SAMPLE)) {
            for (Path file : files.toList()) {
                JsonNode record = Json.mapper().readTree(file.toFile());
                String csp = file.getFileName().toString().startsWith("aws-") ? "AWS" : "IBM";
                var fields = record.path("timestamps").fields();
                while (fields.hasNext()) {
                    var f = fields.next();
                    insert.setString(1, csp);
                    insert.setString(2, file.getFileName().toString());
                    insert.setString(3, f.getKey());
                    insert.setString(4, f.getValue().asText());
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
        try (Statement s = duck.createStatement()) {
            s.execute("CREATE TABLE legs (csp VARCHAR, file VARCHAR, leg VARCHAR, ms DOUBLE)");
            for (var provider : LEGS.entrySet()) {
                for (var leg : provider.getValue().entrySet()) {
                    s.execute("INSERT INTO legs SELECT a.csp, a.file, '" + leg.getKey() + "', "
                            + "(epoch_us(CAST(b.ts AS TIMESTAMPTZ)) - epoch_us(CAST(a.ts AS TIMESTAMPTZ))) / 1000.0 "
                            + "FROM hops a JOIN hops b ON a.file = b.file WHERE a.csp = '" + provider.getKey() + "' "
                            + "AND a.hop = '" + leg.getValue()[0] + "' AND b.hop = '" + leg.getValue()[1] + "'");
                }
            }
        }
    }

    @AfterAll
    static void close() throws Exception {
        duck.close();
    }

    /** Parses the seed's multi-index statistics layout: (provider, leg, statistic) → value. */
    static Map<String, Double> readTable(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        String[] legs = lines.get(0).split(",", -1);
        String[] statistics = lines.get(1).split(",", -1);
        assertThat(lines.get(2)).startsWith("CSP,").matches("CSP,*");
        Map<String, Double> values = new HashMap<>();
        for (String row : lines.subList(3, lines.size())) {
            String[] cells = row.split(",", -1);
            for (int i = 1; i < cells.length; i++) {
                if (!cells[i].isEmpty()) {
                    values.put(cells[0] + "/" + legs[i] + "/" + statistics[i], Double.parseDouble(cells[i]));
                }
            }
        }
        return values;
    }

    double duck(String sql) throws Exception {
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    @Test
    void succeedsAndReadsEveryRecord() {
        assertThat(run.status()).isEqualTo(RunRecord.Status.SUCCEEDED);
        assertThat(run.counters()).containsEntry("objects", 2000L).containsEntry("records", 2000L)
                .containsEntry("objects.AWS", 1000L).containsEntry("objects.IBM", 1000L);
        assertThat(run.outputs()).containsExactlyInAnyOrder(LatencyLegsJob.OBSERVATIONS, LatencyLegsJob.STATISTICS,
                LatencyLegsJob.PERCENTILES, LatencyLegsJob.PLOT_DATA, LatencyLegsJob.PLOT);
    }

    @Test
    void statisticsMatchDuckDb() throws Exception {
        Map<String, Double> stats = readTable(out.resolve(LatencyLegsJob.STATISTICS));
        Map<String, Double> percentiles = readTable(out.resolve(LatencyLegsJob.PERCENTILES));
        int checked = 0;
        for (var provider : LEGS.entrySet()) {
            for (String leg : provider.getValue().keySet()) {
                String where = " FROM legs WHERE csp = '" + provider.getKey() + "' AND leg = '" + leg + "'";
                String key = provider.getKey() + "/" + leg + "/";
                assertThat(stats.get(key + "mean")).as(key + "mean").isCloseTo(duck("SELECT avg(ms)" + where), within(TOLERANCE));
                assertThat(stats.get(key + "median")).as(key + "median").isCloseTo(duck("SELECT quantile_cont(ms, 0.5)" + where), within(TOLERANCE));
                assertThat(stats.get(key + "std")).as(key + "std").isCloseTo(duck("SELECT stddev_samp(ms)" + where), within(TOLERANCE));
                assertThat(stats.get(key + "min")).as(key + "min").isCloseTo(duck("SELECT min(ms)" + where), within(TOLERANCE));
                assertThat(stats.get(key + "max")).as(key + "max").isCloseTo(duck("SELECT max(ms)" + where), within(TOLERANCE));
                assertThat(percentiles.get(key + "count")).isEqualTo(duck("SELECT count(*)" + where));
                for (String p : List.of("90", "95", "99")) {
                    assertThat(percentiles.get(key + "p" + p)).as(key + "p" + p)
                            .isCloseTo(duck("SELECT quantile_cont(ms, 0." + p + ")" + where), within(TOLERANCE));
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(8);
        assertThat(stats).as("IBM has no legs 2 and 3").doesNotContainKeys("IBM/Leg 2/mean", "IBM/Leg 3/mean");
    }

    @Test
    void observationsAreOneRowPerRecordWithEmptyCellsWhereALegDoesNotApply() throws Exception {
        List<String> lines = Files.readAllLines(out.resolve(LatencyLegsJob.OBSERVATIONS));
        assertThat(lines.get(0)).isEqualTo("CSP,Leg 1,Leg 2,Leg 3,Leg 4,Leg 5");
        assertThat(lines).hasSize(2001);
        Map<String, List<Double>> byLeg = new HashMap<>();
        String[] header = lines.get(0).split(",");
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            assertThat(cells).hasSize(6);
            if (cells[0].equals("IBM")) {
                assertThat(cells[2]).isEmpty();
                assertThat(cells[3]).isEmpty();
            }
            for (int i = 1; i < cells.length; i++) {
                if (!cells[i].isEmpty()) {
                    byLeg.computeIfAbsent(cells[0] + "/" + header[i], k -> new ArrayList<>()).add(Double.parseDouble(cells[i]));
                }
            }
        }
        for (var provider : LEGS.entrySet()) {
            for (String leg : provider.getValue().keySet()) {
                List<Double> expected = new ArrayList<>();
                try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT ms FROM legs WHERE csp = '" + provider.getKey() + "' AND leg = '" + leg + "' ORDER BY ms")) {
                    while (rs.next()) {
                        expected.add(rs.getDouble(1));
                    }
                }
                List<Double> actual = byLeg.get(provider.getKey() + "/" + leg).stream().sorted().toList();
                assertThat(actual).hasSameSizeAs(expected);
                for (int i = 0; i < actual.size(); i++) {
                    assertThat(actual.get(i)).isCloseTo(expected.get(i), within(1e-9));
                }
            }
        }
    }

    @Test
    void boxPlotDataMatchesDuckDbAndThePictureIsAFacetedPng() throws Exception {
        JsonNode plot = Json.mapper().readTree(out.resolve(LatencyLegsJob.PLOT_DATA).toFile());
        for (var provider : LEGS.entrySet()) {
            for (String leg : provider.getValue().keySet()) {
                JsonNode box = plot.path("legs").path(leg).path(provider.getKey());
                String where = " FROM legs WHERE csp = '" + provider.getKey() + "' AND leg = '" + leg + "'";
                double q1 = duck("SELECT quantile_cont(ms, 0.25)" + where);
                double q3 = duck("SELECT quantile_cont(ms, 0.75)" + where);
                double lowFence = q1 - 1.5 * (q3 - q1);
                double highFence = q3 + 1.5 * (q3 - q1);
                String inside = where + " AND ms >= " + lowFence + " AND ms <= " + highFence;
                assertThat(box.path("q1").asDouble()).isCloseTo(q1, within(TOLERANCE));
                assertThat(box.path("median").asDouble()).isCloseTo(duck("SELECT median(ms)" + where), within(TOLERANCE));
                assertThat(box.path("q3").asDouble()).isCloseTo(q3, within(TOLERANCE));
                assertThat(box.path("whiskerLow").asDouble()).isCloseTo(duck("SELECT min(ms)" + inside), within(TOLERANCE));
                assertThat(box.path("whiskerHigh").asDouble()).isCloseTo(duck("SELECT max(ms)" + inside), within(TOLERANCE));
                assertThat(box.path("outliers").asLong()).isEqualTo((long) duck("SELECT count(*)" + where + " AND (ms < " + lowFence
                        + " OR ms > " + highFence + ")"));
                assertThat(box.path("n").asLong()).isEqualTo(1000);
            }
        }
        BufferedImage image = ImageIO.read(out.resolve(LatencyLegsJob.PLOT).toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isGreaterThan(1000);
        assertThat(image.getHeight()).isGreaterThan(image.getWidth());
    }

    @Test
    void sketchModeKeepsExactMomentsAndEstimatesQuantiles() throws Exception {
        Path sketchOut = out.resolve("sketch");
        RunRecord sketch = new JobRunner(Clock.systemUTC(), Map.of()).run(new LatencyLegsJob(), new DirectoryInput(SAMPLE),
                new DirectoryOutput(sketchOut), Map.of("statistics", "sketch"), ProgressListener.NONE, r -> {});
        assertThat(sketch.status()).isEqualTo(RunRecord.Status.SUCCEEDED);
        Map<String, Double> stats = readTable(sketchOut.resolve(LatencyLegsJob.STATISTICS));
        String where = " FROM legs WHERE csp = 'AWS' AND leg = 'Leg 4'";
        assertThat(stats.get("AWS/Leg 4/mean")).isCloseTo(duck("SELECT avg(ms)" + where), within(TOLERANCE));
        assertThat(stats.get("AWS/Leg 4/std")).isCloseTo(duck("SELECT stddev_samp(ms)" + where), within(1e-6));
        double median = duck("SELECT median(ms)" + where);
        assertThat(stats.get("AWS/Leg 4/median")).isCloseTo(median, within(median * 0.02));
    }
}
