package io.tributary.generate;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends records from a source at a steady rate, in PutRecords-sized batches, with a few batches in
 * flight at once. Stops after {@code count} records, when the source is exhausted, or when
 * {@link #stop} is called — then it waits for the batches in flight.
 *
 * <p>Thread-safe: {@link #stop} and the counters may be used from other threads while
 * {@link #run} runs.
 */
public final class StreamGenerator {
    /**
     * @param count records to send; 0 for no limit
     * @param maxBatch records per request, at most 500
     * @param concurrency requests in flight at once
     */
    public record Options(Rate rate, long count, int maxBatch, int concurrency) {
        public Options {
            requireNonNull(rate, "rate is null");
            if (count < 0 || maxBatch < 1 || maxBatch > 500 || concurrency < 1 || concurrency > 64) {
                throw new IllegalArgumentException("count >= 0, batch 1..500 and concurrency 1..64 required");
            }
        }
    }

    public record Summary(long sent, long accepted, long failed, Duration elapsed, String lastError) {
        public double recordsPerSecond() {
            return elapsed.isZero() ? 0 : accepted * 1e9 / elapsed.toNanos();
        }
    }

    private final Options options;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>("");
    private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();

    public StreamGenerator(Options options, Clock clock) {
        this.options = requireNonNull(options, "options is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public long accepted() {
        return accepted.get();
    }

    public long failed() {
        return failed.get();
    }

    public void stop() {
        running.set(false);
    }

    /**
     * Runs until done; a fatal error (server unreachable, authentication refused) stops the run and
     * is rethrown after the batches in flight finish.
     */
    public Summary run(RecordSource source, RecordSender sender) {
        long startNanos = System.nanoTime();
        double perNano = options.rate().perSecond() / 1e9;
        // Batches form every 100 ms at low rates, so records still flow steadily.
        int batchSize = (int) Math.max(1, Math.min(options.maxBatch(), Math.ceil(options.rate().perSecond() / 10)));
        Semaphore inFlight = new Semaphore(options.concurrency());
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        long produced = 0;
        try {
            while (running.get() && fatal.get() == null && (options.count() == 0 || produced < options.count())) {
                long want = Math.min(batchSize, options.count() == 0 ? batchSize : options.count() - produced);
                long due = startNanos + (long) ((produced + want) / perNano);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    sleepNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(200)));
                    if (due - System.nanoTime() > 0) {
                        continue;
                    }
                }
                List<GeneratedRecord> batch = new ArrayList<>((int) want);
                for (int i = 0; i < want; i++) {
                    Optional<GeneratedRecord> next = source.next(clock.instant());
                    if (next.isEmpty()) {
                        running.set(false);
                        break;
                    }
                    batch.add(next.get());
                }
                if (batch.isEmpty()) {
                    break;
                }
                produced += batch.size();
                inFlight.acquireUninterruptibly();
                pool.execute(() -> {
                    try {
                        RecordSender.Outcome outcome = sender.send(batch);
                        accepted.addAndGet(outcome.accepted());
                        failed.addAndGet(outcome.failed());
                        if (outcome.failed() > 0) {
                            lastError.set(outcome.lastError());
                        }
                    } catch (RuntimeException e) {
                        failed.addAndGet(batch.size());
                        lastError.set(e.getMessage());
                        fatal.compareAndSet(null, e);
                    } finally {
                        sent.addAndGet(batch.size());
                        inFlight.release();
                    }
                });
            }
        } finally {
            pool.shutdown();
            try {
                pool.awaitTermination(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (fatal.get() != null && accepted.get() == 0) {
            throw fatal.get();
        }
        return new Summary(sent.get(), accepted.get(), failed.get(), Duration.ofNanos(System.nanoTime() - startNanos), lastError.get());
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
