package io.tributary.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.auth.AccessKeyStore;
import io.tributary.auth.AuthMigrations;
import io.tributary.auth.Authenticator;
import io.tributary.auth.PasswordHasher;
import io.tributary.auth.SecretCipher;
import io.tributary.auth.SigV4Verifier;
import io.tributary.auth.UserStore;
import io.tributary.metadata.JdbcMetadataStore;
import io.tributary.server.ConfigKeys;
import io.tributary.server.TestingServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route registered on either listener refuses anonymous requests with 401, except an
 * explicit allow-list of public routes. A route added later without authentication fails this
 * test, whichever class adds it: the routes are read from the listeners, not listed here.
 */
class RouteSecurityTest {
    /** Public on purpose: login, health, and the web UI's static pages and assets. */
    private static final Predicate<WebServer.RouteInfo> ALLOWED_PUBLIC = r ->
            (r.method().equals("POST") && r.path().equals("/api/session"))
                    || (r.method().equals("GET") && r.path().equals("/health"))
                    || (Set.of("GET", "HEAD").contains(r.method())
                            && (r.path().equals("/") || r.path().startsWith("/ui/") || r.path().startsWith("/webjars/")
                                    || r.path().equals("/ui")));

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void everyRouteOnBothListenersRefusesAnonymousRequests() {
        try (TestingServer server = TestingServer.start(dir, Map.of(ConfigKeys.TELEMETRY_ENABLED.name(), "true"))) {
            List<WebServer.RouteInfo> api = server.server().api().routes();
            List<WebServer.RouteInfo> search = server.server().searchListener().routes();
            // The audit sees the routes of every part, including the ones named in the brief of this test.
            assertThat(api).extracting(r -> r.method() + " " + r.path()).contains("POST /api/session", "GET /health", "GET /metrics",
                    "POST /", "POST /streams/{name}/records", "POST /telemetry", "GET /api/dashboards/{id}", "POST /api/search/{index}/_search",
                    "GET /api/users");
            assertThat(search).extracting(r -> r.method() + " " + r.path()).contains("GET /", "POST /{index}/_search",
                    "PUT /_plugins/_security/api/roles/{name}");
            assertThat(api.size() + search.size()).isGreaterThan(100);

            List<String> violations = new ArrayList<>();
            violations.addAll(audit(api, server.uri(), ALLOWED_PUBLIC));
            violations.addAll(audit(search, server.searchUri(), r -> false));
            assertThat(violations).isEmpty();
        }
    }

    @Test
    void publicMetricsAreTheOnlyAddition() {
        try (TestingServer server = TestingServer.start(dir, Map.of(ConfigKeys.SERVER_METRICS_PUBLIC.name(), "true"))) {
            Predicate<WebServer.RouteInfo> withMetrics = ALLOWED_PUBLIC.or(r -> r.method().equals("GET") && r.path().equals("/metrics"));
            assertThat(audit(server.server().api().routes(), server.uri(), withMetrics)).isEmpty();
            assertThat(audit(server.server().api().routes(), server.uri(), ALLOWED_PUBLIC)).containsExactly(
                    "GET /metrics is public but not on the allow-list");
        }
    }

    @Test
    void theAuditCatchesARouteAddedWithoutAuthentication() {
        JdbcMetadataStore metadata = JdbcMetadataStore.sqlite(dir.resolve("metadata.db"));
        metadata.migrate(AuthMigrations.all());
        UserStore users = new UserStore(metadata, new PasswordHasher(), Clock.systemUTC());
        AccessKeyStore keys = new AccessKeyStore(metadata, SecretCipher.load(dir.resolve("master.key"), Optional.empty()), Clock.systemUTC());
        Authenticator authenticator = new Authenticator(true, keys, users, new SigV4Verifier(Clock.systemUTC()));
        Routes careless = app -> {
            app.get("/api/report", ctx -> ctx.result("secret"), Access.PUBLIC);
            app.get("/api/checked", ctx -> ctx.result("fine"));
            // Public and answering 200 without credentials, though its path looks like the UI's: still flagged as it is not GET/HEAD.
            app.post("/ui/upload", ctx -> ctx.result("stored"), Access.PUBLIC);
        };
        try (WebServer web = new WebServer(new WebServer.Config("test", "127.0.0.1", 0, Optional.empty(), 1 << 20), authenticator,
                new SimpleMeterRegistry(), Map.of(), List.of(careless)).start()) {
            assertThat(audit(web.routes(), web.uri(), ALLOWED_PUBLIC)).containsExactly(
                    "GET /api/report is public but not on the allow-list",
                    "POST /ui/upload is public but not on the allow-list");
        } finally {
            metadata.close();
        }
    }

    /**
     * Sends each route an anonymous request (and one with a forged session cookie) and lists the
     * routes that are public without being allowed, or that answer anything but 401 (the AWS JSON
     * protocol's own refusals for {@code POST /}).
     */
    static List<String> audit(List<WebServer.RouteInfo> routes, URI base, Predicate<WebServer.RouteInfo> allowedPublic) {
        List<String> violations = new ArrayList<>();
        for (WebServer.RouteInfo route : routes) {
            String name = route.method() + " " + route.path();
            if (route.isPublic()) {
                if (!allowedPublic.test(route)) {
                    violations.add(name + " is public but not on the allow-list");
                }
                continue;
            }
            boolean aws = route.method().equals("POST") && route.path().equals("/");
            for (Optional<String> cookie : List.of(Optional.<String>empty(), Optional.of("tributary_session=forged"))) {
                HttpResponse<String> response = send(route, base, cookie, aws);
                int status = response.statusCode();
                // AWS clients expect MissingAuthenticationToken as 403 and an unknown identity as 400 UnrecognizedClientException.
                boolean refused = status == 401 || (aws && (status == 403
                        || (status == 400 && response.body().contains("UnrecognizedClientException"))));
                if (!refused) {
                    violations.add(name + " answered " + status + " to an anonymous request" + cookie.map(c -> " with " + c).orElse(""));
                }
            }
        }
        return violations;
    }

    private static HttpResponse<String> send(WebServer.RouteInfo route, URI base, Optional<String> cookie, boolean aws) {
        String path = route.path().replaceAll("\\{[^}]+}", "dummy").replaceAll("<[^>]+>", "dummy").replace("*", "dummy");
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(route.method(), Set.of("POST", "PUT", "PATCH").contains(route.method())
                        ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        request.header("Content-Type", aws ? "application/x-amz-json-1.1" : "application/json");
        if (aws) {
            request.header("X-Amz-Target", "Kinesis_20131202.ListStreams");
        }
        cookie.ifPresent(c -> request.header("Cookie", c));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
