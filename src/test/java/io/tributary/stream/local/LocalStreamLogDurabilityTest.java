package io.tributary.stream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.common.DataSize;
import io.tributary.common.ErrorCode;
import io.tributary.common.TestingClock;
import io.tributary.common.TributaryException;
import io.tributary.stream.AppendRecord;
import io.tributary.stream.AppendResult;
import io.tributary.stream.FsyncPolicy;
import io.tributary.stream.ReadResult;
import io.tributary.stream.StreamLogConfig;
import io.tributary.stream.local.RecordingChannels.Ack;
import io.tributary.stream.local.RecordingChannels.Force;
import io.tributary.stream.local.RecordingChannels.Write;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks group commit against the fsync policies through a channel seam that records every call. */
class LocalStreamLogDurabilityTest {
    private static final String STREAM = "orders";
    private static final int THREADS = 4;
    private static final int APPENDS_PER_THREAD = 40;
    private static final int RECORDS_PER_APPEND = 25;

    @TempDir
    Path directory;

    private final TestingClock clock = new TestingClock();
    private final RecordingChannels channels = new RecordingChannels();

    @Test
    void alwaysForcesEveryChannelAnAppendWroteBeforeAcknowledgingIt() throws Exception {
        try (LocalStreamLog log = open(FsyncPolicy.ALWAYS, DataSize.ofKilobytes(16), DataSize.ofMegabytes(64))) {
            log.createStream(STREAM, 4);
            runAppenders(log);

            List<Ack> acks = channels.events(Ack.class);
            List<Force> forces = channels.events(Force.class);
            assertThat(acks).hasSize(THREADS * APPENDS_PER_THREAD);
            Map<String, Write> writeOf = new HashMap<>();
            for (Write write : channels.events(Write.class)) {
                for (long offset : write.offsets()) {
                    assertThat(writeOf.put(write.shard() + "/" + offset, write)).as("written once").isNull();
                }
            }
            for (Ack ack : acks) {
                for (AppendResult result : ack.results()) {
                    Write write = writeOf.get(result.shard() + "/" + result.offset());
                    assertThat(write).as("write of %s", result).isNotNull();
                    assertThat(write.sequence()).isLessThan(ack.sequence());
                    assertThat(forces).as("force of %s after its write and before its ack", result)
                            .anyMatch(force -> force.channel() == write.channel()
                                    && force.sequence() > write.sequence()
                                    && force.sequence() < ack.sequence());
                }
            }
            // Group commit: concurrent appends share forces.
            assertThat(forces.size()).isLessThan(acks.size());
            assertThat(channels.events(Write.class).stream().map(Write::path).distinct().count())
                    .as("segments rolled").isGreaterThan(4);
        }
    }

    @Test
    void neverDoesNotForce() throws Exception {
        try (LocalStreamLog log = open(FsyncPolicy.NEVER, DataSize.ofKilobytes(16), DataSize.ofMegabytes(64))) {
            log.createStream(STREAM, 4);
            runAppenders(log);

            assertThat(channels.events(Ack.class)).hasSize(THREADS * APPENDS_PER_THREAD);
            assertThat(channels.events(Force.class)).isEmpty();
        }
        assertThat(channels.events(Force.class)).isEmpty();
    }

    @Test
    void intervalForcesWrittenChannelsSoonAfter() throws Exception {
        try (LocalStreamLog log = open(FsyncPolicy.INTERVAL, DataSize.ofKilobytes(16), DataSize.ofMegabytes(64))) {
            log.createStream(STREAM, 2);
            runAppenders(log);
            List<Write> writes = channels.events(Write.class);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!allForcedAfterLastWrite(writes) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(allForcedAfterLastWrite(writes)).isTrue();
        }
    }

    private boolean allForcedAfterLastWrite(List<Write> writes) {
        List<Force> forces = channels.events(Force.class);
        return writes.stream().allMatch(write -> forces.stream()
                .anyMatch(force -> force.channel() == write.channel() && force.sequence() > write.sequence()));
    }

