package io.tributary.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage API access keys.",
        subcommands = {KeysCommand.ListCmd.class, KeysCommand.Create.class, KeysCommand.Revoke.class})
final class KeysCommand {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List access keys (never their secrets).")
    static final class ListCmd implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            Table table = new Table("ID", "USER", "SOURCE", "CREATED", "STATE", "DESCRIPTION");
            for (JsonNode k : client.client().get("/api/access-keys")) {
                table.row(k.path("id").asText(), k.path("owner").asText(), k.path("source").asText(), k.path("created").asText(),
                        k.path("revoked").isNull() || k.path("revoked").isMissingNode() ? "active" : "revoked",
                        k.path("description").asText());
            }
            table.print(System.out);
            return ExitCodes.OK;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an access key; its secret is shown once.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--user", description = "Owner of the key (default: you).")
        String user;

        @Option(names = "--description", defaultValue = "", description = "What the key is for.")
        String description;

        @Override
        public Integer call() {
            ObjectNode body = Json.mapper().createObjectNode().put("description", description);
            if (user != null) {
                body.put("user", user);
            }
            JsonNode key = client.client().post("/api/access-keys", body);
            System.out.println("TRIBUTARY_ACCESS_KEY_ID=" + key.path("id").asText());
            System.out.println("TRIBUTARY_SECRET_ACCESS_KEY=" + key.path("secret").asText());
            System.err.println("The secret is shown only now; store it safely.");
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke an access key.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            client.client().delete("/api/access-keys/" + id);
            System.out.println("Revoked " + id + ".");
            return ExitCodes.OK;
        }
    }
}
