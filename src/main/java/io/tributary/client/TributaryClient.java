package io.tributary.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.auth.SigV4Signer;
import io.tributary.common.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Calls a Tributary server over HTTP(S), signing each request with SigV4 when credentials are
 * given. Used by the CLI, the generators and the benchmarks.
 *
 * <p>Thread-safe; share one instance.
 */
public final class TributaryClient {
    public static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

    /**
     * @param insecure trust any server certificate (for self-signed test set-ups, as {@code curl -k})
     */
    public record Config(URI server, Optional<Credentials> credentials, boolean insecure, Duration timeout) {
        public Config {
            requireNonNull(server, "server is null");
            requireNonNull(credentials, "credentials is null");
            requireNonNull(timeout, "timeout is null");
        }

        public static Config of(URI server, Optional<Credentials> credentials) {
            return new Config(server, credentials, false, Duration.ofSeconds(60));
        }
    }

    private final Config config;
    private final HttpClient http;
    private final Clock clock;

    public TributaryClient(Config config) {
        this.config = requireNonNull(config, "config is null");
        this.clock = Clock.systemUTC();
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        if (config.insecure()) {
            builder.sslContext(trustAll());
        }
        this.http = builder.build();
    }

    public URI server() {
        return config.server();
    }

    public JsonNode get(String path) {
        return json(send("GET", path, new byte[0], Map.of()));
    }

    public JsonNode post(String path, JsonNode body) {
        return json(send("POST", path, Json.mapper().valueToTree(body).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json")));
    }

    public JsonNode put(String path, JsonNode body) {
        return json(send("PUT", path, body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json")));
    }

    public void delete(String path) {
        send("DELETE", path, new byte[0], Map.of());
    }

    /** Sends a raw body and returns the parsed JSON response. */
    public JsonNode post(String path, byte[] body, String contentType) {
        return json(send("POST", path, body, Map.of("Content-Type", contentType)));
    }

    /** Calls a Kinesis API operation with a JSON 1.1 body. */
    public JsonNode kinesis(String operation, ObjectNode request) {
        return aws("Kinesis_20131202", "kinesis", operation, request);
    }

    public JsonNode aws(String targetPrefix, String service, String operation, ObjectNode request) {
        byte[] body = request.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-amz-json-1.1");
        headers.put("X-Amz-Target", targetPrefix + "." + operation);
        return json(send("POST", "/", body, headers, service));
    }

    public HttpResponse<byte[]> send(String method, String path, byte[] body, Map<String, String> headers) {
        return send(method, path, body, headers, "tributary");
    }

    /** Sends a request and returns the response; non-2xx responses become {@link ClientException}s. */
    public HttpResponse<byte[]> send(String method, String path, byte[] body, Map<String, String> headers, String service) {
        URI uri = config.server().resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(config.timeout())
                .method(method, body.length == 0 && !method.equals("POST") && !method.equals("PUT")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        config.credentials().ifPresent(c -> new SigV4Signer(c.accessKeyId(), c.secret(), "us-east-1", service)
                .sign(method, uri, headers, body, clock.instant())
                .forEach(request::header));
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new ClientException("cannot reach Tributary at " + config.server()
                    + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + "); is `tributary server` running there? Use --server URL to point elsewhere", e);
        } catch (IOException e) {
            throw new ClientException("request to " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException("interrupted while calling " + uri, e);
        }
        if (response.statusCode() >= 300) {
            throw error(response);
        }
        return response;
    }

    private static ClientException error(HttpResponse<byte[]> response) {
        String code = "HTTP_" + response.statusCode();
        String message = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            JsonNode node = Json.mapper().readTree(response.body());
            if (node != null && node.has("error") && node.get("error").isObject()) {
                code = node.get("error").path("code").asText(code);
                message = node.get("error").path("message").asText(message);
            } else if (node != null && node.has("__type")) {
                code = node.get("__type").asText();
                message = node.path("message").asText(message);
            }
        } catch (IOException e) {
            // not JSON: keep the raw body as the message
        }
        return new ClientException(response.statusCode(), code, message);
    }

    private static JsonNode json(HttpResponse<byte[]> response) {
        if (response.body().length == 0) {
            return Json.mapper().nullNode();
        }
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new ClientException(response.statusCode(), "BAD_RESPONSE", "the server's response is not JSON: " + e.getMessage());
        }
    }

    private static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot create a TLS context", e);
        }
    }
}
