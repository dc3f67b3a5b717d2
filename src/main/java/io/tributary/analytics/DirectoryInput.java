package io.tributary.analytics;

import static java.util.Objects.requireNonNull;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A local directory as job input (the seed's container read a bucket; a laptop user has a folder). */
public final class DirectoryInput implements JobInput {
    private final Path directory;

    public DirectoryInput(Path directory) {
        this.directory = requireNonNull(directory, "directory is null");
        if (!Files.isDirectory(directory)) {
            throw new TributaryException(ErrorCode.NOT_FOUND, "input directory " + directory + " does not exist");
        }
    }

    @Override
    public Stream<InputObject> objects() {
        try {
            return Files.walk(directory)
                    .filter(Files::isRegularFile)
                    .map(p -> new InputObject(directory.relativize(p).toString().replace('\\', '/'), size(p), () -> Files.newInputStream(p)));
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + directory + " failed", e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public String describe() {
        return directory.toString();
    }
}
