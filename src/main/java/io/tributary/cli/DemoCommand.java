package io.tributary.cli;

import io.tributary.auth.AccessKey;
import io.tributary.client.Credentials;
import io.tributary.client.TributaryClient;
import io.tributary.generate.KinesisSender;
import io.tributary.generate.Rate;
import io.tributary.generate.RetailSource;
import io.tributary.generate.CnaEmulator;
import io.tributary.generate.StreamGenerator;
import java.util.ArrayList;
import java.util.List;
import io.tributary.server.ConfigKeys;
import io.tributary.server.DemoPipeline;
import io.tributary.server.TributaryConfig;
import io.tributary.server.TributaryServer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline on this machine: the server, the lab's resources and a retail data generator.",
                "Ctrl-C stops it cleanly; run it again on the same --data-dir to continue where it stopped."})
final class DemoCommand implements Callable<Integer> {
    static final String DEMO_KEY_DESCRIPTION = "demo generator";

    @Mixin
    ServerOptions options;

    @Option(names = "--rate", defaultValue = "5/s",
            description = "Generator rate (default ${DEFAULT-VALUE}: about 100 MB a day, well within the 24 h stream retention).")
    String rate;

    @Option(names = "--telemetry-rate", defaultValue = "12/m",
            description = "Rounds per provider of the two CNA emulators (aws, ibm) feeding the governance pipeline (default ${DEFAULT-VALUE}).")
    String telemetryRate;

