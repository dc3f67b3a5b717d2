package io.tributary.sql;

import static java.util.Objects.requireNonNull;

import io.tributary.lake.Location;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of query execution ({@code sql.*} keys).
 *
 * @param resultsLocation where result CSVs go, {@code <location><query-id>.csv}, as Athena's OutputLocation
 * @param maxConcurrent queries running at once; more wait in the queue
 * @param maxQueued queries waiting; more are refused with TooManyRequestsException
 * @param queryTimeout a query running longer is stopped and FAILED
 * @param workDirectory the engine's spill, cache and staging directories
 */
public record SqlConfig(Location resultsLocation, int maxConcurrent, int maxQueued, Duration queryTimeout, Path workDirectory) {
    public SqlConfig {
        requireNonNull(resultsLocation, "resultsLocation is null");
        requireNonNull(queryTimeout, "queryTimeout is null");
        requireNonNull(workDirectory, "workDirectory is null");
        if (maxConcurrent < 1 || maxQueued < 0) {
            throw new IllegalArgumentException("sql.max-concurrent-queries must be at least 1 and sql.max-queued-queries at least 0");
        }
        resultsLocation = resultsLocation.asPrefix();
    }
}
