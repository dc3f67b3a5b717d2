package io.tributary.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.server.TestingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UI's static routes: public, only packaged files, strict paths, the right types and cache headers. */
class UiRoutesTest {
    @TempDir
    static Path dir;
    static TestingServer server;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() {
        // Authentication stays on: the UI must load before anyone logs in.
        server = TestingServer.start(dir);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.uri() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void rootAndBareUiRedirectToTheUi() throws Exception {
        for (String path : new String[] {"/", "/ui"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(302);
            assertThat(r.headers().firstValue("Location")).as(path).hasValue("/ui/");
        }
    }

    @Test
    void indexIsPublicHtmlWithAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> r = get("/ui/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(c -> assertThat(c).contains("default-src 'self'"));
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.body()).contains("<script type=\"module\" src=\"js/app.js\"></script>");
        // Everything the page loads is local: no scheme-relative or absolute URLs to other hosts.
        assertThat(r.body()).doesNotContain("http://", "https://", "//cdn");
    }

    @Test
    void modulesAreJavaScriptAndRevalidateByEtag() throws Exception {
        HttpResponse<String> r = get("/ui/js/app.js");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        String etag = r.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(URI.create(server.uri() + "/ui/js/app.js"))
                .header("If-None-Match", etag).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void webjarsAreServedWithLongLivedCaching() throws Exception {
        for (String path : new String[] {"/webjars/echarts/5.5.0/echarts.min.js", "/webjars/codemirror/5.65.16/lib/codemirror.js",
                "/webjars/codemirror/5.65.16/mode/sql/sql.js", "/webjars/codemirror/5.65.16/lib/codemirror.css"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Cache-Control")).as(path).hasValue("public, max-age=31536000, immutable");
            assertThat(r.body().length()).as(path).isGreaterThan(1000);
        }
    }

    @Test
    void hostilePathsAreNotFoundAndNeverEscapeTheUiFolder() throws Exception {
        String[] hostile = {
            "/ui/../io/tributary/web/UiRoutes.class", "/ui/%2e%2e/%2e%2e/logback.xml", "/ui/js/..%2f..%2fapp.js", "/ui/.hidden.js",
            "/ui/js//app.js", "/ui/js/app.js%00.html", "/ui/js\\app.js", "/ui/io/tributary/web/UiRoutes.class",
            "/webjars/../../logback.xml", "/webjars/echarts/5.5.0/package.json.class", "/ui/no-such-file.js", "/ui/" + "a".repeat(5000) + ".js",
            "/ui/%E2%80%AE.js", "/ui/index.html?x=<script>", "/webjars/echarts/5.5.0/../../../META-INF/MANIFEST.MF",
        };
        for (String path : hostile) {
            HttpResponse<String> r;
            try {
                r = get(path);
            } catch (IllegalArgumentException e) {
                continue; // the JDK client refuses to send it at all: nothing to check
            }
            if (path.startsWith("/ui/index.html?")) {
                assertThat(r.statusCode()).as(path).isEqualTo(200);
                assertThat(r.body()).doesNotContain("<script>\"");
                continue;
            }
            assertThat(r.statusCode()).as(path).isIn(400, 404, 414, 431);
            assertThat(r.body()).as(path).doesNotContain("package io.tributary", "Manifest-Version", "<configuration");
        }
    }

    @Test
    void onlyGetIsAllowedOnStaticFiles() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.uri() + "/ui/js/app.js"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isIn(401, 404, 405);
    }

    @Test
    void apiRoutesStillNeedCredentials() throws Exception {
        assertThat(get("/api/databases").statusCode()).isEqualTo(401);
    }
}
