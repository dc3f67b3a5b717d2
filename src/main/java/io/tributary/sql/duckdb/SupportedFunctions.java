package io.tributary.sql.duckdb;

import java.util.Set;

/** The names of the functions Tributary's SQL runs (for documentation, the UI's completion and tests). */
public final class SupportedFunctions {
    private SupportedFunctions() {}

    public static Set<String> names() {
        return Set.copyOf(Functions.names());
    }
}
