package io.tributary.cli;

import io.tributary.client.TributaryClient;
import io.tributary.generate.KinesisSender;
import io.tributary.generate.Rate;
import io.tributary.generate.RecordSource;
import io.tributary.generate.ReplaySource;
import io.tributary.generate.RetailSource;
import io.tributary.generate.StreamGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true, description = "Send generated or replayed data to a stream.",
        subcommands = {GenerateCommand.Retail.class, GenerateCommand.Cna.class})
final class GenerateCommand {
    @Command(name = "retail", mixinStandardHelpOptions = true,
            description = {"Retail transactions shaped like the lab's generator and Online Retail II, sent with the Kinesis API.",
                    "With --from FILE, replays an NDJSON file (plain or .gz) instead, for example samples/online-retail-ii.ndjson.gz."})
    static final class Retail implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--stream", defaultValue = "retail-trans", description = "Target stream (default ${DEFAULT-VALUE}).")
        String stream;

        @Option(names = "--rate", defaultValue = "1000/s", description = "Records per second, minute or hour: 1000/s, 30/m (default ${DEFAULT-VALUE}).")
        String rate;

        @Option(names = "--count", defaultValue = "0", description = "Records to send; 0 sends until Ctrl-C (or the file ends).")
        long count;

        @Option(names = "--seed", description = "Seed for reproducible records (default: random).")
        Long seed;

        @Option(names = "--start-time", paramLabel = "ISO-8601",
                description = "Date records from this instant on, advancing at the rate, instead of the send time (makes --seed runs identical).")
        Instant startTime;

        @Option(names = "--from", paramLabel = "FILE", description = "Replay this NDJSON file instead of generating.")
        Path from;

        @Option(names = "--dates", defaultValue = "keep",
                description = "With --from: keep InvoiceDate, shift it so the newest record is now, or set it to the send time: keep|shift|now (default ${DEFAULT-VALUE}).")
        String dates;

        @Option(names = "--batch", defaultValue = "500", description = "Records per PutRecords call, at most 500 (default ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--concurrency", defaultValue = "4", description = "Requests in flight (default ${DEFAULT-VALUE}).")
        int concurrency;

        @Override
        public Integer call() throws Exception {
            Rate parsedRate = Rate.parse(rate);
            TributaryClient c = client.client();
            RecordSource source;
            if (from != null) {
                if (!Files.isRegularFile(from)) {
                    throw new IllegalArgumentException("--from " + from + " does not exist or is not a file");
                }
                ReplaySource.Dates mode = switch (dates.toLowerCase(java.util.Locale.ROOT)) {
                    case "keep" -> ReplaySource.Dates.KEEP;
                    case "shift" -> ReplaySource.Dates.SHIFT;
                    case "now" -> ReplaySource.Dates.NOW;
                    default -> throw new IllegalArgumentException("--dates must be keep, shift or now, got " + dates);
                };
                source = new ReplaySource(from, mode, "Invoice", Instant.now());
            } else {
                source = new RetailSource(seed != null ? seed : new java.security.SecureRandom().nextLong(),
                        Optional.ofNullable(startTime), parsedRate);
            }
            StreamGenerator generator = new StreamGenerator(
                    new StreamGenerator.Options(parsedRate, count, batch, concurrency), Clock.systemUTC());
            Thread stopper = new Thread(generator::stop, "generator-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            StreamGenerator.Summary summary;
            try (Progress progress = new Progress("Sending to " + stream, count, "rec", System.err)) {
                Thread ticker = Thread.ofVirtual().start(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        progress.update(generator.accepted() + generator.failed(),
                                generator.failed() > 0 ? generator.failed() + " failed" : "");
                        try {
                            Thread.sleep(200);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                try {
                    summary = generator.run(source, new KinesisSender(c, stream));
                } finally {
                    ticker.interrupt();
                    ticker.join();
                    progress.update(generator.accepted() + generator.failed(), "");
                }
            } finally {
                if (source instanceof AutoCloseable closeable) {
                    closeable.close();
                }
            }
            System.out.printf("Sent %d records to %s: %d accepted, %d failed, in %.1f s (%.0f records/s)%n",
                    summary.sent(), stream, summary.accepted(), summary.failed(), summary.elapsed().toMillis() / 1000.0,
                    summary.recordsPerSecond());
            if (summary.failed() > 0) {
                System.err.println("Last error: " + summary.lastError());
                return ExitCodes.FAILED;
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "cna", mixinStandardHelpOptions = true,
            description = {"A cloud-native application of the governance platform: sends this host's real metrics and log lines",
                    "to POST /telemetry, stamped as the platform's applications do. The aws emulator also stamps the two RG-1 relay hops."})
    static final class Cna implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--provider", required = true, description = "aws or ibm.")
        String provider;

        @Option(names = "--rate", defaultValue = "1/s", description = "Rounds (a metrics and a logs record) per second, minute or hour (default ${DEFAULT-VALUE}).")
        String rate;

        @Option(names = "--count", defaultValue = "0", description = "Rounds to send; 0 sends until Ctrl-C.")
        long count;

        @Override
        public Integer call() throws Exception {
            io.tributary.generate.CnaEmulator.Provider p = switch (provider.toLowerCase(java.util.Locale.ROOT)) {
                case "aws" -> io.tributary.generate.CnaEmulator.Provider.AWS;
                case "ibm" -> io.tributary.generate.CnaEmulator.Provider.IBM;
                default -> throw new IllegalArgumentException("--provider must be aws or ibm, got " + provider);
            };
            Rate parsed = Rate.parse(rate);
            io.tributary.generate.CnaEmulator emulator = new io.tributary.generate.CnaEmulator(client.client(), p, Clock.systemUTC());
            Runtime.getRuntime().addShutdownHook(new Thread(emulator::stop, "cna-stop"));
            emulator.run(parsed.perSecond(), count);
            System.out.printf("Sent %d telemetry records as %s, %d failed%n", emulator.sent(), p, emulator.failed());
            if (emulator.failed() > 0) {
                System.err.println("Last error: " + emulator.lastError());
                return ExitCodes.FAILED;
            }
            return ExitCodes.OK;
        }
    }
}
