package io.tributary.cli;

import io.tributary.bench.IngestBenchmark;
import io.tributary.common.Json;
import io.tributary.stream.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks; results go to docs/benchmarks.md with the machine they ran on.",
        subcommands = {BenchCommand.Ingest.class, BenchCommand.Delivery.class, BenchCommand.Search.class, BenchCommand.Analyze.class, BenchCommand.Sql.class,
                BenchCommand.Ui.class})
final class BenchCommand {
    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = {"PutRecords throughput and acknowledgement latency over loopback HTTP against an in-process server,",
                    "and the raw stream-log append rate without HTTP, in the same run."})
    static final class Ingest implements Callable<Integer> {
        @Option(names = "--records", defaultValue = "2000000", description = "Records per measured phase (default ${DEFAULT-VALUE}).")
        long records;

        @Option(names = "--warmup", defaultValue = "300000", description = "Unmeasured records sent first (default ${DEFAULT-VALUE}).")
        long warmup;

        @Option(names = "--batch", defaultValue = "500", description = "Records per PutRecords call (default ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--concurrency", defaultValue = "8", description = "Concurrent clients (default ${DEFAULT-VALUE}).")
        int concurrency;

        @Option(names = "--shards", defaultValue = "4", description = "Shards of the benchmark stream (default ${DEFAULT-VALUE}).")
        int shards;

        @Option(names = "--fsync", defaultValue = "always", description = "always, interval or never (default ${DEFAULT-VALUE}).")
        String fsync;

        @Option(names = "--work-dir", description = "Where to put the benchmark's data (default: a temporary directory, deleted after).")
        Path workDir;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to this file.")
        Path json;

        @Override
        public Integer call() throws Exception {
            Logging.configure("WARN", "text", true, java.util.Optional.empty());
            try (WorkDir work = WorkDir.of(workDir, "tributary-bench-")) {
                Path dir = work.path();
                IngestBenchmark.Report report = new IngestBenchmark(new IngestBenchmark.Options(records, warmup, batch, concurrency,
                        shards, FsyncPolicy.parse(fsync), dir), System.out).run();
                System.out.println();
                System.out.println("Machine: " + report.machine());
                System.out.printf("HTTP / raw log throughput: %.2f%n", report.http().recordsPerSecond() / report.raw().recordsPerSecond());
                writeJson(json, report);
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "delivery", mixinStandardHelpOptions = true,
            description = {"Lake delivery: the ingest rate, then sustained delivery throughput from the stream into the local lake",
                    "(uncompressed and GZIP), then acknowledgement -> object visible latency with a 1 s buffer interval, in one run."})
    static final class Delivery implements Callable<Integer> {
        @Option(names = "--records", defaultValue = "2000000", description = "Records ingested and delivered (default ${DEFAULT-VALUE}).")
        long records;

        @Option(names = "--concurrency", defaultValue = "8", description = "Concurrent ingest clients (default ${DEFAULT-VALUE}).")
        int concurrency;

        @Option(names = "--shards", defaultValue = "4", description = "Shards of the benchmark stream (default ${DEFAULT-VALUE}).")
        int shards;

        @Option(names = "--latency-rate", defaultValue = "50000",
                description = "Records per second during the latency phase (default ${DEFAULT-VALUE}).")
        long latencyRate;

        @Option(names = "--latency-seconds", defaultValue = "20", description = "Length of the latency phase (default ${DEFAULT-VALUE}).")
        long latencySeconds;

        @Option(names = "--work-dir", description = "Where to put the benchmark's data (default: a temporary directory, deleted after).")
        Path workDir;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to this file.")
        Path json;

        @Override
        public Integer call() throws Exception {
            Logging.configure("WARN", "text", true, java.util.Optional.empty());
            try (WorkDir work = WorkDir.of(workDir, "tributary-bench-")) {
                Path dir = work.path();
                io.tributary.bench.DeliveryBenchmark.Report report = new io.tributary.bench.DeliveryBenchmark(
                        new io.tributary.bench.DeliveryBenchmark.Options(records, 500, concurrency, shards, latencyRate,
                                java.time.Duration.ofSeconds(latencySeconds), dir), System.out).run();
                System.out.println();
                System.out.println("Machine: " + report.machine());
                System.out.printf("Delivery / ingest throughput: %.2f uncompressed, %.2f GZIP%n",
                        report.uncompressed().recordsPerSecond() / report.ingest().recordsPerSecond(),
                        report.gzip().recordsPerSecond() / report.ingest().recordsPerSecond());
                writeJson(json, report);
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "analyze", mixinStandardHelpOptions = true,
            description = {"latency-legs over a million telemetry objects in an immutable bucket of the local store:",
                    "time and peak heap, and in the same run a plain read of every object as the floor."})
    static final class Analyze implements Callable<Integer> {
        @Option(names = "--objects", defaultValue = "1000000", description = "Telemetry objects to generate (default ${DEFAULT-VALUE}).")
        int objects;

        @Option(names = "--work-dir", description = "Where to put the objects (default: a temporary directory; the disk needed is checked first).")
        Path workDir;

        @Option(names = "--keep", description = "Keep the generated objects.")
        boolean keep;

        @Override
        public Integer call() throws Exception {
            Logging.configure("WARN", "text", true, java.util.Optional.empty());
            try (WorkDir work = WorkDir.of(workDir, "tributary-bench-analyze-", keep)) {
                Path dir = work.path();
                io.tributary.bench.AnalyzeBenchmark.Report report = new io.tributary.bench.AnalyzeBenchmark(
                        new io.tributary.bench.AnalyzeBenchmark.Options(objects, dir, keep), System.out).run();
                System.out.println();
                System.out.println("Machine: " + report.machine());
                System.out.printf("latency-legs: %.1f s for %,d objects (%.4f ms/object), peak heap %s; raw read %.1f s (job/raw %.2f)%n",
                        report.job().toMillis() / 1000.0, report.objects(), report.jobMillisPerObject(),
                        io.tributary.common.DataSize.ofBytes(report.peakHeapBytes()).humanReadable(), report.rawRead().toMillis() / 1000.0,
                        (double) report.job().toNanos() / report.rawRead().toNanos());
                return report.run().status() == io.tributary.analytics.RunRecord.Status.SUCCEEDED ? ExitCodes.OK : ExitCodes.FAILED;
            }
        }
    }

    @Command(name = "search", mixinStandardHelpOptions = true,
            description = {"Speed layer: indexing throughput through a sink and of raw Lucene on the same documents, query latency",
                    "(date_histogram + sum, full text) over the index, and freshness (ack -> searchable) under load."})
    static final class Search implements Callable<Integer> {
        @Option(names = "--documents", defaultValue = "10000000", description = "Documents indexed (default ${DEFAULT-VALUE}).")
        long documents;

        @Option(names = "--queries", defaultValue = "200", description = "Measured queries of each kind (default ${DEFAULT-VALUE}).")
        int queries;

        @Option(names = "--probes", defaultValue = "100", description = "Freshness probes (default ${DEFAULT-VALUE}).")
        int probes;

        @Option(names = "--load", defaultValue = "20000", description = "Background records/s during the freshness probes (default ${DEFAULT-VALUE}).")
        int load;

        @Option(names = "--work-dir", description = "Where to put the benchmark's data (default: a temporary directory, deleted after).")
        Path workDir;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to this file.")
        Path json;

        @Override
        public Integer call() throws Exception {
            Logging.configure("WARN", "text", true, java.util.Optional.empty());
            try (WorkDir work = WorkDir.of(workDir, "tributary-bench-")) {
                Path dir = work.path();
                io.tributary.bench.SearchBenchmark.Report report = new io.tributary.bench.SearchBenchmark(
                        new io.tributary.bench.SearchBenchmark.Options(documents, queries, probes, load, dir), System.out).run();
                System.out.println();
                System.out.println("Machine: " + report.machine());
                System.out.printf("Sink / raw Lucene indexing throughput: %.2f%n",
                        report.sink().recordsPerSecond() / report.rawLucene().recordsPerSecond());
                writeJson(json, report);
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "sql", mixinStandardHelpOptions = true,
            description = {"SQL benchmark: generated retail rows in the lab's layout; MSCK REPAIR TABLE over many partitions, compaction to",
                    "Parquet (MB/s), and the lab's monthly-revenue query on JSON and on Parquet, through Tributary and on raw DuckDB."})
    static final class Sql implements Callable<Integer> {
        @Option(names = "--rows", defaultValue = "10000000", description = "Generated retail rows (default ${DEFAULT-VALUE}).")
        long rows;

        @Option(names = "--hours", defaultValue = "100", description = "Hourly partitions the rows are spread over (default ${DEFAULT-VALUE}).")
        int hours;

        @Option(names = "--files-per-hour", defaultValue = "4", description = "Objects per hourly partition (default ${DEFAULT-VALUE}).")
        int filesPerHour;

        @Option(names = "--runs", defaultValue = "3", description = "Measured runs of each query, after a warm-up (default ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--msck-partitions", defaultValue = "1000", description = "Partitions MSCK REPAIR TABLE discovers (default ${DEFAULT-VALUE}).")
        int msckPartitions;

        @Option(names = "--work-dir", description = "Where to put the benchmark's data (default: a temporary directory, deleted after).")
        Path workDir;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to this file.")
        Path json;

        @Override
        public Integer call() throws Exception {
            Logging.configure("WARN", "text", true, java.util.Optional.empty());
            try (WorkDir work = WorkDir.of(workDir, "tributary-bench-sql-")) {
                Path dir = work.path();
                io.tributary.bench.SqlBenchmark.Report r = new io.tributary.bench.SqlBenchmark(new io.tributary.bench.SqlBenchmark.Options(rows, hours,
                        filesPerHour, runs, msckPartitions, dir), line -> System.out.println("  " + line)).run();
                System.out.println();
                System.out.println("Machine: " + r.machine());
                System.out.printf("Rows: %,d in %d hourly partitions (%,d MB NDJSON, %,d MB Parquet/Snappy)%n", r.rows(), r.hours(),
                        r.jsonBytes() >> 20, r.parquetBytes() >> 20);
                System.out.printf("MSCK REPAIR TABLE, %,d partitions: %.0f ms (goal < 2000 ms)%n", r.mscPartitions(), r.msckMillis());
                System.out.printf("Compaction: %.1f MB/s of JSON (%.1f s)%n", r.compactionMegabytesPerSecond(), r.compactionSeconds());
                System.out.printf("Monthly revenue on JSON:    Tributary %.0f ms (first run %.0f ms), raw DuckDB %.0f ms (%+.1f%%), "
                        + "raw DuckDB grouped by parts %.0f ms (%+.1f%%)%n", r.jsonMillis(), r.jsonFirstMillis(), r.jsonRawMillis(),
                        r.jsonOverheadPercent(), r.jsonRawByPartsMillis(), r.jsonOverheadByPartsPercent());
                System.out.printf("Monthly revenue on Parquet: Tributary %.0f ms, raw DuckDB %.0f ms (%+.1f%%), raw DuckDB grouped by parts %.0f ms "
                        + "(%+.1f%%)%n", r.parquetMillis(), r.parquetRawMillis(), r.parquetOverheadPercent(), r.parquetRawByPartsMillis(),
                        r.parquetOverheadByPartsPercent());
                System.out.printf("Overhead goal <= 10%% of raw DuckDB; Parquet is %.1fx faster than JSON (goal >= 10x; raw DuckDB %.1fx as written, "
                        + "%.1fx grouped by parts)%n", r.parquetSpeedup(), r.jsonRawMillis() / r.parquetRawMillis(),
                        r.jsonRawByPartsMillis() / r.parquetRawByPartsMillis());
                writeJson(json, r);
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "ui", mixinStandardHelpOptions = true,
            description = {"Web UI: a dashboard of 12 visuals (8 SQL, 4 search) over generated retail data of the last 7 days,",
                    "loaded repeatedly in headless Chromium; the time until every panel is drawn (goal: median <= 2 s)."})
    static final class Ui implements Callable<Integer> {
        @Option(names = "--records", defaultValue = "50000", description = "Generated retail records (default ${DEFAULT-VALUE}).")
        long records;

        @Option(names = "--loads", defaultValue = "8", description = "Dashboard loads; the first (cold cache) is reported apart (default ${DEFAULT-VALUE}).")
        int loads;

        @Option(names = "--chromium", defaultValue = "/usr/bin/chromium", description = "The Chromium binary (default ${DEFAULT-VALUE}).")
        Path chromium;

        @Option(names = "--work-dir", description = "Where to put the benchmark's data (default: a temporary directory, deleted after).")
        Path workDir;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to this file.")
        Path json;

        @Override
        public Integer call() throws Exception {
            Logging.configure("WARN", "text", true, java.util.Optional.empty());
            try (WorkDir work = WorkDir.of(workDir, "tributary-bench-ui-")) {
                Path dir = work.path();
                io.tributary.bench.UiBenchmark.Report r = new io.tributary.bench.UiBenchmark(new io.tributary.bench.UiBenchmark.Options(records, loads,
                        dir, chromium), line -> System.out.println("  " + line)).run();
                System.out.println();
                System.out.println("Machine: " + r.machine());
                System.out.printf("Dashboard of %d panels (%d SQL, %d search) over %,d records%n", r.panels(), r.sqlPanels(), r.searchPanels(), r.records());
                System.out.printf("First load (cold cache): %.0f ms%n", r.firstLoadMs());
                System.out.printf("Warm loads: median %.0f ms, slowest %.0f ms (goal: median <= 2000 ms)%n", r.medianMs(), r.slowestWarmMs());
                writeJson(json, r);
                return ExitCodes.OK;
            }
        }
    }

    /** Writes the report as JSON when {@code --json} was given. */
    private static void writeJson(Path json, Object report) throws IOException {
        if (json != null) {
            Files.writeString(json, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        }
    }

    /** The benchmark's data directory: the one given, or a temporary one deleted on close unless kept. */
    private record WorkDir(Path path, boolean delete) implements AutoCloseable {
        static WorkDir of(Path given, String prefix) throws IOException {
            return of(given, prefix, false);
        }

        static WorkDir of(Path given, String prefix, boolean keep) throws IOException {
            return given != null ? new WorkDir(given, false) : new WorkDir(Files.createTempDirectory(prefix), !keep);
        }

        @Override
        public void close() throws IOException {
            if (delete) {
                try (Stream<Path> paths = Files.walk(path)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
