package io.tributary.analytics;

import static java.util.Objects.requireNonNull;

import io.tributary.lake.Location;
import io.tributary.lake.ObjectStore;
import java.util.stream.Stream;

/** A prefix in the lake as job input, read through the object store (local disk or S3). */
public final class LakeInput implements JobInput {
    private final ObjectStore store;
    private final Location prefix;

    public LakeInput(ObjectStore store, Location prefix) {
        this.store = requireNonNull(store, "store is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
    }

    @Override
    public Stream<InputObject> objects() {
        int strip = prefix.asPrefix().key().length();
        return store.list(prefix).map(info -> new InputObject(
                info.location().key().substring(Math.min(strip, info.location().key().length())), info.size(),
                () -> store.open(info.location())));
    }

    @Override
    public String describe() {
        return prefix.toString();
    }
}
