package io.tributary.ui.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.Json;
import io.tributary.ui.BrowserSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * Discover in a real browser: the index's documents, newest first, a histogram with bars, and —
 * with auto-refresh at 5 s — records put into the stream during the test appear in the document
 * table without a reload. Field top values, filters and the query bar narrow the hits to counts
 * computed here from the records sent. The user holds only a role that reads {@code retail*}.
 */
class DiscoverBrowserTest {
    @TempDir
    Path dir;

    @Test
    void newRecordsAppearWithAutoRefreshAndFiltersNarrowTheHits() throws Exception {
        try (SearchUiFixture fixture = SearchUiFixture.start(dir, Map.of())) {
            // A user who may read the retail indices and nothing else, logged in with a password.
            fixture.client().put("/_plugins/_security/api/roles/retail_reader", Json.mapper().readTree("""
                    {"index_permissions":[{"index_patterns":["retail*"],"allowed_actions":["read"]}]}"""));
            fixture.client().post("/api/users", Json.mapper().readTree("""
                    {"name":"dora","password":"dora-password-1","roles":["retail_reader"]}"""));
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            List<String> initial = new ArrayList<>();
            int france = 0;
            for (int i = 0; i < 20; i++) {
                String country = i % 4 == 0 ? "France" : "United Kingdom";
                france += country.equals("France") ? 1 : 0;
                initial.add(SearchUiFixture.record("INIT-" + i, "S" + i, i + 1, now.minus(Duration.ofSeconds(30L * (i + 1))), country));
            }
            fixture.send(initial);
            fixture.awaitIndexed();

            try (BrowserSupport browser = BrowserSupport.open(fixture.server().uri())) {
                browser.login("dora", "dora-password-1");
                browser.go("#/discover");
                WebElement index = browser.waitFor("#discover-index");
                index.clear();
                index.sendKeys("retail*", Keys.ENTER);
                browser.waitUntil("20 hits", () -> "20".equals(browser.find("#discover-hits").getDomAttribute("data-total")));
                // Read the rows in one script call: a redraw between WebDriver calls would leave stale elements.
                List<?> rows = (List<?>) browser.script(
                        "return Array.from(document.querySelectorAll('#discover-docs tr.doc-row')).map(r => r.textContent);");
                assertThat(rows).hasSize(20);
                assertThat(new Select(browser.find("#discover-time-field")).getFirstSelectedOption().getText()).isEqualTo("InvoiceDate");
                // Newest first: INIT-0 is 30 s old, INIT-19 ten minutes.
                assertThat(String.valueOf(rows.get(0))).contains("INIT-0");
                assertThat(String.valueOf(rows.get(19))).contains("INIT-19");
                assertThat(histogramTotal(browser)).as("bars of the histogram add up to the hits").isEqualTo(20);
                assertThat(Integer.parseInt(browser.find("#discover-histogram").getDomAttribute("data-buckets"))).isGreaterThan(1);

                new Select(browser.find(".discover-time-picker select.time-refresh")).selectByValue("5");
                browser.script("window.__sameDocument = 'yes';");
                String marker = "LIVE-" + UUID.randomUUID();
                fixture.send(List.of(SearchUiFixture.record(marker, "NEW1", 7, Instant.now(), "Norway"),
                        SearchUiFixture.record(marker, "NEW2", 8, Instant.now(), "Norway")));
                long sentAt = System.nanoTime();
                browser.waitUntil("the new records in the table", () -> browser.find("#discover-docs").getText().contains(marker));
                long seconds = Duration.ofNanos(System.nanoTime() - sentAt).toSeconds();
                assertThat(seconds).as("seconds until the new records showed").isLessThanOrEqualTo(15);
                assertThat(browser.script("return window.__sameDocument")).as("no reload").isEqualTo("yes");
                browser.waitUntil("22 hits", () -> "22".equals(browser.find("#discover-hits").getDomAttribute("data-total")));
                assertThat(String.valueOf(browser.script("return document.querySelector('#discover-docs tr.doc-row').textContent;"))).contains(marker);
                assertThat(histogramTotal(browser)).isEqualTo(22);

                // Expand the newest document: its JSON, pretty-printed, and still expanded after the next refresh.
                browser.script("document.querySelector('#discover-docs tr.doc-row').click();");
                browser.waitFor("#discover-docs tr.doc-detail pre.json");
                String json = String.valueOf(browser.script("return document.querySelector('#discover-docs tr.doc-detail:not([hidden]) pre.json').textContent;"));
                assertThat(json).contains("\"Invoice\": \"" + marker + "\"").contains("\"Country\": \"Norway\"");
                browser.script("window.__beforeRefresh = document.querySelector('#discover-docs table');");
                browser.waitUntil("a refresh", () -> Boolean.TRUE.equals(browser.script(
                        "return document.querySelector('#discover-docs table') !== window.__beforeRefresh;")));
                assertThat(browser.all("#discover-docs tr.doc-detail:not([hidden]) pre.json")).hasSize(1);
                browser.screenshot("discover");

                // Turn auto-refresh off again so the counts below are stable, then filter on a top value.
                new Select(browser.find(".discover-time-picker select.time-refresh")).selectByValue("0");
                String countryField = browser.all(".discover-field-list button.field-name").stream()
                        .map(b -> b.getDomAttribute("data-field")).filter(f -> f.equals("Country")).findFirst().orElseThrow();
                browser.find(".discover-field-list button[data-field='" + countryField + "']").click();
                WebElement top = browser.waitFor(".discover-top-values ol.top-values");
                assertThat(top.getText()).contains("United Kingdom").contains("France").contains("Norway");
                browser.find(".discover-top-values button.column-toggle").click();
                browser.waitUntil("a Country column", () -> browser.all("#discover-docs thead th").stream().anyMatch(th -> th.getText().startsWith("Country")));
                assertThat(String.valueOf(browser.script("return document.querySelector('#discover-docs tbody tr.doc-row td:nth-child(3)').textContent;")))
                        .isIn("France", "United Kingdom", "Norway");
                browser.find(".discover-top-values button[aria-label='Filter for France']").click();
                int expectedFrance = france;
                browser.waitUntil(france + " hits for France", () -> String.valueOf(expectedFrance).equals(browser.find("#discover-hits").getDomAttribute("data-total")));
                browser.find(".discover-filters .chip-remove").click();
                browser.waitUntil("22 hits again", () -> "22".equals(browser.find("#discover-hits").getDomAttribute("data-total")));

                // The query bar takes Lucene syntax.
                WebElement query = browser.find("#discover-query");
                query.sendKeys("Country:Norway AND Quantity:[8 TO *]", Keys.ENTER);
                browser.waitUntil("1 hit", () -> "1".equals(browser.find("#discover-hits").getDomAttribute("data-total")));
                query.clear();
                query.sendKeys("Quantity:[", Keys.ENTER);
                assertThat(browser.waitFor(".discover-error .error").getText()).as("a bad query is explained").contains("Failed to parse query");
                query.clear();
                WebElement other = browser.find("#discover-index");
                other.clear();
                other.sendKeys("no-such-index", Keys.ENTER);
                browser.waitUntil("an unknown index to be named", () -> String.valueOf(browser.script(
                        "const e = document.querySelector('.discover-error .error'); return e ? e.textContent : '';")).contains("no-such-index"));

                // Clicking a bar zooms the time range to its bucket.
                other = browser.find("#discover-index");
                other.clear();
                other.sendKeys("retail*", Keys.ENTER);
                browser.waitUntil("22 hits once more", () -> "22".equals(browser.find("#discover-hits").getDomAttribute("data-total")));
                @SuppressWarnings("unchecked")
                Map<String, Object> bar = (Map<String, Object>) browser.script("""
                        const chart = echarts.getInstanceByDom(document.getElementById('discover-histogram'));
                        const data = chart.getOption().series[0].data;
                        let i = data.length - 1;
                        while (i >= 0 && !data[i]) i--;
                        const [x, y] = chart.convertToPixel({seriesIndex: 0}, [i, data[i] / 2]);
                        return {x, y, count: data[i]};""");
                WebElement canvas = browser.find("#discover-histogram canvas");
                Rectangle rect = canvas.getRect();
                new Actions(browser.driver()).moveToElement(canvas, (int) (((Number) bar.get("x")).doubleValue() - rect.getWidth() / 2.0),
                        (int) (((Number) bar.get("y")).doubleValue() - rect.getHeight() / 2.0)).click().perform();
                String count = String.valueOf(((Number) bar.get("count")).longValue());
                browser.waitUntil(count + " hits in the clicked bucket", () -> count.equals(browser.find("#discover-hits").getDomAttribute("data-total")));
                assertThat(new Select(browser.find(".discover-time-picker select.time-quick")).getFirstSelectedOption().getText()).isEqualTo("Absolute range…");
                browser.assertClean();
            }
        }
    }

    private static long histogramTotal(BrowserSupport browser) {
        Object total = browser.script("""
                const chart = echarts.getInstanceByDom(document.getElementById('discover-histogram'));
                return chart.getOption().series[0].data.reduce((a, b) => a + b, 0);""");
        return ((Number) total).longValue();
    }
}
