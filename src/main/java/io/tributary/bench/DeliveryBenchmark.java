package io.tributary.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tributary.auth.AccessKey;
import io.tributary.auth.SigV4Signer;
import io.tributary.common.DataSize;
import io.tributary.common.Json;
import io.tributary.delivery.BufferingHints;
import io.tributary.delivery.DeliveryStreamSpec;
import io.tributary.generate.RetailRecords;
import io.tributary.lake.Compression;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.server.ConfigKeys;
import io.tributary.server.TributaryConfig;
import io.tributary.server.TributaryServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code tributary bench delivery}: in one in-process server, (1) the ingest rate of acknowledged
 * PutRecords over HTTP, which also fills the stream; (2) sustained delivery throughput from that
 * stream into the local lake, uncompressed and GZIP; (3) end-to-end latency from a PutRecords
 * acknowledgement to the object holding its records being visible in the lake, with a 1 s buffer
 * interval, under a steady load.
 */
public final class DeliveryBenchmark {
    private static final String STREAM = "bench";
    private static final String LATENCY_STREAM = "bench-latency";

    /**
     * @param records records ingested and then delivered per throughput phase
     * @param latencyRate records per second sent during the latency phase
     */
    public record Options(long records, int batch, int concurrency, int shards, long latencyRate, Duration latencyDuration, Path workDir) {
        public Options {
            requireNonNull(latencyDuration, "latencyDuration is null");
            requireNonNull(workDir, "workDir is null");
            if (records < batch || batch < 1 || batch > 500 || concurrency < 1 || shards < 1 || latencyRate < batch) {
                throw new IllegalArgumentException("records >= batch, batch 1..500, concurrency >= 1, shards >= 1 and latency rate >= batch required");
            }
        }
    }

    public record Report(String machine, Options options, double averageRecordBytes, BenchResult ingest, BenchResult uncompressed,
            BenchResult gzip, BenchResult latency, long latencyBatches) {}

    private final Options options;
    private final PrintStream out;

    public DeliveryBenchmark(Options options, PrintStream out) {
        this.options = requireNonNull(options, "options is null");
        this.out = requireNonNull(out, "out is null");
    }

    public Report run() throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put(ConfigKeys.SERVER_DATA_DIR.name(), options.workDir().resolve("server").toString());
        overrides.put(ConfigKeys.SERVER_PORT.name(), "0");
        overrides.put(ConfigKeys.SERVER_SEARCH_PORT.name(), "0");
        TributaryConfig config = TributaryConfig.load(Optional.empty(), Map.of(TributaryConfig.ADMIN_PASSWORD_ENV, "bench-password-1"), overrides);
        try (TributaryServer server = TributaryServer.start(config, Clock.systemUTC())) {
            server.lake().createBucket(io.tributary.lake.BucketSpec.mutable("bench-lake"));
            server.streamLog().createStream(STREAM, options.shards());
            server.streamLog().createStream(LATENCY_STREAM, options.shards());
            AccessKey.WithSecret key = server.accessKeys().create("admin", "bench");
            SigV4Signer signer = new SigV4Signer(key.key().id(), key.secret(), "us-east-1", "kinesis");
            URI uri = server.apiUri().resolve("/");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            List<List<byte[]>> batches = batches();
            double averageBytes = batches.stream().flatMap(List::stream).mapToInt(b -> b.length).average().orElse(0);
            long bytesPerBatch = batches.get(0).stream().mapToLong(b -> b.length).sum();
            List<byte[]> bodies = batches.stream().map(b -> putRecordsBody(STREAM, b, -1)).toList();
            out.printf("Records of %.0f bytes on average, PutRecords of %d, %d clients, %d shards, fsync=always%n", averageBytes,
                    options.batch(), options.concurrency(), options.shards());

            long warmup = Math.min(300_000, options.records() / 4) / options.batch();
            out.println("Ingest: warming up with " + warmup * options.batch() + " records, then sending " + options.records() + " ...");
            long warmed = send(http, uri, signer, bodies, warmup);
            long count = options.records() / options.batch();
            long start = System.nanoTime();
            long acknowledged = send(http, uri, signer, bodies, count);
            BenchResult ingest = new BenchResult("Ingest (PutRecords over HTTP)", acknowledged, bytesPerBatch * count,
                    Duration.ofNanos(System.nanoTime() - start), 0, 0);
            print(ingest);

            BenchResult uncompressed = deliver(server, "bench-plain", Compression.UNCOMPRESSED, warmed + acknowledged);
            BenchResult gzip = deliver(server, "bench-gzip", Compression.GZIP, warmed + acknowledged);
            Latencies latencies = new Latencies();
            BenchResult latency = latency(server, http, uri, signer, latencies);
            return new Report(Machine.describe(options.workDir()), options, averageBytes, ingest, uncompressed, gzip, latency,
                    latencies.count());
        }
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

