package io.tributary.analytics;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;

/** One object a job reads: its name relative to the input location, its size, and how to open it. */
public record InputObject(String name, long size, Opener opener) {
    public InputObject {
        requireNonNull(name, "name is null");
        requireNonNull(opener, "opener is null");
    }

    public InputStream open() throws IOException {
        return opener.open();
    }

    /** The object's file name: the part after the last '/'. */
    public String fileName() {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }
}
