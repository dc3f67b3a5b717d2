package io.tributary.ui.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.server.ConfigKeys;
import io.tributary.ui.BrowserSupport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;

/**
 * {@code js/visuals/search.js} run in the browser as pages run it: the interval choice, the
 * requests it builds, and bodies that cannot be drawn ending in {@code data-state=error} with the
 * reason in words rather than a script error.
 */
class SearchVisualModuleTest {
    @TempDir
    static Path dir;

    private static SearchUiFixture fixture;
    private static BrowserSupport browser;

    @BeforeAll
    static void start() throws Exception {
        fixture = SearchUiFixture.start(dir, Map.of(ConfigKeys.AUTH_ENABLED.name(), "false"));
        fixture.send(List.of(SearchUiFixture.record("M-1", "A", 3, Instant.now().minusSeconds(60), "France"),
                SearchUiFixture.record("M-2", "B", 4, Instant.now().minusSeconds(120), "Spain"),
                SearchUiFixture.record("M-3", "C", 5, Instant.now().minusSeconds(180), "Spain")));
        fixture.awaitIndexed();
        browser = BrowserSupport.open(fixture.server().uri());
        browser.go("#/streams");
        browser.waitFor("#streams");
    }

    @AfterAll
    static void stop() {
        try {
            browser.close();
        } finally {
            fixture.close();
        }
    }

