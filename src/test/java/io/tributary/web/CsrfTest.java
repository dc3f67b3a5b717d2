package io.tributary.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.auth.AccessKey;
import io.tributary.common.Json;
import io.tributary.server.ConfigKeys;
import io.tributary.server.TestingServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cookie-borne requests that change state need the session's CSRF token; signed and Basic
 * requests, which browsers never send on their own, do not. Over TLS the cookie is Secure.
 */
class CsrfTest {
    private static final String CSRF_MESSAGE = "missing or wrong CSRF token; send the X-CSRF-Token header from GET /api/session";

    @TempDir
    Path dir;

    @Test
    void cookieRequestsThatChangeStateNeedTheToken() {
        try (TestingServer server = TestingServer.start(dir)) {
            WebClient admin = WebClient.at(server.uri()).login("admin", TestingServer.ADMIN_PASSWORD);
            String stream = "{\"name\":\"csrf-test\",\"shards\":1}";

            WebClient.Response missing = admin.withoutCsrf().post("/api/streams", stream);
            assertThat(missing.status()).isEqualTo(403);
            assertThat(missing.message()).isEqualTo(CSRF_MESSAGE);
            WebClient.Response wrong = admin.withCsrf("wrong-token").post("/api/streams", stream);
            assertThat(wrong.status()).isEqualTo(403);
            assertThat(admin.withCsrf("").post("/api/streams", stream).status()).isEqualTo(403);
            assertThat(server.server().streamLog().listStreams()).doesNotContain("csrf-test");
            // Another session's token is wrong for this one.
            WebClient other = WebClient.at(server.uri()).login("admin", TestingServer.ADMIN_PASSWORD);
            assertThat(admin.withCsrf(other.csrf().orElseThrow()).post("/api/streams", stream).status()).isEqualTo(403);

            // PUT and DELETE likewise, on both listeners.
            AccessKey.WithSecret key = server.server().accessKeys().create("admin", "to revoke");
            assertThat(admin.withoutCsrf().delete("/api/access-keys/" + key.key().id()).status()).isEqualTo(403);
            assertThat(server.server().accessKeys().find(key.key().id()).orElseThrow().revoked()).isEmpty();
            WebClient search = admin.withBase(server.searchUri());
            String role = "{\"cluster_permissions\":[],\"index_permissions\":[{\"index_patterns\":[\"x*\"],\"allowed_actions\":[\"read\"]}]}";
            assertThat(search.withoutCsrf().put("/_plugins/_security/api/roles/csrf_role", role).status()).isEqualTo(403);
            assertThat(search.get("/_plugins/_security/api/roles/csrf_role").status()).isEqualTo(404);
            assertThat(search.withoutCsrf().put("/csrf-index", "{}").status()).isEqualTo(403);
            assertThat(server.server().searchEngine().exists("csrf-index")).isFalse();

            // Reads need no token.
            assertThat(admin.withoutCsrf().get("/api/streams").status()).isEqualTo(200);

            // With the token every one of them goes through.
            assertThat(admin.post("/api/streams", stream).status()).isEqualTo(201);
            assertThat(server.server().streamLog().listStreams()).contains("csrf-test");
            assertThat(admin.delete("/api/access-keys/" + key.key().id()).status()).isEqualTo(204);
            assertThat(server.server().accessKeys().find(key.key().id()).orElseThrow().revoked()).isPresent();
            assertThat(search.put("/_plugins/_security/api/roles/csrf_role", role).status()).isEqualTo(201);
            assertThat(search.put("/csrf-index", "{}").status()).isEqualTo(200);
        }
    }

    @Test
    void signedAndBasicRequestsNeedNoToken() {
        try (TestingServer server = TestingServer.start(dir)) {
            // SigV4 (the product's client signs every request).
            JsonNode created = server.client().post("/api/streams", Json.mapper().createObjectNode().put("name", "signed").put("shards", 1));
            assertThat(created.path("name").asText()).isEqualTo("signed");
            WebClient basic = WebClient.at(server.uri()).withBasic("admin", TestingServer.ADMIN_PASSWORD);
            assertThat(basic.post("/api/streams", "{\"name\":\"basic-user\"}").status()).isEqualTo(201);
            WebClient key = WebClient.at(server.uri()).withBasic(server.adminKey().accessKeyId(), server.adminKey().secret());
            assertThat(key.post("/api/streams", "{\"name\":\"basic-key\"}").status()).isEqualTo(201);
            // Credentials in Authorization win over a cookie sent alongside: no token needed, the cookie is not used.
            WebClient session = WebClient.at(server.uri()).login("admin", TestingServer.ADMIN_PASSWORD);
            assertThat(basic.withCookie(session.cookie().orElseThrow()).post("/api/streams", "{\"name\":\"both\"}").status())
                    .isEqualTo(201);
            assertThat(server.server().streamLog().listStreams()).contains("signed", "basic-user", "basic-key", "both");
        }
    }

    @Test
    void theCookieIsSecureOverTls() throws Exception {
        Path p12 = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "tributary", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(output).isZero();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            trust.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);

        try (TestingServer server = TestingServer.start(dir.resolve("data"), Map.of(ConfigKeys.SERVER_TLS_CERTIFICATE.name(), p12.toString(),
                ConfigKeys.SERVER_TLS_PASSWORD.name(), "changeit"))) {
            WebClient web = WebClient.at(server.uri(), tls);
            WebClient.Response login = web.post("/api/session", WebClient.loginBody("admin", TestingServer.ADMIN_PASSWORD));
            assertThat(login.status()).isEqualTo(200);
            assertThat(login.header("Set-Cookie")).get().asString()
                    .matches("tributary_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict; Secure");
            WebClient session = web.withCookie(WebClient.sessionToken(login)).withCsrf(login.json().path("csrfToken").asText());
            WebClient.Response logout = session.delete("/api/session");
            assertThat(logout.status()).isEqualTo(204);
            assertThat(logout.header("Set-Cookie")).get().asString().endsWith("; Secure");
        }
    }
}
