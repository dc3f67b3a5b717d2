package io.tributary.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.server.ConfigKeys;
import io.tributary.server.TestingServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UI loads in a real browser without authentication, with no console errors and no foreign requests. */
class UiSmokeTest {
    @TempDir
    static Path dir;
    static TestingServer server;

    @BeforeAll
    static void start() {
        server = TestingServer.start(dir, Map.of(ConfigKeys.AUTH_ENABLED.name(), "false"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shellLoadsWithNavAndSqlWorkspace() {
        try (BrowserSupport browser = BrowserSupport.open(server.uri())) {
            browser.go("#/");
            browser.waitFor("#nav nav a.active");
            assertThat(browser.all("#nav nav a").stream().map(a -> a.getText()).toList())
                    .containsExactly("Streams", "Lake", "SQL", "Analyses", "Discover", "Visualize", "Dashboards", "Admin");
            assertThat(browser.find("#nav nav a.active").getText()).isEqualTo("SQL");
            assertThat(browser.find("#nav .badge").getText()).isEqualTo("authentication off");
            browser.waitFor("main[data-page=sql] h1, main[data-page=sql] .unavailable");
            browser.screenshot("smoke");
        }
    }

    @Test
    void unknownPageSaysSoInWords() {
        try (BrowserSupport browser = BrowserSupport.open(server.uri())) {
            browser.go("#/no-such-page");
            assertThat(browser.waitFor("main .unavailable h1").getText()).isEqualTo("No such page");
        }
    }
}
