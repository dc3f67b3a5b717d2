package io.tributary.analytics;

import java.util.stream.Stream;

/**
 * Where a job reads from: a prefix in the lake or a local directory. Objects are listed lazily so a
 * job can stream millions of them with bounded memory.
 */
public interface JobInput {
    /** Every object under the input location, names relative to it; the stream must be closed. */
    Stream<InputObject> objects();

    /** The location as the user wrote it, for reports. */
    String describe();
}
