package io.tributary.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.client.TributaryClient;
import io.tributary.common.Json;
import io.tributary.generate.GeneratedRecord;
import io.tributary.generate.KinesisSender;
import io.tributary.generate.Rate;
import io.tributary.generate.RetailSource;
import io.tributary.server.ConfigKeys;
import io.tributary.server.DemoPipeline;
import io.tributary.server.TributaryConfig;
import io.tributary.server.TributaryServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Web UI dashboard load time: a server with the demo pipeline and generated retail records from the
 * last 7 days (in the lake for SQL and in the {@code retail} index for search), a dashboard of 12
 * visuals (8 SQL, 4 search), loaded repeatedly in headless Chromium. Each load is timed from the
 * start of navigation until every panel is {@code [data-state=drawn]}.
 *
 * <p>Not thread-safe; one run at a time.
 */
public final class UiBenchmark {
    public static final int PANELS = 12;

    /** @param records retail records generated (spread over the last 7 days) */
    public record Options(long records, int loads, Path workDir, Path chromium) {
        public Options {
            requireNonNull(workDir, "workDir is null");
            requireNonNull(chromium, "chromium is null");
            if (records < 1 || loads < 2) {
                throw new IllegalArgumentException("records must be positive and loads at least 2");
            }
        }
    }

    /** Times in ms from navigation start to all panels drawn; the first load has a cold browser cache. */
    public record Report(String machine, long records, int panels, int sqlPanels, int searchPanels, double firstLoadMs,
            List<Double> warmLoadsMs, double medianMs, double slowestWarmMs) {}

    private final Options options;
    private final Consumer<String> progress;

