package io.tributary.server;

import io.tributary.auth.AccessKey;
import io.tributary.client.Credentials;
import io.tributary.client.TributaryClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A real server on a temporary data directory and a free port, with an admin access key, for
 * tests. {@link #main} runs one for manual exploration, as Trino's query runners do.
 */
public final class TestingServer implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";

    private final TributaryServer server;
    private final Credentials adminKey;


    private TestingServer(Path dataDir, Map<String, String> overrides, Map<String, String> environment, Clock clock) {
        this(dataDir, Optional.empty(), overrides, environment, clock);
    }

    private TestingServer(Path dataDir, Optional<Path> configFile, Map<String, String> overrides, Map<String, String> environment, Clock clock) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(ConfigKeys.SERVER_DATA_DIR.name(), dataDir.toString());
        all.put(ConfigKeys.SERVER_PORT.name(), "0");
        all.put(ConfigKeys.SERVER_SEARCH_PORT.name(), "0");
        all.putAll(overrides);
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.putIfAbsent(TributaryConfig.ADMIN_PASSWORD_ENV, ADMIN_PASSWORD);
        this.server = TributaryServer.start(TributaryConfig.load(configFile, env, all), clock);
        AccessKey.WithSecret key = server.accessKeys().create("admin", "tests");
        this.adminKey = new Credentials(key.key().id(), key.secret());
    }

    public static TestingServer start(Path dataDir) {
        return new TestingServer(dataDir, Map.of(), Map.of(), Clock.systemUTC());
    }

    public static TestingServer start(Path dataDir, Map<String, String> overrides) {
        return new TestingServer(dataDir, overrides, Map.of(), Clock.systemUTC());
    }

    public static TestingServer start(Path dataDir, Map<String, String> overrides, Map<String, String> environment, Clock clock) {
        return new TestingServer(dataDir, overrides, environment, clock);
    }

    /** A server reading a tributary.yaml (for declared pipelines) besides the overrides. */
    public static TestingServer withConfig(Path dataDir, Path configFile, Map<String, String> overrides) {
        return new TestingServer(dataDir, Optional.of(configFile), overrides, Map.of(), Clock.systemUTC());
    }

    public TributaryServer server() {
        return server;
    }

    public URI uri() {
        return server.apiUri();
    }

    /** The OpenSearch-compatible API. */
    public URI searchUri() {
        return server.searchUri();
    }

    public Credentials adminKey() {
        return adminKey;
    }

    public TributaryClient client() {
        return new TributaryClient(TributaryClient.Config.of(uri(), Optional.of(adminKey)));
    }

    public TributaryClient anonymousClient() {
        return new TributaryClient(TributaryClient.Config.of(uri(), Optional.empty()));
    }

    @Override
    public void close() {
        server.close();
    }

    public static void main(String[] args) throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("tributary-dev-");
        try (TestingServer s = start(dir, Map.of(ConfigKeys.SERVER_PORT.name(), "8080"))) {
            System.out.println("Tributary at " + s.uri() + ", search API at " + s.searchUri() + ", data in " + dir);
            System.out.println("export TRIBUTARY_ACCESS_KEY_ID=" + s.adminKey().accessKeyId());
            System.out.println("export TRIBUTARY_SECRET_ACCESS_KEY=" + s.adminKey().secret());
            Thread.currentThread().join();
        }
    }
}
