package io.tributary.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.common.TestingClock;
import io.tributary.server.ConfigKeys;
import io.tributary.server.TestingServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Web sessions over real HTTP: the cookie's attributes, logout, password change, login rate limit, expiry and restarts. */
class SessionTest {
    private static final String ALICE_PASSWORD = "alice-password-1";
    private static final String BOB_PASSWORD = "bob-password-12";

    @TempDir
    Path dir;

    private static void users(TestingServer server) {
        server.server().users().create("alice", ALICE_PASSWORD, Set.of());
        server.server().users().create("bob", BOB_PASSWORD, Set.of());
    }

    @Test
    void loginSetsAnHttpOnlyStrictCookieAndAnswersWhoIsLoggedIn() {
        try (TestingServer server = TestingServer.start(dir)) {
            users(server);
            WebClient web = WebClient.at(server.uri());
            WebClient.Response login = web.post("/api/session", WebClient.loginBody("admin", TestingServer.ADMIN_PASSWORD));
            assertThat(login.status()).isEqualTo(200);
            // 32 random bytes, base64url without padding: 43 characters.
            assertThat(login.header("Set-Cookie")).get().asString()
                    .matches("tributary_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict");
            assertThat(login.json().path("user").asText()).isEqualTo("admin");
            assertThat(login.json().path("roles").toString()).isEqualTo("[\"all_access\"]");
            assertThat(login.json().path("authEnabled").asBoolean()).isTrue();
            String csrf = login.json().path("csrfToken").asText();
            assertThat(csrf).hasSizeGreaterThanOrEqualTo(43);

            WebClient session = web.withCookie(WebClient.sessionToken(login));
            WebClient.Response me = session.get("/api/session");
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.json().path("csrfToken").asText()).isEqualTo(csrf);
            assertThat(session.get("/api/whoami").json().path("name").asText()).isEqualTo("admin");
            // The same cookie works on the search listener.
            assertThat(session.withBase(server.searchUri()).get("/_cluster/health").status()).isEqualTo(200);

            // Two logins get different tokens.
            assertThat(WebClient.sessionToken(web.post("/api/session", WebClient.loginBody("alice", ALICE_PASSWORD))))
                    .isNotEqualTo(WebClient.sessionToken(login));

            WebClient.Response wrongPassword = web.post("/api/session", WebClient.loginBody("alice", "not-her-password"));
            WebClient.Response unknownUser = web.post("/api/session", WebClient.loginBody("nobody", "not-her-password"));
            assertThat(wrongPassword.status()).isEqualTo(401);
            assertThat(unknownUser.status()).isEqualTo(401);
            assertThat(wrongPassword.message()).isEqualTo(unknownUser.message()).isEqualTo("wrong user name or password");
            assertThat(wrongPassword.header("Set-Cookie")).isEmpty();

            assertThat(web.get("/api/session").status()).isEqualTo(401);
            assertThat(web.withCookie("forged-token").get("/api/session").status()).isEqualTo(401);
            assertThat(web.post("/api/session", "not json").status()).isEqualTo(400);
            assertThat(web.post("/api/session", "{\"username\":\"alice\"}").message()).contains("password");
            assertThat(web.post("/api/session", "{\"username\":7,\"password\":\"x\"}").status()).isEqualTo(400);
            assertThat(web.post("/api/session", "{\"username\":\"" + "a".repeat(100_000) + "\",\"password\":\"x\"}").status())
                    .isEqualTo(401);
            assertThat(web.post("/api/session", WebClient.loginBody("alice", "p".repeat(5_000_000))).status()).isEqualTo(401);
            assertThat(web.post("/api/session", "{\"username\":\"alice\",\"password\":\"" + ALICE_PASSWORD + "\",\"extra\":"
                    + "[".repeat(10_000) + "]".repeat(10_000) + "}").status()).isEqualTo(400);
        }
    }

    @Test
    void logoutEndsTheSessionOnTheServer() {
        try (TestingServer server = TestingServer.start(dir)) {
            users(server);
            WebClient alice = WebClient.at(server.uri()).login("alice", ALICE_PASSWORD);
            assertThat(alice.withoutCsrf().delete("/api/session").status()).as("logout needs the CSRF token too").isEqualTo(403);
            assertThat(alice.get("/api/session").status()).isEqualTo(200);
            WebClient.Response logout = alice.delete("/api/session");
            assertThat(logout.status()).isEqualTo(204);
            assertThat(logout.header("Set-Cookie")).get().asString()
                    .isEqualTo("tributary_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
            // The browser would drop the cookie; a copy of it no longer works either.
            assertThat(alice.get("/api/session").status()).isEqualTo(401);
            assertThat(alice.get("/api/whoami").status()).isEqualTo(401);
            assertThat(alice.get("/api/session").message()).contains("log in again");
            assertThat(server.server().sessions().count("alice")).isZero();
        }
    }

    @Test
    void passwordChangeEndsTheOtherSessions() {
        try (TestingServer server = TestingServer.start(dir)) {
            users(server);
            WebClient web = WebClient.at(server.uri());
            WebClient first = web.login("alice", ALICE_PASSWORD);
            WebClient second = web.login("alice", ALICE_PASSWORD);
            WebClient bob = web.login("bob", BOB_PASSWORD);

            WebClient.Response wrongCurrent = first.post("/api/session/password", "{\"current\":\"wrong-password\",\"new\":\"a-new-password\"}");
            assertThat(wrongCurrent.status()).isEqualTo(403);
            assertThat(wrongCurrent.message()).contains("current password");
            WebClient.Response weak = first.post("/api/session/password", "{\"current\":\"" + ALICE_PASSWORD + "\",\"new\":\"short\"}");
            assertThat(weak.status()).isEqualTo(400);
            assertThat(weak.message()).contains("8 to 1024 characters");
            assertThat(first.post("/api/session/password", "{\"current\":\"" + ALICE_PASSWORD + "\"}").status()).isEqualTo(400);
            assertThat(second.get("/api/session").status()).as("refused changes end nothing").isEqualTo(200);

            assertThat(first.post("/api/session/password", "{\"current\":\"" + ALICE_PASSWORD + "\",\"new\":\"a-new-password\"}").status())
                    .isEqualTo(204);
            assertThat(first.get("/api/session").status()).as("the session that changed it stays").isEqualTo(200);
            assertThat(second.get("/api/session").status()).isEqualTo(401);
            assertThat(bob.get("/api/session").status()).as("other users keep theirs").isEqualTo(200);
            assertThat(web.post("/api/session", WebClient.loginBody("alice", ALICE_PASSWORD)).status()).isEqualTo(401);
            assertThat(web.post("/api/session", WebClient.loginBody("alice", "a-new-password")).status()).isEqualTo(200);
            // Access keys and Basic credentials are not users with a session: they get a clear refusal.
            assertThat(WebClient.at(server.uri()).withBasic(server.adminKey().accessKeyId(), server.adminKey().secret())
                    .post("/api/session/password", "{\"current\":\"x\",\"new\":\"yyyyyyyyyy\"}").status()).isEqualTo(400);
        }
    }

    @Test
    void repeatedFailuresAreThrottledPerUserWhileOthersLogIn() {
        TestingClock clock = new TestingClock(java.time.Instant.now());
        try (TestingServer server = TestingServer.start(dir, Map.of(), Map.of(), clock)) {
            users(server);
            WebClient web = WebClient.at(server.uri());
            for (int i = 0; i < 5; i++) {
                assertThat(web.post("/api/session", WebClient.loginBody("alice", "guess-" + i)).status()).isEqualTo(401);
            }
            WebClient.Response throttled = web.post("/api/session", WebClient.loginBody("alice", "guess-5"));
            assertThat(throttled.status()).isEqualTo(429);
            assertThat(throttled.header("Retry-After")).get().asString().matches("[1-9][0-9]*");
            assertThat(Integer.parseInt(throttled.header("Retry-After").orElseThrow())).isBetween(1, 60);
            assertThat(throttled.message()).contains("too many failed logins");
            // Even the right password waits: otherwise guessing could go on.
            assertThat(web.post("/api/session", WebClient.loginBody("alice", ALICE_PASSWORD)).status()).isEqualTo(429);
            // Bob, from the same address, still logs in.
            assertThat(web.post("/api/session", WebClient.loginBody("bob", BOB_PASSWORD)).status()).isEqualTo(200);

            clock.advance(Duration.ofSeconds(61));
            assertThat(web.post("/api/session", WebClient.loginBody("alice", ALICE_PASSWORD)).status()).isEqualTo(200);

            // Many names guessed from one address: the address limit (30 a minute) stops them.
            int refused = 0;
            for (int i = 0; i < 35; i++) {
                int status = web.post("/api/session", WebClient.loginBody("user" + i, "guess")).status();
                if (status == 429) {
                    refused++;
                }
            }
            assertThat(refused).isEqualTo(5);
        }
    }

    @Test
    void loginLimitsAreConfigurable() {
        TestingClock clock = new TestingClock(java.time.Instant.now());
        try (TestingServer server = TestingServer.start(dir, Map.of(ConfigKeys.AUTH_LOGIN_FAILURES_PER_USER.name(), "2",
                ConfigKeys.AUTH_LOGIN_WINDOW.name(), "10m"), Map.of(), clock)) {
            users(server);
            WebClient web = WebClient.at(server.uri());
            assertThat(web.post("/api/session", WebClient.loginBody("alice", "guess-1")).status()).isEqualTo(401);
            assertThat(web.post("/api/session", WebClient.loginBody("alice", "guess-2")).status()).isEqualTo(401);
            WebClient.Response throttled = web.post("/api/session", WebClient.loginBody("alice", ALICE_PASSWORD));
            assertThat(throttled.status()).isEqualTo(429);
            assertThat(Integer.parseInt(throttled.header("Retry-After").orElseThrow())).isBetween(61, 600);
            clock.advance(Duration.ofMinutes(2));
            assertThat(web.post("/api/session", WebClient.loginBody("alice", ALICE_PASSWORD)).status()).as("the window is 10 minutes").isEqualTo(429);
            clock.advance(Duration.ofMinutes(9));
            assertThat(web.post("/api/session", WebClient.loginBody("alice", ALICE_PASSWORD)).status()).isEqualTo(200);
        }
        assertThatThrownBy(() -> TestingServer.start(dir.resolve("zero"), Map.of(ConfigKeys.AUTH_LOGIN_FAILURES_PER_ADDRESS.name(), "0")))
                .hasMessageContaining("auth.login-failures-per-address (0)").hasMessageContaining("must be positive");
    }

    @Test
    void sessionsSurviveARestartAndExpireWhenIdleOrTooOld() {
        TestingClock clock = new TestingClock(java.time.Instant.now());
        Map<String, String> config = Map.of(ConfigKeys.SERVER_SESSION_IDLE_TIMEOUT.name(), "12h",
                ConfigKeys.SERVER_SESSION_LIFETIME.name(), "2d");
        String idleToken;
        String busyToken;
        try (TestingServer server = TestingServer.start(dir, config, Map.of(), clock)) {
            users(server);
            WebClient web = WebClient.at(server.uri());
            idleToken = web.login("alice", ALICE_PASSWORD).cookie().orElseThrow();
            busyToken = web.login("bob", BOB_PASSWORD).cookie().orElseThrow();
        }
        try (TestingServer server = TestingServer.start(dir, config, Map.of(), clock)) {
            WebClient web = WebClient.at(server.uri());
            assertThat(web.withCookie(idleToken).get("/api/session").status()).as("after a restart").isEqualTo(200);
            clock.advance(Duration.ofHours(11));
            assertThat(web.withCookie(busyToken).get("/api/session").status()).isEqualTo(200);
            clock.advance(Duration.ofHours(1).plusMinutes(1));
            assertThat(web.withCookie(idleToken).get("/api/session").status()).as("idle 12h01m").isEqualTo(401);
            assertThat(web.withCookie(busyToken).get("/api/session").status()).isEqualTo(200);
            // Bob keeps using his session every 11 hours; it still ends 2 days after login.
            for (int i = 0; i < 3; i++) {
                clock.advance(Duration.ofHours(11));
                assertThat(web.withCookie(busyToken).get("/api/session").status()).as("busy after %d periods", i).isEqualTo(200);
            }
            clock.advance(Duration.ofHours(4));
            assertThat(web.withCookie(busyToken).get("/api/session").status()).as("2d01m after login").isEqualTo(401);
        }
    }

    @Test
    void whetherTheUserMayAdministerIsEvaluatedFromWhatTheRolesGrantNotTheirNames() {
        try (TestingServer server = TestingServer.start(dir)) {
            users(server);
            WebClient web = WebClient.at(server.uri());
            WebClient admin = web.login("admin", TestingServer.ADMIN_PASSWORD);
            assertThat(admin.get("/api/session").json().path("canAdminister").asBoolean()).isTrue();
            assertThat(web.login("alice", ALICE_PASSWORD).get("/api/session").json().path("canAdminister").asBoolean()).isFalse();
            // A role with another name that manages users; and one named like an administrator's that grants nothing of the kind.
            assertThat(admin.withBase(server.searchUri()).put("/_plugins/_security/api/roles/people_team",
                    "{\"user_permissions\":[{\"user_patterns\":[\"*\"],\"allowed_actions\":[\"manage\"]}]}").status()).isEqualTo(201);
            assertThat(admin.withBase(server.searchUri()).put("/_plugins/_security/api/roles/cluster_manage_readers",
                    "{\"index_permissions\":[{\"index_patterns\":[\"*\"],\"allowed_actions\":[\"read\"]}]}").status()).isEqualTo(201);
            assertThat(admin.put("/api/users/alice/roles", "{\"roles\":[\"people_team\"]}").status()).isEqualTo(200);
            assertThat(admin.put("/api/users/bob/roles", "{\"roles\":[\"cluster_manage_readers\"]}").status()).isEqualTo(200);
            assertThat(web.login("alice", ALICE_PASSWORD).get("/api/session").json().path("canAdminister").asBoolean()).isTrue();
            assertThat(web.login("bob", BOB_PASSWORD).get("/api/session").json().path("canAdminister").asBoolean()).isFalse();
        }
    }

    @Test
    void withoutAuthenticationTheSessionIsTheAnonymousOperator() {
        try (TestingServer server = TestingServer.start(dir, Map.of(ConfigKeys.AUTH_ENABLED.name(), "false"))) {
            WebClient.Response me = WebClient.at(server.uri()).get("/api/session");
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.body()).isEqualTo(
                    "{\"user\":\"anonymous\",\"roles\":[\"all_access\"],\"csrfToken\":\"\",\"authEnabled\":false,\"canAdminister\":true}");
        }
    }
}
