package io.tributary.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.auth.AccessKey;
import io.tributary.common.Json;
import io.tributary.generate.RetailRecords;
import io.tributary.search.SinkSpec;
import io.tributary.server.ConfigKeys;
import io.tributary.server.TributaryConfig;
import io.tributary.server.TributaryServer;
import io.tributary.stream.AppendRecord;
import io.tributary.stream.StreamLog;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field.Store;
import org.apache.lucene.document.FloatField;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.FSDirectory;

/**
 * {@code tributary bench search}: in an in-process server, retail records are appended to a
 * stream, then a sink indexes them (indexing throughput through Tributary's sink: stream read,
 * JSON, transform, dynamic mapping, Lucene); in the same run the same documents go to a bare Lucene
 * {@link IndexWriter} with equivalent fields and as many threads, for the overhead. Then, over the
 * sink's index, date_histogram + sum and full-text queries with a different time range or term
 * each time go through the OpenSearch-compatible HTTP API (latency p50/p99), and the freshness of
 * records acknowledged by PutRecords while a background load keeps the sink busy (time until a
 * search returns them).
 */
public final class SearchBenchmark {
    private static final String STREAM = "bench-search";
    private static final Duration SPAN = Duration.ofDays(30);
    private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
    private static final String[] TERMS = {"heart", "bag", "lunch", "box", "red", "vintage", "christmas", "mug", "set", "holder", "pink",
            "cake", "candle", "glass", "paper", "garden", "retro", "spot", "wooden", "metal", "sign", "bottle", "card", "light"};

    public record Options(long documents, int queries, int probes, int loadPerSecond, Path workDir) {
        public Options {
            requireNonNull(workDir, "workDir is null");
            if (documents < 10_000 || queries < 10 || probes < 10 || loadPerSecond < 0) {
                throw new IllegalArgumentException("documents >= 10000, queries >= 10, probes >= 10 and load >= 0 required");
            }
        }
    }

    public record Report(String machine, Options options, BenchResult sink, BenchResult rawLucene, BenchResult aggregation,
            BenchResult fullText, BenchResult freshness, long indexBytes) {}

    private final Options options;
    private final PrintStream out;

    public SearchBenchmark(Options options, PrintStream out) {
        this.options = requireNonNull(options, "options is null");
        this.out = requireNonNull(out, "out is null");
    }

    /** Record i of the run: the same bytes in every phase. */
    private static Instant dateOf(long i, long n) {
        return START.plusMillis(SPAN.toMillis() * i / n);
    }

