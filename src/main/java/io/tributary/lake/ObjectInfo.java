package io.tributary.lake;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** An object's location, size and last-modified time, as a listing returns it. */
public record ObjectInfo(Location location, long size, Instant lastModified) {
    public ObjectInfo {
        requireNonNull(location, "location is null");
        requireNonNull(lastModified, "lastModified is null");
    }
}
