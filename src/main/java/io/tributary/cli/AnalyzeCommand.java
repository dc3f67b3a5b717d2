package io.tributary.cli;

import io.tributary.analytics.AnalyticsJob;
import io.tributary.analytics.AnalyticsJobs;
import io.tributary.analytics.DirectoryInput;
import io.tributary.analytics.DirectoryOutput;
import io.tributary.analytics.JobInput;
import io.tributary.analytics.JobOutput;
import io.tributary.analytics.JobParameter;
import io.tributary.analytics.JobRunner;
import io.tributary.analytics.LakeInput;
import io.tributary.analytics.LakeOutput;
import io.tributary.analytics.ProgressListener;
import io.tributary.analytics.RunRecord;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectStore;
import io.tributary.server.TributaryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Run an analytics job standalone, without a server (as the governance platform's container did).",
                "A LOCATION is a local directory or s3://bucket/prefix in the lake configured by --config/--data-dir.",
                "Without --input, the input is s3://$IMMUTABLE_BUCKET_NAME/. --list shows the jobs and their parameters."})
final class AnalyzeCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "JOB", description = "The job, e.g. latency-legs.")
    String job;

    @Option(names = "--input", paramLabel = "LOCATION", description = "Where the job reads.")
    String input;

    @Option(names = "--output", paramLabel = "LOCATION", description = "Where the job writes its outputs (default ./<job>-output).")
    String output;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A job parameter; VALUE @FILE reads it from a file. Repeatable.")
    List<String> params = List.of();

    @Option(names = "--plugins-dir", paramLabel = "DIR", defaultValue = "plugins",
            description = "Directory of plug-in jars with more jobs (default ${DEFAULT-VALUE}).")
    Path pluginsDir;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file, for the lake's location (default ./tributary.yaml if present).")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory whose lake s3:// locations refer to (default ./data).")
    Path dataDir;

    @Option(names = "--list", description = "List the available jobs and their parameters.")
    boolean list;

    @Override
    public Integer call() throws Exception {
        AnalyticsJobs jobs = AnalyticsJobs.discover(Optional.of(pluginsDir));
        if (list || job == null) {
            for (AnalyticsJob j : jobs.all()) {
                System.out.println(j.name() + "  " + j.description());
                for (JobParameter p : j.parameters()) {
                    System.out.println("    --param " + p.name() + "=" + p.type().name().toLowerCase()
                            + (p.required() ? " (required)" : " (default " + p.defaultValue().orElse("") + ")") + "  " + p.help());
                }
            }
            return job == null && !list ? ExitCodes.USAGE : ExitCodes.OK;
        }
        AnalyticsJob selected = jobs.job(job);
        Map<String, String> parameters = parse(params);
        String inputLocation = input != null ? input : Optional.ofNullable(System.getenv("IMMUTABLE_BUCKET_NAME")).filter(b -> !b.isBlank())
                .map(b -> "s3://" + b + "/")
                .orElseThrow(() -> new IllegalArgumentException("give --input LOCATION or set IMMUTABLE_BUCKET_NAME"));
        String outputLocation = output != null ? output : job + "-output";
        Lake lake = new Lake();
        JobInput jobInput = inputLocation.startsWith("s3://") ? new LakeInput(lake.store(inputLocation), Location.parse(inputLocation))
                : new DirectoryInput(Path.of(inputLocation));
        JobOutput jobOutput = outputLocation.startsWith("s3://") ? new LakeOutput(lake.store(outputLocation), Location.parse(outputLocation))
                : new DirectoryOutput(Path.of(outputLocation));
        AtomicLong done = new AtomicLong();
        RunRecord record;
        try (Progress progress = new Progress(job, 0, "obj", System.err)) {
            ProgressListener listener = new ProgressListener() {
                @Override
                public void total(long units) {}

                @Override
                public void advance(long units) {
                    progress.update(done.addAndGet(units), "");
                }
            };
            record = new JobRunner(Clock.systemUTC(), System.getenv()).run(selected, jobInput, jobOutput, parameters, listener, r -> {});
        } finally {
            lake.close();
        }
        print(record, jobOutput);
        return record.status() == RunRecord.Status.SUCCEEDED ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static void print(RunRecord record, JobOutput output) {
        System.out.println(record.job() + " " + record.status() + " in "
                + record.ended().map(e -> (e.toEpochMilli() - record.started().toEpochMilli()) / 1000.0 + " s").orElse("?"));
        record.error().ifPresent(e -> System.out.println("  error: " + e));
        record.counters().entrySet().stream().filter(e -> !e.getKey().startsWith("problem.")).sorted(Map.Entry.comparingByKey())
                .forEach(e -> System.out.println("  " + e.getKey() + ": " + e.getValue()));
        record.problemExamples().forEach((kind, examples) -> {
            System.out.println("  problem " + kind + ": " + record.counters().getOrDefault("problem." + kind, 0L) + ", for example:");
            examples.forEach(ex -> System.out.println("    " + ex));
        });
        for (String name : record.outputs()) {
            System.out.println("  wrote " + output.locationOf(name));
        }
        System.out.println("  wrote " + output.locationOf(JobRunner.RUN_REPORT));
    }

    static Map<String, String> parse(List<String> params) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--param '" + p + "' must be NAME=VALUE");
            }
            String value = p.substring(eq + 1);
            if (value.startsWith("@")) {
                value = Files.readString(Path.of(value.substring(1)));
            }
            out.put(p.substring(0, eq), value);
        }
        return out;
    }

    /** The lake an s3:// location refers to, opened only when one is used. */
    private final class Lake implements AutoCloseable {
        private ObjectStore store;

        /**
         * The store holding a location. On S3, a bucket this data directory has not declared is taken
         * as it is (the platform's archive bucket belongs to someone else); on local disk it must exist.
         */
        ObjectStore store(String location) {
            ObjectStore s = store();
            String bucket = Location.parse(location).bucket();
            if (s.bucket(bucket).isEmpty() && !(s instanceof io.tributary.lake.local.LocalObjectStore)) {
                s.createBucket(io.tributary.lake.BucketSpec.mutable(bucket));
            }
            return s;
        }

        ObjectStore store() {
            if (store == null) {
                Map<String, String> overrides = new LinkedHashMap<>();
                if (dataDir != null) {
                    overrides.put(io.tributary.server.ConfigKeys.SERVER_DATA_DIR.name(), dataDir.toString());
                }
                Optional<Path> file = Optional.ofNullable(config).or(() -> Optional.of(Path.of("tributary.yaml")).filter(Files::isRegularFile));
                TributaryConfig cfg = TributaryConfig.load(file, System.getenv(), overrides);
                store = io.tributary.server.LakeStores.open(cfg, Clock.systemUTC());
            }
            return store;
        }

        @Override
        public void close() throws IOException {
            if (store != null) {
                store.close();
            }
        }
    }
}
