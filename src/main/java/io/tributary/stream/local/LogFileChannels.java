package io.tributary.stream.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opens the segment files of the log. A seam for tests, which wrap the channels to record writes
 * and {@code force} calls or to make the disk slow; production uses {@link #DEFAULT}.
 *
 * <p>Implementations must be thread-safe.
 */
interface LogFileChannels {
    LogFileChannels DEFAULT = FileChannel::open;

    FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException;
}
