package io.tributary.testing;

import io.tributary.client.Credentials;
import io.tributary.client.TributaryClient;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Tributary server in its own JVM, started with {@code tributary server}, that a test can kill
 * with SIGKILL and start again on the same data directory.
 */
public final class ForkedServer implements AutoCloseable {
    public static final String KEY_ID = "TKIACRASHTESTKEY0001";
    public static final String SECRET = "crash-test-secret-0123456789";

    private final Path dataDir;
    private final int port;
    private final int searchPort;
    private final List<String> extraArgs;
    private final Map<String, String> extraEnv;
    private Process process;

    public ForkedServer(Path dataDir, List<String> extraArgs, Map<String, String> extraEnv) throws IOException {
        this.dataDir = dataDir;
        this.extraArgs = List.copyOf(extraArgs);
        this.extraEnv = Map.copyOf(extraEnv);
        try (ServerSocket socket = new ServerSocket(0); ServerSocket search = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
            this.searchPort = search.getLocalPort();
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** The OpenSearch-compatible API. */
    public URI searchUri() {
        return URI.create("http://127.0.0.1:" + searchPort + "/");
    }

    public TributaryClient client() {
        return new TributaryClient(new TributaryClient.Config(uri(), Optional.of(new Credentials(KEY_ID, SECRET)), false,
                Duration.ofSeconds(30)));
    }

    /** Starts the server and waits until /health answers UP. */
    public void start() throws IOException, InterruptedException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TRIBUTARY_ACCESS_KEY_ID", KEY_ID);
        env.put("TRIBUTARY_SECRET_ACCESS_KEY", SECRET);
        env.put("TRIBUTARY_ADMIN_PASSWORD", "crash-test-admin-password");
        env.putAll(extraEnv);
        List<String> args = new java.util.ArrayList<>(List.of("server", "--port", Integer.toString(port),
                "--search-port", Integer.toString(searchPort), "--data-dir", dataDir.toString()));
        args.addAll(extraArgs);
        File log = dataDir.resolveSibling(dataDir.getFileName() + "-server.log").toFile();
        // The test's own temporary directory: a SIGKILL leaves DuckDB's 70 MB library copy behind, and this one is deleted with the test.
        Path tmp = java.nio.file.Files.createDirectories(dataDir.resolveSibling(dataDir.getFileName() + "-tmp"));
        process = ForkedJvm.builder(env, List.of("-Djava.io.tmpdir=" + tmp), args.toArray(String[]::new))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("server did not become healthy within 60 s; see " + log);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** A clean stop (SIGTERM): shutdown hooks flush. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
