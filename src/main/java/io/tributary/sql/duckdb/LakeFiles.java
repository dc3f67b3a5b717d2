package io.tributary.sql.duckdb;

import static java.util.Objects.requireNonNull;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.lake.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lake's objects as local files DuckDB can read. A local store's objects are read where they
 * are; a remote store's (S3) are downloaded once into a read-through cache under the data
 * directory, keyed by location and checked against size and last-modified time, and evicted
 * least-recently-used past {@code cacheBytes}. DuckDB's own S3 access (httpfs) is not available
 * offline; see docs/decisions.md.
 *
 * <p>Thread-safe.
 */
final class LakeFiles {
    private static final Logger LOG = LoggerFactory.getLogger(LakeFiles.class);

    private final ObjectStore store;
    private final Path cacheDir;
    private final long cacheBytes;
    private final Map<Path, Long> cached = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedBytes;

    LakeFiles(ObjectStore store, Path cacheDir, long cacheBytes) {
        this.store = requireNonNull(store, "store is null");
        this.cacheDir = requireNonNull(cacheDir, "cacheDir is null").toAbsolutePath().normalize();
        this.cacheBytes = cacheBytes;
        try {
            Files.createDirectories(this.cacheDir);
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "cannot create the SQL cache directory " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    ObjectStore store() {
        return store;
    }

    /** Directories DuckDB may read: the local lake, or the cache of a remote one. */
    List<Path> readableDirectories() {
        List<Path> dirs = new ArrayList<>();
        dirs.add(cacheDir);
        if (store instanceof io.tributary.lake.local.LocalObjectStore local) {
            dirs.add(local.root());
        }
        return dirs;
    }

    /**
     * The data files under a prefix, recursively, as Hive lists them: hidden names (starting with
     * {@code _} or {@code .}) and empty objects are skipped.
     *
     * @throws TributaryException {@code NOT_FOUND} if the bucket does not exist
     */
    List<ObjectInfo> list(Location prefix) {
        if (store.bucket(prefix.bucket()).isEmpty()) {
            throw TributaryException.notFound("location %s: bucket '%s' does not exist; declare it under pipeline.buckets in tributary.yaml",
                    prefix, prefix.bucket());
        }
        List<ObjectInfo> out = new ArrayList<>();
        String base = prefix.asPrefix().key();
        try (Stream<ObjectInfo> objects = store.list(prefix.asPrefix())) {
            objects.forEach(o -> {
                String relative = o.location().key().substring(base.length());
                boolean hidden = false;
                for (String segment : relative.split("/")) {
                    if (segment.startsWith("_") || segment.startsWith(".")) {
                        hidden = true;
                    }
                }
                if (!hidden && o.size() > 0 && !o.location().key().endsWith("/")) {
                    out.add(o);
                }
            });
        }
        return out;
    }

    /** A local file with the object's bytes. */
    Path local(ObjectInfo object) {
        Optional<Path> direct = localPathOf(object.location());
        if (direct.isPresent()) {
            return direct.get();
        }
        Path file = cacheDir.resolve(object.location().bucket()).resolve(object.location().key()).normalize();
        if (!file.startsWith(cacheDir)) {
            throw TributaryException.invalidArgument("%s escapes the cache", object.location());
        }
        try {
            if (Files.isRegularFile(file) && Files.size(file) == object.size()
                    && Files.getLastModifiedTime(file).toMillis() == object.lastModified().toEpochMilli()) {
                touch(file, object.size());
                return file;
            }
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("." + UUID.randomUUID() + ".part");
            try (InputStream in = store.open(object.location())) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setLastModifiedTime(tmp, FileTime.fromMillis(object.lastModified().toEpochMilli()));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            touch(file, object.size());
            return file;
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.EXTERNAL_FAILURE, "caching " + object.location() + " for SQL failed: " + e.getMessage(), e);
        }
    }

    /** Writes a derived file into {@code target}; the file is renamed into place only when this returns. */
    @FunctionalInterface
    interface Producer {
        void write(Path target) throws IOException;
    }

    /**
     * A file derived from an object for DuckDB (an OpenCSV object re-quoted, a JSON object with its
     * keys normalised), made once per object version and {@code variant} and kept in the cache,
     * where it is evicted like downloaded objects.
     *
     * @param suffix the derived file's extension, which tells DuckDB its compression ({@code .csv}, {@code .json})
     */
    Path derived(ObjectInfo object, String variant, String suffix, Producer producer) {
        String version = object.size() + "-" + object.lastModified().toEpochMilli() + "-" + Integer.toHexString(variant.hashCode());
        Path file = cacheDir.resolve(".derived").resolve(object.location().bucket()).resolve(object.location().key() + "." + version + suffix)
                .normalize();
        if (!file.startsWith(cacheDir)) {
            throw TributaryException.invalidArgument("%s escapes the cache", object.location());
        }
        try {
            if (Files.isRegularFile(file)) {
                touch(file, Files.size(file));
                return file;
            }
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("." + UUID.randomUUID() + ".part");
            try {
                producer.write(tmp);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            touch(file, Files.size(file));
            return file;
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.EXTERNAL_FAILURE, "preparing " + object.location() + " for SQL failed: " + e.getMessage(), e);
        }
    }

    private Optional<Path> localPathOf(Location location) {
        try {
            return store.localPath(location);
        } catch (TributaryException e) {
            return Optional.empty();
        }
    }

    private synchronized void touch(Path file, long size) {
        Long previous = cached.put(file, size);
        cachedBytes += size - (previous == null ? 0 : previous);
        Iterator<Map.Entry<Path, Long>> it = cached.entrySet().iterator();
        while (cachedBytes > cacheBytes && it.hasNext()) {
            Map.Entry<Path, Long> oldest = it.next();
            if (oldest.getKey().equals(file)) {
                continue;
            }
            try {
                Files.deleteIfExists(oldest.getKey());
            } catch (IOException e) {
                LOG.warn("Could not evict {} from the SQL cache: {}", oldest.getKey(), e.getMessage());
            }
            cachedBytes -= oldest.getValue();
            it.remove();
        }
    }

    /** Maps a local file back to the lake location it holds, so messages never show local paths. */
    String describe(String text) {
        // A derived file names its object, then its version: s3://bucket/key.<size>-<modified>-<variant>.csv
        String out = text.replaceAll(java.util.regex.Pattern.quote(cacheDir + "/.derived/") + "([^\"'\\s]*?)\\.\\d+-\\d+-[0-9a-f]+\\.(csv|json)",
                "s3://$1");
        for (Path dir : readableDirectories()) {
            String prefix = dir.toString() + "/";
            out = out.replace(prefix, "s3://");
        }
        return out;
    }
}
