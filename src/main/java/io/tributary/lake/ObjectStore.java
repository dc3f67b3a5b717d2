package io.tributary.lake;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The data lake's object storage: buckets of objects addressed by {@link Location}. Two
 * implementations: a directory per bucket on local disk, and any S3-compatible service. Code above
 * this interface does not know which one it talks to.
 *
 * <p>Atomicity: a put is all-or-nothing; readers see the whole new object or (while it is being
 * replaced) the whole previous one, never a part. A put is durable when it returns.
 *
 * <p>Immutable buckets refuse overwriting and deleting an object within the bucket's retention
 * with {@code IMMUTABLE}, in both implementations.
 *
 * <p>Errors are {@link io.tributary.common.TributaryException}s: {@code NOT_FOUND} for a missing
 * bucket or object, {@code IMMUTABLE}, {@code INVALID_ARGUMENT} for a key the store cannot hold,
 * {@code STORAGE_FAILURE} (local disk) or {@code EXTERNAL_FAILURE} (S3) with the location named.
 *
 * <p>Implementations are thread-safe.
 */
public interface ObjectStore extends Closeable {
    /**
     * Creates a bucket, or updates the rules of an existing one, idempotently. An immutable bucket
     * cannot become mutable and its retention cannot shrink ({@code IMMUTABLE}).
     */
    BucketSpec createBucket(BucketSpec spec);

    Optional<BucketSpec> bucket(String name);

    List<BucketSpec> buckets();

    /** Writes an object from a file, replacing any object at that location (unless immutable). */
    void put(Location location, Path source);

    /** Writes an object from bytes, replacing any object at that location (unless immutable). */
    void put(Location location, byte[] data);

    /**
     * Writes the object only if none exists at the location, atomically with respect to concurrent
     * writers (S3's {@code If-None-Match: *}).
     *
     * @return false, having written nothing, if an object already exists there
     */
    boolean putIfAbsent(Location location, byte[] data);

    /** Like {@link #putIfAbsent(Location, byte[])}, from a file. */
    boolean putIfAbsent(Location location, Path source);

    Optional<ObjectInfo> stat(Location location);

    /** Opens an object for reading; the caller closes the stream. */
    InputStream open(Location location);

    default byte[] readAllBytes(Location location) {
        try (InputStream in = open(location)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + location + " failed", e);
        }
    }

    /**
     * Every object whose key starts with the location's key, in key order (UTF-8 byte order, as S3
     * lists). The stream reads lazily and must be closed.
     */
    Stream<ObjectInfo> list(Location prefix);

    /** One level under a prefix: the objects directly in it and its sub-prefixes (delimiter '/'). */
    Listing listLevel(Location prefix);

    /** Deletes an object; deleting a missing object succeeds, as in S3. */
    void delete(Location location);

    /**
     * Deletes the objects that lifecycle rules expire at {@code now} (never an immutable bucket's
     * object within its retention).
     *
     * @return the number of objects deleted
     */
    int applyLifecycle(Instant now);

    /**
     * The local file holding an object, for engines that read files directly (DuckDB); empty when
     * the store is remote.
     */
    Optional<Path> localPath(Location location);
}
