package io.tributary.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.client.ClientException;
import io.tributary.client.TributaryClient;
import io.tributary.common.Json;
import io.tributary.server.TestingServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;

/**
 * Editing a dashboard in a real browser: reorder, resize and remove panels from the keyboard, the
 * time range applied to the visuals' time field and saved, auto-refresh that re-runs the panels'
 * queries and stops when the page is left, and a co-owner who may edit.
 */
class DashboardEditingBrowserTest {
    static final String PASSWORD = "co-owner password";
    @TempDir
    static Path dir;
    static TestingServer server;
    static TributaryClient admin;

    @BeforeAll
    static void start() throws Exception {
        server = TestingServer.start(dir);
        admin = server.client();
        RetailLabData.load(admin);
        new TributaryClient(TributaryClient.Config.of(server.searchUri(), Optional.of(server.adminKey()))).put(
                "/_plugins/_security/api/roles/retail_reader", Json.mapper().readTree("""
                        {"table_permissions":[{"table_patterns":["mydatabase.*"],"allowed_actions":["read"]}]}"""));
        server.server().users().create("gina", PASSWORD, Set.of("retail_reader"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String visual(String title, String chart, String x, String granularity) {
        ObjectNode body = Json.mapper().createObjectNode().put("source", "sql").put("chart", chart).put("title", title)
                .put("database", "mydatabase").put("timeField", "invoicedate");
        body.putObject("dataset").put("table", "mydatabase.retail_trans_json");
        if (x != null) {
            ObjectNode xn = body.putObject("x").put("field", x);
            if (granularity != null) {
                xn.put("granularity", granularity);
            }
        }
        body.putArray("values").addObject().put("field", "*").put("agg", "count");
        return admin.post("/api/visuals", Json.mapper().createObjectNode().put("name", title).set("body", body)).path("id").asText();
    }

    private static String dashboard(String name, List<String> visuals) {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode panels = body.putArray("panels");
        int[][] layout = {{0, 0, 6, 4}, {6, 0, 6, 4}, {0, 4, 12, 4}};
        for (int i = 0; i < visuals.size(); i++) {
            panels.addObject().put("visual", visuals.get(i)).put("x", layout[i][0]).put("y", layout[i][1]).put("w", layout[i][2]).put("h", layout[i][3]);
        }
        body.putObject("timeRange").put("from", "all").put("to", "now");
        body.put("refreshSeconds", 0);
        return admin.post("/api/dashboards", Json.mapper().createObjectNode().put("name", name).set("body", body)).path("id").asText();
    }

    private static JsonNode body(String dashboard) {
        return admin.get("/api/dashboards/" + dashboard).path("body");
    }

    private static List<String> layout(String dashboard) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : body(dashboard).path("panels")) {
            out.add(p.path("visual").asText() + "@" + p.path("x").asInt() + "," + p.path("y").asInt() + " " + p.path("w").asInt() + "x"
                    + p.path("h").asInt());
        }
        return out;
    }

    @Test
    void panelsAreReorderedResizedAndRemovedFromTheKeyboardAndSaved() {
        String monthly = visual("Rows per month", "bar", "invoicedate", "month");
        String total = visual("Rows", "kpi", null, null);
        String countries = visual("Rows by country", "table", "country", null);
        String id = dashboard("Editing", List.of(monthly, total, countries));
        try (BrowserSupport browser = BrowserSupport.open(server.uri()).login("admin", TestingServer.ADMIN_PASSWORD)) {
            browser.go("#/dashboards/" + id);
            browser.waitUntil("three panels drawn", () -> browser.all(".panel-card [data-state=drawn]").size() == 3);
            browser.find("button.mode-toggle").sendKeys(Keys.ENTER);
            browser.waitFor("button[aria-label='Wider: Rows per month']").sendKeys(Keys.ENTER);
            // 7 + 6 columns no longer fit one row: the others move down, in order.
            browser.waitUntil("the wider panel to be saved", () -> layout(id).equals(List.of(
                    monthly + "@0,0 7x4", total + "@0,4 6x4", countries + "@0,8 12x4")));
            // Focus stays on the control, so repeated presses keep working.
            assertThat(browser.script("return document.activeElement.getAttribute('aria-label')")).isEqualTo("Wider: Rows per month");
            browser.find("button[aria-label='Move later: Rows per month']").sendKeys(Keys.ENTER);
            browser.waitUntil("the move to be saved", () -> layout(id).equals(List.of(
                    total + "@0,0 6x4", monthly + "@0,4 7x4", countries + "@0,8 12x4")));
            browser.find("button[aria-label='Taller: Rows']").sendKeys(Keys.ENTER);
            browser.waitUntil("the taller panel to be saved", () -> layout(id).get(0).equals(total + "@0,0 6x5"));
            browser.find("button[aria-label='Remove from dashboard: Rows by country']").sendKeys(Keys.ENTER);
            browser.waitUntil("the removal to be saved", () -> layout(id).size() == 2);
            browser.waitUntil("two panels drawn", () -> browser.all(".panel-card [data-state=drawn]").size() == 2);
            browser.script("window.scrollTo(0, 0)");
            browser.screenshot("dashboard-edit");
            browser.find("button.mode-toggle").click();
            browser.waitUntil("the layout tools to go", () -> browser.all(".panel-tools").isEmpty());
            assertThat(browser.find(".mode-badge").getText()).isEqualTo("viewing");
        }
        // A co-owner may edit too.
        admin.put("/api/dashboards/" + id + "/shares", Json.mapper().createArrayNode().add(
                Json.mapper().createObjectNode().put("user", "gina").put("level", "co-owner")));
        try (BrowserSupport browser = BrowserSupport.open(server.uri()).login("gina", PASSWORD)) {
            browser.go("#/dashboards/" + id);
            browser.waitUntil("two panels drawn", () -> browser.all(".panel-card [data-state=drawn]").size() == 2);
            assertThat(browser.find("button.mode-toggle").isDisplayed()).isTrue();
            assertThat(browser.find("button.share").isDisplayed()).as("only the owner shares").isFalse();
        }
    }

    @Test
    void theTimeRangeFiltersTheTimeFieldIsSavedAndAutoRefreshStopsWhenLeaving() throws Exception {
        String monthly = visual("Monthly rows", "bar", "invoicedate", "month");
        String total = visual("All rows", "kpi", null, null);
        String id = dashboard("Time", List.of(monthly, total));
        long rows = RetailLabData.monthlyTotals().size();
        try (BrowserSupport browser = BrowserSupport.open(server.uri()).login("admin", TestingServer.ADMIN_PASSWORD)) {
            browser.go("#/dashboards/" + id);
            browser.waitUntil("two panels drawn", () -> browser.all(".panel-card [data-state=drawn]").size() == 2);
            assertThat(categories(browser)).isEqualTo(rows);
            // The sample's invoices are from 2009-2011: nothing in the last 24 hours.
            new Select(browser.find("select.time-quick")).selectByValue("now-24h");
            browser.waitUntil("the range to be saved", () -> body(id).path("timeRange").path("from").asText().equals("now-24h"));
            browser.waitUntil("an empty chart", () -> categories(browser) == 0);
            browser.waitUntil("a zero KPI", () -> browser.find(".panel-card .kpi .value").getText().equals("0"));
            browser.screenshot("dashboard-empty-range");
            new Select(browser.find("select.time-quick")).selectByValue("all");
            browser.waitUntil("all months again", () -> categories(browser) == rows);

            new Select(browser.find("select.time-refresh")).selectByValue("5");
            browser.waitUntil("the refresh to be saved", () -> body(id).path("refreshSeconds").asInt() == 5);
            int before = queries();
            Thread.sleep(11_000);
            int during = queries();
            assertThat(during - before).as("two panels re-run every 5 s").isBetween(2, 6);
            browser.go("#/sql");
            browser.waitFor(".tree");
            Thread.sleep(500);
            int left = queries();
            Thread.sleep(6_000);
            assertThat(queries()).as("no refresh after leaving the dashboard").isEqualTo(left);
        }
    }

    @Test
    void ownersDeleteDashboardsAndAnalysesAfterConfirmingAndSavedAnalysesReopen() {
        String monthly = visual("Monthly rows to keep", "bar", "invoicedate", "month");
        String id = dashboard("Doomed", List.of(monthly));
        admin.put("/api/dashboards/" + id + "/shares", Json.mapper().createArrayNode().add(
                Json.mapper().createObjectNode().put("user", "gina").put("level", "co-owner")));
        ObjectNode analysisBody = Json.mapper().createObjectNode();
        analysisBody.putArray("visuals").add(monthly);
        String analysis = admin.post("/api/analyses", Json.mapper().createObjectNode().put("name", "Doomed analysis").set("body", analysisBody))
                .path("id").asText();
        try (BrowserSupport browser = BrowserSupport.open(server.uri()).login("gina", PASSWORD)) {
            browser.go("#/dashboards/" + id);
            browser.waitUntil("the panel drawn", () -> browser.all(".panel-card [data-state=drawn]").size() == 1);
            assertThat(browser.find("button.delete-dashboard").isDisplayed()).as("only the owner deletes").isFalse();
            // gina's role reads tables and manages nobody: no Admin page.
            assertThat(browser.all("#nav nav a").stream().map(a -> a.getText()).toList()).contains("Dashboards").doesNotContain("Admin");
            browser.go("#/admin");
            assertThat(browser.waitFor("main h1").getText()).isEqualTo("Administrators only");
        }
        try (BrowserSupport browser = BrowserSupport.open(server.uri()).login("admin", TestingServer.ADMIN_PASSWORD)) {
            browser.go("#/dashboards/" + id);
            browser.waitUntil("the panel drawn", () -> browser.all(".panel-card [data-state=drawn]").size() == 1);
            assertThat(browser.all("#nav nav a").stream().map(a -> a.getText()).toList()).contains("Admin");
            browser.find("button.delete-dashboard").click();
            browser.waitFor("dialog.modal .modal-actions button.primary").click();
            browser.waitUntil("the dashboard list", () -> "#/dashboards".equals(browser.script("return location.hash")));
            browser.waitFor(".dashboard-list");
            browser.waitUntil("the dashboard gone from the list", () -> browser.all(".dashboard-list .card[data-id='" + id + "']").isEmpty());
            assertThat(((ClientException) catchThrowable(() -> admin.get("/api/dashboards/" + id))).status()).isEqualTo(404);
            assertThat(admin.get("/api/visuals/" + monthly).path("name").asText()).as("visuals stay").isEqualTo("Monthly rows to keep");

            // A saved analysis reopens with its chart, drawn from the lake.
            browser.go("#/analyses/" + analysis);
            browser.waitFor(".visual-box[data-state=drawn]");
            assertThat(browser.find("input[name=analysis-name]").getAttribute("value")).isEqualTo("Doomed analysis");
            assertThat(analysisCategories(browser)).isEqualTo(RetailLabData.monthlyTotals().size());
            browser.find("button.delete-analysis").click();
            browser.waitFor("dialog.modal .modal-actions button.primary").click();
            browser.waitUntil("the analyses list", () -> "#/analyses".equals(browser.script("return location.hash")));
            assertThat(((ClientException) catchThrowable(() -> admin.get("/api/analyses/" + analysis))).status()).isEqualTo(404);
            browser.assertClean();
        }
    }

    @Test
    void quarterAndYearGranularitiesChartTheSampleSums() {
        Map<String, Long> quarters = new TreeMap<>();
        Map<String, Long> years = new TreeMap<>();
        RetailLabData.monthlyTotals().forEach((month, totals) -> {
            quarters.merge(month.getYear() + " Q" + ((month.getMonthValue() - 1) / 3 + 1), totals.quantity(), Long::sum);
            years.merge(Integer.toString(month.getYear()), totals.quantity(), Long::sum);
        });
        String quarterly = sumOfQuantity("Quantity per quarter", "quarter");
        String yearly = sumOfQuantity("Quantity per year", "year");
        String id = dashboard("Calendar", List.of(quarterly, yearly));
        try (BrowserSupport browser = BrowserSupport.open(server.uri()).login("admin", TestingServer.ADMIN_PASSWORD)) {
            browser.go("#/dashboards/" + id);
            browser.waitUntil("two panels drawn", () -> browser.all(".panel-card [data-state=drawn]").size() == 2);
            assertThat(bars(browser, 0)).isEqualTo(quarters);
            assertThat(bars(browser, 1)).isEqualTo(years);
            browser.assertClean();
        }
    }

    @Test
    void aNonAdministratorCreatesADashboardAndSharesItByPickingAName() {
        try (BrowserSupport browser = BrowserSupport.open(server.uri()).login("gina", PASSWORD)) {
            browser.go("#/dashboards");
            browser.waitFor("button.new-dashboard").click();
            browser.waitFor("dialog.modal input[name=name]").sendKeys("Gina's board");
            browser.find("dialog.modal .modal-actions button.primary").click();
            browser.waitUntil("the new dashboard", () -> String.valueOf(browser.script("return location.hash")).startsWith("#/dashboards/"));
            String id = String.valueOf(browser.script("return location.hash")).substring("#/dashboards/".length());
            browser.waitFor("button.share").click();
            // gina may not list users, but picks from their names rather than typing them.
            new Select(browser.waitFor("dialog.modal select[data-user=admin]")).selectByValue("viewer");
            assertThat(browser.all("dialog.modal select[data-user=gina]")).as("not the owner herself").isEmpty();
            browser.find("dialog.modal .modal-actions button.primary").click();
            browser.waitUntil("the share saved", () -> admin.get("/api/dashboards/" + id).path("shares").toString()
                    .equals("[{\"user\":\"admin\",\"level\":\"viewer\"}]"));
            assertThat(admin.get("/api/dashboards/" + id).path("owner").asText()).isEqualTo("gina");
            browser.assertClean();
        }
    }

    private static String sumOfQuantity(String title, String granularity) {
        ObjectNode body = Json.mapper().createObjectNode().put("source", "sql").put("chart", "bar").put("title", title)
                .put("database", "mydatabase").put("timeField", "invoicedate");
        body.putObject("dataset").put("table", "mydatabase.retail_trans_json");
        body.putObject("x").put("field", "invoicedate").put("granularity", granularity);
        body.putArray("values").addObject().put("field", "quantity").put("agg", "sum");
        return admin.post("/api/visuals", Json.mapper().createObjectNode().put("name", title).set("body", body)).path("id").asText();
    }

    /** The n-th panel's bars: category label to value. */
    @SuppressWarnings("unchecked")
    private static Map<String, Long> bars(BrowserSupport browser, int panel) {
        List<Object> pair = (List<Object>) browser.script("const c = document.querySelectorAll('.panel-card [data-state=drawn] .chart')[arguments[0]];"
                + "const o = echarts.getInstanceByDom(c).getOption(); return [o.xAxis[0].data, o.series[0].data];", panel);
        List<String> labels = (List<String>) pair.get(0);
        List<Number> values = (List<Number>) pair.get(1);
        Map<String, Long> out = new TreeMap<>();
        for (int i = 0; i < labels.size(); i++) {
            out.put(labels.get(i), values.get(i).longValue());
        }
        return out;
    }

    private static long analysisCategories(BrowserSupport browser) {
        Object n = browser.script("const root = document.querySelector('.visual-box');"
                + "for (const c of [root, ...root.querySelectorAll('*')]) { const i = echarts.getInstanceByDom(c);"
                + "  if (i) return i.getOption().xAxis[0].data.length; } return -1;");
        return ((Number) n).longValue();
    }

    private static long categories(BrowserSupport browser) {
        Object n = browser.script("const c = document.querySelector('.panel-card [data-state=drawn] .chart');"
                + "const i = c && echarts.getInstanceByDom(c); return i ? i.getOption().xAxis[0].data.length : -1;");
        return ((Number) n).longValue();
    }

    private static int queries() {
        return admin.get("/api/queries?limit=1000").size();
    }
}
