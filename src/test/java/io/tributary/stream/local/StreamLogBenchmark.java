package io.tributary.stream.local;

import io.tributary.common.DataSize;
import io.tributary.stream.AppendRecord;
import io.tributary.stream.FsyncPolicy;
import io.tributary.stream.StreamLogConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Raw append throughput of the embedded log, as PutRecords batches would drive it. Not a test:
 * run by hand, for example
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) io.tributary.stream.local.StreamLogBenchmark \
 *     --appenders 8 --seconds 10 --fsync always --record-bytes 200 --batch 500 --shards 4 --in-flight 2
 * </pre>
 *
 * Each appender keeps {@code --in-flight} batches outstanding, like an HTTP handler pool with
 * that many requests per thread.
 */
final class StreamLogBenchmark {
    private StreamLogBenchmark() {}

    public static void main(String[] args) throws Exception {
        int appenders = intArg(args, "--appenders", 8);
        int seconds = intArg(args, "--seconds", 10);
        int recordBytes = intArg(args, "--record-bytes", 200);
        int batchSize = intArg(args, "--batch", 500);
        int shards = intArg(args, "--shards", 4);
        int inFlight = intArg(args, "--in-flight", 1);
        FsyncPolicy fsync = FsyncPolicy.parse(stringArg(args, "--fsync", "always"));
        Path directory = Files.createTempDirectory(Path.of(stringArg(args, "--dir", System.getProperty("java.io.tmpdir"))),
                "stream-bench");

        StreamLogConfig config = new StreamLogConfig(directory, fsync, Duration.ofSeconds(1),
                DataSize.ofMegabytes(128), Duration.ofHours(24), DataSize.ofBytes(0), DataSize.ofMegabytes(256));
        LongAdder records = new LongAdder();
        LongAdder bytes = new LongAdder();
        try (LocalStreamLog log = new LocalStreamLog(config, Clock.systemUTC())) {
            log.createStream("bench", shards);
            List<List<AppendRecord>> batches = new ArrayList<>();
            Random random = new Random(42);
            for (int b = 0; b < 16; b++) {
                List<AppendRecord> batch = new ArrayList<>(batchSize);
                for (int i = 0; i < batchSize; i++) {
                    byte[] data = new byte[recordBytes];
                    random.nextBytes(data);
                    batch.add(new AppendRecord("user-" + random.nextInt(100_000), data));
                }
                batches.add(batch);
            }
            // Warm up, then measure.
            run(log, batches, appenders, inFlight, 3, new LongAdder(), new LongAdder());
            long started = System.nanoTime();
            run(log, batches, appenders, inFlight, seconds, records, bytes);
            double elapsed = (System.nanoTime() - started) / 1e9;
            System.out.printf("fsync=%s appenders=%d in-flight=%d shards=%d batch=%d record=%dB: "
                            + "%,.0f records/s, %.1f MB/s of data%n",
                    fsync, appenders, inFlight, shards, batchSize, recordBytes,
                    records.sum() / elapsed, bytes.sum() / elapsed / (1024 * 1024));
        } finally {
            LocalStream.deleteRecursively(directory);
        }
    }

    private static void run(LocalStreamLog log, List<List<AppendRecord>> batches, int appenders, int inFlight,
            int seconds, LongAdder records, LongAdder bytes) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < appenders; t++) {
            int offset = t;
            threads.add(Thread.ofPlatform().start(() -> {
                int next = offset;
                List<CompletableFuture<?>> pending = new ArrayList<>();
                while (System.nanoTime() < deadline) {
                    pending.clear();
                    for (int i = 0; i < inFlight; i++) {
                        List<AppendRecord> batch = batches.get(next++ % batches.size());
                        pending.add(log.append("bench", batch).thenRun(() -> {
                            records.add(batch.size());
                            bytes.add((long) batch.size() * batch.getFirst().data().length);
                        }));
                    }
                    pending.forEach(CompletableFuture::join);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static int intArg(String[] args, String name, int fallback) {
        return Integer.parseInt(stringArg(args, name, Integer.toString(fallback)));
    }

    private static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