    @Override
    public Integer call() throws Exception {
        Rate parsedRate = Rate.parse(rate);
        // The demo runs the governance pipeline too; a user's own configuration or flags may still turn it off.
        TributaryConfig config = options.load(Map.of(ConfigKeys.TELEMETRY_ENABLED.name(), "true"));
        config = config.withPipeline(config.pipeline().withDefaults(DemoPipeline.load()));
        Path logFile = config.settings().optionalPath(ConfigKeys.LOG_FILE)
                .orElse(config.dataDir().resolve("logs").resolve("tributary.log"));
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        Logging.configure(config.settings().string(ConfigKeys.LOG_LEVEL), config.settings().string(ConfigKeys.LOG_FORMAT),
                false, Optional.of(logFile));

        PrintStream out = System.out;
        out.println("Starting Tributary demo (data in " + config.dataDir() + ", log in " + logFile + ") ...");
        TributaryServer server = TributaryServer.start(config, Clock.systemUTC());
        Optional<Credentials> credentials = Optional.empty();
        Optional<AccessKey.WithSecret> createdKey = Optional.empty();
        if (config.authEnabled()) {
            Optional<AccessKey> existing = server.accessKeys().list().stream()
                    .filter(k -> k.active() && k.description().equals(DEMO_KEY_DESCRIPTION)).findFirst();
            if (existing.isPresent()) {
                String secret = server.accessKeys().secret(existing.get().id()).orElseThrow();
                credentials = Optional.of(new Credentials(existing.get().id(), secret));
            } else {
                AccessKey.WithSecret key = server.accessKeys().create("admin", DEMO_KEY_DESCRIPTION);
                createdKey = Optional.of(key);
                credentials = Optional.of(new Credentials(key.key().id(), key.secret()));
            }
        }
        banner(out, server, credentials, createdKey);

        TributaryClient client = new TributaryClient(TributaryClient.Config.of(server.apiUri(), credentials));
        StreamGenerator generator = new StreamGenerator(new StreamGenerator.Options(parsedRate, 0, 500, 2), Clock.systemUTC());
        CountDownLatch generatorDone = new CountDownLatch(1);
        CountDownLatch shutdownDone = new CountDownLatch(1);
        List<CnaEmulator> emulators = new ArrayList<>();
        List<Thread> emulatorThreads = new ArrayList<>();
        if (config.settings().bool(ConfigKeys.TELEMETRY_ENABLED)) {
            double telemetryPerSecond = Rate.parse(telemetryRate).perSecond();
            for (CnaEmulator.Provider provider : CnaEmulator.Provider.values()) {
                CnaEmulator emulator = new CnaEmulator(client, provider, Clock.systemUTC());
                emulators.add(emulator);
                emulatorThreads.add(Thread.ofVirtual().name("cna-" + provider).start(() -> {
                    try {
                        emulator.run(telemetryPerSecond, 0);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println();
            out.println("Stopping: waiting for records in flight, then flushing the server ...");
            generator.stop();
            emulators.forEach(CnaEmulator::stop);
            try {
                for (Thread t : emulatorThreads) {
                    t.join(10_000);
                }
                generatorDone.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server.close();
            out.println("Stopped. " + generator.accepted() + " records sent in this run. Start again with ./tributary demo.");
            shutdownDone.countDown();
        }, "demo-shutdown"));
        Thread status = Thread.ofVirtual().start(() -> {
            long last = -1;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    return;
                }
                long now = generator.accepted();
                if (now != last) {
                    out.println("  generator: " + now + " records sent to " + DemoPipeline.RETAIL_STREAM
                            + (generator.failed() > 0 ? " (" + generator.failed() + " failed, see the log)" : ""));
                    last = now;
                }
            }
        });
        try {
            generator.run(new RetailSource(System.nanoTime(), Optional.empty(), parsedRate), new KinesisSender(client, DemoPipeline.RETAIL_STREAM));
        } finally {
            status.interrupt();
            generatorDone.countDown();
        }
        shutdownDone.await();
        return ExitCodes.OK;
    }

    private static void banner(PrintStream out, TributaryServer server, Optional<Credentials> credentials,
            Optional<AccessKey.WithSecret> createdKey) {
        String api = server.apiUri().toString();
        out.println();
        out.println("  Tributary demo is running.");
        out.println();
        out.println("  Web UI                    " + api + "/   (SQL, analyses, dashboards, Discover, streams, lake, admin)");
        out.println("  API and Kinesis endpoint  " + api);
        out.println("  Stream                    " + DemoPipeline.RETAIL_STREAM + " (the generator sends retail transactions to it)");
        out.println("  Lake delivery             " + DemoPipeline.RETAIL_DELIVERY + " -> " + DemoPipeline.LAKE_LOCATION
                + "year=.../month=.../day=.../hour=.../ (objects every 30 s)");
        if (server.lake() instanceof io.tributary.lake.local.LocalObjectStore local) {
            io.tributary.lake.Location lake = io.tributary.lake.Location.parse(DemoPipeline.LAKE_LOCATION);
            out.println("                            on disk in " + local.bucketDirectory(lake.bucket()).resolve(lake.key()));
        }
        if (server.config().settings().bool(ConfigKeys.TELEMETRY_ENABLED)) {
            out.println("  Governance pipeline       two CNA emulators (aws, ibm) -> POST /telemetry -> converter -> archiver:");
            out.println("                            logs in s3://governance-archive/ (write-once), metrics in s3://governance-metrics/");
            out.println("                            latency-legs every 5 minutes -> s3://tributary-lake/reports/latency-legs/");
        }
        out.println("  SQL (Athena API, REST)    mydatabase.retail_trans_json (partitions registered as delivered),");
        out.println("                            mydatabase.ctas_retail_trans_parquet (compacted hourly at :05)");
        out.println("  Health and metrics        " + api + "/health  " + api + "/metrics");
        out.println("  Search (OpenSearch API)   " + server.searchUri() + "   index " + DemoPipeline.RETAIL_INDEX
                + " (sink " + DemoPipeline.RETAIL_SINK + ", same credentials)");
        out.println();
        server.generatedAdminPassword().ifPresentOrElse(
                p -> out.println("  Log in as admin with password  " + p + "   (shown only now)"),
                () -> out.println("  Log in as admin (the password was shown at first start, or is TRIBUTARY_ADMIN_PASSWORD)"));
        if (createdKey.isPresent()) {
            out.println("  API key for CLI and SDKs (shown only now):");
            out.println("    export TRIBUTARY_ACCESS_KEY_ID=" + createdKey.get().key().id());
            out.println("    export TRIBUTARY_SECRET_ACCESS_KEY=" + createdKey.get().secret());
        } else if (credentials.isPresent()) {
            out.println("  The generator uses access key " + credentials.get().accessKeyId()
                    + " (its secret was shown at first start; `tributary keys create` makes another).");
        } else {
            out.println("  AUTHENTICATION IS OFF (--no-auth): anyone who can reach the port can read and write.");
        }
        out.println();
        out.println("  Try:  ./tributary streams list");
        out.println("        ./tributary lake ls s3://tributary-lake/reports/latency-legs/");
        out.println("        ./tributary streams tail " + DemoPipeline.RETAIL_STREAM + " --from LATEST --follow");
        out.println("        ./tributary delivery describe " + DemoPipeline.RETAIL_DELIVERY);
        out.println("        ./tributary lake ls " + DemoPipeline.LAKE_LOCATION);
        out.println("        ./tributary sinks describe " + DemoPipeline.RETAIL_SINK);
        out.println("        curl -u \"$TRIBUTARY_ACCESS_KEY_ID:$TRIBUTARY_SECRET_ACCESS_KEY\" '" + server.searchUri() + "/"
                + DemoPipeline.RETAIL_INDEX + "/_search?q=Country:France&size=3&pretty'");
        out.println("        ./tributary sql --database mydatabase \"SELECT country, count(*) FROM retail_trans_json GROUP BY 1 ORDER BY 2 DESC\"");
        out.println("        ./tributary sql --database mydatabase      (an interactive shell)");
        out.println("  Ctrl-C stops the demo cleanly.");
        out.println();
    }
}