    /** Delivers the whole stream from its start into the lake and times it until every checkpoint reached the end. */
    private BenchResult deliver(TributaryServer server, String name, Compression compression, long records) throws InterruptedException {
        out.println("Delivery (" + compression.firehoseName() + "): " + records + " records from the stream into the local lake ...");
        DeliveryStreamSpec spec = DeliveryStreamSpec.of(name, Optional.of(STREAM), "bench-lake")
                .withPrefixes(name + "/!{timestamp:yyyy/MM/dd/HH}/", name + "-errors/")
                .withBuffering(new BufferingHints(DataSize.ofMegabytes(64), Duration.ofSeconds(60)))
                .withCompression(compression);
        long start = System.nanoTime();
        server.delivery().apply(spec);
        String consumer = "delivery." + name;
        long delivered = 0;
        while (delivered < records) {
            Thread.sleep(20);
            delivered = server.streamLog().checkpoints().committed(consumer, STREAM).values().stream().mapToLong(Long::longValue).sum();
            // The last partial buffer is flushed by the interval; do not wait 60 s for it.
            if (server.delivery().status(name).bufferedRecords() + delivered >= records && delivered < records) {
                server.delivery().flush(name);
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        long bytes = 0;
        long objects = 0;
        try (Stream<ObjectInfo> s = server.lake().list(Location.parse("s3://bench-lake/" + name + "/"))) {
            for (ObjectInfo o : s.toList()) {
                bytes += o.size();
                objects++;
            }
        }
        long sourceBytes = (long) (records * averageRecordBytes(server));
        BenchResult result = new BenchResult("Delivery " + compression.firehoseName(), records, sourceBytes, elapsed, 0, 0);
        print(result);
        out.printf("    %d objects, %.1f MB written (%.1f%% of the source bytes)%n", objects, bytes / 1048576.0, 100.0 * bytes / sourceBytes);
        server.delivery().delete(name);
        return result;
    }

    private double averageRecordBytes(TributaryServer server) {
        return batches().stream().flatMap(List::stream).mapToInt(b -> b.length + 1).average().orElse(0);
    }

    /**
     * Sends batches at a steady rate into a stream delivered with a 1 s interval; each record
     * carries its batch number, and a watcher lists the lake every 10 ms, so each batch's latency
     * is from its acknowledgement to the first listing that shows the object holding it.
     */
    private BenchResult latency(TributaryServer server, HttpClient http, URI uri, SigV4Signer signer, Latencies latencies)
            throws Exception {
        out.println("Latency: " + options.latencyRate() + " records/s for " + options.latencyDuration().toSeconds()
                + " s, buffer interval 1 s, acknowledgement -> object visible ...");
        String name = "bench-latency";
        server.delivery().apply(DeliveryStreamSpec.of(name, Optional.of(LATENCY_STREAM), "bench-lake")
                .withPrefixes("latency/", "")
                .withBuffering(new BufferingHints(DataSize.ofMegabytes(128), Duration.ofSeconds(1))));
        Map<Long, Long> ackNanos = new ConcurrentHashMap<>();
        Map<Long, Long> visibleNanos = new ConcurrentHashMap<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = Thread.ofPlatform().name("bench-watcher").start(() -> {
            Set<String> seen = new HashSet<>();
            while (watching.get()) {
                try (Stream<ObjectInfo> s = server.lake().list(Location.parse("s3://bench-lake/latency/"))) {
                    for (ObjectInfo o : s.toList()) {
                        if (seen.add(o.location().key())) {
                            long now = System.nanoTime();
                            try (InputStream in = server.lake().open(o.location())) {
                                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                                    int at = line.lastIndexOf("\"bench_batch\":");
                                    long batch = Long.parseLong(line.substring(at + 14, line.indexOf('}', at)));
                                    visibleNanos.putIfAbsent(batch, now);
                                }
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                    }
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        List<List<byte[]>> batches = batches();
        long perSecond = options.latencyRate() / options.batch();
        long total = perSecond * options.latencyDuration().toSeconds();
        long intervalNanos = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        for (long b = 0; b < total; b++) {
            long due = start + b * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            byte[] body = putRecordsBody(LATENCY_STREAM, batches.get((int) (b % batches.size())), b);
            if (post(http, uri, signer, body)) {
                ackNanos.put(b, System.nanoTime());
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (visibleNanos.size() < ackNanos.size() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        watching.set(false);
        watcher.join();
        for (Map.Entry<Long, Long> ack : ackNanos.entrySet()) {
            Long visible = visibleNanos.get(ack.getKey());
            if (visible != null) {
                latencies.add(Math.max(0, visible - ack.getValue()));
            }
        }
        if (latencies.count() < ackNanos.size()) {
            out.println("  " + (ackNanos.size() - latencies.count()) + " acknowledged batch(es) did not become visible within 10 s");
        }
        BenchResult result = new BenchResult("Ack -> visible (1 s interval)", ackNanos.size() * (long) options.batch(), 0, elapsed,
                latencies.percentileMillis(50), latencies.percentileMillis(99));
        out.printf("  %-30s p50 %7.0f ms  p99 %7.0f ms  max %7.0f ms  (%,d batches of %d records at %,d records/s)%n", result.name(),
                result.p50Millis(), result.p99Millis(), latencies.percentileMillis(100), latencies.count(), options.batch(),
                options.latencyRate());
        return result;
    }

    private long send(HttpClient client, URI uri, SigV4Signer signer, List<byte[]> bodies, long batches) throws InterruptedException {
        AtomicLong next = new AtomicLong();
        AtomicLong acknowledged = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < options.concurrency(); t++) {
            threads.add(Thread.ofPlatform().name("bench-client-" + t).start(() -> {
                long i;
                while ((i = next.getAndIncrement()) < batches) {
                    if (post(client, uri, signer, bodies.get((int) (i % bodies.size())))) {
                        acknowledged.addAndGet(options.batch());
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return acknowledged.get();
    }

    private static boolean post(HttpClient client, URI uri, SigV4Signer signer, byte[] body) {
        Map<String, String> headers = Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", "Kinesis_20131202.PutRecords");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        signer.sign("POST", uri, headers, body, Instant.now()).forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"FailedRecordCount\":0");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A PutRecords body; with {@code batchNumber >= 0} each record carries it as its last field. */
    private static byte[] putRecordsBody(String stream, List<byte[]> batch, long batchNumber) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 320);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("StreamName", stream);
            g.writeArrayFieldStart("Records");
            for (byte[] record : batch) {
                byte[] data = record;
                if (batchNumber >= 0) {
                    String json = new String(record, StandardCharsets.UTF_8);
                    data = (json.substring(0, json.length() - 1) + ",\"bench_batch\":" + batchNumber + "}").getBytes(StandardCharsets.UTF_8);
                }
                g.writeStartObject();
                g.writeStringField("PartitionKey", RetailRecords.partitionKey(record));
                g.writeBinaryField("Data", data);
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
        out.printf("  %-30s %,12.0f records/s  %8.1f MB/s  (%,d records in %.1f s)%n", r.name(), r.recordsPerSecond(),
                r.megabytesPerSecond(), r.records(), r.elapsed().toMillis() / 1000.0);
    }
}
