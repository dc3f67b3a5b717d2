package io.tributary.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.common.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A browser-like client for tests: plain JDK HTTP with a session cookie and CSRF token it holds
 * itself (no cookie handler), or HTTP Basic credentials. Immutable; the withers return copies.
 */
record WebClient(HttpClient http, URI base, Optional<String> cookie, Optional<String> csrf, Optional<String> basic) {
    private static final Pattern COOKIE = Pattern.compile("^tributary_session=([^;]*);");

    record Response(int status, String body, HttpHeaders headers) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** The error message of a Tributary error body. */
        String message() {
            return json().path("error").path("message").asText();
        }
    }

    static WebClient at(URI base) {
        return new WebClient(HttpClient.newHttpClient(), base, Optional.empty(), Optional.empty(), Optional.empty());
    }

    static WebClient at(URI base, SSLContext tls) {
        return new WebClient(HttpClient.newBuilder().sslContext(tls).build(), base, Optional.empty(), Optional.empty(), Optional.empty());
    }

    WebClient withBase(URI other) {
        return new WebClient(http, other, cookie, csrf, basic);
    }

    WebClient withCookie(String token) {
        return new WebClient(http, base, Optional.of(token), csrf, basic);
    }

    WebClient withCsrf(String token) {
        return new WebClient(http, base, cookie, Optional.of(token), basic);
    }

    WebClient withoutCsrf() {
        return new WebClient(http, base, cookie, Optional.empty(), basic);
    }

    WebClient withBasic(String user, String password) {
        String encoded = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new WebClient(http, base, cookie, csrf, Optional.of("Basic " + encoded));
    }

    /** Logs in and returns a client holding the session cookie and CSRF token. */
    WebClient login(String user, String password) {
        Response r = post("/api/session", loginBody(user, password));
        assertThat(r.status()).as("login of %s: %s", user, r.body()).isEqualTo(200);
        return withCookie(sessionToken(r)).withCsrf(r.json().path("csrfToken").asText());
    }

    static String loginBody(String user, String password) {
        return Json.mapper().createObjectNode().put("username", user).put("password", password).toString();
    }

    static String sessionToken(Response login) {
        String setCookie = login.header("Set-Cookie").orElseThrow(() -> new AssertionError("no Set-Cookie in " + login));
        Matcher m = COOKIE.matcher(setCookie);
        assertThat(m.find()).as(setCookie).isTrue();
        return m.group(1);
    }

    Response get(String path) {
        return send("GET", path, null);
    }

    Response post(String path, String body) {
        return send("POST", path, body);
    }

    Response put(String path, String body) {
        return send("PUT", path, body);
    }

    Response delete(String path) {
        return send("DELETE", path, null);
    }

    Response send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        cookie.ifPresent(c -> request.header("Cookie", "tributary_session=" + c));
        csrf.ifPresent(c -> request.header("X-CSRF-Token", c));
        basic.ifPresent(b -> request.header("Authorization", b));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
