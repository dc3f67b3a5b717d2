package io.tributary.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tributary.auth.AccessKey;
import io.tributary.auth.SigV4Signer;
import io.tributary.common.Json;
import io.tributary.generate.RetailRecords;
import io.tributary.server.ConfigKeys;
import io.tributary.server.TributaryConfig;
import io.tributary.server.TributaryServer;
import io.tributary.stream.AppendRecord;
import io.tributary.stream.FsyncPolicy;
import io.tributary.stream.StreamLog;
import io.tributary.stream.StreamLogConfig;
import io.tributary.stream.local.LocalStreamLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code tributary bench ingest}: acknowledged PutRecords throughput and latency over loopback
 * HTTP against an in-process server, and in the same run the raw append rate of the stream log
 * without HTTP, with the same records, batches, concurrency and fsync policy.
 */
public final class IngestBenchmark {
    private static final String STREAM = "bench";

    /**
     * @param records records per measured phase
     * @param warmupRecords records sent first and not measured (JIT, page cache)
     */
    public record Options(long records, long warmupRecords, int batch, int concurrency, int shards, FsyncPolicy fsync, Path workDir) {
        public Options {
            requireNonNull(fsync, "fsync is null");
            requireNonNull(workDir, "workDir is null");
            if (records < batch || batch < 1 || batch > 500 || concurrency < 1 || shards < 1) {
                throw new IllegalArgumentException("records >= batch, batch 1..500, concurrency >= 1 and shards >= 1 required");
            }
        }
    }

    public record Report(String machine, Options options, double averageRecordBytes, BenchResult http, BenchResult raw) {}

    private final Options options;
    private final PrintStream out;

    public IngestBenchmark(Options options, PrintStream out) {
        this.options = requireNonNull(options, "options is null");
        this.out = requireNonNull(out, "out is null");
    }

    public Report run() throws Exception {
        List<List<byte[]>> batches = batches();
        double averageBytes = batches.stream().flatMap(List::stream).mapToInt(b -> b.length).average().orElse(0);
        out.printf("Records of %.0f bytes on average, batches of %d, %d concurrent clients, %d shard(s), fsync=%s%n",
                averageBytes, options.batch(), options.concurrency(), options.shards(), options.fsync().name().toLowerCase());
        BenchResult http = http(batches);
        BenchResult raw = raw(batches);
        return new Report(Machine.describe(options.workDir()), options, averageBytes, http, raw);
    }

    private List<List<byte[]>> batches() {
        RetailRecords generator = new RetailRecords(42);
        Instant start = Instant.parse("2026-11-25T00:00:00Z");
        List<List<byte[]>> batches = new ArrayList<>();
        for (int b = 0; b < 64; b++) {
            List<byte[]> batch = new ArrayList<>(options.batch());
            for (int i = 0; i < options.batch(); i++) {
                batch.add(generator.next(start.plusMillis(b * 1000L + i)));
            }
            batches.add(batch);
        }
        return batches;
    }

    private BenchResult http(List<List<byte[]>> batches) throws Exception {
        Path dir = options.workDir().resolve("http");
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put(ConfigKeys.SERVER_DATA_DIR.name(), dir.toString());
        overrides.put(ConfigKeys.SERVER_PORT.name(), "0");
        overrides.put(ConfigKeys.SERVER_SEARCH_PORT.name(), "0");
        overrides.put(ConfigKeys.STREAM_FSYNC.name(), options.fsync().name().toLowerCase());
        TributaryConfig config = TributaryConfig.load(java.util.Optional.empty(), Map.of(TributaryConfig.ADMIN_PASSWORD_ENV, "bench-password-1"), overrides);
        try (TributaryServer server = TributaryServer.start(config, Clock.systemUTC())) {
            server.streamLog().createStream(STREAM, options.shards());
            AccessKey.WithSecret key = server.accessKeys().create("admin", "bench");
            List<byte[]> bodies = new ArrayList<>();
            for (List<byte[]> batch : batches) {
                bodies.add(putRecordsBody(batch));
            }
            long bytesPerBatch = batches.get(0).stream().mapToLong(b -> b.length).sum();
            URI uri = server.apiUri().resolve("/");
            SigV4Signer signer = new SigV4Signer(key.key().id(), key.secret(), "us-east-1", "kinesis");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            out.println("HTTP: warming up ...");
            send(client, uri, signer, bodies, options.warmupRecords() / options.batch(), new Latencies());
            out.println("HTTP: measuring " + options.records() + " records ...");
            Latencies latencies = new Latencies();
            long batchesToSend = options.records() / options.batch();
            long start = System.nanoTime();
            long acknowledged = send(client, uri, signer, bodies, batchesToSend, latencies);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            BenchResult result = new BenchResult("PutRecords over HTTP", acknowledged, bytesPerBatch * batchesToSend, elapsed,
                    latencies.percentileMillis(50), latencies.percentileMillis(99));
            print(result);
            return result;
        }
    }

