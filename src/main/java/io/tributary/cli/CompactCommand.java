package io.tributary.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.common.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tributary compact}: the hourly compaction, on demand for one hour. */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = {"Compact one hour of a JSON table into a Parquet table, as the hourly compact schedule does (the lab's MergeSmallFiles).",
                "Running it again for the same hour replaces that hour's Parquet files."})
final class CompactCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--source", required = true, description = "The JSON table, database.table (partitioned by year, month, day, hour).")
    String source;

    @Option(names = "--target", required = true, description = "The Parquet table, database.table.")
    String target;

    @Option(names = "--hour", required = true, description = "The hour to compact, UTC, such as 2026-11-25T10.")
    String hour;

    @Override
    public Integer call() {
        JsonNode r = client.client().post("/api/sql/compact",
                Json.mapper().createObjectNode().put("source", source).put("target", target).put("hour", hour));
        System.out.println(r.path("summary").asText());
        return ExitCodes.OK;
    }
}
