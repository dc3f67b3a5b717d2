package io.tributary.search;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import io.tributary.stream.StoredRecord;
import io.tributary.stream.StreamCursor;
import io.tributary.stream.StreamLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running stream → index sink. Its thread polls the stream with a {@link StreamCursor},
 * transforms records, writes documents (in parallel, partitioned by id so that writes of one id
 * keep their order) and, every {@code search.commit-interval}, commits each of its indexes with
 * the cursor's positions in the Lucene commit's user data, then the stream checkpoint.
 *
 * <p>Exactly once after a crash: on start the sink resumes from the smallest position per shard
 * stored in its indexes' last commits (what is durable in the index), so records indexed but not
 * committed are read again. Ids are deterministic (stream position or content hash), so a record
 * read again replaces its own document instead of adding a second one.
 *
 * <p>Thread-safe: counters and status may be read from any thread; {@link #stop} from any thread.
 */
final class SearchSink {
    private static final Logger LOG = LoggerFactory.getLogger(SearchSink.class);
    static final String CHECKPOINT_PREFIX = "tributary.sink.";
    private static final int BATCH = 10_000;
    private static final int BATCH_BYTES = 16 * 1024 * 1024;

    final AtomicLong reads = new AtomicLong();
    final AtomicLong writes = new AtomicLong();
    final AtomicLong invalid = new AtomicLong();
    final AtomicLong indexErrors = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong lagMillis = new AtomicLong();

    private final SinkSpec spec;
    private final SearchEngine engine;
    private final StreamLog log;
    private final Duration commitInterval;
    private final Clock clock;
    private final DeadLetters deadLetters;
    private final ExecutorService workers;
    private final int parallelism;
    private volatile boolean running = true;
    private volatile String state = "starting";
    private volatile Optional<String> lastError = Optional.empty();
    private volatile Map<Integer, Long> committedPositions = Map.of();
    private Thread thread;
    private final Set<String> aliased = new java.util.HashSet<>();

    SearchSink(SinkSpec spec, SearchEngine engine, StreamLog log, Duration commitInterval, Path deadLetterDir, Clock clock) {
        this.spec = requireNonNull(spec, "spec is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.log = requireNonNull(log, "log is null");
        this.commitInterval = requireNonNull(commitInterval, "commitInterval is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.deadLetters = new DeadLetters(deadLetterDir.resolve(spec.name() + ".ndjson"));
        this.parallelism = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        this.workers = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "sink-" + spec.name() + "-writer");
            t.setDaemon(true);
            return t;
        });
    }

    SinkSpec spec() {
        return spec;
    }

    String consumer() {
        return "search-sink-" + spec.name();
    }

    private String checkpointKey() {
        return CHECKPOINT_PREFIX + spec.name();
    }

    /** The counters as of the committed positions, so a restart continues them rather than starting from zero. */
    private String countersKey() {
        return CHECKPOINT_PREFIX + spec.name() + ".counters";
    }

    /** How far this sink's writes to an index may reach, staged before each write so every commit records it. */
    private String addedKey() {
        return CHECKPOINT_PREFIX + spec.name() + ".added";
    }

    void start() {
        thread = Thread.ofPlatform().name("sink-" + spec.name()).start(this::run);
    }

    /** Stops after the current batch, commits what was indexed, and waits. */
    void stop() {
        // No interrupt: a thread interrupted inside Lucene's file I/O closes the file's channel and the
        // index writer fails for good. The loop sees the flag within one batch (or its 20 ms idle sleep).
        running = false;
        if (thread != null) {
            try {
                if (!thread.join(Duration.ofSeconds(30))) {
                    LOG.warn("Sink {} did not finish its batch within 30 s of being stopped; it stops when the batch ends", spec.name());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.shutdown();
        deadLetters.close();
    }

    SinkStatus status() {
        return new SinkStatus(spec, state, reads.get(), writes.get(), invalid.get(), indexErrors.get(), errors.get(), committedPositions,
                lagMillis.get(), deadLetters.file().toString(), deadLetters.count(), lastError);
    }

    /** The indexes this sink writes or wrote: the index, or for daily rotation every {@code index-*}. */
    private List<String> ownIndexes() {
        try {
            return spec.daily() ? engine.resolve(spec.index() + "-*") : engine.exists(spec.index()) ? engine.resolve(spec.index()) : List.of();
        } catch (SearchException e) {
            return List.of();
        }
    }

    /** Where to resume: per shard, the smallest position its indexes committed; else the stream checkpoint. */
    Map<Integer, Long> resumePositions() {
        Map<Integer, Long> positions = new HashMap<>();
        boolean any = false;
        for (String index : ownIndexes()) {
            Optional<Map<Integer, Long>> stored = stored(index, checkpointKey());
            if (stored.isPresent()) {
                any = true;
                stored.get().forEach((shard, offset) -> positions.merge(shard, offset, Math::min));
            }
        }
        if (!any) {
            positions.putAll(log.checkpoints().committed(consumer(), spec.stream()));
        }
        return positions;
    }

    /**
     * Per shard, the position below which a record's document may already be in one of the
     * sink's indexes: the largest reach any commit recorded. Records from there on are appended
     * without a lookup.
     */
    Map<Integer, Long> mayExistBelow() {
        Map<Integer, Long> reach = new HashMap<>();
        for (String index : ownIndexes()) {
            stored(index, addedKey()).ifPresent(m -> m.forEach((shard, offset) -> reach.merge(shard, offset, Math::max)));
            stored(index, checkpointKey()).ifPresent(m -> m.forEach((shard, offset) -> reach.merge(shard, offset, Math::max)));
        }
        return reach;
    }

    private Optional<Map<Integer, Long>> stored(String index, String key) {
        String value = engine.checkpoint(index, key).get(key);
        if (value == null) {
            return Optional.empty();
        }
        try {
            Map<Integer, Long> out = new HashMap<>();
            Json.mapper().readTree(value).fields().forEachRemaining(e -> out.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
            return Optional.of(out);
        } catch (IOException e) {
            throw new IllegalStateException("sink " + spec.name() + ": unreadable checkpoint " + key + " in index " + index, e);
        }
    }

    /** Counters committed with exactly the positions the sink resumes from (records after them are counted again as they are re-read). */
    private void restoreCounters(Map<Integer, Long> resume) {
        for (String index : ownIndexes()) {
            if (!stored(index, checkpointKey()).map(resume::equals).orElse(false)) {
                continue;
            }
            String value = engine.checkpoint(index, countersKey()).get(countersKey());
            if (value == null) {
                return;
            }
            try {
                JsonNode counters = Json.mapper().readTree(value);
                reads.set(counters.path("reads").asLong());
                writes.set(counters.path("writes").asLong());
                invalid.set(counters.path("invalid").asLong());
                indexErrors.set(counters.path("indexErrors").asLong());
                errors.set(counters.path("errors").asLong());
            } catch (IOException e) {
                LOG.warn("Sink {}: unreadable counters in index {}, counting from zero: {}", spec.name(), index, e.getMessage());
            }
            return;
        }
    }

    private String countersJson() {
        return Json.mapper().createObjectNode().put("reads", reads.get()).put("writes", writes.get()).put("invalid", invalid.get())
                .put("indexErrors", indexErrors.get()).put("errors", errors.get()).toString();
    }

    private static String json(Map<Integer, Long> positions) {
        ObjectNode json = Json.mapper().createObjectNode();
        positions.forEach((shard, offset) -> json.put(Integer.toString(shard), offset));
        return json.toString();
    }

    private void run() {
        try (deadLetters) {
            StreamCursor cursor = new StreamCursor(log, spec.stream(), consumer());
            Map<Integer, Long> resume = resumePositions();
            cursor.seek(resume);
            committedPositions = Map.copyOf(resume);
            restoreCounters(resume);
            Map<Integer, Long> reach = mayExistBelow();
            List<SinkTransform> transform = new ArrayList<>();
            for (int i = 0; i < parallelism; i++) {
                transform.add(new SinkTransform(spec, r -> r.offset() < reach.getOrDefault(r.shard(), 0L)));
            }
            state = "running";
            LOG.info("Sink {}: {} -> {}, resuming at {}", spec.name(), spec.stream(), spec.index(), resume);
            Set<String> dirty = new LinkedHashSet<>();
            long lastCommit = System.nanoTime();
            long lastRetention = Long.MIN_VALUE;
            while (running) {
                // Retention is checked once a minute of the injected clock, so tests can move time forward.
                if (spec.retentionPeriod().isPresent() && (lastRetention == Long.MIN_VALUE || clock.millis() - lastRetention >= 60_000)) {
                    applyRetention();
                    lastRetention = clock.millis();
                }
                List<StoredRecord> records = cursor.poll(BATCH, BATCH_BYTES);
                if (!records.isEmpty()) {
                    process(records, transform, dirty, cursor.positions());
                    lagMillis.set(Math.max(0, clock.millis() - records.get(records.size() - 1).arrivalTimeMillis()));
                } else {
                    lagMillis.set(0);
                }
                if (System.nanoTime() - lastCommit >= commitInterval.toNanos() && (!dirty.isEmpty() || !cursor.positions().equals(committedPositions))) {
                    commit(cursor, dirty);
                    lastCommit = System.nanoTime();
                }
                if (records.isEmpty()) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        if (!running) {
                            break;
                        }
                    }
                }
            }
            commit(cursor, dirty);
            state = "stopped";
        } catch (RuntimeException e) {
            state = "failed";
            lastError = Optional.of(String.valueOf(e.getMessage()));
            LOG.error("Sink {} stopped: {}; it restarts with the server or when it is applied again", spec.name(), e.getMessage(), e);
        }
    }

    /** Transforms records on the writer threads, in contiguous chunks so the outcomes keep stream order. */
    private List<SinkTransform.Outcome> transformAll(List<StoredRecord> records, List<SinkTransform> transforms) {
        if (parallelism == 1 || records.size() < 256) {
            List<SinkTransform.Outcome> out = new ArrayList<>(records.size());
            records.forEach(r -> out.add(transforms.get(0).apply(r)));
            return out;
        }
        int chunk = (records.size() + parallelism - 1) / parallelism;
        List<Future<List<SinkTransform.Outcome>>> futures = new ArrayList<>();
        for (int p = 0; p < parallelism; p++) {
            List<StoredRecord> part = records.subList(Math.min(records.size(), p * chunk), Math.min(records.size(), (p + 1) * chunk));
            SinkTransform t = transforms.get(p);
            futures.add(workers.submit(() -> {
                List<SinkTransform.Outcome> out = new ArrayList<>(part.size());
                part.forEach(r -> out.add(t.apply(r)));
                return out;
            }));
        }
        List<SinkTransform.Outcome> all = new ArrayList<>(records.size());
        for (Future<List<SinkTransform.Outcome>> f : futures) {
            all.addAll(join(f));
        }
        return all;
    }

    private <T> T join(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sink " + spec.name() + " interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void process(List<StoredRecord> records, List<SinkTransform> transforms, Set<String> dirty, Map<Integer, Long> reachAfter) {
        reads.addAndGet(records.size());
        Map<String, List<SinkDocument>> byIndex = new LinkedHashMap<>();
        Map<String, StoredRecord> sources = new HashMap<>();
        List<SinkTransform.Outcome> outcomes = transformAll(records, transforms);
        for (int n = 0; n < records.size(); n++) {
            StoredRecord record = records.get(n);
            switch (outcomes.get(n)) {
                case SinkTransform.Document d -> {
                    byIndex.computeIfAbsent(d.index(), k -> new ArrayList<>()).add(d.document());
                    sources.put(d.document().id(), record);
                }
                case SinkTransform.Invalid i -> {
                    invalid.incrementAndGet();
                    deadLetters.add(spec.name(), record, spec.stream(), "invalid", i.reason());
                }
                case SinkTransform.Failed f -> {
                    errors.incrementAndGet();
                    deadLetters.add(spec.name(), record, spec.stream(), "error", f.reason());
                }
            }
        }
        for (Map.Entry<String, List<SinkDocument>> e : byIndex.entrySet()) {
            dirty.add(e.getKey());
            if (spec.daily() && aliased.add(e.getKey())) {
                ensureAlias(e.getKey());
            }
            engine.stageCheckpoint(e.getKey(), Map.of(addedKey(), json(reachAfter)));
            for (BulkResult result : write(e.getKey(), e.getValue())) {
                if (result.failed()) {
                    indexErrors.incrementAndGet();
                    StoredRecord source = sources.get(result.id());
                    if (source != null) {
                        deadLetters.add(spec.name(), source, spec.stream(), "index_error", result.error().get().type() + ": "
                                + result.error().get().getMessage());
                    }
                } else {
                    writes.incrementAndGet();
                }
            }
        }
    }

    /** Writes in parallel, each id always in the same partition so its writes keep stream order. */
    private List<BulkResult> write(String index, List<SinkDocument> docs) {
        if (parallelism == 1 || docs.size() < 256) {
            return engine.indexDocuments(index, docs);
        }
        List<List<SinkDocument>> parts = new ArrayList<>();
        for (int i = 0; i < parallelism; i++) {
            parts.add(new ArrayList<>(docs.size() / parallelism + 1));
        }
        for (SinkDocument d : docs) {
            parts.get(Math.floorMod(d.id().hashCode(), parallelism)).add(d);
        }
        List<Future<List<BulkResult>>> futures = new ArrayList<>();
        for (List<SinkDocument> part : parts) {
            futures.add(workers.submit(() -> engine.indexDocuments(index, part)));
        }
        List<BulkResult> results = new ArrayList<>(docs.size());
        for (Future<List<BulkResult>> f : futures) {
            try {
                results.addAll(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("sink " + spec.name() + " interrupted while indexing", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        return results;
    }

    /**
     * Dead letters first (so nothing the checkpoint passes is lost), then every index of the sink
     * with the positions, then the stream checkpoint (used only when no index holds one).
     */
    private void commit(StreamCursor cursor, Set<String> dirty) {
        Map<Integer, Long> positions = cursor.positions();
        deadLetters.sync();
        String json = json(positions);
        String counters = countersJson();
        Set<String> targets = new LinkedHashSet<>(dirty);
        targets.addAll(ownIndexes());
        for (String index : targets) {
            try {
                engine.commit(index, Map.of(checkpointKey(), json, countersKey(), counters));
            } catch (SearchException e) {
                if (!e.type().equals("index_not_found_exception")) {
                    throw e;
                }
            }
        }
        cursor.commit(positions);
        dirty.clear();
        committedPositions = Map.copyOf(positions);
    }

    /** Daily indexes are searched together through an alias named like the sink's index ({@code retail}). */
    private void ensureAlias(String index) {
        if (!engine.exists(index)) {
            engine.createIndex(index, null);
        }
        if (engine.getAliases(index, "*").path(index).path("aliases").has(spec.index())) {
            return;
        }
        ObjectNode body = Json.mapper().createObjectNode();
        body.putArray("actions").addObject().putObject("add").put("index", index).put("alias", spec.index());
        engine.updateAliases(body);
    }

    private void applyRetention() {
        java.time.LocalDate today = java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
        long keepDays = spec.retentionPeriod().orElseThrow().toDays();
        java.time.format.DateTimeFormatter day = java.time.format.DateTimeFormatter.ofPattern("yyyy.MM.dd");
        for (String index : ownIndexes()) {
            String suffix = index.substring(spec.index().length() + 1);
            try {
                java.time.LocalDate date = java.time.LocalDate.parse(suffix, day);
                if (date.isBefore(today.minusDays(keepDays))) {
                    engine.deleteIndex(index);
                    aliased.remove(index);
                    LOG.info("Sink {}: deleted index {} (older than the retention of {})", spec.name(), index, spec.retention());
                }
            } catch (java.time.format.DateTimeParseException e) {
                // not one of ours (another index matching the pattern)
            }
        }
    }
}
