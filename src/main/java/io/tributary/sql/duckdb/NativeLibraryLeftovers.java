package io.tributary.sql.duckdb;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes copies of DuckDB's native library that killed processes left in the temporary directory.
 *
 * <p>Why: the JDBC driver copies its library (about 70 MB) into {@code java.io.tmpdir} each time a
 * JVM loads it and deletes the copy only at a normal exit. A server stopped with {@code kill -9}, by
 * the OOM killer or by a crash leaves one behind, and they add up to gigabytes. Only copies older
 * than ten minutes are removed — a process loads its copy within a second of writing it, and on
 * Linux and macOS deleting a library a running process has loaded does not affect that process.
 * Where the platform refuses (a loaded library on Windows) the file is left.
 */
final class NativeLibraryLeftovers {
    private static final Logger LOG = LoggerFactory.getLogger(NativeLibraryLeftovers.class);
    private static final Pattern NAME = Pattern.compile("libduckdb_java-?\\d+\\.so");
    static final Duration MIN_AGE = Duration.ofMinutes(10);
    private static final AtomicBoolean SWEPT = new AtomicBoolean();

    private NativeLibraryLeftovers() {}

    /** Sweeps the JVM's temporary directory, once per JVM. */
    static void sweepOnce() {
        if (SWEPT.compareAndSet(false, true)) {
            sweep(Path.of(System.getProperty("java.io.tmpdir")), Instant.now().minus(MIN_AGE));
        }
    }

    /** Deletes copies in {@code dir} last modified before {@code olderThan}; returns how many. */
    static int sweep(Path dir, Instant olderThan) {
        requireNonNull(dir, "dir is null");
        requireNonNull(olderThan, "olderThan is null");
        int deleted = 0;
        long bytes = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> NAME.matcher(p.getFileName().toString()).matches())) {
            for (Path p : entries) {
                try {
                    if (Files.isRegularFile(p) && Files.getLastModifiedTime(p).toInstant().isBefore(olderThan)) {
                        long size = Files.size(p);
                        Files.delete(p);
                        deleted++;
                        bytes += size;
                    }
                } catch (IOException e) {
                    LOG.debug("Left {}: {}", p, e.toString());
                }
            }
        } catch (IOException e) {
            LOG.debug("Cannot list {} for leftover DuckDB libraries: {}", dir, e.toString());
        }
        if (deleted > 0) {
            LOG.info("Removed {} copies of DuckDB's native library ({} MB) that stopped processes left in {}", deleted, bytes >> 20, dir);
        }
        return deleted;
    }
}
