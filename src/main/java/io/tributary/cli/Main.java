package io.tributary.cli;

import io.tributary.client.ClientException;
import io.tributary.common.TributaryException;
import io.tributary.server.TributaryServer;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tributary} command line. */
@Command(name = "tributary", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Tributary: a self-hosted streaming BI platform (stream, lake, SQL, search, dashboards).",
        subcommands = {ServerCommand.class, DemoCommand.class, StreamsCommand.class, PutCommand.class, GenerateCommand.class,
                ApplyCommand.class, KeysCommand.class, AnalyzeCommand.class, SchedulesCommand.class, SinksCommand.class, BenchCommand.class,
                DeliveryCommand.class, LakeCommand.class, SqlCommand.class, CompactCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 failed, 2 usage, 5 server unreachable, 6 access denied, 7 not found, 8 invalid input, 130 interrupted.",
                "Client commands use --server (default http://127.0.0.1:8080) and TRIBUTARY_ACCESS_KEY_ID / TRIBUTARY_SECRET_ACCESS_KEY."})
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        boolean serverCommand = args.length > 0 && (args[0].equals("server") || args[0].equals("demo") || args[0].equals("bench"));
        if (!serverCommand) {
            Logging.quiet();
        }
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::handle);
        cli.setParameterExceptionHandler((e, a) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("error: " + e.getMessage());
            err.println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCodes.USAGE;
        });
        return cli.execute(args);
    }

    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parseResult) {
        PrintWriter err = cli.getErr();
        if (e instanceof ClientException c) {
            err.println("error: " + c.getMessage() + (c.status() > 0 ? " (" + c.code() + ", HTTP " + c.status() + ")" : ""));
            if (c.code().contains("MissingAuthentication") || c.status() == 401) {
                err.println("The server requires credentials: set TRIBUTARY_ACCESS_KEY_ID and TRIBUTARY_SECRET_ACCESS_KEY "
                        + "(create a key with `tributary keys create`).");
            }
        } else if (e instanceof java.io.UncheckedIOException io) {
            err.println("error: " + io.getMessage());
        } else if (e instanceof TributaryException t) {
            err.println("error: " + t.getMessage());
        } else if (e instanceof IllegalArgumentException) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        } else {
            err.println("error: " + e);
            e.printStackTrace(err);
        }
        return ExitCodes.of(e);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Tributary " + TributaryServer.VERSION + " (Java " + Runtime.version() + ")"};
        }
    }
}
