package io.tributary.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.tributary.server.TestingServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Passwords never reach the logs (at TRACE) or the data directory in clear: through user
 * creation, logins, failed logins, a password typed into the name field, malformed login bodies,
 * password changes and resets.
 */
class PasswordSecrecyTest {
    private static final String FIRST = "Correct-Horse-1739";
    private static final String WRONG = "Wrong-Guess-8832";
    private static final String SECOND = "Battery-Staple-5521";
    private static final String THIRD = "Reset-By-Admin-6604";
    private static final List<String> SECRETS = List.of(FIRST, WRONG, SECOND, THIRD);

    @TempDir
    Path dir;

    @Test
    void passwordsAreNeitherLoggedNorStoredInClear() throws IOException {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger tributary = (Logger) LoggerFactory.getLogger("io.tributary");
        Level rootLevel = root.getLevel();
        Level tributaryLevel = tributary.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        root.setLevel(Level.INFO);
        tributary.setLevel(Level.TRACE);
        List<String> responses = new ArrayList<>();
        Path data = dir.resolve("data");
        try (TestingServer server = TestingServer.start(data)) {
            WebClient admin = WebClient.at(server.uri()).login("admin", TestingServer.ADMIN_PASSWORD);
            WebClient web = WebClient.at(server.uri());

            WebClient.Response created = admin.post("/api/users", "{\"name\":\"hana\",\"password\":\"" + FIRST + "\",\"roles\":[]}");
            assertThat(created.status()).isEqualTo(201);
            responses.add(created.body());
            WebClient.Response wrong = web.post("/api/session", WebClient.loginBody("hana", WRONG));
            assertThat(wrong.status()).isEqualTo(401);
            responses.add(wrong.body());
            // The password typed into the name field, a classic way for it to end up in a log.
            WebClient.Response swapped = web.post("/api/session", WebClient.loginBody(WRONG, "hana"));
            assertThat(swapped.status()).isEqualTo(401);
            responses.add(swapped.body());
            WebClient.Response malformed = web.post("/api/session", "{\"username\":\"hana\",\"password\":" + WRONG + "}");
            assertThat(malformed.status()).isEqualTo(400);
            responses.add(malformed.body());
            WebClient hana = web.login("hana", FIRST);
            WebClient.Response changed = hana.post("/api/session/password", "{\"current\":\"" + FIRST + "\",\"new\":\"" + SECOND + "\"}");
            assertThat(changed.status()).isEqualTo(204);
            WebClient.Response wrongCurrent = hana.post("/api/session/password", "{\"current\":\"" + WRONG + "\",\"new\":\"" + THIRD + "\"}");
            assertThat(wrongCurrent.status()).isEqualTo(403);
            responses.add(wrongCurrent.body());
            WebClient.Response reset = admin.put("/api/users/hana/password", "{\"password\":\"" + THIRD + "\"}");
            assertThat(reset.status()).isEqualTo(204);
            WebClient.Response basic = web.withBasic("hana", THIRD).get("/api/whoami");
            assertThat(basic.status()).isEqualTo(200);
            responses.add(basic.body());
            assertThat(web.withBasic("hana", WRONG).get("/api/whoami").status()).isEqualTo(401);
            responses.add(admin.get("/api/users").body());
        } finally {
            root.detachAppender(logs);
            root.setLevel(rootLevel);
            tributary.setLevel(tributaryLevel);
        }

        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : logs.list) {
            lines.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }
        assertThat(lines).as("something was logged, so the scan below means something")
                .anyMatch(l -> l.contains("User 'hana' created")).anyMatch(l -> l.contains("User 'hana' logged in"))
                .anyMatch(l -> l.contains("Failed web login for user 'hana'")).anyMatch(l -> l.contains("changed their password"));
        for (String secret : SECRETS) {
            assertThat(lines).as("logs").noneMatch(l -> l.contains(secret));
            assertThat(responses).as("responses").noneMatch(r -> r.contains(secret));
        }

        // Every file the server wrote, the SQLite database and its journal included.
        List<Path> files;
        try (Stream<Path> walk = Files.walk(data)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("metadata.db");
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            String asLatin1 = new String(bytes, StandardCharsets.ISO_8859_1);
            for (String secret : SECRETS) {
                assertThat(asLatin1).as("%s holds %s", file, secret).doesNotContain(secret);
                assertThat(asLatin1).as("%s holds %s as UTF-16", file, secret)
                        .doesNotContain(new String(secret.getBytes(StandardCharsets.UTF_16LE), StandardCharsets.ISO_8859_1));
            }
        }
    }
}
