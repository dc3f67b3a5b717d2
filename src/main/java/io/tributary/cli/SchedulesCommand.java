package io.tributary.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "schedules", mixinStandardHelpOptions = true, description = "Scheduled tasks: their next firing, history, and running one now.",
        subcommands = {SchedulesCommand.ListCmd.class, SchedulesCommand.Runs.class, SchedulesCommand.Run.class})
final class SchedulesCommand {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Schedules with their next firing and last run.")
    static final class ListCmd implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            Table table = new Table("NAME", "EXPRESSION", "TASK", "NEXT", "LAST RUN", "STATUS");
            for (JsonNode s : client.client().get("/api/schedules")) {
                JsonNode last = s.path("lastRun");
                table.row(s.path("name").asText(), s.path("expression").asText(), s.path("task").asText(),
                        s.path("enabled").asBoolean() ? s.path("nextFire").asText("-") : "disabled",
                        last.path("scheduledFor").asText("-"), last.path("status").asText("-"));
            }
            table.print(System.out);
            return ExitCodes.OK;
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true, description = "A schedule's recent runs, newest first.")
    static final class Runs implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--limit", defaultValue = "20")
        int limit;

        @Override
        public Integer call() {
            Table table = new Table("ID", "SCHEDULED FOR", "STATUS", "DURATION", "MESSAGE");
            for (JsonNode r : client.client().get("/api/schedules/" + StreamsCommand.path(name) + "/runs?limit=" + limit)) {
                table.row(r.path("id").asLong(), r.path("scheduledFor").asText(), r.path("status").asText(),
                        r.has("durationMillis") ? r.path("durationMillis").asLong() + " ms" : "-", r.path("message").asText());
            }
            table.print(System.out);
            return ExitCodes.OK;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run a schedule's task now, outside its timetable.")
    static final class Run implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            JsonNode started = client.client().post("/api/schedules/" + StreamsCommand.path(name) + "/runs", new byte[0], "application/json");
            System.out.println("Started run " + started.path("runId").asLong() + " of " + name
                    + "; see it with: tributary schedules runs " + name);
            return ExitCodes.OK;
        }
    }
}
