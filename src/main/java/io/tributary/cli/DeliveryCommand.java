package io.tributary.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.common.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "delivery", mixinStandardHelpOptions = true,
        description = "Inspect delivery streams (stream or direct puts into the lake) and flush them.",
        subcommands = {DeliveryCommand.ListCmd.class, DeliveryCommand.Describe.class, DeliveryCommand.Flush.class})
final class DeliveryCommand {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List delivery streams with their source, destination and lag.")
    static final class ListCmd implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            JsonNode streams = client.client().get("/api/delivery-streams");
            Table table = new Table("NAME", "SOURCE", "DESTINATION", "BUFFER", "COMPRESSION", "DELIVERED", "OBJECTS", "LAG");
            for (JsonNode s : streams) {
                table.row(s.path("name").asText(), s.path("source").asText(), s.path("destination").asText() + s.path("prefix").asText(),
                        s.path("bufferingSize").asText() + "/" + s.path("bufferingInterval").asText(), s.path("compression").asText(),
                        s.path("recordsDelivered").asLong(), s.path("objectsWritten").asLong(), lag(s.path("lagMillis").asLong()));
            }
            table.print(System.out);
            return ExitCodes.OK;
        }
    }

    static String lag(long millis) {
        return millis < 1000 ? millis + "ms" : String.format("%.1fs", millis / 1000.0);
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, description = "Show a delivery stream's configuration and figures.")
    static final class Describe implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--json", description = "Print the raw JSON description.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            JsonNode d = client.client().get("/api/delivery-streams/" + StreamsCommand.path(name));
            if (json) {
                System.out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(d));
                return ExitCodes.OK;
            }
            System.out.printf("Delivery stream %s, created %s%n", d.path("name").asText(), d.path("created").asText());
            System.out.printf("  source             %s%n", d.path("source").asText());
            System.out.printf("  destination        %s%s%n", d.path("destination").asText(), d.path("prefix").asText());
            System.out.printf("  error output       %s%s%n", d.path("destination").asText(), d.path("errorOutputPrefix").asText());
            System.out.printf("  buffering          %s or %s, whichever comes first%n", d.path("bufferingSize").asText(),
                    d.path("bufferingInterval").asText());
            System.out.printf("  format             %s, compression %s%n", d.path("format").asText(), d.path("compression").asText());
            System.out.printf("  buffered now       %d records, %d bytes%n", d.path("bufferedRecords").asLong(), d.path("bufferedBytes").asLong());
            System.out.printf("  delivered          %d records in %d objects (%d to the error output) since start%n",
                    d.path("recordsDelivered").asLong(), d.path("objectsWritten").asLong(), d.path("errorRecords").asLong());
            System.out.printf("  lag                %s%n", lag(d.path("lagMillis").asLong()));
            if (d.has("lastObject")) {
                System.out.printf("  last object        %s (%s)%n", d.path("lastObject").asText(), d.path("lastDelivery").asText());
            }
            if (d.has("lastError")) {
                System.out.printf("  last error         %s%n", d.path("lastError").asText());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "flush", mixinStandardHelpOptions = true, description = "Deliver what a delivery stream buffers now, without waiting for its hints.")
    static final class Flush implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            JsonNode result = client.client().post("/api/delivery-streams/" + StreamsCommand.path(name) + "/flush",
                    Json.mapper().createObjectNode());
            System.out.println("Flushed " + name + ": " + result.path("records").asLong() + " record(s) delivered.");
            return ExitCodes.OK;
        }
    }
}
