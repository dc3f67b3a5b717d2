package io.tributary.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Create or update the resources declared under pipeline: in a file, idempotently.",
                "Nothing is deleted unless --prune is given."})
final class ApplyCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "tributary.yaml or a file with a pipeline: section.")
    Path file;

    @Option(names = "--prune", description = "Also delete resources of the declared kinds that the file does not declare.")
    boolean prune;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("-f " + file + " does not exist or is not a file");
        }
        JsonNode report = client.client().post("/api/pipeline/apply" + (prune ? "?prune=true" : ""),
                Files.readAllBytes(file), "application/yaml");
        Table table = new Table("KIND", "NAME", "ACTION", "DETAIL");
        for (JsonNode c : report.path("changes")) {
            table.row(c.path("kind").asText(), c.path("name").asText(), c.path("action").asText(), c.path("detail").asText());
        }
        table.print(System.out);
        return ExitCodes.OK;
    }
}
