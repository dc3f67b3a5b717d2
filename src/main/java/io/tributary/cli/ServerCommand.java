package io.tributary.cli;

import io.tributary.server.ConfigKeys;
import io.tributary.server.TributaryConfig;
import io.tributary.server.TributaryServer;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run the Tributary server in the foreground until Ctrl-C.")
final class ServerCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options;

    @Override
    public Integer call() throws Exception {
        TributaryConfig config = options.load(Map.of());
        Logging.configure(config.settings().string(ConfigKeys.LOG_LEVEL), config.settings().string(ConfigKeys.LOG_FORMAT),
                true, config.settings().optionalPath(ConfigKeys.LOG_FILE));
        TributaryServer server = TributaryServer.start(config, Clock.systemUTC());
        printFirstStart(server, System.out);
        awaitShutdown(server);
        return ExitCodes.OK;
    }

    static void printFirstStart(TributaryServer server, PrintStream out) {
        server.generatedAdminPassword().ifPresent(password -> {
            out.println();
            out.println("  First start: created user 'admin' with password  " + password);
            out.println("  (shown only now; set TRIBUTARY_ADMIN_PASSWORD before the first start to choose it)");
            out.println();
        });
    }

    /** Blocks until the JVM is asked to stop, then closes the server, flushing what it holds. */
    static void awaitShutdown(AutoCloseable... closeables) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable c : closeables) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("error while stopping: " + e.getMessage());
                }
            }
            stopped.countDown();
        }, "tributary-shutdown"));
        stopped.await();
    }
}
