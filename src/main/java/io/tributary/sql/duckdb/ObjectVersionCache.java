package io.tributary.sql.duckdb;

import static java.util.Objects.requireNonNull;

import io.tributary.lake.ObjectInfo;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a scan of a lake object found, remembered per object version (location, size, last-modified
 * time) and variant (how the object was scanned), for the most recently used entries. A new version
 * of an object is a new key, so nothing is invalidated; old versions age out.
 *
 * <p>Thread-safe. The scan runs outside the lock, so two threads that miss the same entry at once
 * may both scan; they find the same.
 */
final class ObjectVersionCache<V> {
    private static final int MAX_ENTRIES = 200_000;

    private record Key(String location, long size, long modified, String variant) {}

    private final Map<Key, V> entries = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, V> eldest) {
            return size() > MAX_ENTRIES;
        }
    });

    /** The remembered value for the object's version and variant, or what {@code scan} finds, which is then remembered. */
    V get(ObjectInfo object, String variant, Supplier<V> scan) {
        Key key = new Key(object.location().toString(), object.size(), object.lastModified().toEpochMilli(),
                requireNonNull(variant, "variant is null"));
        V value = entries.get(key);
        if (value == null) {
            value = requireNonNull(scan.get(), "scan found null");
            entries.put(key, value);
        }
        return value;
    }
}