    @Test
    void throttlesWhenDiskFallsBehindAndKeepsWhatItAccepted() throws Exception {
        try (LocalStreamLog log = open(FsyncPolicy.ALWAYS, DataSize.ofMegabytes(1), DataSize.ofMegabytes(1))) {
            log.createStream(STREAM, 2);
            channels.closeGate();
            List<AppendRecord> batch = batch(new Random(1), 50, 2000);
            List<CompletableFuture<List<AppendResult>>> accepted = new ArrayList<>();
            TributaryException throttled = null;
            for (int i = 0; i < 30 && throttled == null; i++) {
                try {
                    accepted.add(log.append(STREAM, batch));
                } catch (TributaryException e) {
                    throttled = e;
                }
            }

            assertThat(throttled).isNotNull();
            assertThat(throttled.code()).isEqualTo(ErrorCode.THROTTLED);
            assertThat(throttled.getMessage()).contains("behind the disk", "retry", "backoff");
            assertThat(accepted).hasSizeBetween(5, 11).noneMatch(CompletableFuture::isDone);
            // Written but not yet forced: readers must not see it.
            Thread.sleep(50);
            assertThat(log.read(STREAM, 0, 0, 1000, 1 << 24).records()).isEmpty();
            assertThat(log.stats(STREAM)).allSatisfy(stats -> assertThat(stats.endOffset()).isZero());

            channels.openGate();
            for (CompletableFuture<List<AppendResult>> future : accepted) {
                future.get(30, TimeUnit.SECONDS);
            }

            assertThat(log.inFlightBytes()).isZero();
            int total = 0;
            for (int shard = 0; shard < 2; shard++) {
                long offset = 0;
                while (true) {
                    ReadResult result = log.read(STREAM, shard, offset, 10_000, 1 << 24);
                    for (var record : result.records()) {
                        AppendRecord original = batch.get(total % batch.size());
                        assertThat(record.data()).hasSize(original.data().length);
                        total++;
                    }
                    if (result.nextOffset() == offset) {
                        break;
                    }
                    offset = result.nextOffset();
                }
            }
            assertThat(total).isEqualTo(accepted.size() * batch.size());
            log.append(STREAM, batch).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void closeCompletesAcceptedAppends() throws Exception {
        List<CompletableFuture<List<AppendResult>>> accepted = new ArrayList<>();
        LocalStreamLog log = open(FsyncPolicy.ALWAYS, DataSize.ofMegabytes(1), DataSize.ofMegabytes(8));
        log.createStream(STREAM, 1);
        channels.closeGate();
        List<AppendRecord> batch = batch(new Random(2), 10, 100);
        for (int i = 0; i < 5; i++) {
            accepted.add(log.append(STREAM, batch));
        }
        ExecutorService closer = Executors.newSingleThreadExecutor();
        try {
            Future<?> closing = closer.submit(log::close);
            Thread.sleep(50);
            assertThat(closing).isNotDone();
            channels.openGate();
            closing.get(30, TimeUnit.SECONDS);
        } finally {
            closer.shutdownNow();
        }

        for (CompletableFuture<List<AppendResult>> future : accepted) {
            assertThat(future).isCompleted();
            assertThat(future.join()).hasSize(10);
        }
        assertThatThrownBy(() -> log.append(STREAM, batch))
                .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.getMessage()).contains("closed"));
        try (LocalStreamLog reopened = open(FsyncPolicy.ALWAYS, DataSize.ofMegabytes(1), DataSize.ofMegabytes(8))) {
            assertThat(reopened.read(STREAM, 0, 0, 1000, 1 << 20).records()).hasSize(50);
        }
    }

    private void runAppenders(LocalStreamLog log) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Random random = new Random(t);
                threads.add(executor.submit(() -> {
                    List<CompletableFuture<List<AppendResult>>> pending = new ArrayList<>();
                    for (int i = 0; i < APPENDS_PER_THREAD; i++) {
                        pending.add(log.append(STREAM, batch(random, RECORDS_PER_APPEND, 100))
                                .whenComplete((results, failure) -> {
                                    if (results != null) {
                                        channels.ack(results);
                                    }
                                }));
                        if (i % 8 == 7) {
                            pending.forEach(CompletableFuture::join);
                        }
                    }
                    pending.forEach(CompletableFuture::join);
                    return null;
                }));
            }
            for (Future<?> thread : threads) {
                thread.get(60, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static List<AppendRecord> batch(Random random, int records, int size) {
        List<AppendRecord> batch = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            batch.add(new AppendRecord("key-" + random.nextInt(), data));
        }
        return batch;
    }

    private LocalStreamLog open(FsyncPolicy fsync, DataSize segmentSize, DataSize maxInFlight) {
        return new LocalStreamLog(new StreamLogConfig(directory, fsync, Duration.ofMillis(20), segmentSize,
                Duration.ofDays(1), DataSize.ofBytes(0), maxInFlight), clock, channels);
    }
}
