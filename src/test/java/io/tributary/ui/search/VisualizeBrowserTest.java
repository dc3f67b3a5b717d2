package io.tributary.ui.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.common.Json;
import io.tributary.server.ConfigKeys;
import io.tributary.ui.BrowserSupport;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Visualize in a real browser: sum(Quantity) by InvoiceDate per hour, saved as a search visual and
 * reopened, then shown on a dashboard with the dashboard's time range; the bars equal the sums
 * computed here from the records sent.
 */
class VisualizeBrowserTest {
    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void sumOfQuantityPerHourSavedReopenedAndOnADashboard() throws Exception {
        try (SearchUiFixture fixture = SearchUiFixture.start(dir, Map.of(ConfigKeys.AUTH_ENABLED.name(), "false"))) {
            Instant now = Instant.now();
            List<String> records = new ArrayList<>();
            Map<String, Long> expected = new TreeMap<>();
            Map<String, Long> perCountry = new TreeMap<>();
            long total = 0;
            for (int i = 0; i < 60; i++) {
                // Between 1 and 20 hours ago, so every record is inside "last 24 hours" with room at both ends.
                Instant at = now.minus(60 + (i * 1187L) % (19 * 60), ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
                int quantity = (i * 37) % 23 + 1;
                records.add(SearchUiFixture.record("VIS-" + i, "V" + (i % 7), quantity, at, i % 3 == 0 ? "France" : "Germany"));
                expected.merge(LABEL.format(at.truncatedTo(ChronoUnit.HOURS)), (long) quantity, Long::sum);
                total += quantity;
                perCountry.merge(i % 3 == 0 ? "France" : "Germany", (long) quantity, Long::sum);
            }
            fixture.send(records);
            fixture.awaitIndexed();

            try (BrowserSupport browser = BrowserSupport.open(fixture.server().uri())) {
                browser.go("#/visualize");
                browser.waitFor("#vis-form");
                WebElement name = browser.find("#vis-name");
                name.sendKeys("Quantity per hour");
                WebElement index = browser.find("#vis-index");
                index.clear();
                index.sendKeys("retail*", Keys.TAB);
                browser.waitUntil("the time field choices", () -> browser.all("#vis-time-field option[value='InvoiceDate']").size() == 1);
                new Select(browser.find("#vis-time-field")).selectByValue("InvoiceDate");
                new Select(browser.find("#vis-chart")).selectByValue("bar");
                new Select(browser.find("#vis-agg")).selectByValue("sum");
                browser.waitUntil("numeric fields", () -> browser.all("#vis-metric-field option[value='Quantity']").size() == 1);
                new Select(browser.find("#vis-metric-field")).selectByValue("Quantity");
                new Select(browser.find("#vis-interval")).selectByValue("1h");
                browser.waitUntil("the bars to equal the sums", () -> expected.equals(bars(browser)));

                browser.find("#vis-save").click();
                browser.waitUntil("the saved visual's address", () -> browser.driver().getCurrentUrl().matches(".*#/visualize/[^/]+$"));
                String id = browser.driver().getCurrentUrl().replaceAll(".*#/visualize/", "");
                JsonNode saved = fixture.client().get("/api/visuals/" + id);
                assertThat(saved.path("name").asText()).isEqualTo("Quantity per hour");
                JsonNode body = saved.path("body");
                assertThat(body.path("source").asText()).isEqualTo("search");
                assertThat(body.path("chart").asText()).isEqualTo("bar");
                assertThat(body.path("index").asText()).isEqualTo("retail*");
                assertThat(body.path("timeField").asText()).isEqualTo("InvoiceDate");
                assertThat(body.path("interval").asText()).isEqualTo("1h");
                assertThat(body.path("metric").path("agg").asText()).isEqualTo("sum");
                assertThat(body.path("metric").path("field").asText()).isEqualTo("Quantity");

                // Reopen from another page: the form and the bars come back from the saved body.
                browser.go("#/streams");
                browser.waitFor("#streams");
                browser.go("#/visualize/" + id);
                browser.waitFor("#vis-preview[data-state=drawn]");
                browser.waitUntil("the reopened bars to equal the sums", () -> expected.equals(bars(browser)));
                assertThat(browser.find("#vis-name").getDomProperty("value")).isEqualTo("Quantity per hour");
                assertThat(browser.find("#vis-title").getText()).isEqualTo("Quantity per hour");
                assertThat(browser.all(".vis-saved a").stream().map(WebElement::getText).toList()).contains("Quantity per hour");
                browser.screenshot("visualize");

                // The same metric over the whole range as a KPI.
                new Select(browser.find("#vis-chart")).selectByValue("kpi");
                long expectedTotal = total;
                browser.waitUntil("the KPI", () -> browser.all("#vis-preview .search-kpi-value").stream()
                        .anyMatch(e -> e.getText().replace(",", "").equals(Long.toString(expectedTotal))));

                // Split into one line per country: each line adds up to that country's quantities.
                new Select(browser.find("#vis-chart")).selectByValue("line");
                new Select(browser.find("#vis-split-field")).selectByValue("Country.keyword");
                browser.waitUntil("a line per country", () -> perCountry.equals(seriesTotals(browser)));

                // On a dashboard, the saved visual draws with the dashboard's time range: the same bars over 24 hours,
                // none over the last 15 minutes (every record is at least an hour old).
                String dashboard = fixture.client().post("/api/dashboards", Json.mapper().readTree("""
                        {"name":"Retail live","body":{"panels":[{"visual":"%s","x":0,"y":0,"w":12,"h":6}],
                         "timeRange":{"from":"now-24h","to":"now"},"refreshSeconds":0}}""".formatted(id))).path("id").asText();
                browser.go("#/dashboards/" + dashboard);
                browser.waitFor("[data-state=drawn] .search-visual-chart");
                browser.waitUntil("the dashboard's bars to equal the sums", () -> expected.equals(panelBars(browser)));
                browser.screenshot("dashboard-search-visual");
                fixture.client().put("/api/dashboards/" + dashboard, Json.mapper().readTree("""
                        {"name":"Retail live","body":{"panels":[{"visual":"%s","x":0,"y":0,"w":12,"h":6}],
                         "timeRange":{"from":"now-15m","to":"now"},"refreshSeconds":0}}""".formatted(id)));
                browser.go("#/streams");
                browser.waitFor("#streams");
                browser.go("#/dashboards/" + dashboard);
                browser.waitUntil("an empty chart for the last 15 minutes", () -> {
                    Map<String, Long> bars = panelBars(browser);
                    return bars != null && bars.isEmpty() && !browser.all("[data-state=drawn] .search-visual-chart").isEmpty();
                });
                browser.assertClean();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> panelBars(BrowserSupport browser) {
        Object result = browser.script("""
                const el = document.querySelector('[data-state=drawn] .search-visual-chart');
                const chart = el && echarts.getInstanceByDom(el);
                if (!chart) return null;
                const o = chart.getOption();
                const out = {};
                o.xAxis[0].data.forEach((label, i) => { const v = o.series[0].data[i]; if (v) out[label] = v; });
                return out;""");
        if (result == null) {
            return null;
        }
        Map<String, Long> out = new TreeMap<>();
        ((Map<String, Object>) result).forEach((k, v) -> out.put(k, ((Number) v).longValue()));
        return out;
    }

    /** Series name → sum of its values, from the preview's chart. */
    @SuppressWarnings("unchecked")
    private static Map<String, Long> seriesTotals(BrowserSupport browser) {
        Object result = browser.script("""
                const el = document.querySelector('#vis-preview .search-visual-chart');
                const chart = el && echarts.getInstanceByDom(el);
                if (!chart || document.querySelector('#vis-preview').dataset.state !== 'drawn') return null;
                const out = {};
                chart.getOption().series.forEach((s) => { out[s.name] = s.data.reduce((a, b) => a + (b || 0), 0); });
                return out;""");
        if (result == null) {
            return Map.of();
        }
        Map<String, Long> out = new TreeMap<>();
        ((Map<String, Object>) result).forEach((k, v) -> out.put(k, ((Number) v).longValue()));
        return out;
    }

    /** The non-empty bars of the preview's chart, label → value, read from the ECharts instance. */
    @SuppressWarnings("unchecked")
    private static Map<String, Long> bars(BrowserSupport browser) {
        Object result = browser.script("""
                const el = document.querySelector('#vis-preview .search-visual-chart');
                const chart = el && echarts.getInstanceByDom(el);
                if (!chart || document.querySelector('#vis-preview').dataset.state !== 'drawn') return null;
                const o = chart.getOption();
                const out = {};
                o.xAxis[0].data.forEach((label, i) => { const v = o.series[0].data[i]; if (v) out[label] = v; });
                return out;""");
        if (result == null) {
            return Map.of();
        }
        Map<String, Long> out = new TreeMap<>();
        ((Map<String, Object>) result).forEach((k, v) -> out.put(k, ((Number) v).longValue()));
        return out;
    }
}
