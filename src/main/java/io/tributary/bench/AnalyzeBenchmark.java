package io.tributary.bench;

import static java.util.Objects.requireNonNull;

import io.tributary.analytics.JobRunner;
import io.tributary.analytics.LakeInput;
import io.tributary.analytics.LakeOutput;
import io.tributary.analytics.ProgressListener;
import io.tributary.analytics.RunRecord;
import io.tributary.analytics.latency.LatencyLegsJob;
import io.tributary.common.DataSize;
import io.tributary.generate.TelemetryRecords;
import io.tributary.lake.BucketSpec;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.lake.local.LocalObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * {@code tributary bench analyze}: a million telemetry objects in an immutable bucket of the local
 * store, then latency-legs over them, timed, with its peak heap; in the same run, a plain read of
 * every object (no parsing) as the floor any job over these objects pays.
 */
public final class AnalyzeBenchmark {
    private static final String BUCKET = "bench-telemetry-archive";
    private static final String RESULTS = "bench-results";
    /** A telemetry object is about 1 KB but occupies a 4 KB block on most file systems. */
    private static final long BYTES_PER_OBJECT = 4096;

    public record Options(int objects, Path workDir, boolean keep) {
        public Options {
            requireNonNull(workDir, "workDir is null");
            if (objects < 1) {
                throw new IllegalArgumentException("objects must be positive");
            }
        }
    }

    public record Report(String machine, int objects, long bytes, Duration generate, Duration rawRead, Duration job,
            long peakHeapBytes, RunRecord run) {
        public double jobMillisPerObject() {
            return job.toNanos() / 1e6 / objects;
        }
    }

    private final Options options;
    private final PrintStream out;

    public AnalyzeBenchmark(Options options, PrintStream out) {
        this.options = requireNonNull(options, "options is null");
        this.out = requireNonNull(out, "out is null");
    }

    public Report run() throws Exception {
        Path lakeRoot = options.workDir().resolve("lake");
        Files.createDirectories(lakeRoot);
        long needed = options.objects() * BYTES_PER_OBJECT + (64L << 20);
        long free = Files.getFileStore(lakeRoot).getUsableSpace();
        out.printf("Disk: about %s needed for %,d objects (plus file-system overhead), %s free on %s%n",
                DataSize.ofBytes(needed).humanReadable(), options.objects(), DataSize.ofBytes(free).humanReadable(), lakeRoot);
        if (free < needed) {
            throw new IllegalStateException("not enough free disk for the benchmark: need about " + DataSize.ofBytes(needed).humanReadable()
                    + ", have " + DataSize.ofBytes(free).humanReadable() + "; use --objects or --work-dir elsewhere");
        }
        try (LocalObjectStore store = new LocalObjectStore(lakeRoot, Clock.systemUTC())) {
            store.createBucket(BucketSpec.immutable(BUCKET, Duration.ofDays(1)));
            store.createBucket(BucketSpec.mutable(RESULTS));
            Path bucket = store.bucketDirectory(BUCKET);
            long generateStart = System.nanoTime();
            AtomicLong bytes = new AtomicLong();
            Instant base = Instant.parse("2026-11-25T00:00:00Z");
            // Objects are written straight into the bucket folder without an fsync each: this is set-up, not what is measured.
            IntStream.range(0, 2).parallel().forEach(part -> {
                TelemetryRecords records = new TelemetryRecords(part);
                for (int i = part; i < options.objects(); i += 2) {
                    String csp = i % 2 == 0 ? "AWS" : "IBM";
                    byte[] data = records.syntheticLog(csp, base.plusMillis(i));
                    try {
                        Files.write(bucket.resolve(csp.toLowerCase() + "-" + String.format("%08d", i) + ".json"), data);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    bytes.addAndGet(data.length);
                    if (i % 100_000 < 2) {
                        out.printf("  generated %,d objects%n", i);
                    }
                }
            });
            Duration generate = Duration.ofNanos(System.nanoTime() - generateStart);
            syncFileSystems();
            out.printf("Generated %,d objects (%s) in %.1f s%n", options.objects(), DataSize.ofBytes(bytes.get()).humanReadable(), generate.toMillis() / 1000.0);

            out.println("Raw read of every object (listing + open + read, no parsing) ...");
            long readStart = System.nanoTime();
            long read;
            // The same store calls and as many readers as the job uses (its 'readers' default), without parsing.
            java.util.concurrent.ForkJoinPool readers = new java.util.concurrent.ForkJoinPool(16);
            try (Stream<ObjectInfo> objects = store.list(new Location(BUCKET, ""))) {
                List<ObjectInfo> all = objects.toList();
                read = readers.submit(() -> all.parallelStream().mapToLong(o -> {
                    try (InputStream in = store.open(o.location())) {
                        return in.readAllBytes().length;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).sum()).get();
            } finally {
                readers.shutdown();
            }
            Duration rawRead = Duration.ofNanos(System.nanoTime() - readStart);
            out.printf("  read %s in %.1f s%n", DataSize.ofBytes(read).humanReadable(), rawRead.toMillis() / 1000.0);

            out.println("latency-legs over the bucket ...");
            System.gc();
            resetPeaks();
            long jobStart = System.nanoTime();
            RunRecord run = new JobRunner(Clock.systemUTC(), Map.of()).run(new LatencyLegsJob(),
                    new LakeInput(store, new Location(BUCKET, "")), new LakeOutput(store, new Location(RESULTS, "latency-legs/")),
                    Map.of(), ProgressListener.NONE, r -> {});
            Duration job = Duration.ofNanos(System.nanoTime() - jobStart);
            long peak = peakHeap();
            out.printf("  %s in %.1f s (%.4f ms per object), peak heap %s%n", run.status(), job.toMillis() / 1000.0,
                    job.toNanos() / 1e6 / options.objects(), DataSize.ofBytes(peak).humanReadable());
            return new Report(Machine.describe(lakeRoot), options.objects(), bytes.get(), generate, rawRead, job, peak, run);
        } finally {
            if (!options.keep()) {
                deleteTree(options.workDir().resolve("lake"));
            }
        }
    }

    /** Waits for the set-up's writes to reach the disk, so write-back does not compete with the measured phases. */
    private void syncFileSystems() {
        try {
            Process sync = new ProcessBuilder("sync").inheritIO().start();
            if (sync.waitFor() != 0) {
                out.println("  (sync failed; measurements may include write-back of the generated files)");
            }
        } catch (IOException e) {
            out.println("  (no sync command; measurements may include write-back of the generated files)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    /** Sum of the heap pools' peaks since the reset: an upper bound of the heap in use at any moment. */
    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
