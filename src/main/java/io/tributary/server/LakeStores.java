package io.tributary.server;

import io.tributary.common.TributaryException;
import io.tributary.lake.ObjectStore;
import io.tributary.lake.local.LocalObjectStore;
import io.tributary.lake.s3.S3ObjectStore;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Opens the lake's object store that {@code lake.store} chooses, from the {@code lake.*} keys. */
public final class LakeStores {
    private LakeStores() {}

    public static ObjectStore open(TributaryConfig config, Clock clock) {
        var settings = config.settings();
        String kind = settings.string(ConfigKeys.LAKE_STORE).trim().toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "local" -> new LocalObjectStore(config.dataDir().resolve("lake"), clock);
            case "s3" -> {
                Optional<URI> endpoint = settings.find(ConfigKeys.LAKE_S3_ENDPOINT).map(v -> settings.convert(ConfigKeys.LAKE_S3_ENDPOINT, u -> {
                    URI uri = URI.create(u);
                    if (uri.getScheme() == null || uri.getHost() == null) {
                        throw new IllegalArgumentException("not an absolute URL");
                    }
                    return uri;
                }, "a URL such as http://127.0.0.1:9000"));
                Optional<String> id = settings.find(ConfigKeys.LAKE_S3_ACCESS_KEY_ID);
                Optional<String> secret = settings.find(ConfigKeys.LAKE_S3_SECRET_ACCESS_KEY);
                if (id.isPresent() != secret.isPresent()) {
                    throw TributaryException.invalidArgument("set both lake.s3.access-key-id and lake.s3.secret-access-key, or neither "
                            + "to use the default AWS credential chain");
                }
                yield new S3ObjectStore(new S3ObjectStore.Config(endpoint, settings.string(ConfigKeys.LAKE_S3_REGION),
                        settings.bool(ConfigKeys.LAKE_S3_PATH_STYLE), id.map(i -> Map.entry(i, secret.orElseThrow())),
                        settings.dataSize(ConfigKeys.LAKE_S3_MULTIPART_THRESHOLD), settings.dataSize(ConfigKeys.LAKE_S3_PART_SIZE),
                        settings.integer(ConfigKeys.LAKE_S3_MAX_ATTEMPTS), config.dataDir().resolve("lake-s3")), clock);
            }
            default -> throw TributaryException.invalidArgument("configuration key 'lake.store' is '%s', expected local or s3", kind);
        };
    }
}
