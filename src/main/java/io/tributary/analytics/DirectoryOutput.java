package io.tributary.analytics;

import static java.util.Objects.requireNonNull;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** A local directory as job output; each output is written to a temporary file and renamed into place. Thread-safe. */
public final class DirectoryOutput implements JobOutput {
    private final Path directory;
    private final List<String> written = new ArrayList<>();

    public DirectoryOutput(Path directory) {
        this.directory = requireNonNull(directory, "directory is null");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "cannot create output directory " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void write(String name, byte[] data) {
        Path target = directory.resolve(name).normalize();
        if (!target.startsWith(directory.normalize()) || name.contains("/")) {
            throw TributaryException.invalidArgument("output name '%s' must be a plain file name", name);
        }
        try {
            Path tmp = directory.resolve("." + name + "." + java.util.UUID.randomUUID() + ".part");
            Files.write(tmp, data);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "writing output " + target + " failed: " + e.getMessage(), e);
        }
        written.remove(name);
        written.add(name);
    }

    @Override
    public synchronized void write(String name, Path file) {
        try {
            write(name, new byte[0]);
            Path target = directory.resolve(name);
            Path tmp = directory.resolve("." + name + "." + java.util.UUID.randomUUID() + ".part");
            try (var out = Files.newOutputStream(tmp)) {
                Files.copy(file, out);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "writing output " + name + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<String> written() {
        return List.copyOf(written);
    }

    @Override
    public String locationOf(String name) {
        return directory.resolve(name).toString();
    }

    @Override
    public String describe() {
        return directory.toString();
    }
}
