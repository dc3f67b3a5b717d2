package io.tributary.delivery;

import static java.util.Objects.requireNonNull;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.delivery.ObjectJournal.Entry;
import io.tributary.delivery.ObjectJournal.JournalObject;
import io.tributary.delivery.ObjectJournal.Range;
import io.tributary.delivery.ObjectPlanner.Plan;
import io.tributary.delivery.ObjectPlanner.Planned;
import io.tributary.delivery.spi.RecordTransformer;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectStore;
import io.tributary.stream.ReadResult;
import io.tributary.stream.StoredRecord;
import io.tributary.stream.StreamCursor;
import io.tributary.stream.StreamDescription;
import io.tributary.stream.StreamLog;
import java.io.Closeable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running delivery stream: reads its source through a checkpointed {@link StreamCursor},
 * buffers records until the size or interval hint is reached, and delivers each batch exactly once:
 * journal the batch and its object keys, write the objects, then commit the checkpoint. At start it
 * first re-delivers a journalled batch whose checkpoint was never committed.
 *
 * <p>Thread-safety: one delivery thread owns the cursor, buffer and journal; {@link #status},
 * {@link #flush} and {@link #close} may be called from any thread.
 */
final class DeliveryStream implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryStream.class);
    static final int POLL_RECORDS = 50_000;
    static final int POLL_BYTES = 8 * 1024 * 1024;
    private static final long IDLE_MILLIS = 10;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    /** How often a delivery stream whose source was deleted looks for it again. */
    private static final long MISSING_SOURCE_IDLE_MILLIS = 250;
    private static final int MAX_FLUSH_POLLS = 1000;
    private static final int KNOWN_FOLDERS = 10_000;

    /** What every delivery stream of a server shares. */
    record Context(StreamLog log, ObjectStore store, Clock clock, DeliveryMetrics metrics, PartitionListener listener,
            RecordTransformers transformers) {
        Context {
            requireNonNull(log, "log is null");
            requireNonNull(store, "store is null");
            requireNonNull(clock, "clock is null");
            requireNonNull(metrics, "metrics is null");
            requireNonNull(listener, "listener is null");
            requireNonNull(transformers, "transformers is null");
        }
    }

    private final DeliveryStreamSpec spec;
    private final String sourceStream;
    private final String consumer;
    private final Context context;
    private final Instant created;
    private final ObjectJournal journal;
    private final ObjectPlanner planner;
    private final ParquetEncoder parquet;
    private final Path parquetDir;
    private final java.util.concurrent.atomic.AtomicLong lagGauge;
    private final ConcurrentLinkedQueue<CompletableFuture<Integer>> flushRequests = new ConcurrentLinkedQueue<>();
    private final Map<String, Boolean> knownFolders = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > KNOWN_FOLDERS;
        }
    };

    // Owned by the delivery thread.
    private StreamCursor cursor;
    private final Deque<StoredRecord> leftover = new ArrayDeque<>();
    private final List<StoredRecord> buffer = new ArrayList<>();
    private final Map<Integer, long[]> ranges = new TreeMap<>();
    private long bufferStartMillis;
    private long nextSequence;
    private long sourceCreatedMillis;
    private Pending pending;
    private long lastLagCheckNanos;
    private boolean sourceMissing;
    /** Batches written and source records delivered so far, for step's bookkeeping. */
    private long flushes;
    private long delivered;

    // Read by status() from other threads.
    private volatile long bufferedRecords;
    private volatile long bufferedBytes;
    private volatile long lagMillis;
    private volatile long oldestBufferedArrival = Long.MAX_VALUE;
    private volatile long recordsDelivered;
    private volatile long objectsWritten;
    private volatile long errorRecords;
    private volatile Location lastObject;
    private volatile Instant lastDelivery;
    private volatile String lastError;

    private volatile boolean running;
    private Thread thread;

    /** A journalled batch whose objects are not all written yet (the store failed); retried. */
    private record Pending(Entry entry, Plan plan, int batchRecords) {}

    DeliveryStream(DeliveryStreamSpec spec, String sourceStream, Context context, Path workDir, Instant created) {
        this.spec = requireNonNull(spec, "spec is null");
        this.sourceStream = requireNonNull(sourceStream, "sourceStream is null");
        this.context = requireNonNull(context, "context is null");
        this.created = requireNonNull(created, "created is null");
        this.consumer = consumerName(spec.name());
        this.journal = new ObjectJournal(workDir);
        this.parquetDir = workDir.resolve("tmp");
        this.parquet = new ParquetEncoder(parquetDir);
        this.planner = new ObjectPlanner(spec, transformers(spec), context.store(), context.clock(), parquet);
        this.lagGauge = context.metrics().lagMillis(spec.name());
    }

    private List<RecordTransformer> transformers(DeliveryStreamSpec declaration) {
        return declaration.processors().stream().map(p -> context.transformers().create(declaration.name(), p)).toList();
    }

    static String consumerName(String deliveryStream) {
        return "delivery." + deliveryStream;
    }

    DeliveryStreamSpec spec() {
        return spec;
    }

    String sourceStream() {
        return sourceStream;
    }

    /**
     * Re-delivers a journalled batch left by a crash, then opens the cursor at the checkpoints. When
     * the source stream does not exist (it was deleted), this waits for it: {@link #step} calls it
     * again once a stream of that name exists.
     */
    void recover() {
        Optional<StreamDescription> source = context.log().findStream(sourceStream);
        if (source.isEmpty()) {
            sourceMissing();
            return;
        }
        Optional<Entry> entry = journal.read();
        if (entry.isPresent()) {
            nextSequence = Math.max(nextSequence, entry.get().sequence() + 1);
            Map<Integer, Long> committed = context.log().checkpoints().committed(consumer, sourceStream);
            long sourceCreated = source.get().created().toEpochMilli();
            if (entry.get().sourceCreatedMillis() != sourceCreated) {
                LOG.warn("Delivery stream {}: journalled batch {} belongs to an earlier stream '{}' that was deleted since; "
                        + "its records are gone, so it is not delivered again", spec.name(), entry.get().sequence(), sourceStream);
            } else if (!entry.get().committedIn(committed)) {
                LOG.info("Delivery stream {}: delivering journalled batch {} again after a restart ({} object(s))", spec.name(),
                        entry.get().sequence(), entry.get().objects().size());
                List<StoredRecord> records = read(entry.get());
                ObjectPlanner replanner = planner;
                ParquetEncoder encoder = null;
                if (!entry.get().spec().equals(spec)) {
                    // The declaration changed while the batch was pending: plan it as it was planned.
                    LOG.info("Delivery stream {}: batch {} is delivered again with the declaration it was journalled with", spec.name(),
                            entry.get().sequence());
                    encoder = new ParquetEncoder(parquetDir);
                    replanner = new ObjectPlanner(entry.get().spec(), transformers(entry.get().spec()), context.store(), context.clock(), encoder);
                }
                try {
                    Plan plan = replanner.plan(records, entry);
                    deliver(entry.get(), plan, records.size(), true);
                } finally {
                    if (encoder != null) {
                        encoder.close();
                    }
                }
            }
        }
        cursor = new StreamCursor(context.log(), sourceStream, consumer);
        sourceCreatedMillis = cursor.streamCreated().toEpochMilli();
    }

    void start() {
        recover();
        running = true;
        thread = Thread.ofPlatform().name("delivery-" + spec.name()).start(this::run);
    }

    private void run() {
        long backoff = 100;
        while (running) {
            try {
                boolean busy = step();
                backoff = 100;
                if (!busy) {
                    sleep(idleMillis());
                }
            } catch (RuntimeException e) {
                lastError = e.getMessage();
                context.metrics().errors(spec.name(), "write-failed", 1);
                LOG.warn("Delivery stream {}: delivery failed, retrying in {} ms: {}", spec.name(), backoff, e.getMessage(), e);
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
        try {
            if (pending != null) {
                retryPending();
            }
            flush();
        } catch (RuntimeException e) {
            LOG.error("Delivery stream {}: the final flush failed; the records stay in the source and are delivered at the next start: {}",
                    spec.name(), e.getMessage(), e);
        }
        failFlushRequests();
    }

    private long idleMillis() {
        if (sourceMissing) {
            return MISSING_SOURCE_IDLE_MILLIS;
        }
        if (buffer.isEmpty()) {
            return IDLE_MILLIS;
        }
        long due = bufferStartMillis + spec.buffering().interval().toMillis() - context.clock().millis();
        return Math.max(1, Math.min(IDLE_MILLIS, due));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One round: retry a pending batch, read from the source, flush on size, interval or request.
     *
     * @return true when it did something, so the caller should not idle
     */
    boolean step() {
        if (pending != null) {
            retryPending();
            return true;
        }
        if (cursor == null) {
            recover();
            if (cursor == null) {
                return false;
            }
        }
        boolean busy = false;
        if (leftover.isEmpty()) {
            Optional<List<StoredRecord>> polled = pollSource();
            if (polled.isEmpty()) {
                return false;
            }
            busy = !polled.get().isEmpty();
            if (pending != null) {
                return true;
            }
        }
        long before = flushes;
        if (!absorbLeftover()) {
            return true;
        }
        busy |= flushes != before;
        if (!buffer.isEmpty() && context.clock().millis() - bufferStartMillis >= spec.buffering().interval().toMillis()) {
            flush();
            busy = true;
        }
        if (!flushRequests.isEmpty()) {
            // A flush delivers every record appended before it was asked for: read up to the tip first.
            // (Bounded, so producers that outpace the reader cannot hold a flush forever.)
            long deliveredBefore = delivered;
            Optional<List<StoredRecord>> more = Optional.of(List.of());
            for (int polls = 0; polls < MAX_FLUSH_POLLS; polls++) {
                more = pollSource();
                if (more.isEmpty() || more.get().isEmpty()) {
                    break;
                }
                if (pending != null || !absorbLeftover()) {
                    return true;
                }
            }
            if (more.isEmpty()) {
                return false;
            }
            CompletableFuture<Integer> request;
            while ((request = flushRequests.poll()) != null) {
                try {
                    flush();
                    request.complete((int) Math.min(Integer.MAX_VALUE, delivered - deliveredBefore));
                    deliveredBefore = delivered;
                } catch (RuntimeException e) {
                    request.completeExceptionally(e);
                    throw e;
                }
            }
            busy = true;
        }
        updateLag();
        return busy;
    }

    /**
     * Reads the next records from the source into {@link #leftover}, first noticing a source that
     * was deleted, or deleted and created again.
     *
     * @return the records read; empty when the source does not exist
     */
    private Optional<List<StoredRecord>> pollSource() {
        List<StoredRecord> polled;
        try {
            polled = cursor.poll(POLL_RECORDS, POLL_BYTES);
        } catch (TributaryException e) {
            if (e.code() != ErrorCode.NOT_FOUND || context.log().findStream(sourceStream).isPresent()) {
                throw e;
            }
            sourceMissing();
            return Optional.empty();
        }
        if (sourceMissing) {
            LOG.info("Delivery stream {}: source stream '{}' exists again; delivering from it", spec.name(), sourceStream);
            sourceMissing = false;
            lastError = null;
        }
        long created = cursor.streamCreated().toEpochMilli();
        if (created != sourceCreatedMillis) {
            // Offsets start over in the new stream: what is buffered is delivered as records of the old one
            // (without a checkpoint, which would name offsets of the new stream), then the new one is read from its start.
            LOG.warn("Delivery stream {}: source stream '{}' was deleted and created again; delivering the {} record(s) buffered "
                    + "from the old stream, then reading the new one from its beginning", spec.name(), sourceStream, buffer.size());
            flush();
            sourceCreatedMillis = created;
        }
        leftover.addAll(polled);
        return Optional.of(polled);
    }

    /**
     * Moves records read into the buffer, writing an object whenever the next record would pass
     * the size hint.
     *
     * @return false when a write failed and the batch is pending (the rest waits in leftover)
     */
    private boolean absorbLeftover() {
        long hint = spec.buffering().size().bytes();
        while (!leftover.isEmpty()) {
            StoredRecord r = leftover.peekFirst();
            long size = size(r);
            if (!buffer.isEmpty() && bufferedBytes + size > hint) {
                flush();
                if (pending != null) {
                    return false;
                }
            }
            leftover.pollFirst();
            add(r, size);
            if (bufferedBytes >= hint) {
                flush();
                if (pending != null) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The source stream does not exist (deleted; a direct-put buffer cannot be): deliver what was
     * read from it, and answer flush requests now rather than let them time out.
     */
    private void sourceMissing() {
        if (!sourceMissing) {
            LOG.warn("Delivery stream {}: source stream '{}' does not exist (it was deleted); delivering the {} record(s) buffered "
                    + "and waiting for a stream of that name, which it will read from its beginning", spec.name(), sourceStream, buffer.size());
            sourceMissing = true;
        }
        lastError = "source stream '" + sourceStream + "' does not exist; create it again (the delivery stream then reads it "
                + "from its beginning) or delete the delivery stream";
        int delivered = 0;
        if (!buffer.isEmpty() && pending == null) {
            delivered = flush();
        }
        CompletableFuture<Integer> request;
        while ((request = flushRequests.poll()) != null) {
            request.completeExceptionally(new TributaryException(ErrorCode.NOT_FOUND, "delivery stream '" + spec.name()
                    + "' cannot read: " + lastError + (delivered > 0 ? " (" + delivered + " buffered record(s) were delivered)" : "")));
            delivered = 0;
        }
    }

    private long size(StoredRecord r) {
        return r.data().length + spec.delimiter().extraBytes(r.data());
    }

    private void add(StoredRecord r, long size) {
        if (buffer.isEmpty()) {
            bufferStartMillis = context.clock().millis();
        }
        buffer.add(r);
        long[] range = ranges.get(r.shard());
        if (range == null) {
            ranges.put(r.shard(), new long[] {r.offset(), r.offset()});
        } else {
            range[1] = r.offset();
        }
        bufferedBytes += size;
        bufferedRecords = buffer.size();
        oldestBufferedArrival = Math.min(oldestBufferedArrival, r.arrivalTimeMillis());
    }

    /**
     * Delivers the buffered batch now.
     *
     * @return the number of source records delivered
     */
    private int flush() {
        if (buffer.isEmpty()) {
            return 0;
        }
        Plan plan = planner.plan(buffer, Optional.empty());
        Map<Integer, Range> batchRanges = new TreeMap<>();
        ranges.forEach((shard, r) -> batchRanges.put(shard, new Range(r[0], r[1])));
        List<JournalObject> objects = plan.objects().stream().map(o -> new JournalObject(o.identity(), o.location())).toList();
        Entry entry = new Entry(nextSequence++, sourceCreatedMillis, spec, batchRanges, objects);
        journal.write(entry);
        int count = buffer.size();
        flushes++;
        delivered += count;
        buffer.clear();
        ranges.clear();
        bufferedBytes = 0;
        bufferedRecords = 0;
        oldestBufferedArrival = Long.MAX_VALUE;
        pending = new Pending(entry, plan, count);
        deliver(entry, plan, count, false);
        pending = null;
        return count;
    }

    private void retryPending() {
        Pending p = pending;
        deliver(p.entry(), p.plan(), p.batchRecords(), true);
        pending = null;
    }

    /**
     * Writes a journalled batch's objects (keeping any that landed before) and commits its checkpoint.
     *
     * @param redelivery the batch was interrupted (a crash, or a failed write being retried): its
     *     folders are announced to the partition listener again, since the interruption may have come
     *     between a write and its announcement
     */
    private void deliver(Entry entry, Plan plan, int sourceRecords, boolean redelivery) {
        long records = 0;
        long bytes = 0;
        List<Location> newFolders = new ArrayList<>();
        for (Planned object : plan.objects()) {
            Location folder = folder(object.location());
            boolean checkFolder = object.errorType().isEmpty() && !knownFolders.containsKey(folder.toString());
            boolean folderIsNew = false;
            if (checkFolder) {
                try (var existing = context.store().list(folder)) {
                    folderIsNew = existing.findFirst().isEmpty();
                }
            }
            boolean written = context.store().putIfAbsent(object.location(), object.content());
            if (!written) {
                LOG.debug("Delivery stream {}: {} was already written before a restart; kept", spec.name(), object.location());
            }
            if (checkFolder) {
                knownFolders.put(folder.toString(), Boolean.TRUE);
            }
            if ((folderIsNew || (redelivery && object.errorType().isEmpty())) && !newFolders.contains(folder)) {
                newFolders.add(folder);
            }
            if (object.errorType().isEmpty()) {
                records += object.records();
            }
            bytes += object.content().length;
            lastObject = object.location();
        }
        for (Location folder : newFolders) {
            try {
                context.listener().partitionAdded(spec.name(), folder);
            } catch (RuntimeException e) {
                LOG.warn("Delivery stream {}: the partition listener failed for {}: {}", spec.name(), folder, e.toString());
            }
        }
        Map<Integer, Long> next = entry.nextOffsets();
        if (!next.isEmpty()) {
            if (isCurrentSource(entry.sourceCreatedMillis())) {
                context.log().checkpoints().commit(consumer, sourceStream, next);
            } else {
                LOG.info("Delivery stream {}: batch {} was read from an earlier stream '{}' that was deleted since; delivered "
                        + "without a checkpoint", spec.name(), entry.sequence(), sourceStream);
            }
        }
        context.metrics().delivered(spec.name(), records, bytes, plan.objects().size());
        if (plan.dropped() > 0) {
            context.metrics().dropped(spec.name(), plan.dropped());
        }
        long errors = 0;
        for (Map.Entry<String, Integer> e : plan.errorsByType().entrySet()) {
            context.metrics().errors(spec.name(), e.getKey(), e.getValue());
            errors += e.getValue();
        }
        recordsDelivered += records;
        objectsWritten += plan.objects().size();
        errorRecords += errors;
        lastDelivery = context.clock().instant();
        lastError = null;
        LOG.debug("Delivery stream {}: batch {} of {} source record(s) delivered in {} object(s)", spec.name(), entry.sequence(),
                sourceRecords, plan.objects().size());
    }

    /** Whether the source stream exists and is the one created at that time (not a later one of the same name). */
    private boolean isCurrentSource(long createdMillis) {
        return context.log().findStream(sourceStream).map(d -> d.created().toEpochMilli() == createdMillis).orElse(false);
    }

    private static Location folder(Location object) {
        String key = object.key();
        int slash = key.lastIndexOf('/');
        return new Location(object.bucket(), slash < 0 ? "" : key.substring(0, slash + 1));
    }

    /** The records of a journalled batch, read again from the source log. */
    private List<StoredRecord> read(Entry entry) {
        List<StoredRecord> out = new ArrayList<>();
        for (Map.Entry<Integer, Range> e : entry.ranges().entrySet()) {
            long position = e.getValue().first();
            long last = e.getValue().last();
            while (position <= last) {
                ReadResult result = context.log().read(sourceStream, e.getKey(), position, POLL_RECORDS, POLL_BYTES);
                for (StoredRecord r : result.records()) {
                    if (r.offset() <= last) {
                        out.add(r);
                    }
                }
                if (result.records().isEmpty() || result.nextOffset() <= position) {
                    break;
                }
                position = result.nextOffset();
            }
        }
        long expected = entry.ranges().values().stream().mapToLong(r -> r.last() - r.first() + 1).sum();
        if (out.size() != expected) {
            LOG.warn("Delivery stream {}: journalled batch {} spans {} offsets but {} records were read back (retention or gaps in the log)",
                    spec.name(), entry.sequence(), expected, out.size());
        }
        return out;
    }

    private void updateLag() {
        long now = System.nanoTime();
        if (now - lastLagCheckNanos < TimeUnit.MILLISECONDS.toNanos(500)) {
            return;
        }
        lastLagCheckNanos = now;
        long oldest = oldestBufferedArrival;
        if (!leftover.isEmpty()) {
            oldest = Math.min(oldest, leftover.peekFirst().arrivalTimeMillis());
        }
        OptionalLong unread = cursor.oldestUnreadArrivalMillis();
        if (unread.isPresent()) {
            oldest = Math.min(oldest, unread.getAsLong());
        }
        lagMillis = oldest == Long.MAX_VALUE ? 0 : Math.max(0, context.clock().millis() - oldest);
        lagGauge.set(lagMillis);
    }

    /**
     * Asks the delivery thread to deliver what it buffers now, and waits for it.
     *
     * @return the number of source records delivered
     */
    int flush(long timeoutMillis) {
        if (!running) {
            throw new TributaryException(ErrorCode.UNAVAILABLE, "delivery stream '" + spec.name() + "' is stopping");
        }
        CompletableFuture<Integer> request = new CompletableFuture<>();
        flushRequests.add(request);
        try {
            return request.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TributaryException(ErrorCode.TIMEOUT, "delivery stream '" + spec.name() + "' did not flush within "
                    + timeoutMillis + " ms" + (lastError != null ? "; last error: " + lastError : "; it may be retrying a failed write"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TributaryException(ErrorCode.CANCELLED, "interrupted while waiting for a flush");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof TributaryException t) {
                throw t;
            }
            throw new TributaryException(ErrorCode.INTERNAL, "flushing delivery stream '" + spec.name() + "' failed: " + e.getCause(),
                    e.getCause());
        }
    }

    private void failFlushRequests() {
        CompletableFuture<Integer> request;
        while ((request = flushRequests.poll()) != null) {
            request.completeExceptionally(new TributaryException(ErrorCode.UNAVAILABLE,
                    "delivery stream '" + spec.name() + "' stopped; what it held was flushed"));
        }
    }

    DeliveryStatus status() {
        return new DeliveryStatus(spec, sourceStream, created, bufferedRecords, bufferedBytes, lagMillis, recordsDelivered,
                objectsWritten, errorRecords, Optional.ofNullable(lastObject), Optional.ofNullable(lastDelivery),
                Optional.ofNullable(lastError));
    }

    /** Stops the delivery thread after it has delivered what it buffers. */
    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.warn("Delivery stream {} did not stop within 60 s; its unflushed records are delivered at the next start", spec.name());
            }
        }
        parquet.close();
    }

    /** For tests that drive the stream without its thread: deliver what is buffered now. */
    int flushNow() {
        if (pending != null) {
            retryPending();
        }
        return flush();
    }
}
