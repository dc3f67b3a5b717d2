package io.tributary.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.common.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sinks", mixinStandardHelpOptions = true,
        description = "Stream -> search index sinks (declared under pipeline.sinks): state, counters, positions.",
        subcommands = {SinksCommand.ListCmd.class, SinksCommand.Describe.class, SinksCommand.Delete.class})
final class SinksCommand {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List sinks with their counters.")
    static final class ListCmd implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            Table table = new Table("NAME", "STATE", "STREAM", "INDEX", "READS", "WRITES", "INVALID", "INDEX ERRORS", "ERRORS", "LAG");
            for (JsonNode s : client.client().get("/api/sinks")) {
                JsonNode c = s.path("counters");
                table.row(s.path("name").asText(), s.path("state").asText(), s.path("spec").path("stream").asText(),
                        s.path("spec").path("index").asText(), c.path("reads").asLong(), c.path("writes").asLong(), c.path("invalid").asLong(),
                        c.path("index_errors").asLong(), c.path("errors").asLong(), s.path("lagMillis").asLong() / 1000.0 + "s");
            }
            table.print(System.out);
            return ExitCodes.OK;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, description = "Show a sink's declaration, counters, positions and dead letters.")
    static final class Describe implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--json", description = "Print the raw JSON description.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            JsonNode s = client.client().get("/api/sinks/" + StreamsCommand.path(name));
            if (json) {
                System.out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(s));
                return ExitCodes.OK;
            }
            JsonNode spec = s.path("spec");
            JsonNode c = s.path("counters");
            System.out.printf("Sink %s (%s): stream %s -> index %s%s%n", s.path("name").asText(), s.path("state").asText(),
                    spec.path("stream").asText(), spec.path("index").asText(),
                    spec.path("index-rotation").asText("none").equals("daily") ? " (daily indexes)" : "");
            System.out.printf("  id %s, required fields %s (%s), date fields %s (%s)%n", spec.path("id").asText(),
                    spec.path("required-fields"), spec.path("required-mode").asText(), spec.path("date-fields"), spec.path("date-format").asText());
            System.out.printf("  reads %d, writes %d, invalid %d, index_errors %d, errors %d, lag %.1f s%n", c.path("reads").asLong(),
                    c.path("writes").asLong(), c.path("invalid").asLong(), c.path("index_errors").asLong(), c.path("errors").asLong(),
                    s.path("lagMillis").asLong() / 1000.0);
            System.out.printf("  committed positions %s%n", s.path("positions"));
            System.out.printf("  dead letters: %d this run, in %s%n", s.path("deadLetters").asLong(), s.path("deadLetterFile").asText());
            if (s.has("lastError")) {
                System.out.println("  last error: " + s.path("lastError").asText());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Stop and remove a sink; its indexes and dead letters stay.")
    static final class Delete implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            client.client().delete("/api/sinks/" + StreamsCommand.path(name));
            System.out.println("Deleted sink " + name + ".");
            return ExitCodes.OK;
        }
    }
}
