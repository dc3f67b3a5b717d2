package io.tributary.analytics.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.analytics.DirectoryInput;
import io.tributary.analytics.DirectoryOutput;
import io.tributary.analytics.JobRunner;
import io.tributary.analytics.ProgressListener;
import io.tributary.analytics.RunRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken and odd input: the job finishes, counts each kind of problem and names example objects. */
class LatencyLegsBadInputTest {
    @TempDir
    Path dir;

    private static String record(String cna, String gateway, String converter, String archiver) {
        return "{\"CSP\": \"IBM\", \"data_type\": \"logs\", \"timestamps\": {\"cna_timestamp\": \"" + cna
                + "\", \"RG_GOV_IMS_API_Gateway_timestamp\": \"" + gateway + "\", \"RG_GOV_IMS_Converter_timestamp\": \"" + converter
                + "\", \"RG_GOV_IMS_Archiver_timestamp\": \"" + archiver + "\"}}";
    }

    private RunRecord run(Path input, Map<String, String> params) {
        return new JobRunner(Clock.systemUTC(), Map.of()).run(new LatencyLegsJob(), new DirectoryInput(input),
                new DirectoryOutput(dir.resolve("out")), params, ProgressListener.NONE, r -> {});
    }

    @Test
    void countsAndNamesEveryKindOfProblemAndStillFinishes() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("ibm-good.json"), record("2024-09-06T14:48:46.000000+00:00", "2024-09-06T14:48:46.070000+00:00",
                "2024-09-06T14:48:46.170000+00:00", "2024-09-06T14:48:46.260000+00:00"));
        Files.writeString(in.resolve("ibm-pretty.json"), record("2024-09-06T14:48:46.000000+00:00", "2024-09-06T14:48:46.080000+00:00",
                "2024-09-06T14:48:46.180000+00:00", "2024-09-06T14:48:46.280000+00:00").replace(", ", ",\n    "));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(record("2024-09-06T14:48:46Z", "2024-09-06T14:48:46.090Z", "2024-09-06T14:48:46.190000+00:00",
                    "2024-09-06T14:48:46.290000+00:00").getBytes(StandardCharsets.UTF_8));
        }
        Files.write(in.resolve("ibm-zipped.json.gz"), gz.toByteArray());
        Files.writeString(in.resolve("ibm-broken.json"), "{\"timestamps\": {\"cna_timestamp\": ");
        Files.writeString(in.resolve("ibm-array.json"), "[1, 2, 3]");
        Files.writeString(in.resolve("ibm-no-timestamps.json"), "{\"CSP\": \"IBM\", \"log_id\": \"x\"}");
        Files.writeString(in.resolve("ibm-bad-time.json"), record("yesterday", "2024-09-06T14:48:46.070000+00:00",
                "2024-09-06T14:48:46.170000+00:00", "2024-09-06T14:48:46.260000+00:00"));
        Files.writeString(in.resolve("ibm-backwards.json"), record("2024-09-06T14:48:46.500000+00:00", "2024-09-06T14:48:46.070000+00:00",
                "2024-09-06T14:48:46.170000+00:00", "2024-09-06T14:48:46.260000+00:00"));
        Files.writeString(in.resolve("ibm-missing-hop.json"), "{\"timestamps\": {\"cna_timestamp\": \"2024-09-06T14:48:46.000000+00:00\"}}");
        Files.writeString(in.resolve("gcp-other.json"), record("a", "b", "c", "d"));
        Files.writeString(in.resolve("ibm-notes.txt"), "not telemetry");

        RunRecord run = run(in, Map.of());
        assertThat(run.status()).isEqualTo(RunRecord.Status.SUCCEEDED);
        assertThat(run.counters()).containsEntry("objects", 9L)
                .containsEntry("problem.unparseable-json", 2L)
                .containsEntry("problem.missing-timestamps", 1L)
                .containsEntry("problem.unparseable-timestamp", 1L)
                .containsEntry("problem.negative-leg", 1L)
                .containsEntry("problem.empty-input", 1L);
        assertThat(run.counters().get("problem.missing-timestamp")).isEqualTo(3L);
        assertThat(run.problemExamples().get("unparseable-json")).anyMatch(e -> e.startsWith("ibm-broken.json"));
        assertThat(run.problemExamples().get("unparseable-timestamp")).singleElement().asString()
                .startsWith("ibm-bad-time.json").contains("yesterday");
        assertThat(run.problemExamples().get("negative-leg")).singleElement().asString().contains("ibm-backwards.json").contains("-430.0");
        assertThat(run.problemExamples().get("empty-input")).singleElement().asString().contains("aws-");

        List<String> observations = Files.readAllLines(dir.resolve("out").resolve(LatencyLegsJob.OBSERVATIONS));
        assertThat(observations).contains("IBM,70.0,,,100.0,90.0", "IBM,80.0,,,100.0,100.0", "IBM,90.0,,,100.0,100.0",
                "IBM,,,,100.0,90.0", "IBM,-430.0,,,100.0,90.0", "IBM,,,,,");
        assertThat(observations).noneMatch(l -> l.startsWith("GCP") || l.contains("gcp"));
    }

    @Test
    void emptyInputStillWritesTheOutputsAndSaysSo() throws Exception {
        Path in = Files.createDirectories(dir.resolve("empty"));
        RunRecord run = run(in, Map.of());
        assertThat(run.status()).isEqualTo(RunRecord.Status.SUCCEEDED);
        assertThat(run.counters()).containsEntry("problem.empty-input", 2L);
        assertThat(Files.readAllLines(dir.resolve("out").resolve(LatencyLegsJob.OBSERVATIONS))).containsExactly("CSP,Leg 1,Leg 2,Leg 3,Leg 4,Leg 5");
        assertThat(dir.resolve("out").resolve(LatencyLegsJob.PLOT)).isNotEmptyFile();
    }

    @Test
    void badParametersAreRefusedBeforeAnythingRuns() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in2"));
        assertThatThrownBy(() -> run(in, Map.of("colour", "red"))).hasMessageContaining("no parameter 'colour'").hasMessageContaining("legs");
        RunRecord badLegs = run(in, Map.of("legs", "{\"AWS\": {\"legs\": {}}}"));
        assertThat(badLegs.status()).isEqualTo(RunRecord.Status.FAILED);
        assertThat(badLegs.error()).hasValueSatisfying(e -> assertThat(e).contains("prefix"));
        RunRecord badJson = run(in, Map.of("legs", "{not json"));
        assertThat(badJson.error()).hasValueSatisfying(e -> assertThat(e).contains("not valid JSON"));
        RunRecord badMode = run(in, Map.of("statistics", "roughly"));
        assertThat(badMode.error()).hasValueSatisfying(e -> assertThat(e).contains("exact or sketch"));
    }

    @Test
    void customLegsReadOtherFieldsAndPrefixes() throws Exception {
        Path in = Files.createDirectories(dir.resolve("custom"));
        Files.writeString(in.resolve("edge-1.json"), "{\"hops\": {\"a\": \"2024-01-01T00:00:00.000000+00:00\", \"b\": \"2024-01-01T00:00:01.500000+01:00\"}}");
        RunRecord run = run(in, Map.of("legs", "{\"EDGE\": {\"prefix\": \"edge-\", \"legs\": {\"Hop\": [\"a\", \"b\"]}}}", "timestamps-field", "hops"));
        assertThat(run.status()).isEqualTo(RunRecord.Status.SUCCEEDED);
        assertThat(Files.readAllLines(dir.resolve("out").resolve(LatencyLegsJob.OBSERVATIONS))).containsExactly("CSP,Hop", "EDGE,-3598500.0");
    }
}
