package io.tributary.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.common.Json;
import io.tributary.server.TestingServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The SQL workspace in a real browser with authentication on: errors in words with their position
 * marked, completion from the catalog, server-side paging, CSV download, saved queries, history,
 * cancel; the login page and password change; and the chart builder's SQL for hostile names.
 */
class SqlWorkspaceBrowserTest {
    static final String PASSWORD = "a long enough password";
    @TempDir
    static Path dir;
    static TestingServer server;

    @BeforeAll
    static void start() {
        server = TestingServer.start(dir);
        RetailLabData.load(server.client());
        server.server().users().create("dora", PASSWORD, Set.of("all_access"));
        server.server().users().create("erik", PASSWORD, Set.of());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static BrowserSupport workspace() {
        BrowserSupport browser = BrowserSupport.open(server.uri()).login("dora", PASSWORD);
        browser.go("#/sql");
        browser.waitFor("li[data-table='mydatabase.retail_trans_json']");
        return browser;
    }

    private static void run(BrowserSupport browser, String sql) {
        browser.script("const cm = document.querySelector('.CodeMirror').CodeMirror; cm.setValue(arguments[0]); cm.focus();", sql);
        browser.find("button.run-query").click();
    }

    @Test
    void aFailedQueryShowsTheMessageAndMarksTheLineAndColumn() {
        try (BrowserSupport browser = workspace()) {
            run(browser, "SELECT invoice\nFROM mydatabase.retail_trans_json\nWHERE price >> 3");
            assertThat(browser.waitFor(".query-status [data-state=FAILED]").getText()).isEqualTo("FAILED");
            assertThat(browser.find("main .error").getText()).contains("line 3:14", "mismatched input '>'");
            WebElement mark = browser.waitFor(".CodeMirror .error-mark");
            assertThat(mark.getText()).isEqualTo(">");
            assertThat(browser.script("return document.querySelector('.CodeMirror').CodeMirror.getCursor().line")).isEqualTo(2L);
            browser.screenshot("sql-error");
            // Editing clears the mark.
            browser.script("document.querySelector('.CodeMirror').CodeMirror.replaceRange(' ', {line: 0, ch: 0})");
            assertThat(browser.all(".CodeMirror .error-mark")).isEmpty();
        }
    }

    @Test
    void completionOffersTablesFromTheCatalogAndKeywords() {
        try (BrowserSupport browser = workspace()) {
            browser.script("const cm = document.querySelector('.CodeMirror').CodeMirror; cm.setValue('SELECT * FROM mydatabase.retail_t');"
                    + "cm.setCursor(cm.lineCount(), 0); cm.focus();");
            browser.find(".CodeMirror textarea").sendKeys(Keys.chord(Keys.CONTROL, Keys.SPACE));
            browser.waitFor(".CodeMirror-hints li");
            assertThat(browser.all(".CodeMirror-hints li").stream().map(WebElement::getText).toList()).contains("mydatabase.retail_trans_json");
            browser.find(".CodeMirror textarea").sendKeys(Keys.ESCAPE);
            browser.script("const cm = document.querySelector('.CodeMirror').CodeMirror; cm.setValue('SEL'); cm.setCursor(0, 3); cm.focus();");
            browser.find(".CodeMirror textarea").sendKeys(Keys.chord(Keys.CONTROL, Keys.SPACE));
            browser.waitFor(".CodeMirror-hints li");
            assertThat(browser.all(".CodeMirror-hints li").stream().map(WebElement::getText).toList()).contains("SELECT");
        }
    }

    @Test
    void resultsArePagedByTheServerAndDownloadAsCsv() throws Exception {
        Set<String> countries = new TreeSet<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(RetailLabData.SAMPLE)),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    countries.add(Json.mapper().readTree(line).path("Country").asText());
                }
            }
        }
        try (BrowserSupport browser = workspace()) {
            run(browser, "SELECT invoice FROM mydatabase.retail_trans_json LIMIT 250");
            browser.waitFor(".query-status [data-state=SUCCEEDED]");
            assertThat(browser.waitFor(".results .pager .muted").getText()).isEqualTo("Rows 1–100 of 250");
            assertThat(browser.all(".result-table tbody tr")).hasSize(100);
            browser.find(".results .pager button:last-child").click();
            browser.waitUntil("the second page", () -> browser.find(".results .pager .muted").getText().equals("Rows 101–200 of 250"));
            browser.find(".results .pager button:last-child").click();
            browser.waitUntil("the last page", () -> browser.find(".results .pager .muted").getText().equals("Rows 201–250 of 250"));
            assertThat(browser.all(".result-table tbody tr")).hasSize(50);
            assertThat(browser.find(".results .pager button:last-child").isEnabled()).isFalse();

            run(browser, "SELECT country, count(*) AS n\nFROM mydatabase.retail_trans_json\nGROUP BY country\nORDER BY country");
            browser.waitFor(".query-status [data-state=SUCCEEDED]");
            browser.waitUntil("one row per country", () -> browser.all(".result-table tbody tr").size() == countries.size());
            String href = browser.find("a.download").getAttribute("href");
            String csv = (String) browser.asyncScript("const done = arguments[arguments.length - 1];"
                    + "fetch(arguments[0]).then(r => r.text()).then(done);", href);
            List<String> lines = csv.lines().toList();
            assertThat(lines.get(0)).isEqualTo("\"country\",\"n\"");
            assertThat(lines).hasSize(countries.size() + 1);
            assertThat(lines.subList(1, lines.size()).stream().map(l -> l.substring(1, l.indexOf('"', 1))).toList())
                    .containsExactlyElementsOf(countries);

            // Save it; it shows under Saved queries and in the API; the history lists it.
            browser.find("button.save-query").click();
            browser.waitFor("dialog.modal input[name=name]").sendKeys("Countries", Keys.ENTER);
            browser.waitUntil("the dialog to close", () -> browser.all("dialog.modal").isEmpty());
            JsonNode saved = server.client().get("/api/saved-queries");
            assertThat(saved).anyMatch(q -> q.path("name").asText().equals("Countries") && q.path("query").asText().startsWith("SELECT country"));
            browser.find(".tabs button:nth-child(3)").click();
            browser.waitUntil("the saved query to be listed", () -> browser.find("main [role=tabpanel]:not([hidden])").getText().contains("Countries"));
            browser.find(".tabs button:nth-child(2)").click();
            browser.waitFor("main [role=tabpanel]:not([hidden]) tbody tr");
            assertThat(browser.find("main [role=tabpanel]:not([hidden]) tbody tr").getText()).contains("SUCCEEDED", "SELECT country");
            browser.screenshot("sql-history");
        }
    }

    @Test
    void aRunningQueryCanBeCancelled() {
        try (BrowserSupport browser = workspace()) {
            run(browser, "SELECT count(*) FROM mydatabase.retail_trans_json a CROSS JOIN mydatabase.retail_trans_json b"
                    + " CROSS JOIN mydatabase.retail_trans_json c");
            browser.waitUntil("the query to run", () -> !browser.all(".query-status [data-state=RUNNING], .query-status [data-state=QUEUED]").isEmpty());
            WebElement cancel = browser.find("button.cancel-query");
            assertThat(cancel.getText()).isEqualTo("Cancel");
            cancel.click();
            assertThat(browser.waitFor(".query-status [data-state=CANCELLED]").getText()).isEqualTo("CANCELLED");
            // The page stops polling once it sees the cancelled state, and Run comes back.
            browser.waitUntil("Run to be enabled again", () -> browser.find("button.run-query").isEnabled());
            assertThat(browser.find("button.cancel-query").isEnabled()).isFalse();
        }
    }

    @Test
    void wrongPasswordIsExplainedAndAUserCanChangeTheirPassword() {
        try (BrowserSupport browser = BrowserSupport.open(server.uri())) {
            browser.go("#/sql");
            browser.waitFor("input[name=username]").sendKeys("erik");
            browser.find("input[name=password]").sendKeys("not the password", Keys.ENTER);
            assertThat(browser.waitFor("form.login .error").getText()).contains("wrong user name or password");
            browser.login("erik", PASSWORD);
            // A user without roles sees the workspace but no tables, with the reason from the server.
            browser.go("#/sql");
            browser.waitFor(".tree");
            browser.find("#nav button.link").click();
            List<WebElement> fields = List.of(browser.waitFor("dialog.modal input[autocomplete=current-password]"));
            fields.get(0).sendKeys("wrong");
            List<WebElement> news = browser.all("dialog.modal input[autocomplete=new-password]");
            news.get(0).sendKeys("a brand new password");
            news.get(1).sendKeys("a brand new password", Keys.ENTER);
            assertThat(browser.waitFor("dialog.modal .error").getText()).contains("the current password is wrong");
            WebElement current = browser.find("dialog.modal input[autocomplete=current-password]");
            current.clear();
            current.sendKeys(PASSWORD, Keys.ENTER);
            browser.waitUntil("the dialog to close", () -> browser.all("dialog.modal").isEmpty());
            assertThat(browser.waitFor("#toasts .toast").getText()).startsWith("Password changed");
            browser.find("#logout").click();
            browser.waitFor("input[name=username]");
            browser.login("erik", "a brand new password");
        }
    }

    @Test
    void theChartBuilderQuotesNamesAndRefusesUnknownAggregations() {
        try (BrowserSupport browser = workspace()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) browser.asyncScript("""
                    const done = arguments[arguments.length - 1];
                    import('/ui/js/visuals/sql.js').then(m => {
                      const body = {source: 'sql', chart: 'bar', dataset: {table: 'my"db.t; DROP TABLE x'},
                        x: {field: 'a"b', granularity: 'day'}, values: [{field: 'p"', agg: 'sum'}], group: 'g', timeField: 't"s'};
                      const out = {sql: m.buildSql(body, {timeRange: {from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z'}})};
                      for (const [k, bad] of [['agg', {...body, values: [{field: 'p', agg: 'sum(1)); DROP TABLE x; --'}]}],
                                              ['gran', {...body, x: {field: 'a', granularity: "day') --"}}]]) {
                        try { m.buildSql(bad, {}); out[k] = 'accepted'; } catch (e) { out[k] = e.message; }
                      }
                      done(out);
                    }).catch(e => done({error: String(e)}));""");
            assertThat(r.get("sql")).isEqualTo("""
                    SELECT date_trunc('day', "a""b") AS "x", "g" AS "grp", sum("p""\") AS "sum_p_"
                    FROM "my""db"."t; DROP TABLE x"
                    WHERE "t""s" >= TIMESTAMP '2026-01-01 00:00:00.000' AND "t""s" < TIMESTAMP '2026-01-02 00:00:00.000'
                    GROUP BY date_trunc('day', "a""b"), "g"
                    ORDER BY 1, 2
                    LIMIT 1000""");
            assertThat((String) r.get("agg")).startsWith("'sum(1)); DROP TABLE x; --' is not an aggregation");
            assertThat((String) r.get("gran")).startsWith("'day') --' is not a granularity");
        }
    }
}
