package io.tributary.search;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.client.Credentials;
import io.tributary.common.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Plain HTTP calls to a search listener with an access key, answers parsed as JSON when they are JSON. */
final class SearchHttp {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Response(int status, JsonNode body, String text, HttpResponse<?> raw) {
        /** A number at a JSON pointer, such as {@code /hits/total/value}. */
        long number(String pointer) {
            JsonNode n = body == null ? null : body.at(pointer);
            if (n == null || !n.isNumber()) {
                throw new AssertionError("no number at " + pointer + " in " + status + " " + text);
            }
            return n.asLong();
        }

        String errorType() {
            return body == null ? "" : body.path("error").path("type").asText();
        }
    }

    private final URI base;
    private final Credentials credentials;

    SearchHttp(URI base, Credentials credentials) {
        this.base = base;
        this.credentials = credentials;
    }

    Response call(String method, String path, String body) throws Exception {
        return send(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), "application/json", null);
    }

    Response send(String method, String path, byte[] body, String contentType, String contentEncoding) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", contentType)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (credentials.accessKeyId() + ":" + credentials.secret()).getBytes(StandardCharsets.UTF_8)));
        if (contentEncoding != null) {
            b.header("Content-Encoding", contentEncoding);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = r.body().isEmpty() ? null : Json.mapper().readTree(r.body());
        } catch (Exception e) {
            // _cat answers text
        }
        return new Response(r.statusCode(), json, r.body(), r);
    }

    /** The body of a 200 answer; anything else fails the test with the answer. */
    JsonNode ok(String method, String path, String body) throws Exception {
        Response r = call(method, path, body);
        if (r.status() != 200 && r.status() != 201) {
            throw new AssertionError(method + " " + path + " answered " + r.status() + ": " + r.text());
        }
        return r.body();
    }
}
