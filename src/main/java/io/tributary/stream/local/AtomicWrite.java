package io.tributary.stream.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces small files so that after a crash a reader finds either the old content or the new,
 * never a mix: write a temporary file, force it, rename it over the target, force the directory.
 *
 * <p>Stateless and thread-safe; callers serialize writes to the same target.
 */
final class AtomicWrite {
    private static final Logger log = LoggerFactory.getLogger(AtomicWrite.class);
    static final String TEMPORARY_SUFFIX = ".tmp";

    private AtomicWrite() {}

    static void replace(Path target, byte[] content) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + TEMPORARY_SUFFIX);
        try (FileChannel channel = FileChannel.open(temporary,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + target + " cannot rename atomically; "
                    + "put the data directory on a local file system", e);
        }
        syncDirectory(target.getParent());
    }

    /** Makes created, renamed and deleted entries of a directory durable. */
    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory; there renames are durable on their own.
            if (System.getProperty("os.name", "").startsWith("Windows")) {
                log.debug("Cannot sync directory {}", directory, e);
                return;
            }
            throw e;
        }
    }
}