    /** Runs an async function body with the module as {@code m}; its return value is the result. */
    private static Object run(String body) {
        return ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/ui/js/visuals/search.js').then(async (m) => { %s }).then(done, (e) => done('THREW ' + e.message));
                """.formatted(body));
    }

    @Test
    void autoIntervalKeepsAboutSixtyBuckets() {
        assertThat(run("return m.autoInterval(0, 15 * 60e3);")).isEqualTo("30s");
        assertThat(run("return m.autoInterval(0, 3600e3);")).isEqualTo("1m");
        assertThat(run("return m.autoInterval(0, 24 * 3600e3);")).isEqualTo("30m");
        assertThat(run("return m.autoInterval(0, 7 * 24 * 3600e3);")).isEqualTo("3h");
        assertThat(run("return m.autoInterval(0, 365 * 24 * 3600e3);")).isEqualTo("7d");
        assertThat(run("return m.autoInterval(5, 5);")).as("an empty range").isEqualTo("1s");
        assertThat(run("return JSON.stringify(m.intervalClause('1M', 0, 1));")).isEqualTo("{\"calendar_interval\":\"1M\"}");
        assertThat(run("return JSON.stringify(m.intervalClause('5m', 0, 1));")).isEqualTo("{\"fixed_interval\":\"5m\"}");
    }

    @Test
    void timesAreShownInTheChosenZone() {
        assertThat(run("return m.formatTime(Date.UTC(2026, 10, 25, 23, 30, 5, 7), 'UTC');")).isEqualTo("2026-11-25 23:30:05.007");
        assertThat(run("return m.formatTime(Date.UTC(2026, 10, 25, 23, 30, 5, 7), 'Asia/Tokyo');")).isEqualTo("2026-11-26 08:30:05.007");
        assertThat(run("return m.formatTime(Date.UTC(2026, 6, 1, 12, 0, 0), 'America/New_York', false);")).isEqualTo("2026-07-01 08:00:00");
        assertThat(run("return m.formatTime(null, 'UTC');")).isEqualTo("");
    }

    @Test
    void requestsCarryTheRangeTheQueryAndTheSplit() {
        String request = (String) run("""
                const r = m.buildRequest({chart:'bar', index:'retail*', timeField:'InvoiceDate', query:'Country:Spain', interval:'1h',
                  metric:{agg:'sum', field:'Quantity'}, split:{field:'Country.keyword', size:500}}, 1000, 7200000, 'Europe/Paris');
                return JSON.stringify(r);""");
        assertThat(request).contains("\"mode\":\"split-histogram\"")
                .contains("{\"range\":{\"InvoiceDate\":{\"gte\":1000,\"lte\":7200000,\"format\":\"epoch_millis\"}}}")
                .contains("{\"query_string\":{\"query\":\"Country:Spain\",\"default_operator\":\"AND\"}}")
                .contains("\"terms\":{\"field\":\"Country.keyword\",\"size\":50}")
                .contains("\"fixed_interval\":\"1h\"").contains("\"time_zone\":\"Europe/Paris\"")
                .contains("\"m\":{\"sum\":{\"field\":\"Quantity\"}}");
        assertThat(run("return m.buildRequest({chart:'bar', index:'x', metric:{agg:'script', field:'a'}}, 0, 1).mode;"))
                .isEqualTo("THREW metric 'script' is not one of count, sum, avg, min, max");
        assertThat(run("return m.buildRequest({chart:'pie', index:'x', timeField:'t'}, 0, 1).mode;"))
                .isEqualTo("THREW a pie chart shows terms: choose a split field");
        assertThat(run("return m.buildRequest({chart:'bar', index:'x', metric:{agg:'sum'}}, 0, 1).mode;"))
                .isEqualTo("THREW metric sum needs a numeric field");
    }

    @Test
    void drawsPieAndTableAndKpiFromTheIndex() {
        assertThat(run("""
                const el = document.createElement('div'); el.style.height = '300px'; document.body.append(el);
                await m.render(el, {source:'search', chart:'table', index:'retail', timeField:'InvoiceDate', interval:'1d',
                  metric:{agg:'sum', field:'Quantity'}, split:{field:'Country.keyword', size:5}}, {api: await api(), timezone: () => 'UTC'},
                  {timeRange:{from:'now-1h', to:'now'}});
                const cells = [...el.querySelectorAll('thead th')].map((t) => t.textContent);
                const sums = [...el.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')].slice(1).reduce((a, td) => a + Number(td.textContent), 0));
                el.remove();
                return el.dataset.state + ' ' + cells.join('|') + ' ' + sums.reduce((a, b) => a + b, 0);
                async function api() { return (await import('/ui/js/api.js')).api; }""")).isEqualTo("drawn InvoiceDate|Spain|France 12");
        assertThat(run("""
                const el = document.createElement('div'); document.body.append(el);
                await m.render(el, {source:'search', chart:'kpi', index:'retail', timeField:'InvoiceDate', metric:{agg:'avg', field:'Quantity'}},
                  {api: (await import('/ui/js/api.js')).api, timezone: () => 'UTC'}, {timeRange:{from:'now-1h', to:'now'}});
                const text = el.dataset.state + ' ' + el.querySelector('.search-kpi-value').textContent;
                el.remove();
                return text;""")).isEqualTo("drawn 4");
        assertThat(run("""
                const el = document.createElement('div'); el.style.height = '300px'; el.style.width = '400px'; document.body.append(el);
                await m.render(el, {source:'search', chart:'pie', index:'retail', timeField:'InvoiceDate', metric:{agg:'count'},
                  split:{field:'Country.keyword', size:5}}, {api: (await import('/ui/js/api.js')).api, timezone: () => 'UTC'},
                  {timeRange:{from:'now-1h', to:'now'}});
                for (let i = 0; i < 50 && el.dataset.state !== 'drawn'; i++) await new Promise((r) => setTimeout(r, 100));
                const data = echarts.getInstanceByDom(el.querySelector('.search-visual-chart')).getOption().series[0].data;
                el.remove();
                return el.dataset.state + ' ' + data.map((d) => d.name + '=' + d.value).join(',');""")).isEqualTo("drawn Spain=2,France=1");
    }

    @Test
    void aSplitOnATextFieldUsesItsKeywordSubField() {
        assertThat(run("""
                const el = document.createElement('div'); el.style.height = '300px'; el.style.width = '400px'; document.body.append(el);
                await m.render(el, {source:'search', chart:'hbar', index:'retail*', timeField:'InvoiceDate', metric:{agg:'sum', field:'Quantity'},
                  split:{field:'Country', size:5}}, {api: (await import('/ui/js/api.js')).api, timezone: () => 'UTC'},
                  {timeRange:{from:'now-1h', to:'now'}});
                for (let i = 0; i < 50 && el.dataset.state !== 'drawn'; i++) await new Promise((r) => setTimeout(r, 100));
                const o = echarts.getInstanceByDom(el.querySelector('.search-visual-chart')).getOption();
                el.remove();
                return el.dataset.state + ' ' + o.yAxis[0].data.map((k, i) => k + '=' + o.series[0].data[i]).join(',');""")).isEqualTo("drawn Spain=9,France=3");
    }

    @Test
    void bodiesThatCannotBeDrawnEndInErrorWithTheReason() {
        String script = """
                const el = document.createElement('div'); document.body.append(el);
                await m.render(el, %s, {api: (await import('/ui/js/api.js')).api, timezone: () => 'UTC'}, {timeRange:{from:'now-1h', to:'now'}});
                const text = el.dataset.state + ': ' + el.textContent;
                el.remove();
                return text;""";
        assertThat(run(script.formatted("{source:'search', chart:'bar'}"))).isEqualTo("error: this search visual has no index");
        assertThat((String) run(script.formatted("{source:'search', chart:'bar', index:'no-such-index', timeField:'t'}")))
                .startsWith("error: ").contains("no-such-index");
        assertThat((String) run(script.formatted("{source:'search', chart:'bar', index:'retail', timeField:'InvoiceDate', query:'Quantity:['}")))
                .startsWith("error: ").contains("Failed to parse query");
        assertThat((String) run(script.formatted("{source:'search', chart:'bar', index:'retail', timeField:'InvoiceDate', query:'<img src=x onerror=alert(1)> AND ['}")))
                .startsWith("error: ").contains("<img src=x");
        assertThat(run("return document.querySelectorAll('img[src=x]').length;")).as("server text is never parsed as HTML").isEqualTo(0L);
        browser.assertClean();
    }
}