    public Report run() throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put(ConfigKeys.SERVER_DATA_DIR.name(), options.workDir().resolve("server").toString());
        overrides.put(ConfigKeys.SERVER_PORT.name(), "0");
        overrides.put(ConfigKeys.SERVER_SEARCH_PORT.name(), "0");
        overrides.put(ConfigKeys.STREAM_FSYNC.name(), "interval");
        overrides.put(ConfigKeys.STREAM_RETENTION.name(), "7d");
        TributaryConfig config = TributaryConfig.load(Optional.empty(), Map.of(TributaryConfig.ADMIN_PASSWORD_ENV, "bench-password-1"), overrides);
        BenchResult sink;
        BenchResult aggregation;
        BenchResult fullText;
        BenchResult freshness;
        long indexBytes;
        try (TributaryServer server = TributaryServer.start(config, Clock.systemUTC())) {
            AccessKey.WithSecret key = server.accessKeys().create("admin", "bench");
            String auth = "Basic " + Base64.getEncoder().encodeToString((key.key().id() + ":" + key.secret()).getBytes(StandardCharsets.UTF_8));
            StreamLog log = server.streamLog();
            log.createStream(STREAM, 4);
            out.printf("Appending %,d retail records to the stream ...%n", options.documents());
            append(log, 0, options.documents(), options.documents());
            out.println("Sink: indexing them ...");
            long start = System.nanoTime();
            server.sinks().apply(new SinkSpec("bench", STREAM, "retail", null, List.of("Invoice", "StockCode", "Customer_ID"), "any", null, null,
                    List.of("InvoiceDate"), null, null, null));
            awaitWrites(server, options.documents(), start);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            sink = new BenchResult("Sink (stream -> index)", options.documents(), 0, elapsed, 0, 0);
            print(sink);
            URI search = server.searchUri();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            post(http, search, auth, "/retail/_refresh", "");
            indexBytes = server.searchEngine().indices("retail").get(0).sizeBytes();
            aggregation = queries(http, search, auth, "date_histogram + sum over a random 1 h - 7 d range", true);
            fullText = queries(http, search, auth, "match on Description, random term and 1 - 30 d range", false);
            freshness = freshness(http, search, auth, key, server);
        }
        BenchResult raw = rawLucene();
        return new Report(Machine.describe(options.workDir()), options, sink, raw, aggregation, fullText, freshness, indexBytes);
    }

    private void append(StreamLog log, long from, long to, long total) throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            long per = (to - from + threads - 1) / threads;
            for (int t = 0; t < threads; t++) {
                long a = from + t * per;
                long b = Math.min(to, a + per);
                futures.add(pool.submit(() -> {
                    RetailRecords records = new RetailRecords(a);
                    List<AppendRecord> batch = new ArrayList<>(500);
                    for (long i = a; i < b; i++) {
                        byte[] data = records.next(dateOf(i, total));
                        batch.add(new AppendRecord(RetailRecords.partitionKey(data), data));
                        if (batch.size() == 500 || i == b - 1) {
                            while (true) {
                                try {
                                    log.append(STREAM, batch).join();
                                    break;
                                } catch (io.tributary.common.TributaryException e) {
                                    Thread.sleep(5);
                                }
                            }
                            batch = new ArrayList<>(500);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private void awaitWrites(TributaryServer server, long documents, long startNanos) throws InterruptedException {
        long lastPrint = System.nanoTime();
        while (true) {
            var status = server.sinks().status("bench").orElseThrow();
            long done = status.writes() + status.invalid() + status.errors() + status.indexErrors();
            if (done >= documents) {
                return;
            }
            if (status.state().equals("failed")) {
                throw new IllegalStateException("the benchmark sink failed: " + status.lastError().orElse("?"));
            }
            if (System.nanoTime() - lastPrint > Duration.ofSeconds(10).toNanos()) {
                out.printf("  %,d indexed (%,.0f docs/s so far)%n", done, done * 1e9 / (System.nanoTime() - startNanos));
                lastPrint = System.nanoTime();
            }
            Thread.sleep(50);
        }
    }

    private BenchResult queries(HttpClient http, URI search, String auth, String name, boolean aggregate) throws Exception {
        SplittableRandom random = new SplittableRandom(aggregate ? 1 : 2);
        Latencies latencies = new Latencies();
        long hits = 0;
        for (int q = 0; q < options.queries() + 20; q++) {
            long spanMillis = aggregate ? Duration.ofHours(1).toMillis() + random.nextLong(Duration.ofDays(7).toMillis())
                    : Duration.ofDays(1).toMillis() + random.nextLong(Duration.ofDays(29).toMillis());
            long from = START.toEpochMilli() + random.nextLong(Math.max(1, SPAN.toMillis() - spanMillis));
            String range = "{\"range\":{\"InvoiceDate\":{\"gte\":" + from + ",\"lt\":" + (from + spanMillis) + "}}}";
            String body = aggregate
                    ? "{\"size\":0,\"query\":" + range + ",\"aggs\":{\"t\":{\"date_histogram\":{\"field\":\"InvoiceDate\",\"fixed_interval\":\"1h\"},"
                            + "\"aggs\":{\"q\":{\"sum\":{\"field\":\"Quantity\"}}}}}}"
                    : "{\"size\":10,\"query\":{\"bool\":{\"must\":[{\"match\":{\"Description\":\"" + TERMS[random.nextInt(TERMS.length)]
                            + "\"}}],\"filter\":[" + range + "]}}}";
            long start = System.nanoTime();
            JsonNode r = post(http, search, auth, "/retail/_search", body);
            long nanos = System.nanoTime() - start;
            if (q >= 20) {
                latencies.add(nanos);
                hits += r.path("hits").path("total").path("value").asLong();
            }
        }
        BenchResult result = new BenchResult(name, options.queries(), 0, Duration.ZERO, latencies.percentileMillis(50), latencies.percentileMillis(99));
        out.printf("  %-55s p50 %7.1f ms  p99 %7.1f ms  (%d queries, %.0f hits on average)%n", name, result.p50Millis(), result.p99Millis(),
                options.queries(), hits / (double) options.queries());
        return result;
    }

    /** Probes acknowledged by PutRecords, timed until a search returns them, while a background load keeps the sink busy. */
    private BenchResult freshness(HttpClient http, URI search, String auth, AccessKey.WithSecret key, TributaryServer server) throws Exception {
        out.printf("Freshness: %d probes under a background load of %,d records/s ...%n", options.probes(), options.loadPerSecond());
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicLong loaded = new AtomicLong();
        Thread load = Thread.ofPlatform().name("bench-load").start(() -> {
            RetailRecords records = new RetailRecords(99);
            long begin = System.nanoTime();
            while (loading.get()) {
                long due = (long) ((System.nanoTime() - begin) / 1e9 * options.loadPerSecond());
                if (loaded.get() >= due) {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                List<AppendRecord> batch = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    byte[] data = records.next(Instant.now());
                    batch.add(new AppendRecord(RetailRecords.partitionKey(data), data));
                }
                try {
                    server.streamLog().append(STREAM, batch).join();
                    loaded.addAndGet(batch.size());
                } catch (RuntimeException e) {
                    // throttled: try again
                }
            }
        });
        io.tributary.auth.SigV4Signer signer = new io.tributary.auth.SigV4Signer(key.key().id(), key.secret(), "us-east-1", "kinesis");
        Latencies latencies = new Latencies();
        try {
            Thread.sleep(2000);
            for (int p = 0; p < options.probes(); p++) {
                String probe = "probe-" + p + "-" + System.nanoTime();
                ObjectNode request = Json.mapper().createObjectNode().put("StreamName", STREAM);
                String data = "{\"Invoice\":\"999999\",\"StockCode\":\"PROBE\",\"Customer_ID\":\"00000\",\"Quantity\":1,"
                        + "\"InvoiceDate\":\"2026-10-15 00:00:00\",\"Probe\":\"" + probe + "\"}";
                request.putArray("Records").addObject().put("PartitionKey", probe).put("Data", data.getBytes(StandardCharsets.UTF_8));
                byte[] body = request.toString().getBytes(StandardCharsets.UTF_8);
                URI api = server.apiUri().resolve("/");
                Map<String, String> headers = Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", "Kinesis_20131202.PutRecords");
                HttpRequest.Builder put = HttpRequest.newBuilder(api).POST(HttpRequest.BodyPublishers.ofByteArray(body));
                headers.forEach(put::header);
                signer.sign("POST", api, headers, body, Instant.now()).forEach(put::header);
                HttpResponse<String> ack = http.send(put.build(), HttpResponse.BodyHandlers.ofString());
                long acked = System.nanoTime();
                if (ack.statusCode() != 200 || !ack.body().contains("\"FailedRecordCount\":0")) {
                    throw new IllegalStateException("probe not acknowledged: " + ack.body());
                }
                String query = "{\"size\":0,\"query\":{\"term\":{\"Probe.keyword\":\"" + probe + "\"}}}";
                long deadline = acked + Duration.ofSeconds(30).toNanos();
                while (true) {
                    JsonNode r = post(http, search, auth, "/retail/_search", query);
                    if (r.path("hits").path("total").path("value").asLong() > 0) {
                        latencies.add(System.nanoTime() - acked);
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("probe " + probe + " not searchable within 30 s");
                    }
                    Thread.sleep(5);
                }
                Thread.sleep(50);
            }
        } finally {
            loading.set(false);
            load.join();
        }
        BenchResult result = new BenchResult("Freshness: ack -> searchable", options.probes(), 0, Duration.ZERO, latencies.percentileMillis(50),
                latencies.percentileMillis(99));
        out.printf("  %-55s p50 %7.1f ms  p99 %7.1f ms  (%,d background records sent)%n", result.name(), result.p50Millis(), result.p99Millis(),
                loaded.get());
        return result;
    }

    /** The same documents into a bare Lucene IndexWriter, with the fields the sink's dynamic mapping produces. */
    private BenchResult rawLucene() throws Exception {
        out.println("Raw Lucene: indexing the same documents without Tributary's layers ...");
        Path dir = options.workDir().resolve("raw-lucene");
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        long n = options.documents();
        long start = System.nanoTime();
        try (FSDirectory directory = FSDirectory.open(dir);
                IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(new StandardAnalyzer()).setRAMBufferSizeMB(64))) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            long per = (n + threads - 1) / threads;
            for (int t = 0; t < threads; t++) {
                long a = t * per;
                long b = Math.min(n, a + per);
                futures.add(pool.submit(() -> {
                    RetailRecords records = new RetailRecords(a);
                    for (long i = a; i < b; i++) {
                        byte[] data = records.next(dateOf(i, n));
                        JsonNode r = Json.mapper().readTree(data);
                        Document doc = new Document();
                        String id = Long.toString(i);
                        doc.add(new StringField("_id", id, Store.YES));
                        doc.add(new StoredField("_source", data));
                        for (String f : List.of("Invoice", "StockCode", "Description", "Customer_ID", "Country")) {
                            String v = r.path(f).asText();
                            doc.add(new TextField(f, v, Store.NO));
                            doc.add(new KeywordField(f + ".keyword", v, Store.NO));
                        }
                        doc.add(new LongField("Quantity", r.path("Quantity").asLong(), Store.NO));
                        doc.add(new FloatField("Price", (float) r.path("Price").asDouble(), Store.NO));
                        doc.add(new LongField("InvoiceDate", dateOf(i, n).toEpochMilli(), Store.NO));
                        writer.updateDocument(new Term("_id", id), doc);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            writer.commit();
        }
        BenchResult result = new BenchResult("Raw Lucene IndexWriter", n, 0, Duration.ofNanos(System.nanoTime() - start), 0, 0);
        print(result);
        return result;
    }

    private static JsonNode post(HttpClient http, URI base, String auth, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return Json.mapper().readTree(r.body());
    }

    private void print(BenchResult r) {
        out.printf("  %-55s %,12.0f docs/s  (%,d documents in %.1f s)%n", r.name(), r.recordsPerSecond(), r.records(), r.elapsed().toMillis() / 1000.0);
    }
}
