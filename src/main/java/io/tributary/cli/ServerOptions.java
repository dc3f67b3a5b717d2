package io.tributary.cli;

import io.tributary.server.ConfigKeys;
import io.tributary.server.TributaryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The flags of {@code server} and {@code demo}; they override the file and the environment. */
final class ServerOptions {
    @Option(names = "--port", paramLabel = "PORT", description = "Main listener port (server.port, default 8080).")
    Integer port;

    @Option(names = "--search-port", paramLabel = "PORT", description = "OpenSearch-compatible API port (server.search-port, default 9200).")
    Integer searchPort;

    @Option(names = "--host", paramLabel = "HOST", description = "Interface to bind (server.host, default 127.0.0.1; 0.0.0.0 for all).")
    String host;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (server.data-dir, default ./data).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (default: ./tributary.yaml if it exists).")
    Path config;

    @Option(names = "--no-auth", description = "Turn authentication off on every listener. Only for trusted, local use.")
    boolean noAuth;

    Optional<Path> configFile() {
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new IllegalArgumentException("--config " + config + " does not exist or is not a file");
            }
            return Optional.of(config);
        }
        Path local = Path.of("tributary.yaml");
        return Files.isRegularFile(local) ? Optional.of(local) : Optional.empty();
    }

    Map<String, String> overrides() {
        Map<String, String> o = new LinkedHashMap<>();
        if (port != null) {
            o.put(ConfigKeys.SERVER_PORT.name(), port.toString());
        }
        if (searchPort != null) {
            o.put(ConfigKeys.SERVER_SEARCH_PORT.name(), searchPort.toString());
        }
        if (host != null) {
            o.put(ConfigKeys.SERVER_HOST.name(), host);
        }
        if (dataDir != null) {
            o.put(ConfigKeys.SERVER_DATA_DIR.name(), dataDir.toString());
        }
        if (noAuth) {
            o.put(ConfigKeys.AUTH_ENABLED.name(), "false");
        }
        return o;
    }

    TributaryConfig load(Map<String, String> extraOverrides) {
        Map<String, String> all = new LinkedHashMap<>(extraOverrides);
        all.putAll(overrides());
        return TributaryConfig.load(configFile(), System.getenv(), all);
    }
}