    private long send(HttpClient client, URI uri, SigV4Signer signer, List<byte[]> bodies, long batches, Latencies latencies)
            throws InterruptedException {
        AtomicLong next = new AtomicLong();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        Map<String, String> headers = Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", "Kinesis_20131202.PutRecords");
        for (int t = 0; t < options.concurrency(); t++) {
            threads.add(Thread.ofPlatform().name("bench-client-" + t).start(() -> {
                long i;
                while ((i = next.getAndIncrement()) < batches) {
                    byte[] body = bodies.get((int) (i % bodies.size()));
                    HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
                    headers.forEach(request::header);
                    signer.sign("POST", uri, headers, body, Instant.now()).forEach(request::header);
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                        latencies.add(System.nanoTime() - sent);
                        if (response.statusCode() == 200 && response.body().contains("\"FailedRecordCount\":0")) {
                            acknowledged.addAndGet(options.batch());
                        } else {
                            failures.incrementAndGet();
                        }
                    } catch (IOException e) {
                        failures.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failures.get() > 0) {
            out.println("  " + failures.get() + " batch(es) were not fully acknowledged (throttled or failed); they are not counted");
        }
        return acknowledged.get();
    }

    private BenchResult raw(List<List<byte[]>> batches) throws Exception {
        Path dir = options.workDir().resolve("raw");
        StreamLogConfig defaults = StreamLogConfig.defaults(dir);
        StreamLogConfig config = new StreamLogConfig(dir, options.fsync(), defaults.fsyncInterval(), defaults.segmentSize(),
                defaults.retention(), defaults.retentionSize(), defaults.maxInFlight());
        try (StreamLog log = new LocalStreamLog(config, Clock.systemUTC())) {
            log.createStream(STREAM, options.shards());
            List<List<AppendRecord>> appendBatches = new ArrayList<>();
            for (List<byte[]> batch : batches) {
                appendBatches.add(batch.stream().map(b -> new AppendRecord(RetailRecords.partitionKey(b), b)).toList());
            }
            long bytesPerBatch = batches.get(0).stream().mapToLong(b -> b.length).sum();
            out.println("Raw log: warming up ...");
            append(log, appendBatches, options.warmupRecords() / options.batch(), new Latencies());
            out.println("Raw log: measuring " + options.records() + " records ...");
            Latencies latencies = new Latencies();
            long count = options.records() / options.batch();
            long start = System.nanoTime();
            append(log, appendBatches, count, latencies);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            BenchResult result = new BenchResult("Stream log append (no HTTP)", count * options.batch(), bytesPerBatch * count,
                    elapsed, latencies.percentileMillis(50), latencies.percentileMillis(99));
            print(result);
            return result;
        }
    }

    private void append(StreamLog log, List<List<AppendRecord>> batches, long count, Latencies latencies) throws InterruptedException {
        AtomicLong next = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < options.concurrency(); t++) {
            threads.add(Thread.ofPlatform().name("bench-append-" + t).start(() -> {
                long i;
                while ((i = next.getAndIncrement()) < count) {
                    long start = System.nanoTime();
                    CompletableFuture<?> future = log.append(STREAM, batches.get((int) (i % batches.size())));
                    future.join();
                    latencies.add(System.nanoTime() - start);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static byte[] putRecordsBody(List<byte[]> batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 320);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("StreamName", STREAM);
            g.writeArrayFieldStart("Records");
            for (byte[] record : batch) {
                g.writeStartObject();
                g.writeStringField("PartitionKey", RetailRecords.partitionKey(record));
                g.writeBinaryField("Data", record);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void print(BenchResult r) {
        out.printf("  %-30s %,12.0f records/s  %8.1f MB/s  p50 %7.2f ms  p99 %7.2f ms  (%,d records in %.1f s)%n",
                r.name(), r.recordsPerSecond(), r.megabytesPerSecond(), r.p50Millis(), r.p99Millis(), r.records(),
                r.elapsed().toMillis() / 1000.0);
    }

}