    public UiBenchmark(Options options, Consumer<String> progress) {
        this.options = requireNonNull(options, "options is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    public Report run() throws Exception {
        if (!java.nio.file.Files.isExecutable(options.chromium())) {
            // Before minutes of data loading, not after.
            throw new IllegalArgumentException("no Chromium at " + options.chromium() + "; install it (apt-get install chromium) or pass --chromium");
        }
        Path data = options.workDir().resolve("data");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(ConfigKeys.SERVER_DATA_DIR.name(), data.toString());
        settings.put(ConfigKeys.SERVER_PORT.name(), "0");
        settings.put(ConfigKeys.SERVER_SEARCH_PORT.name(), "0");
        settings.put(ConfigKeys.AUTH_ENABLED.name(), "false");
        settings.put(ConfigKeys.STREAM_FSYNC.name(), "never");
        TributaryConfig config = TributaryConfig.load(Optional.empty(), Map.of(TributaryConfig.ADMIN_PASSWORD_ENV, "bench-password-0000"), settings);
        config = config.withPipeline(config.pipeline().withDefaults(DemoPipeline.load()));
        try (TributaryServer server = TributaryServer.start(config, Clock.systemUTC())) {
            TributaryClient client = new TributaryClient(TributaryClient.Config.of(server.apiUri(), Optional.empty()));
            long start = System.nanoTime();
            load(server, client);
            progress.accept(String.format("%,d records in the lake and the search index in %.1f s", options.records(), (System.nanoTime() - start) / 1e9));
            String dashboard = createDashboard(client);
            String url = server.apiUri() + "/ui/#/dashboards/" + dashboard;
            try (HeadlessChromium browser = HeadlessChromium.start(options.chromium())) {
                List<Double> times = new ArrayList<>();
                for (int i = 0; i < options.loads(); i++) {
                    browser.navigate("about:blank");
                    browser.navigate(url);
                    double ms = browser.evaluate(DRAWN).asDouble();
                    times.add(ms);
                    progress.accept(String.format("load %d%s: %.0f ms until %d panels drawn", i + 1, i == 0 ? " (cold cache)" : "", ms, PANELS));
                }
                List<Double> warm = times.subList(1, times.size());
                return new Report(Machine.describe(data), options.records(), PANELS, 8, 4, times.get(0), List.copyOf(warm), median(warm),
                        warm.stream().mapToDouble(Double::doubleValue).max().orElse(0));
            }
        }
    }

    /** Resolves with performance.now() (ms since navigation start) once every panel is drawn; fails on an errored panel. */
    private static final String DRAWN = """
            new Promise((resolve, reject) => {
              const started = Date.now();
              const poll = () => {
                const panels = document.querySelectorAll('.panel-card').length;
                const drawn = document.querySelectorAll('.panel-card [data-state=drawn]').length;
                const failed = document.querySelector('.panel-card [data-state=error]');
                if (failed) return reject(new Error('a panel failed: ' + failed.textContent));
                if (panels >= %d && drawn >= panels) return resolve(performance.now());
                if (Date.now() - started > 60000) return reject(new Error(drawn + ' of ' + panels + ' panels drawn after 60 s'));
                setTimeout(poll, 5);
              };
              poll();
            })""".formatted(PANELS);

    private void load(TributaryServer server, TributaryClient client) throws InterruptedException {
        Instant now = Instant.now();
        Duration span = Duration.ofDays(7);
        Rate rate = new Rate((double) options.records() / span.toSeconds());
        RetailSource source = new RetailSource(42, Optional.of(now.minus(span)), rate);
        KinesisSender sender = new KinesisSender(client, DemoPipeline.RETAIL_STREAM);
        List<GeneratedRecord> batch = new ArrayList<>();
        for (long i = 0; i < options.records(); i++) {
            batch.add(source.next(now).orElseThrow());
            if (batch.size() == 500 || i == options.records() - 1) {
                if (sender.send(batch).accepted() != batch.size()) {
                    throw new IllegalStateException("the stream refused part of a batch");
                }
                batch.clear();
            }
        }
        client.post("/api/delivery-streams/" + DemoPipeline.RETAIL_DELIVERY + "/flush", Json.mapper().createObjectNode());
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        long indexed = 0;
        while (Instant.now().isBefore(deadline)) {
            var status = server.sinks().status(DemoPipeline.RETAIL_SINK).orElseThrow(() ->
                    new IllegalStateException("the demo pipeline has no sink " + DemoPipeline.RETAIL_SINK));
            indexed = status.writes() + status.invalid() + status.errors() + status.indexErrors();
            if (status.state().equals("failed")) {
                throw new IllegalStateException("the search sink failed: " + status.lastError().orElse("?"));
            }
            if (indexed >= options.records()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the search sink indexed " + indexed + " of " + options.records() + " records within 2 minutes");
    }

    private static String createDashboard(TributaryClient client) {
        List<ObjectNode> visuals = List.of(
                sql("bar", "Price and quantity per day", "invoicedate", "day", null, value("price", "sum"), value("quantity", "sum")),
                sql("line", "Rows per hour", "invoicedate", "hour", null, value("*", "count")),
                sql("area", "Quantity per day by country", "invoicedate", "day", "country", value("quantity", "sum")),
                sql("pie", "Rows by country", "country", null, null, value("*", "count")),
                sql("hbar", "Revenue by country", "country", null, null, value("price", "sum")),
                sql("kpi", "Invoices", null, null, null, value("invoice", "distinct")),
                sql("table", "Countries", "country", null, null, value("*", "count"), value("quantity", "sum")),
                sql("scatter", "Average price per day", "invoicedate", "day", null, value("price", "avg")),
                search("bar", "Documents over time", null, null),
                search("pie", "Top countries", "count", "Country.keyword"),
                search("kpi", "Quantity", "sum", null),
                search("line", "Average price over time", "avg", null));
        ArrayNode panels = Json.mapper().createArrayNode();
        int i = 0;
        for (ObjectNode body : visuals) {
            String id = client.post("/api/visuals", Json.mapper().createObjectNode().put("name", body.path("title").asText()).set("body", body))
                    .path("id").asText();
            panels.addObject().put("visual", id).put("x", (i % 3) * 4).put("y", (i / 3) * 3).put("w", 4).put("h", 3);
            i++;
        }
        ObjectNode body = Json.mapper().createObjectNode();
        body.set("panels", panels);
        body.putObject("timeRange").put("from", "now-7d").put("to", "now");
        body.put("refreshSeconds", 0);
        return client.post("/api/dashboards", Json.mapper().createObjectNode().put("name", "UI benchmark").set("body", body)).path("id").asText();
    }

    private static ObjectNode value(String field, String agg) {
        return Json.mapper().createObjectNode().put("field", field).put("agg", agg);
    }

    private static ObjectNode sql(String chart, String title, String x, String granularity, String group, ObjectNode... values) {
        ObjectNode b = Json.mapper().createObjectNode().put("source", "sql").put("chart", chart).put("title", title).put("database", "mydatabase");
        b.putObject("dataset").put("table", "mydatabase.retail_trans_json");
        if (x != null) {
            ObjectNode xn = b.putObject("x").put("field", x);
            if (granularity != null) {
                xn.put("granularity", granularity);
            }
        }
        ArrayNode vs = b.putArray("values");
        for (ObjectNode v : values) {
            vs.add(v);
        }
        if (group != null) {
            b.put("group", group);
        }
        b.put("timeField", "invoicedate");
        return b;
    }

    private static ObjectNode search(String chart, String title, String agg, String split) {
        ObjectNode b = Json.mapper().createObjectNode().put("source", "search").put("chart", chart).put("title", title)
                .put("index", DemoPipeline.RETAIL_INDEX).put("timeField", "InvoiceDate").put("query", "").put("interval", "auto");
        ObjectNode metric = b.putObject("metric").put("agg", agg == null ? "count" : agg);
        if (agg != null && !agg.equals("count")) {
            metric.put("field", agg.equals("sum") ? "Quantity" : "Price");
        }
        if (split != null) {
            b.putObject("split").put("field", split).put("size", 5);
        }
        return b;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
