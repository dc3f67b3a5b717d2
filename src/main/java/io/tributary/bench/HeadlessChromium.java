package io.tributary.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A headless Chromium driven over the DevTools protocol with the JDK's own WebSocket client: just
 * enough to load pages and evaluate scripts, without a WebDriver dependency in the product.
 *
 * <p>Not thread-safe: one caller at a time.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Starts the browser at binary with a fresh profile and a 1280×800 window; attaches to its first page. */
    static HeadlessChromium start(Path binary) throws IOException, InterruptedException {
        requireNonNull(binary, "binary is null");
        if (!Files.isExecutable(binary)) {
            throw new IllegalArgumentException("no Chromium at " + binary + "; install it (apt-get install chromium) or pass --chromium");
        }
        Path profile = Files.createTempDirectory("tributary-chromium-");
        Process process = new ProcessBuilder(binary.toString(), "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,800", "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            Instant deadline = Instant.now().plus(START_TIMEOUT);
            while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new IOException("Chromium did not start its DevTools endpoint within " + START_TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            JsonNode targets = Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            String page = null;
            for (JsonNode t : targets) {
                if (t.path("type").asText().equals("page")) {
                    page = t.path("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (page == null) {
                throw new IOException("Chromium offered no page to attach to");
            }
            HeadlessChromium[] self = new HeadlessChromium[1];
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(page), new WebSocket.Listener() {
                private final StringBuilder buffer = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    buffer.append(data);
                    if (last) {
                        String message = buffer.toString();
                        buffer.setLength(0);
                        self[0].receive(message);
                    }
                    ws.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(process, profile, socket);
            self[0].call("Emulation.setDeviceMetricsOverride", Json.mapper().createObjectNode().put("width", 1280).put("height", 800)
                    .put("deviceScaleFactor", 1).put("mobile", false));
            return self[0];
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("attaching to Chromium failed: " + e.getMessage(), e);
        }
    }

    private void receive(String message) {
        try {
            JsonNode node = Json.mapper().readTree(message);
            if (node.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(node.get("id").asInt());
                if (f != null) {
                    f.complete(node);
                }
            }
        } catch (IOException e) {
            // a malformed event from the browser: ignore it, commands time out if it was theirs
        }
    }

    /** Sends a DevTools command and waits for its result; a protocol error becomes an IOException. */
    JsonNode call(String method, ObjectNode params) throws IOException {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = Json.mapper().createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(message.toString(), true).join();
        JsonNode response;
        try {
            response = answer.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            pending.remove(id);
            throw new IOException("DevTools " + method + " got no answer: " + e, e);
        }
        if (response.has("error")) {
            throw new IOException("DevTools " + method + " failed: " + response.get("error"));
        }
        return response.path("result");
    }

    void navigate(String url) throws IOException {
        call("Page.navigate", Json.mapper().createObjectNode().put("url", url));
    }

    /** Evaluates an expression (awaiting a promise) and returns its JSON value. */
    JsonNode evaluate(String expression) throws IOException {
        JsonNode result = call("Runtime.evaluate", Json.mapper().createObjectNode().put("expression", expression)
                .put("awaitPromise", true).put("returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new IOException("script failed: " + result.get("exceptionDetails").path("exception").path("description").asText(
                    result.get("exceptionDetails").toString()));
        }
        return result.path("result").path("value");
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        } catch (RuntimeException ignored) {
            // the browser is going away anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var paths = Files.walk(profile)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temporary profile left behind is harmless
        }
    }
}
