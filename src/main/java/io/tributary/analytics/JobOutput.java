package io.tributary.analytics;

import java.util.List;

/** Where a job writes its named outputs (CSV, PNG, JSON): a prefix in the lake or a local directory. */
public interface JobOutput {
    /** Writes (or replaces) the output atomically. */
    void write(String name, byte[] data);

    /** Writes (or replaces) the output from a file, for outputs too large to hold in memory. */
    void write(String name, java.nio.file.Path file);

    /** The outputs written so far, by name, in the order written. */
    List<String> written();

    /** Where an output ends up, as the user would address it. */
    String locationOf(String name);

    String describe();
}
