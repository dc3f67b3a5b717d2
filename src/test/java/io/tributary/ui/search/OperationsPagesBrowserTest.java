package io.tributary.ui.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.client.TributaryClient;
import io.tributary.common.Json;
import io.tributary.lake.BucketSpec;
import io.tributary.lake.Location;
import io.tributary.server.ConfigKeys;
import io.tributary.ui.BrowserSupport;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The operations pages in a real browser: the streams page's live rate, the lake browser's preview, and admin. */
class OperationsPagesBrowserTest {
    @TempDir
    static Path dir;

    private static SearchUiFixture fixture;

    @BeforeAll
    static void start() throws IOException {
        Path config = Files.writeString(dir.resolve("tributary.yaml"), """
                auth:
                  access-keys:
                    - id: TKIADECLAREDUI0001
                      secret: a-declared-secret-for-the-admin-page
                      user: admin
                """);
        fixture = SearchUiFixture.start(dir.resolve("data"), Optional.of(config), Map.of(ConfigKeys.AUTH_ENABLED.name(), "false"));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void streamsPageShowsTheIncomingRateAndAnAnalyticsRunWithItsBoxPlot() throws Exception {
        // An analytics run over part of the bundled telemetry archive, started through the API.
        List<Path> telemetry;
        try (var files = Files.list(Path.of("samples/cna-telemetry/immutable"))) {
            telemetry = files.sorted().limit(200).toList();
        }
        fixture.server().server().lake().createBucket(BucketSpec.mutable("ui-archive"));
        for (Path file : telemetry) {
            fixture.server().server().lake().put(Location.parse("s3://ui-archive/" + file.getFileName()), file);
        }
        TributaryClient client = fixture.client();
        String runId = client.post("/api/analytics/jobs/latency-legs/runs", Json.mapper().createObjectNode()
                .put("input", "s3://ui-archive/").put("output", "s3://ui-lake/reports/latency-legs/")).path("id").asText();
        JsonNode run = client.get("/api/analytics/runs/" + runId);
        for (int i = 0; i < 600 && run.path("status").asText().equals("RUNNING"); i++) {
            Thread.sleep(100);
            run = client.get("/api/analytics/runs/" + runId);
        }
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        List<String> pngs = new ArrayList<>();
        run.path("outputs").forEach(o -> {
            if (o.asText().endsWith(".png")) {
                pngs.add(o.asText());
            }
        });
        assertThat(pngs).isNotEmpty();
        client.put("/api/schedules/ui-legs", Json.mapper().readTree("""
                {"expression":"rate(1 day)","task":"analytics","parameters":{"job":"latency-legs","input":"s3://ui-archive/",
                 "output":"s3://ui-lake/reports/scheduled/"}}"""));

        AtomicBoolean sending = new AtomicBoolean(true);
        Thread producer = Thread.ofVirtual().start(() -> {
            int i = 0;
            while (sending.get()) {
                List<String> batch = new ArrayList<>();
                for (int j = 0; j < 10; j++, i++) {
                    batch.add(SearchUiFixture.record("RATE-" + i, "R" + j, 1, Instant.now(), "Iceland"));
                }
                fixture.send(batch);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try (BrowserSupport browser = BrowserSupport.open(fixture.server().uri())) {
            browser.go("#/streams");
            browser.waitFor("#streams tr[data-stream='retail-trans']");
            browser.waitUntil("a positive rate", () -> {
                Object rate = browser.script("const e = document.querySelector(\"#streams tr[data-stream='retail-trans'] td.rate\");"
                        + " return e ? e.dataset.rate : '';");
                return rate != null && !String.valueOf(rate).isEmpty() && Double.parseDouble(String.valueOf(rate)) > 0;
            });
            browser.waitUntil("a sparkline of three samples", () -> text(browser, "#streams tr[data-stream='retail-trans'] td.rate").endsWith("/s")
                    && String.valueOf(browser.script("const p = document.querySelector(\"#streams tr[data-stream='retail-trans'] svg.sparkline polyline\");"
                            + " return p ? p.getAttribute('points') : '';")).split(" ").length >= 3);
            assertThat(text(browser, "#delivery tr[data-delivery='retail-to-lake']")).contains("s3://ui-lake/");
            assertThat(text(browser, "#sinks tr[data-sink='retail-search']")).contains("retail");
            // Run a schedule now from the page: its last run appears in the row.
            browser.waitFor("#schedules tr[data-schedule='ui-legs'] button").click();
            browser.waitUntil("the schedule's run to succeed", () -> text(browser, "#schedules tr[data-schedule='ui-legs']").contains("SUCCEEDED"));
            assertThat(client.get("/api/schedules/ui-legs/runs").get(0).path("status").asText()).isEqualTo("SUCCEEDED");
            browser.waitFor("#analytics-runs article.analytics-run[data-run='" + runId + "']");
            browser.waitUntil("the box plot to load", () -> Boolean.TRUE.equals(browser.script(
                    "const img = document.querySelector(\"article[data-run='\" + arguments[0] + \"'] img.analytics-png\"); return !!img && img.complete && img.naturalWidth > 0;",
                    runId)));
            assertThat(text(browser, "article.analytics-run[data-run='" + runId + "']")).contains("latency-legs").contains("SUCCEEDED")
                    .contains(pngs.get(0));
            assertThat(browser.script("return document.querySelector(arguments[0]).getAttribute('href');",
                    "article.analytics-run[data-run='" + runId + "'] a[href^='#/lake/']"))
                    .isEqualTo("#/lake/" + URLEncoder.encode("s3://ui-archive/", StandardCharsets.UTF_8).replace("+", "%20"));
            browser.script("window.scrollTo(0, 0)");
            browser.screenshot("streams");
            browser.assertClean();
        } finally {
            sending.set(false);
            producer.join();
        }
    }

    @Test
    void lakeBrowserPreviewsAnNdjsonObjectsRows() {
        List<String> lines = new ArrayList<>();
        Set<String> invoices = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            lines.add(SearchUiFixture.record("LAKE-" + i, "L" + i, i, Instant.now(), "Portugal"));
            invoices.add("LAKE-" + i);
        }
        TributaryClient client = fixture.client();
        fixture.send(lines);
        client.post("/api/delivery-streams/" + SearchUiFixture.DELIVERY + "/flush", Json.mapper().createObjectNode());
        JsonNode delivery = client.get("/api/delivery-streams/" + SearchUiFixture.DELIVERY);
        String object = delivery.path("lastObject").asText();
        assertThat(object).startsWith("s3://ui-lake/json-data/");
        // Independently: the object's lines, read back through the raw download endpoint.
        String raw = new String(client.send("GET", "/api/lake/object?location=" + URLEncoder.encode(object, StandardCharsets.UTF_8), new byte[0], Map.of()).body(),
                StandardCharsets.UTF_8);
        List<String> expectedInvoices = raw.lines().filter(l -> !l.isBlank()).map(l -> invoice(l))
                .toList();
        assertThat(expectedInvoices).containsAll(invoices);

        try (BrowserSupport browser = BrowserSupport.open(fixture.server().uri())) {
            // The object's folder: a literal prefix gets Firehose's yyyy/MM/dd/HH/ folders.
            browser.go("#/lake/" + URLEncoder.encode(object.substring(0, object.lastIndexOf('/') + 1), StandardCharsets.UTF_8));
            browser.waitFor("#lake-buckets a");
            WebElement link = browser.waitFor("#lake-listing tr.object a.object-link");
            link.click();
            WebElement rows = browser.waitFor("#lake-rows");
            List<String> header = rows.findElements(By.cssSelector("thead th")).stream().map(WebElement::getText).toList();
            assertThat(header).contains("Invoice", "StockCode", "Quantity", "InvoiceDate", "Country");
            int invoiceColumn = header.indexOf("Invoice");
            List<String> shown = rows.findElements(By.cssSelector("tbody tr")).stream()
                    .map(tr -> tr.findElements(By.tagName("td")).get(invoiceColumn).getText()).toList();
            assertThat(shown).isEqualTo(expectedInvoices.subList(0, Math.min(50, expectedInvoices.size())));
            assertThat(browser.find("#lake-download").getDomAttribute("href")).startsWith("/api/lake/object?location=");
            browser.screenshot("lake");

            // A Parquet object's rows, read through the server's Parquet preview.
            Path parquet = dir.resolve("prices.parquet");
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
                s.execute("COPY (SELECT 'P-' || i AS Invoice, i * 2 AS Quantity FROM range(1, 6) t(i)) TO '" + parquet + "' (FORMAT PARQUET)");
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
            fixture.server().server().lake().put(Location.parse("s3://ui-lake/parquet/prices.parquet"), parquet);
            browser.go("#/lake/" + URLEncoder.encode("s3://ui-lake/parquet/prices.parquet", StandardCharsets.UTF_8));
            browser.waitFor("#lake-preview[data-state=drawn] #lake-rows");
            assertThat(browser.all("#lake-rows thead th").stream().map(WebElement::getText).toList()).containsExactly("Invoice", "Quantity");
            assertThat(browser.all("#lake-rows tbody tr").stream().map(WebElement::getText).toList())
                    .containsExactly("P-1 2", "P-2 4", "P-3 6", "P-4 8", "P-5 10");
            browser.go("#/lake/" + URLEncoder.encode("s3://no-such-bucket/x/", StandardCharsets.UTF_8));
            assertThat(browser.waitFor("#lake-listing .error").getText()).contains("no-such-bucket");
            browser.go("#/lake/" + URLEncoder.encode("s3://ui-lake/../../etc/passwd", StandardCharsets.UTF_8));
            assertThat(browser.waitFor("#lake-preview .error, #lake-listing .error").getText()).isNotBlank();
            browser.assertClean();
        }
    }

    @Test
    void adminCreatesAUserAndARoleAndMapsIt() throws Exception {
        TributaryClient client = fixture.client();
        try (BrowserSupport browser = BrowserSupport.open(fixture.server().uri())) {
            browser.go("#/admin");
            browser.waitFor("#users tr[data-user='admin']");

            browser.find("#admin-new-user").click();
            browser.waitFor("dialog.modal input[name=username]").sendKeys("carol");
            browser.find("dialog.modal input[name=password]").sendKeys("carol-password-1");
            browser.find("dialog.modal .modal-actions button.primary").click();
            browser.waitFor("#users tr[data-user='carol']");

            browser.find("#admin-new-role").click();
            browser.waitFor("dialog.modal input[name=rolename]").sendKeys("retail_readers");
            browser.find("dialog.modal .grant-patterns").sendKeys("retail*");
            browser.find("dialog.modal .grants + button").click();
            List<WebElement> rows = browser.all("dialog.modal .grant-row");
            assertThat(rows).hasSize(2);
            new Select(rows.get(1).findElement(By.cssSelector(".grant-type"))).selectByValue("table");
            rows.get(1).findElement(By.cssSelector(".grant-patterns")).sendKeys("mydatabase.*");
            browser.find("dialog.modal .modal-actions button.primary").click();
            browser.waitFor("#roles tr[data-role='retail_readers']");

            browser.find("#mappings tr[data-mapping='retail_readers'] button").click();
            browser.waitFor("dialog.modal input[name=users][value=carol]").click();
            browser.find("dialog.modal .modal-actions button.primary").click();
            browser.waitUntil("the mapping to list carol", () -> text(browser, "#mappings tr[data-mapping='retail_readers']").contains("carol"));

            // Give carol the role directly too, reset her password, and see both through the API.
            browser.find("#users tr[data-user='carol'] button").click();
            browser.waitFor("dialog.modal input[name=roles][value=retail_readers]").click();
            browser.find("dialog.modal .modal-actions button.primary").click();
            browser.waitUntil("carol's roles", () -> text(browser, "#users tr[data-user='carol']").contains("retail_readers"));
            assertThat(client.get("/api/users").findValues("roles").toString()).contains("retail_readers");
            browser.find("#users tr[data-user='carol'] button:nth-of-type(2)").click();
            browser.waitFor("dialog.modal input[type=password]").sendKeys("carol-password-2");
            browser.find("dialog.modal .modal-actions button.primary").click();
            browser.waitUntil("the dialog to close", () -> browser.all("dialog.modal").isEmpty());

            browser.find("#admin-new-key").click();
            new Select(browser.waitFor("dialog.modal select")).selectByValue("carol");
            browser.find("dialog.modal input[type=text]").sendKeys("dashboard kiosk");
            browser.find("dialog.modal .modal-actions button.primary").click();
            String keyId = browser.waitFor("#new-key-id").getText();
            String secret = browser.find("#new-key-secret").getText();
            assertThat(secret).isNotBlank();
            browser.find("dialog.modal .modal-actions button.primary").click();
            browser.waitFor("#keys tr[data-key='" + keyId + "']");
            // A key declared in tributary.yaml is listed as such, without a Revoke button.
            assertThat(text(browser, "#keys tr[data-key='TKIADECLAREDUI0001']")).contains("tributary.yaml").doesNotContain("Revoke");
            browser.screenshot("admin");

            // A short password is refused in words inside the dialog, which stays open.
            browser.find("#admin-new-user").click();
            browser.waitFor("dialog.modal input[name=username]").sendKeys("erin");
            browser.find("dialog.modal input[name=password]").sendKeys("short");
            browser.find("dialog.modal .modal-actions button.primary").click();
            assertThat(browser.waitFor("dialog.modal .error").getText()).contains("8");
            browser.find("dialog.modal .modal-actions button:not(.primary)").click();
            browser.waitUntil("the dialog to close", () -> browser.all("dialog.modal").isEmpty());
            assertThat(client.get("/api/users").findValuesAsText("name")).doesNotContain("erin");

            // Revoke the key, delete a scratch role.
            WebElement revoke = browser.find("#keys tr[data-key='" + keyId + "'] button");
            browser.script("arguments[0].scrollIntoView({block: 'center'});", revoke);
            revoke.click();
            browser.waitFor("dialog.modal .modal-actions button.primary").click();
            browser.waitUntil("the key to show revoked", () -> text(browser, "#keys tr[data-key='" + keyId + "']").contains("revoked"));
            client.put("/_plugins/_security/api/roles/scratch", Json.mapper().readTree("{\"cluster_permissions\":[\"cluster_monitor\"]}"));
            browser.go("#/streams");
            browser.waitFor("#streams");
            browser.go("#/admin");
            browser.waitFor("#roles tr[data-role='scratch'] button.danger").click();
            browser.waitFor("dialog.modal .modal-actions button.primary").click();
            browser.waitUntil("the role to go", () -> browser.all("#roles tr[data-role='scratch']").isEmpty());
            assertThat(client.get("/_plugins/_security/api/roles").has("scratch")).isFalse();
            browser.assertClean();

            // The API confirms what the page did.
            JsonNode users = client.get("/api/users");
            assertThat(users.findValuesAsText("name")).contains("carol");
            JsonNode role = client.get("/_plugins/_security/api/roles/retail_readers").path("retail_readers");
            assertThat(role.path("index_permissions").get(0).path("index_patterns").get(0).asText()).isEqualTo("retail*");
            assertThat(role.path("index_permissions").get(0).path("allowed_actions").get(0).asText()).isEqualTo("read");
            assertThat(role.path("table_permissions").get(0).path("table_patterns").get(0).asText()).isEqualTo("mydatabase.*");
            JsonNode mapping = client.get("/_plugins/_security/api/rolesmapping/retail_readers").path("retail_readers");
            assertThat(mapping.path("users").findValuesAsText("users")).isEmpty();
            assertThat(mapping.path("users").get(0).asText()).isEqualTo("carol");
            JsonNode key = StreamSupport.stream(client.get("/api/access-keys").spliterator(), false)
                    .filter(k -> k.path("id").asText().equals(keyId)).findFirst().orElseThrow();
            assertThat(key.path("owner").asText()).isEqualTo("carol");
            assertThat(key.path("description").asText()).isEqualTo("dashboard kiosk");
            assertThat(key.toString()).as("the secret is shown, never listed").doesNotContain(secret);
            assertThat(key.path("revoked").isMissingNode() || key.path("revoked").isNull()).isFalse();
        }
    }

    /** Text of an element read in one script call, so a table re-rendered meanwhile cannot go stale. */
    private static String text(BrowserSupport browser, String css) {
        Object text = browser.script("const e = document.querySelector(arguments[0]); return e ? e.textContent : '';", css);
        return String.valueOf(text);
    }

    private static String invoice(String line) {
        try {
            return Json.mapper().readTree(line).path("Invoice").asText();
        } catch (IOException e) {
            throw new AssertionError("the object holds a line that is not JSON: " + line, e);
        }
    }
}
