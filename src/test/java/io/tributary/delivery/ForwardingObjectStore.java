package io.tributary.delivery;

import io.tributary.lake.BucketSpec;
import io.tributary.lake.Listing;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.lake.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** An object store that passes every call to a real one; tests override a method to inject failures. */
class ForwardingObjectStore implements ObjectStore {
    private final ObjectStore delegate;

    ForwardingObjectStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public BucketSpec createBucket(BucketSpec spec) {
        return delegate.createBucket(spec);
    }

    @Override
    public Optional<BucketSpec> bucket(String name) {
        return delegate.bucket(name);
    }

    @Override
    public List<BucketSpec> buckets() {
        return delegate.buckets();
    }

    @Override
    public void put(Location location, Path source) {
        delegate.put(location, source);
    }

    @Override
    public void put(Location location, byte[] data) {
        delegate.put(location, data);
    }

    @Override
    public boolean putIfAbsent(Location location, byte[] data) {
        return delegate.putIfAbsent(location, data);
    }

    @Override
    public boolean putIfAbsent(Location location, Path source) {
        return delegate.putIfAbsent(location, source);
    }

    @Override
    public Optional<ObjectInfo> stat(Location location) {
        return delegate.stat(location);
    }

    @Override
    public InputStream open(Location location) {
        return delegate.open(location);
    }

    @Override
    public Stream<ObjectInfo> list(Location prefix) {
        return delegate.list(prefix);
    }

    @Override
    public Listing listLevel(Location prefix) {
        return delegate.listLevel(prefix);
    }

    @Override
    public void delete(Location location) {
        delegate.delete(location);
    }

    @Override
    public int applyLifecycle(Instant now) {
        return delegate.applyLifecycle(now);
    }

    @Override
    public Optional<Path> localPath(Location location) {
        return delegate.localPath(location);
    }

    @Override
    public void close() throws IOException {
        // the delegate belongs to the test
    }
}
