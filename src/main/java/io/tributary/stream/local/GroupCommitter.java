package io.tributary.stream.local;

import static java.util.Objects.requireNonNull;

import io.tributary.common.DataSize;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.stream.FsyncPolicy;
import io.tributary.stream.StreamLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes to segment files. Appending threads queue their batches; the
 * committer takes everything queued (up to a group size), writes it shard by shard with one
 * write call per shard and buffer, forces each channel it wrote once, then lets readers see the
 * records and completes every future of the group. Concurrent appends thus share one fsync.
 *
 * <p>With {@link FsyncPolicy#ALWAYS} a future completes only after the force that covers all its
 * records; with {@code INTERVAL} after the write, channels being forced every interval; with
 * {@code NEVER} after the write, never forcing.
 *
 * <p>Operations that change which files exist (resharding, deleting a stream, closing) run on the
 * committer thread too, between groups, so they never race with writes.
 *
 * <p>Thread-safety: {@link #submit} and {@link #execute} are thread-safe. Futures complete on the
 * committer thread, so work attached to them must be quick or use the {@code *Async} variants.
 * After an I/O error the committer fails every later append: the files may hold a partial write
 * that only start-up recovery removes.
 */
final class GroupCommitter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);
    private static final long MAX_GROUP_BYTES = 8L * 1024 * 1024;
    private static final int BUFFER_BYTES = 2 * RecordCodec.MAX_RECORD_SIZE;
    /** Threads that issue fsyncs in parallel; they spend their time blocked in the kernel. */
    private static final int FORCE_THREADS = 16;

    /** Work for the committer thread. */
    sealed interface Task permits PendingAppend, Control {}

    record Control(Callable<?> action, CompletableFuture<Object> done, boolean stop) implements Task {}

    private final FsyncPolicy policy;
    private final long intervalNanos;
    private final long maxInFlight;
    private final Clock clock;
    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final AtomicLong inFlight = new AtomicLong();
    private final RecordCodec.Encoder encoder = new RecordCodec.Encoder(ByteBuffer.allocateDirect(BUFFER_BYTES));
    private final Thread thread;
    private final ExecutorService forcers;
    private volatile boolean closed;
    private volatile Throwable failure;

    // Committer thread only: what INTERVAL still has to force, and rolled segments awaiting it.
    private final Set<FileChannel> unforced = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Path> unsyncedDirectories = new LinkedHashSet<>();
    private final List<LogSegment> awaitingSeal = new ArrayList<>();
    private long nextForceNanos;

    GroupCommitter(FsyncPolicy policy, Duration fsyncInterval, DataSize maxInFlight, Clock clock, String name) {
        this.policy = requireNonNull(policy, "policy is null");
        this.intervalNanos = Math.max(1, fsyncInterval.toNanos());
        this.maxInFlight = maxInFlight.bytes();
        this.clock = requireNonNull(clock, "clock is null");
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
        this.forcers = Executors.newFixedThreadPool(FORCE_THREADS,
                Thread.ofPlatform().name(name + "-force-", 0).daemon(true).factory());
        this.nextForceNanos = System.nanoTime() + intervalNanos;
        thread.start();
    }

    /**
     * Queues an append, or refuses it synchronously when the bytes accepted but not yet durable
     * would pass {@code stream.max-in-flight}.
     */
    void submit(PendingAppend append) {
        checkAccepting();
        if (append.bytes > maxInFlight) {
            throw new TributaryException(ErrorCode.PAYLOAD_TOO_LARGE, String.format(
                    "append of %d bytes to stream '%s' is larger than stream.max-in-flight (%s); split it into smaller batches",
                    append.bytes, append.stream.name(), DataSize.ofBytes(maxInFlight)));
        }
        while (true) {
            long current = inFlight.get();
            if (current > 0 && current + append.bytes > maxInFlight) {
                throw new TributaryException(ErrorCode.THROTTLED, String.format(
                        "the stream log is behind the disk: %d bytes of appends are not yet durable "
                                + "(stream.max-in-flight is %s); retry with exponential backoff",
                        current, DataSize.ofBytes(maxInFlight)));
            }
            if (inFlight.compareAndSet(current, current + append.bytes)) {
                break;
            }
        }
        queue.add(append);
        // close() sets the flag before queueing its stop task: if it is set now, the append may sit
        // behind the stop task, where nothing would ever complete it.
        if (closed && queue.remove(append)) {
            inFlight.addAndGet(-append.bytes);
            throw LocalStreamLog.closedError();
        }
    }

    /** Bytes accepted but not yet durable. */
    long inFlightBytes() {
        return inFlight.get();
    }

    /**
     * Runs an action on the committer thread once every append queued before it has been written
     * and (unless the policy is NEVER) forced, and waits for it.
     */
    <T> T execute(Callable<T> action) {
        if (Thread.currentThread() == thread) {
            return call(action);
        }
        checkAccepting();
        CompletableFuture<Object> done = new CompletableFuture<>();
        Control control = new Control(action, done, false);
        queue.add(control);
        if (closed && queue.remove(control)) {
            throw LocalStreamLog.closedError();
        }
        try {
            @SuppressWarnings("unchecked")
            T result = (T) done.join();
            return result;
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw LocalStreamLog.storageFailure("change the stream log", e.getCause());
        }
    }

    private static <T> T call(Callable<T> action) {
        try {
            return action.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw LocalStreamLog.storageFailure("change the stream log", e);
        }
    }

    /** Finishes every queued append, forces what the policy still owes, and stops the thread. */
    @Override
    public void close() {
        closed = true;
        if (thread.isAlive()) {
            queue.add(new Control(() -> null, new CompletableFuture<>(), true));
        }
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        forcers.shutdown();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkAccepting() {
        Throwable cause = failure;
        if (cause != null) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE,
                    "the stream log stopped accepting appends after a disk error (" + cause
                            + "); fix the disk and restart Tributary, which recovers the log from its files",
                    cause);
        }
        if (closed) {
            throw LocalStreamLog.closedError();
        }
    }

    private void run() {
        try {
            while (true) {
                Task first = nextTask();
                if (first == null) {
                    forceIfDue();
                    continue;
                }
                if (first instanceof Control control) {
                    if (runControl(control)) {
                        break;
                    }
                    continue;
                }
                List<PendingAppend> group = new ArrayList<>();
                group.add((PendingAppend) first);
                long bytes = ((PendingAppend) first).bytes;
                while (bytes < MAX_GROUP_BYTES && queue.peek() instanceof PendingAppend next) {
                    queue.poll();
                    group.add(next);
                    bytes += next.bytes;
                }
                commit(group);
                forceIfDue();
            }
        } catch (Throwable t) {
            log.error("Stream log committer stopped unexpectedly", t);
            failure = t;
        } finally {
            closed = true;
            failRemaining();
        }
    }

    private Task nextTask() throws InterruptedException {
        if (policy == FsyncPolicy.INTERVAL && !(unforced.isEmpty() && awaitingSeal.isEmpty())) {
            long wait = nextForceNanos - System.nanoTime();
            return wait <= 0 ? queue.poll() : queue.poll(wait, TimeUnit.NANOSECONDS);
        }
        return queue.take();
    }

    /** Runs a control task; true when it is the stop task. */
    private boolean runControl(Control control) {
        try {
            if (policy != FsyncPolicy.NEVER) {
                forcePending();
            }
            control.done().complete(control.action().call());
        } catch (Throwable t) {
            control.done().completeExceptionally(t);
        }
        return control.stop();
    }

    private void commit(List<PendingAppend> group) {
        List<PendingAppend> live = new ArrayList<>(group.size());
        try {
            Throwable cause = failure;
            for (PendingAppend append : group) {
                if (cause != null) {
                    append.future.completeExceptionally(storageFailure(cause));
                } else if (append.stream.isDeleted()) {
                    append.future.completeExceptionally(StreamLimits.streamNotFound(append.stream.name()));
                } else {
                    live.add(append);
                }
            }
            if (!live.isEmpty()) {
                write(live);
            }
        } finally {
            long bytes = 0;
            for (PendingAppend append : group) {
                bytes += append.bytes;
            }
            inFlight.addAndGet(-bytes);
        }
        for (PendingAppend append : live) {
            if (!append.future.isDone()) {
                append.stream.recordAppended(append.records.size(), append.bytes);
                append.future.complete(append.results());
            }
        }
    }

    private void write(List<PendingAppend> live) {
        Map<ShardLog, List<ShardLog.Run>> runs = new LinkedHashMap<>();
        for (PendingAppend append : live) {
            ShardLayout layout = append.stream.layout();
            if (append.layout() != layout) {
                append.route(layout);
            }
            for (int run = 0; run < append.runCount(); run++) {
                runs.computeIfAbsent(append.runShard(run), shard -> new ArrayList<>())
                        .add(new ShardLog.Run(append, append.runStart(run), append.runEnd(run)));
            }
        }
        Tracker tracker = new Tracker();
        try {
            long now = clock.millis();
            for (Map.Entry<ShardLog, List<ShardLog.Run>> entry : runs.entrySet()) {
                entry.getKey().write(entry.getValue(), now, encoder, tracker);
            }
            switch (policy) {
                case ALWAYS -> {
                    forceAll(tracker.channels);
                    syncDirectories(tracker.directories);
                    seal(tracker.rolled);
                }
                case INTERVAL -> {
                    unforced.addAll(tracker.channels);
                    unsyncedDirectories.addAll(tracker.directories);
                    awaitingSeal.addAll(tracker.rolled);
                }
                case NEVER -> seal(tracker.rolled);
            }
        } catch (Throwable e) {
            // Also errors such as OutOfMemoryError: every future of the group must complete.
            failure = e;
            log.error("Writing appends failed; the stream log accepts no more appends until restarted", e);
            for (PendingAppend append : live) {
                append.future.completeExceptionally(storageFailure(e));
            }
            return;
        }
        for (ShardLog shard : runs.keySet()) {
            shard.publishTip();
        }
    }

    private void forceIfDue() {
        if (policy == FsyncPolicy.INTERVAL && System.nanoTime() - nextForceNanos >= 0) {
            forcePending();
        }
    }

    /** Forces what INTERVAL still owes and seals the segments that were waiting for it. */
    private void forcePending() {
        nextForceNanos = System.nanoTime() + intervalNanos;
        if (failure != null) {
            return;
        }
        try {
            unforced.removeIf(channel -> !channel.isOpen());
            forceAll(unforced);
            unforced.clear();
            syncDirectories(unsyncedDirectories);
            unsyncedDirectories.clear();
            seal(awaitingSeal);
            awaitingSeal.clear();
        } catch (IOException e) {
            failure = e;
            log.error("Forcing the stream log to disk failed; it accepts no more appends until restarted", e);
        }
    }

    /**
     * Forces the channels, several at a time: a group touches one file per shard, and the file
     * system completes concurrent fsyncs together (ext4 and XFS share one journal commit among
     * them), where one after another would cost a commit each.
     */
    private void forceAll(Set<FileChannel> channels) throws IOException {
        if (channels.size() <= 1) {
            for (FileChannel channel : channels) {
                channel.force(false);
            }
            return;
        }
        List<Future<?>> others = new ArrayList<>(channels.size() - 1);
        FileChannel mine = null;
        for (FileChannel channel : channels) {
            if (mine == null) {
                mine = channel;
            } else {
                others.add(forcers.submit(() -> {
                    channel.force(false);
                    return null;
                }));
            }
        }
        IOException failed = null;
        try {
            mine.force(false);
        } catch (IOException e) {
            failed = e;
        }
        for (Future<?> other : others) {
            try {
                other.get();
            } catch (ExecutionException e) {
                IOException cause = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                if (failed == null) {
                    failed = cause;
                } else {
                    failed.addSuppressed(cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while forcing segment files", e);
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private static void seal(List<LogSegment> segments) throws IOException {
        for (LogSegment segment : segments) {
            if (!segment.isDeleted()) {
                segment.seal();
            }
        }
    }

    private static void syncDirectories(Set<Path> directories) throws IOException {
        for (Path directory : directories) {
            AtomicWrite.syncDirectory(directory);
        }
    }

    private void failRemaining() {
        Task task;
        while ((task = queue.poll()) != null) {
            switch (task) {
                case PendingAppend append -> {
                    inFlight.addAndGet(-append.bytes);
                    append.future.completeExceptionally(failure != null ? storageFailure(failure) : LocalStreamLog.closedError());
                }
                case Control control -> control.done().completeExceptionally(LocalStreamLog.closedError());
            }
        }
    }

    private static TributaryException storageFailure(Throwable cause) {
        return new TributaryException(ErrorCode.STORAGE_FAILURE,
                "appending to the stream log failed (" + cause + "); fix the disk and restart Tributary, "
                        + "which recovers the log from its files; records not acknowledged may be lost",
                cause);
    }

    private static final class Tracker implements ShardLog.WriteTracker {
        final Set<FileChannel> channels = Collections.newSetFromMap(new IdentityHashMap<>());
        final List<LogSegment> rolled = new ArrayList<>();
        final Set<Path> directories = new LinkedHashSet<>();

        @Override
        public void wrote(FileChannel channel) {
            channels.add(channel);
        }

        @Override
        public void rolled(LogSegment previous, Path directory) {
            rolled.add(previous);
            directories.add(directory);
        }
    }
}
