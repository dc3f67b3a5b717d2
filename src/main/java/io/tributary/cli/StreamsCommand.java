package io.tributary.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.client.TributaryClient;
import io.tributary.common.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "streams", mixinStandardHelpOptions = true, description = "Create, list, inspect and delete streams.",
        subcommands = {StreamsCommand.ListCmd.class, StreamsCommand.Create.class, StreamsCommand.Describe.class,
                StreamsCommand.Delete.class, StreamsCommand.Reshard.class, StreamsCommand.Tail.class})
final class StreamsCommand {
    static String path(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List streams with their shards and sizes.")
    static final class ListCmd implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            JsonNode streams = client.client().get("/api/streams");
            Table table = new Table("NAME", "STATUS", "OPEN SHARDS", "RETAINED RECORDS", "SIZE", "LAST ARRIVAL");
            for (JsonNode s : streams) {
                table.row(s.path("name").asText(), s.path("status").asText(), s.path("openShards").asInt(),
                        s.path("retainedRecords").asLong(), io.tributary.common.DataSize.ofBytes(s.path("sizeBytes").asLong()).humanReadable(),
                        s.path("lastArrival").asText("-"));
            }
            table.print(System.out);
            return ExitCodes.OK;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a stream.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME", description = "Stream name (letters, digits, '_', '.', '-').")
        String name;

        @Option(names = "--shards", defaultValue = "1", description = "Number of shards (default ${DEFAULT-VALUE}).")
        int shards;

        @Override
        public Integer call() {
            client.client().post("/api/streams", Json.mapper().createObjectNode().put("name", name).put("shards", shards));
            System.out.println("Created stream " + name + " with " + shards + " shard(s).");
            return ExitCodes.OK;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, description = "Show a stream's shards, offsets and sizes.")
    static final class Describe implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--json", description = "Print the raw JSON description.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            JsonNode d = client.client().get("/api/streams/" + path(name));
            if (json) {
                System.out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(d));
                return ExitCodes.OK;
            }
            System.out.printf("Stream %s (%s), created %s, retention %s%n", d.path("name").asText(), d.path("status").asText(),
                    d.path("created").asText(), d.path("retention").asText());
            Table table = new Table("SHARD", "OPEN", "START OFFSET", "END OFFSET", "SIZE", "PARENT");
            for (JsonNode s : d.path("shardList")) {
                table.row(s.path("shardId").asText(), s.path("open").asBoolean() ? "yes" : "closed", s.path("startOffset").asLong(),
                        s.path("endOffset").asLong(), io.tributary.common.DataSize.ofBytes(s.path("sizeBytes").asLong()).humanReadable(),
                        s.path("parentShardId").asText("-"));
            }
            table.print(System.out);
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a stream and all its records.")
    static final class Delete implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--force", description = "Delete it even though delivery streams read it (they then read a stream "
                + "created again under this name from its beginning); search sinks must always be deleted first.")
        boolean force;

        @Override
        public Integer call() {
            client.client().delete("/api/streams/" + path(name) + (force ? "?force=true" : ""));
            System.out.println("Deleted stream " + name + ".");
            return ExitCodes.OK;
        }
    }

    @Command(name = "reshard", mixinStandardHelpOptions = true,
            description = "Change the number of open shards (uniform scaling, as Kinesis UpdateShardCount).")
    static final class Reshard implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--shards", required = true, description = "Target number of open shards.")
        int shards;

        @Override
        public Integer call() {
            client.client().put("/api/streams/" + path(name) + "/shard-count", Json.mapper().createObjectNode().put("shards", shards));
            System.out.println("Stream " + name + " now has " + shards + " open shard(s).");
            return ExitCodes.OK;
        }
    }

    @Command(name = "tail", mixinStandardHelpOptions = true, description = "Print records of one shard.")
    static final class Tail implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--shard", defaultValue = "0", description = "Shard id or index (default ${DEFAULT-VALUE}).")
        String shard;

        @Option(names = "--from", defaultValue = "TRIM_HORIZON",
                description = "TRIM_HORIZON, LATEST, an offset, a sequence number or an ISO-8601 time (default ${DEFAULT-VALUE}).")
        String from;

        @Option(names = "--limit", defaultValue = "20", description = "Records to print (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--follow", description = "Keep printing new records until Ctrl-C.")
        boolean follow;

        @Override
        public Integer call() throws InterruptedException {
            TributaryClient c = client.client();
            String position = from;
            int printed = 0;
            while (true) {
                JsonNode page = c.get("/api/streams/" + path(name) + "/records?shard=" + path(shard) + "&from=" + path(position)
                        + "&limit=" + Math.max(1, follow ? 1000 : limit - printed));
                for (JsonNode r : page.path("records")) {
                    System.out.println(r.path("sequenceNumber").asText() + "  " + r.path("arrival").asText() + "  "
                            + r.path("partitionKey").asText() + "  " + r.path("data").asText(r.path("dataBase64").asText()));
                    printed++;
                }
                position = Long.toString(page.path("nextOffset").asLong());
                if (!follow && (printed >= limit || page.path("records").isEmpty())) {
                    return ExitCodes.OK;
                }
                if (page.path("records").isEmpty()) {
                    Thread.sleep(500);
                }
            }
        }
    }
}
