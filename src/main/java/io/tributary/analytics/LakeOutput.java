package io.tributary.analytics;

import static java.util.Objects.requireNonNull;

import io.tributary.common.TributaryException;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectStore;
import java.util.ArrayList;
import java.util.List;

/** A prefix in the lake as job output. Thread-safe. */
public final class LakeOutput implements JobOutput {
    private final ObjectStore store;
    private final Location prefix;
    private final List<String> written = new ArrayList<>();

    public LakeOutput(ObjectStore store, Location prefix) {
        this.store = requireNonNull(store, "store is null");
        this.prefix = requireNonNull(prefix, "prefix is null").asPrefix();
    }

    @Override
    public synchronized void write(String name, byte[] data) {
        if (name.contains("/")) {
            throw TributaryException.invalidArgument("output name '%s' must be a plain file name", name);
        }
        store.put(prefix.child(name), data);
        written.remove(name);
        written.add(name);
    }

    @Override
    public synchronized void write(String name, java.nio.file.Path file) {
        if (name.contains("/")) {
            throw TributaryException.invalidArgument("output name '%s' must be a plain file name", name);
        }
        store.put(prefix.child(name), file);
        written.remove(name);
        written.add(name);
    }

    @Override
    public synchronized List<String> written() {
        return List.copyOf(written);
    }

    @Override
    public String locationOf(String name) {
        return prefix.child(name).toString();
    }

    @Override
    public String describe() {
        return prefix.toString();
    }
}
