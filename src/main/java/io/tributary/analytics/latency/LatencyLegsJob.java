package io.tributary.analytics.latency;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.analytics.AnalyticsJob;
import io.tributary.analytics.InputObject;
import io.tributary.analytics.JobContext;
import io.tributary.analytics.JobParameter;
import io.tributary.analytics.JobParameter.Type;
import io.tributary.analytics.RunReport;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The governance platform's latency analysis: for every archived telemetry record, the time each
 * leg of its journey took (the difference between two hop timestamps), then per provider and leg
 * the statistics and a box plot. Outputs keep the seed's names and shapes:
 * {@code time_diffs_observations.csv}, {@code time_diffs_statistics.csv}, {@code time_delay_plot.png};
 * plus {@code time_diffs_percentiles.csv} and the plot's figures as {@code time_delay_plot.json}.
 *
 * <p>Objects are read in listing order in chunks, each chunk parsed in parallel, so memory stays
 * bounded by the observations kept for exact statistics (8 bytes per leg value) while the CSV of
 * observations is streamed to a temporary file.
 */
public final class LatencyLegsJob implements AnalyticsJob {
    public static final String NAME = "latency-legs";
    public static final String OBSERVATIONS = "time_diffs_observations.csv";
    public static final String STATISTICS = "time_diffs_statistics.csv";
    public static final String PERCENTILES = "time_diffs_percentiles.csv";
    public static final String PLOT = "time_delay_plot.png";
    public static final String PLOT_DATA = "time_delay_plot.json";
    static final String TITLE = "Box Plot: Log-Scaled Time Delay Comparison Across Legs";
    private static final int CHUNK = 2048;
    private static final int MAX_OUTLIERS_DRAWN = 5000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Per-hop latency of archived telemetry: observations, statistics and a log-scale box plot per leg and provider";
    }

    @Override
    public List<JobParameter> parameters() {
        return List.of(
                JobParameter.optional("legs", Type.STRING, "default",
                        "Provider prefixes and legs as JSON {\"AWS\": {\"prefix\": \"aws-\", \"legs\": {\"Leg 1\": [\"from\", \"to\"]}}}; "
                                + "'default' is the governance platform's (AWS legs 1-5, IBM legs 1, 4, 5)"),
                JobParameter.optional("timestamps-field", Type.STRING, "timestamps", "The record field holding the hop timestamps"),
                JobParameter.optional("statistics", Type.STRING, "exact",
                        "exact (keeps every value; tens of millions fit) or sketch (t-digest quantiles for larger inputs)"),
                JobParameter.optional("suffix", Type.STRING, ".json",
                        "Only objects whose name ends with this (or with this plus .gz) are read; empty reads all"),
                JobParameter.optional("readers", Type.INTEGER, "16",
                        "Objects read at once: reading small objects waits on the file system or the network, not the CPU"));
    }

    /** One record's outcome: its provider and leg durations in microseconds (absent where a leg cannot be computed). */
    private record Observation(LegDefinitions.Provider provider, String name, long[] micros, List<String[]> problems) {}

    @Override
    public void run(JobContext context) throws IOException {
        String legsText = context.parameters().string("legs");
        LegDefinitions legs = legsText.equals("default") ? LegDefinitions.defaults() : LegDefinitions.parse(legsText);
        String mode = context.parameters().string("statistics");
        if (!mode.equals("exact") && !mode.equals("sketch")) {
            throw TributaryException.invalidArgument("parameter 'statistics' must be exact or sketch, got '%s'", mode);
        }
        boolean sketch = mode.equals("sketch");
        String suffix = context.parameters().string("suffix");
        TelemetryParser parser = new TelemetryParser(context.parameters().string("timestamps-field"));
        long readers = context.parameters().integer("readers");
        if (readers < 1 || readers > 256) {
            throw TributaryException.invalidArgument("parameter 'readers' must be between 1 and 256, got %d", readers);
        }
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool((int) readers);
        List<String> legNames = legs.legNames();
        RunReport report = context.report();

        Map<String, Map<String, LegStatistics>> stats = new LinkedHashMap<>();
        Map<String, Path> observationFiles = new LinkedHashMap<>();
        Map<String, BufferedWriter> writers = new LinkedHashMap<>();
        for (LegDefinitions.Provider p : legs.providers().values()) {
            Map<String, LegStatistics> byLeg = new LinkedHashMap<>();
            p.legs().forEach(l -> byLeg.put(l.name(), new LegStatistics(sketch)));
            stats.put(p.label(), byLeg);
            Path file = Files.createTempFile("tributary-observations-" + p.label(), ".csv");
            observationFiles.put(p.label(), file);
            writers.put(p.label(), Files.newBufferedWriter(file, StandardCharsets.UTF_8));
        }
        context.log("reading %s (providers %s)", context.input().describe(), String.join(", ", legs.providers().keySet()));
        try (Stream<InputObject> objects = context.input().objects()) {
            Iterator<InputObject> iterator = objects.iterator();
            List<InputObject> chunk = new ArrayList<>(CHUNK);
            while (iterator.hasNext()) {
                InputObject object = iterator.next();
                if (!suffix.isEmpty() && !object.fileName().endsWith(suffix) && !object.fileName().endsWith(suffix + ".gz")) {
                    continue;
                }
                if (legs.providerOf(object.fileName()).isEmpty()) {
                    continue;
                }
                chunk.add(object);
                if (chunk.size() == CHUNK) {
                    consume(pool, chunk, legs, legNames, parser, stats, writers, context);
                    chunk.clear();
                }
            }
            consume(pool, chunk, legs, legNames, parser, stats, writers, context);
        } finally {
            pool.shutdown();
            for (BufferedWriter w : writers.values()) {
                w.close();
            }
        }
        for (LegDefinitions.Provider p : legs.providers().values()) {
            if (report.counter("objects." + p.label()) == 0) {
                report.problem("empty-input", p.prefix() + "*", "no object of provider " + p.label() + " under " + context.input().describe());
            }
        }
        writeOutputs(context, legs, legNames, stats, observationFiles, sketch);
        for (Path file : observationFiles.values()) {
            Files.deleteIfExists(file);
        }
        context.log("read %d objects, %d records with timestamps", report.counter("objects"), report.counter("records"));
    }

    private static void consume(java.util.concurrent.ForkJoinPool pool, List<InputObject> chunk, LegDefinitions legs, List<String> legNames,
            TelemetryParser parser, Map<String, Map<String, LegStatistics>> stats, Map<String, BufferedWriter> writers, JobContext context)
            throws IOException {
        if (chunk.isEmpty()) {
            return;
        }
        List<Observation> observations;
        try {
            observations = pool.submit(() -> chunk.parallelStream().map(o -> observe(o, legs, parser)).toList()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading objects", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        }
        RunReport report = context.report();
        for (Observation o : observations) {
            report.count("objects", 1);
            for (String[] problem : o.problems()) {
                report.problem(problem[0], o.name(), problem[1]);
            }
            if (o.provider() == null || o.micros() == null) {
                continue;
            }
            report.count("objects." + o.provider().label(), 1);
            report.count("records", 1);
            StringBuilder row = new StringBuilder(o.provider().label());
            Map<String, LegStatistics> byLeg = stats.get(o.provider().label());
            for (String leg : legNames) {
                row.append(',');
                int index = indexOf(o.provider(), leg);
                if (index >= 0 && o.micros()[index] != Long.MIN_VALUE) {
                    long micros = o.micros()[index];
                    Csv.millis(micros, row);
                    byLeg.get(leg).add(micros / 1000.0);
                }
            }
            writers.get(o.provider().label()).write(row.append('\n').toString());
        }
        context.progress().advance(chunk.size());
    }

    private static int indexOf(LegDefinitions.Provider provider, String leg) {
        for (int i = 0; i < provider.legs().size(); i++) {
            if (provider.legs().get(i).name().equals(leg)) {
                return i;
            }
        }
        return -1;
    }

    private static Observation observe(InputObject object, LegDefinitions legs, TelemetryParser parser) {
        LegDefinitions.Provider provider = legs.providerOf(object.fileName()).orElseThrow();
        List<String[]> problems = new ArrayList<>();
        byte[] data;
        try (InputStream in = object.open()) {
            data = gunzipIfCompressed(in.readAllBytes());
        } catch (IOException | UncheckedIOException | TributaryException e) {
            problems.add(new String[] {"unreadable", String.valueOf(e.getMessage())});
            return new Observation(provider, object.name(), null, problems);
        }
        TelemetryParser.Parsed parsed = parser.parse(data);
        Map<String, String> timestamps;
        switch (parsed) {
            case TelemetryParser.Parsed.Unparseable u -> {
                problems.add(new String[] {"unparseable-json", u.reason()});
                return new Observation(provider, object.name(), null, problems);
            }
            case TelemetryParser.Parsed.NoTimestamps n -> {
                problems.add(new String[] {"missing-timestamps", "no timestamps object"});
                return new Observation(provider, object.name(), null, problems);
            }
            case TelemetryParser.Parsed.Timestamps t -> timestamps = t.values();
        }
        Map<String, OptionalLong> parsedTimes = new LinkedHashMap<>();
        long[] micros = new long[provider.legs().size()];
        for (int i = 0; i < micros.length; i++) {
            LegDefinitions.Leg leg = provider.legs().get(i);
            OptionalLong from = time(leg.from(), timestamps, parsedTimes, problems);
            OptionalLong to = time(leg.to(), timestamps, parsedTimes, problems);
            if (from.isEmpty() || to.isEmpty()) {
                micros[i] = Long.MIN_VALUE;
                continue;
            }
            micros[i] = to.getAsLong() - from.getAsLong();
            if (micros[i] < 0) {
                problems.add(new String[] {"negative-leg", leg.name() + " is " + Csv.millis(micros[i]) + " ms (" + leg.to() + " before " + leg.from() + ")"});
            }
        }
        return new Observation(provider, object.name(), micros, problems);
    }

    private static OptionalLong time(String field, Map<String, String> timestamps, Map<String, OptionalLong> cache, List<String[]> problems) {
        return cache.computeIfAbsent(field, f -> {
            String text = timestamps.get(f);
            if (text == null) {
                problems.add(new String[] {"missing-timestamp", f});
                return OptionalLong.empty();
            }
            OptionalLong parsed = Timestamps.epochMicros(text);
            if (parsed.isEmpty()) {
                problems.add(new String[] {"unparseable-timestamp", f + " = '" + (text.length() > 60 ? text.substring(0, 60) + "..." : text) + "'"});
            }
            return parsed;
        });
    }

    /** Gzip is recognised by its magic bytes, whatever the object's name says. */
    private static byte[] gunzipIfCompressed(byte[] data) throws IOException {
        if (data.length < 2 || (data[0] & 0xff) != 0x1f || (data[1] & 0xff) != 0x8b) {
            return data;
        }
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }

    private static void writeOutputs(JobContext context, LegDefinitions legs, List<String> legNames,
            Map<String, Map<String, LegStatistics>> stats, Map<String, Path> observationFiles, boolean sketch) throws IOException {
        Path observations = Files.createTempFile("tributary-observations", ".csv");
        try {
            try (var out = Files.newOutputStream(observations)) {
                out.write(("CSP," + String.join(",", legNames) + "\n").getBytes(StandardCharsets.UTF_8));
                for (Path file : observationFiles.values()) {
                    Files.copy(file, out);
                }
            }
            context.output().write(OBSERVATIONS, observations);
        } finally {
            Files.deleteIfExists(observations);
        }
        context.output().write(STATISTICS, Csv.table(legNames, stats, Csv.MAIN).getBytes(StandardCharsets.UTF_8));
        context.output().write(PERCENTILES, Csv.table(legNames, stats, Csv.PERCENTILES).getBytes(StandardCharsets.UTF_8));

        List<String> providers = new ArrayList<>(stats.keySet().stream().sorted().toList());
        Map<String, Map<String, BoxStats>> boxes = new LinkedHashMap<>();
        Map<String, Map<String, double[]>> outliers = new LinkedHashMap<>();
        ObjectNode plotData = Json.mapper().createObjectNode();
        plotData.put("title", TITLE).put("scale", "log").put("unit", "ms").put("quantiles", sketch ? "t-digest estimates" : "exact");
        ObjectNode legsNode = plotData.putObject("legs");
        for (String leg : legNames) {
            ObjectNode legNode = legsNode.putObject(leg);
            for (String provider : providers) {
                LegStatistics s = stats.get(provider).get(leg);
                if (s == null || s.count() == 0) {
                    continue;
                }
                BoxStats box = s.box();
                boxes.computeIfAbsent(leg, k -> new LinkedHashMap<>()).put(provider, box);
                outliers.computeIfAbsent(leg, k -> new LinkedHashMap<>()).put(provider, s.outliers(box, MAX_OUTLIERS_DRAWN));
                legNode.set(provider, Json.mapper().valueToTree(box));
            }
        }
        context.output().write(PLOT_DATA, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(plotData));
        String title = TITLE + " for " + String.join(" and ", providers);
        context.output().write(PLOT, BoxPlotChart.render(title, legNames, providers, boxes, outliers));
        if (sketch) {
            context.log("statistics mode sketch: quantiles are t-digest estimates; mean, std, min, max and count are exact");
        }
        Optional.ofNullable(context.report().counter("problem.negative-leg")).filter(n -> n > 0)
                .ifPresent(n -> context.log("%d negative leg(s): a later hop stamped an earlier time; they are kept in the statistics", n));
    }

}
