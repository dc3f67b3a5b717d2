package io.tributary.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tributary.client.TributaryClient;
import io.tributary.server.TestingServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * What a newcomer does, in a real browser against a real server with authentication on: log in,
 * run the lab's monthly-revenue SQL, build the lab's chart (sum of price and of quantity per
 * month of invoicedate), put it on a new dashboard, share it with a second user, and see it as
 * that user with the right data; a third, unshared dashboard stays invisible to them.
 *
 * <p>Expected numbers come from the sample file itself ({@link RetailLabData#monthlyTotals()}).
 * Screenshots of each page land in target/screenshots/.
 */
class DashboardSharingBrowserTest {
    static final String PASSWORD = "correct horse battery";
    @TempDir
    static Path dir;
    static TestingServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestingServer.start(dir);
        RetailLabData.load(server.client());
        // Roles live in the OpenSearch-compatible security API, on the search listener.
        new TributaryClient(TributaryClient.Config.of(server.searchUri(), Optional.of(server.adminKey()))).put("/_plugins/_security/api/roles/retail_reader", io.tributary.common.Json.mapper().readTree("""
                {"table_permissions":[{"table_patterns":["mydatabase.*"],"allowed_actions":["read"]}]}"""));
        server.server().users().create("alice", PASSWORD, Set.of("retail_reader"));
        server.server().users().create("bob", PASSWORD, Set.of("retail_reader"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void loginQueryChartDashboardShareAndViewAsAnotherUser() {
        Map<YearMonth, RetailLabData.MonthTotals> months = RetailLabData.monthlyTotals();
        long months2010 = months.keySet().stream().filter(m -> m.getYear() == 2010).count();
        String sharedId;
        String privateId;
        try (BrowserSupport browser = BrowserSupport.open(server.uri())) {
            // Log in.
            browser.go("#/sql");
            browser.waitFor("input[name=username]");
            browser.screenshot("login");
            browser.login("alice", PASSWORD);

            // The SQL workspace: the lab's query, run with Ctrl+Enter.
            browser.go("#/sql");
            browser.waitFor("li[data-table='mydatabase.retail_trans_json']");
            browser.script("document.querySelector('.CodeMirror').CodeMirror.setValue(arguments[0])", RetailLabData.monthlyRevenueSql());
            browser.find(".CodeMirror textarea").sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
            browser.waitFor(".query-status [data-state=SUCCEEDED]");
            browser.waitFor(".result-table table.data");
            assertThat(browser.all(".result-table tbody tr")).hasSize((int) months2010);
            assertThat(browser.find(".query-status").getText()).contains(months2010 + " rows", "Data scanned", "Download CSV");
            browser.screenshot("sql");

            // Analyses: the lab's chart from the table in a few choices.
            browser.go("#/analyses/new");
            new Select(browser.waitFor("select[name=dataset]")).selectByValue("mydatabase.retail_trans_json");
            browser.waitFor(".values-well .value-row");
            assertThat(new Select(browser.find("select[name=x-field]")).getFirstSelectedOption().getAttribute("value")).isEqualTo("invoicedate");
            assertThat(new Select(browser.find("select[name=granularity]")).getFirstSelectedOption().getAttribute("value")).isEqualTo("month");
            new Select(browser.find("select[name=value-field-0]")).selectByValue("price");
            browser.waitFor(".add-value").click();
            new Select(browser.waitFor("select[name=value-field-1]")).selectByValue("quantity");
            assertThat(new Select(browser.find("select[name=value-agg-1]")).getFirstSelectedOption().getText()).isEqualTo("sum");
            browser.find("button[data-chart=bar]").click();
            WebElement title = browser.find("input[name=title]");
            title.sendKeys("Monthly price and quantity", Keys.TAB);
            browser.waitUntil("the preview to show both sums", () -> seriesNames(browser, ".visual-box").equals(List.of("sum(price)", "sum(quantity)")));
            browser.screenshot("analyses");

            // Add to a new dashboard.
            browser.find(".add-to-dashboard").click();
            browser.waitFor("dialog.modal select[name=dashboard]");
            WebElement name = browser.find("dialog.modal input[name=dashboard-name]");
            name.clear();
            name.sendKeys("Retail revenue", Keys.ENTER);
            browser.waitFor("main[data-page=dashboards] .panel-card [data-state=drawn]");
            sharedId = currentId(browser);
            assertMonthlyChart(browser, months);
            browser.screenshot("dashboard");

            // Share it with bob: alice may not administer users, but picks bob from the names.
            browser.find("button.share").click();
            new Select(browser.waitFor("dialog.modal select[data-user=bob]")).selectByValue("viewer");
            browser.screenshot("share");
            browser.find("dialog.modal button.primary").click();
            browser.waitUntil("the dialog to close", () -> browser.all("dialog.modal").isEmpty());

            // A third dashboard, not shared.
            browser.go("#/dashboards");
            browser.waitFor("button.new-dashboard").click();
            browser.waitFor("dialog.modal input[name=name]").sendKeys("Private plans", Keys.ENTER);
            browser.waitFor("main[data-page=dashboards] .dash-name");
            browser.waitUntil("the private dashboard to open", () -> browser.find(".dash-name").getText().equals("Private plans"));
            privateId = currentId(browser);
            browser.go("#/dashboards");
            browser.waitFor(".dashboard-list .card");
            browser.screenshot("dashboards");

            // Log out; bob logs in and sees only what was shared with him.
            browser.find("#logout").click();
            browser.waitFor("input[name=username]");
            browser.login("bob", PASSWORD);
            browser.go("#/dashboards");
            browser.waitFor(".dashboard-list .card");
            assertThat(browser.all(".dashboard-list .card a").stream().map(WebElement::getText).toList()).containsExactly("Retail revenue");
            browser.find(".dashboard-list .card a").click();
            browser.waitFor("main[data-page=dashboards] .panel-card [data-state=drawn]");
            assertThat(browser.find(".mode-badge").getText()).isEqualTo("view only");
            assertThat(browser.all("button.mode-toggle").get(0).isDisplayed()).isFalse();
            assertMonthlyChart(browser, months);

            // The unshared dashboard: absent from the list, 404 from the API, a message in the page.
            Object status = browser.asyncScript("const done = arguments[arguments.length - 1];"
                            + "fetch('/api/dashboards/' + arguments[0], {credentials: 'same-origin'}).then(r => done(r.status));", privateId);
            assertThat(((Number) status).intValue()).isIn(403, 404);
            browser.go("#/dashboards/" + privateId);
            assertThat(browser.waitFor("main .error").getText()).contains("does not exist or is not shared with you");
        }
        assertThat(sharedId).isNotEqualTo(privateId);
    }

    /** The chart on the dashboard: one bar per month with data, with the sums from the sample file. */
    private static void assertMonthlyChart(BrowserSupport browser, Map<YearMonth, RetailLabData.MonthTotals> months) {
        String chart = ".panel-card [data-state=drawn] .chart";
        browser.waitFor(chart);
        @SuppressWarnings("unchecked")
        List<String> categories = (List<String>) browser.script(
                "return echarts.getInstanceByDom(document.querySelector(arguments[0])).getOption().xAxis[0].data", chart);
        assertThat(categories).containsExactlyElementsOf(months.keySet().stream().map(YearMonth::toString).toList());
        @SuppressWarnings("unchecked")
        List<List<Number>> series = (List<List<Number>>) browser.script(
                "return echarts.getInstanceByDom(document.querySelector(arguments[0])).getOption().series.map(s => s.data)", chart);
        assertThat(series).hasSize(2);
        int i = 0;
        for (RetailLabData.MonthTotals t : months.values()) {
            assertThat(series.get(0).get(i).doubleValue()).isCloseTo(t.price(), within(0.01 + Math.abs(t.price()) * 1e-6));
            assertThat(series.get(1).get(i).longValue()).isEqualTo(t.quantity());
            i++;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> seriesNames(BrowserSupport browser, String box) {
        Object names = browser.script("const c = document.querySelector(arguments[0] + ' .chart');"
                + "const i = c && echarts.getInstanceByDom(c); return i ? i.getOption().series.map(s => s.name) : [];", box);
        return (List<String>) names;
    }

    private static String currentId(BrowserSupport browser) {
        String url = browser.driver().getCurrentUrl();
        return URI.create(url).getFragment().replaceFirst("^/dashboards/", "");
    }

    static By css(String s) {
        return By.cssSelector(s);
    }
}
