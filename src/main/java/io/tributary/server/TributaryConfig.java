package io.tributary.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.config.Settings;
import io.tributary.pipeline.PipelineSpec;
import io.tributary.stream.FsyncPolicy;
import io.tributary.stream.StreamLogConfig;
import io.tributary.web.TlsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server's whole configuration: scalar settings (file, then environment, then flags), the
 * declared pipeline, and access keys from the file and the environment.
 */
public record TributaryConfig(Settings settings, PipelineSpec pipeline, List<DeclaredKey> accessKeys, Map<String, String> environment) {
    public static final String ACCESS_KEY_ID_ENV = "TRIBUTARY_ACCESS_KEY_ID";
    public static final String SECRET_ACCESS_KEY_ENV = "TRIBUTARY_SECRET_ACCESS_KEY";
    public static final String ADMIN_PASSWORD_ENV = "TRIBUTARY_ADMIN_PASSWORD";
    public static final String MASTER_KEY_ENV = "TRIBUTARY_MASTER_KEY";

    public TributaryConfig {
        requireNonNull(settings, "settings is null");
        requireNonNull(pipeline, "pipeline is null");
        accessKeys = List.copyOf(accessKeys);
        environment = Map.copyOf(environment);
    }

    /** An access key declared in the file ({@code auth.access-keys}) or the environment. */
    public record DeclaredKey(String id, String secret, String user, String source) {
        public DeclaredKey {
            requireNonNull(id, "id is null");
            requireNonNull(secret, "secret is null");
            requireNonNull(user, "user is null");
            requireNonNull(source, "source is null");
        }

        @Override
        public String toString() {
            return "DeclaredKey[id=" + id + ", user=" + user + ", source=" + source + "]";
        }
    }

    public static TributaryConfig load(Optional<Path> file, Map<String, String> environment, Map<String, String> overrides) {
        JsonNode root = Json.mapper().createObjectNode();
        if (file.isPresent()) {
            try {
                root = Json.yaml().readTree(Files.readAllBytes(file.get()));
                if (root == null || root.isMissingNode()) {
                    root = Json.mapper().createObjectNode();
                }
            } catch (IOException e) {
                throw new TributaryException(ErrorCode.INVALID_ARGUMENT, "cannot read configuration file " + file.get() + ": "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            }
        }
        Settings settings = Settings.of(root, ConfigKeys.all(), ConfigKeys.structuredSections(), environment, overrides);
        PipelineSpec pipeline = PipelineSpec.parse(root.path("pipeline"));
        List<DeclaredKey> keys = new ArrayList<>();
        JsonNode declared = root.path("auth").path("access-keys");
        if (!declared.isMissingNode() && !declared.isNull()) {
            if (!declared.isArray()) {
                throw TributaryException.invalidArgument("auth.access-keys must be a list of {id, secret, user}");
            }
            for (int i = 0; i < declared.size(); i++) {
                JsonNode k = declared.get(i);
                String id = k.path("id").asText("");
                String secret = k.path("secret").asText("");
                if (id.isEmpty() || secret.isEmpty()) {
                    throw TributaryException.invalidArgument("auth.access-keys[%d] needs an id and a secret", i);
                }
                keys.add(new DeclaredKey(id, secret, k.path("user").asText("admin"), "config"));
            }
        }
        String envId = environment.get(ACCESS_KEY_ID_ENV);
        String envSecret = environment.get(SECRET_ACCESS_KEY_ENV);
        if (envId != null && !envId.isBlank()) {
            if (envSecret == null || envSecret.isBlank()) {
                throw TributaryException.invalidArgument("%s is set but %s is not; set both to declare the first access key",
                        ACCESS_KEY_ID_ENV, SECRET_ACCESS_KEY_ENV);
            }
            keys.add(new DeclaredKey(envId.trim(), envSecret.trim(), "admin", "environment"));
        }
        return new TributaryConfig(settings, pipeline, keys, environment);
    }

    public TributaryConfig withPipeline(PipelineSpec newPipeline) {
        return new TributaryConfig(settings, newPipeline, accessKeys, environment);
    }

    public Path dataDir() {
        return settings.path(ConfigKeys.SERVER_DATA_DIR).toAbsolutePath().normalize();
    }

    public boolean authEnabled() {
        return settings.bool(ConfigKeys.AUTH_ENABLED);
    }

    public Optional<TlsConfig> tls() {
        Optional<Path> certificate = settings.optionalPath(ConfigKeys.SERVER_TLS_CERTIFICATE);
        if (certificate.isEmpty()) {
            if (settings.find(ConfigKeys.SERVER_TLS_PRIVATE_KEY).isPresent()) {
                throw TributaryException.invalidArgument("server.tls.private-key is set without server.tls.certificate");
            }
            return Optional.empty();
        }
        return Optional.of(new TlsConfig(certificate.get(), settings.optionalPath(ConfigKeys.SERVER_TLS_PRIVATE_KEY),
                settings.find(ConfigKeys.SERVER_TLS_PASSWORD)));
    }

    public StreamLogConfig streamLog() {
        try {
            return new StreamLogConfig(
                    dataDir().resolve("streams"),
                    settings.convert(ConfigKeys.STREAM_FSYNC, FsyncPolicy::parse, "always, interval or never"),
                    settings.duration(ConfigKeys.STREAM_FSYNC_INTERVAL),
                    settings.dataSize(ConfigKeys.STREAM_SEGMENT_SIZE),
                    settings.duration(ConfigKeys.STREAM_RETENTION),
                    settings.dataSize(ConfigKeys.STREAM_RETENTION_SIZE),
                    settings.dataSize(ConfigKeys.STREAM_MAX_IN_FLIGHT));
        } catch (IllegalArgumentException e) {
            throw new TributaryException(ErrorCode.INVALID_ARGUMENT, e.getMessage());
        }
    }

    /** The embedded search engine's settings; indexes live in {@code <data-dir>/search}. */
    public io.tributary.search.SearchConfig search() {
        try {
            return new io.tributary.search.SearchConfig(dataDir().resolve("search"), settings.dataSize(ConfigKeys.SEARCH_RAM_BUFFER_SIZE),
                    settings.duration(ConfigKeys.SEARCH_COMMIT_INTERVAL));
        } catch (IllegalArgumentException e) {
            throw new TributaryException(ErrorCode.INVALID_ARGUMENT, e.getMessage());
        }
    }

    public Optional<String> environmentValue(String name) {
        return Optional.ofNullable(environment.get(name)).filter(v -> !v.isBlank());
    }
}
