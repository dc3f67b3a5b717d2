package io.tributary.stream.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.DataSize;
import io.tributary.common.TestingClock;
import io.tributary.stream.AppendRecord;
import io.tributary.stream.FsyncPolicy;
import io.tributary.stream.ReadResult;
import io.tributary.stream.ShardIds;
import io.tributary.stream.ShardStats;
import io.tributary.stream.StartPosition;
import io.tributary.stream.StoredRecord;
import io.tributary.stream.StreamLogConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStreamLogRetentionTest {
    private static final String STREAM = "orders";
    private static final Duration RETENTION = Duration.ofHours(1);

    @TempDir
    Path directory;

    private final TestingClock clock = new TestingClock();

    @Test
    void deletesSegmentsOlderThanRetentionButNeverTheActiveOne() throws IOException {
        try (LocalStreamLog log = open(DataSize.ofBytes(0))) {
            log.createStream(STREAM, 1);
            // Three records fit in a 4 KB segment, one record a minute: segment k holds minutes 3k..3k+2.
            for (int minute = 0; minute < 120; minute++) {
                if (minute == 61) {
                    assertThat(log.enforceRetention()).as("segment 0 still has a record from minute 2").isZero();
                }
                assertThat(append(log, minute)).isEqualTo(minute);
                clock.advance(Duration.ofMinutes(1));
            }
            int segmentsBefore = segments().size();
            assertThat(segmentsBefore).isEqualTo(40);

            // At minute 120 records before minute 60 are older than the hour: segments 0 to 19 go.
            assertThat(log.enforceRetention()).isEqualTo(20);

            assertThat(segments()).hasSize(20);
            assertThat(baseOffset(segments().getFirst())).isEqualTo(60);
            assertThat(log.resolve(STREAM, 0, StartPosition.trimHorizon())).isEqualTo(60);
            assertThat(log.stats(STREAM).getFirst().startOffset()).isEqualTo(60);
            // Reads and positions at expired offsets land on the oldest retained record.
            assertThat(log.read(STREAM, 0, 0, 1, 1 << 20).records()).singleElement()
                    .satisfies(record -> assertThat(record.offset()).isEqualTo(60));
            assertThat(log.read(STREAM, 0, 59, 1, 1 << 20).records()).singleElement()
                    .satisfies(record -> assertThat(record.offset()).isEqualTo(60));
            assertThat(log.resolve(STREAM, 0, new StartPosition.AtOffset(0))).isEqualTo(60);
            assertThat(log.resolve(STREAM, 0, new StartPosition.AfterOffset(0))).isEqualTo(60);
            assertThat(log.resolve(STREAM, 0, new StartPosition.AtTimestamp(TestingClock.DEFAULT_START))).isEqualTo(60);

            clock.advance(Duration.ofDays(30));
            assertThat(log.enforceRetention()).isEqualTo(19);

            assertThat(segments()).hasSize(1);
            ShardStats stats = log.stats(STREAM).getFirst();
            assertThat(stats.startOffset()).isEqualTo(117);
            assertThat(stats.endOffset()).isEqualTo(120);
            assertThat(log.read(STREAM, 0, 0, 1000, 1 << 20).records())
                    .extracting(StoredRecord::offset).containsExactly(117L, 118L, 119L);
            assertThat(append(log, 120)).isEqualTo(120);
        }
    }

    @Test
    void aStreamsOwnRetentionReplacesTheConfiguredOneAndSurvivesARestart() throws IOException {
        try (LocalStreamLog log = open(DataSize.ofBytes(0))) {
            log.createStream(STREAM, 1);
            assertThat(log.updateRetention(STREAM, Duration.ofHours(3)).retention()).isEqualTo(Duration.ofHours(3));
            for (int minute = 0; minute < 240; minute++) {
                append(log, minute);
                clock.advance(Duration.ofMinutes(1));
            }
            // At minute 240 a one-hour retention would delete up to minute 180; the stream's three hours keep minute 60 on.
            log.enforceRetention();
            assertThat(log.stats(STREAM).getFirst().startOffset()).isEqualTo(60);
        }
        try (LocalStreamLog log = open(DataSize.ofBytes(0))) {
            assertThat(log.describeStream(STREAM).retention()).isEqualTo(Duration.ofHours(3));
            log.updateTags(STREAM, java.util.Map.of("team", "data", "env", "test"), java.util.Set.of());
            log.updateTags(STREAM, java.util.Map.of("env", "prod"), java.util.Set.of("team"));
        }
        try (LocalStreamLog log = open(DataSize.ofBytes(0))) {
            assertThat(log.describeStream(STREAM).tags()).containsExactly(java.util.Map.entry("env", "prod"));
            log.updateRetention(STREAM, Duration.ofMinutes(30));
            log.enforceRetention();
            assertThat(log.stats(STREAM).getFirst().startOffset()).as("shortened: only the last half hour stays").isEqualTo(210);
        }
    }

    @Test
    void deletesOldestSegmentsBeyondRetentionSize() throws IOException {
        DataSize bound = DataSize.ofKilobytes(10);
        try (LocalStreamLog log = open(bound)) {
            log.createStream(STREAM, 1);
            for (int i = 0; i < 60; i++) {
                append(log, i);
            }
            long sizeBefore = log.stats(STREAM).getFirst().sizeBytes();
            assertThat(sizeBefore).isGreaterThan(bound.bytes());

            int deleted = log.enforceRetention();

            assertThat(deleted).isPositive();
            long size = log.stats(STREAM).getFirst().sizeBytes();
            assertThat(size).isLessThanOrEqualTo(bound.bytes());
            // No more than needed: one more segment would pass the bound.
            assertThat(size + 4096).isGreaterThan(bound.bytes());
            assertThat(segments().stream().mapToLong(LocalStreamLogRetentionTest::sizeOf).sum()).isEqualTo(size);
            assertThat(log.resolve(STREAM, 0, StartPosition.trimHorizon())).isPositive();
            assertThat(log.enforceRetention()).isZero();
        }
    }

    @Test
    void expiredClosedShardEndsEmpty() {
        try (LocalStreamLog log = open(DataSize.ofBytes(0))) {
            log.createStream(STREAM, 1);
            for (int i = 0; i < 10; i++) {
                append(log, i);
            }
            log.updateShardCount(STREAM, 2);
            clock.advance(Duration.ofDays(2));

            log.enforceRetention();

            assertThat(log.resolve(STREAM, 0, StartPosition.trimHorizon())).isEqualTo(10);
            ReadResult result = log.read(STREAM, 0, 0, 100, 1 << 20);
            assertThat(result.records()).isEmpty();
            assertThat(result.nextOffset()).isEqualTo(10);
            assertThat(result.shardEnded()).isTrue();
            assertThat(log.stats(STREAM).getFirst().sizeBytes()).isZero();
        }
        try (LocalStreamLog log = open(DataSize.ofBytes(0))) {
            assertThat(log.read(STREAM, 0, 0, 100, 1 << 20).shardEnded()).isTrue();
            assertThat(log.resolve(STREAM, 0, StartPosition.latest())).isEqualTo(10);
        }
    }

    @Test
    void readsRaceRetentionSafely() throws Exception {
        try (LocalStreamLog log = open(DataSize.ofBytes(0))) {
            log.createStream(STREAM, 1);
            for (int i = 0; i < 100; i++) {
                append(log, i);
                clock.advance(Duration.ofSeconds(30));
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    readRepeatedly(log);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            for (int step = 0; step < 100; step++) {
                clock.advance(Duration.ofMinutes(2));
                log.enforceRetention();
            }
            reader.join();
            assertThat(failure.get()).isNull();
            assertThat(segments()).hasSize(1);
        }
    }

    private static void readRepeatedly(LocalStreamLog log) {
        for (int round = 0; round < 200; round++) {
            long offset = 0;
            while (true) {
                ReadResult result = log.read(STREAM, 0, offset, 7, 1 << 20);
                for (StoredRecord record : result.records()) {
                    assertThat(record.data()[0]).isEqualTo((byte) record.offset());
                }
                if (result.nextOffset() == offset) {
                    break;
                }
                offset = result.nextOffset();
            }
        }
    }

    private long append(LocalStreamLog log, int i) {
        byte[] data = new byte[1200];
        data[0] = (byte) i;
        return log.append(STREAM, List.of(new AppendRecord("k", data))).join().getFirst().offset();
    }

    private List<Path> segments() {
        try (Stream<Path> files = Files.list(directory.resolve(STREAM).resolve(ShardIds.format(0)))) {
            return files.filter(file -> file.toString().endsWith(LogSegment.SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long baseOffset(Path segment) {
        return Long.parseLong(segment.getFileName().toString().substring(0, 20));
    }

    private LocalStreamLog open(DataSize retentionSize) {
        return new LocalStreamLog(new StreamLogConfig(directory, FsyncPolicy.NEVER, Duration.ofSeconds(1),
                DataSize.ofKilobytes(4), RETENTION, retentionSize, DataSize.ofMegabytes(16)), clock);
    }
}
