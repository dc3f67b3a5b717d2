package io.tributary.stream.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tributary.common.DataSize;
import io.tributary.common.TestingClock;
import io.tributary.stream.AppendRecord;
import io.tributary.stream.FsyncPolicy;
import io.tributary.stream.ReadResult;
import io.tributary.stream.ShardIds;
import io.tributary.stream.StartPosition;
import io.tributary.stream.StoredRecord;
import io.tributary.stream.StreamLogConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Damages segment files between runs, as crashes and bad disks do, and checks that the log never
 * returns a record that was not written and keeps every record before the damage.
 */
class LocalStreamLogRecoveryTest {
    private static final long SEED = Long.getLong("tributary.test.seed", 20250101L);
    private static final int ITERATIONS = 40;
    private static final String STREAM = "orders";

    @TempDir
    Path root;

    private final TestingClock clock = new TestingClock();

    enum Damage { TRUNCATE, GARBAGE, FLIP }

    @Test
    void truncatedTail() throws IOException {
        damageRandomly(Damage.TRUNCATE);
    }

    @Test
    void garbageAfterTail() throws IOException {
        damageRandomly(Damage.GARBAGE);
    }

    @Test
    void flippedBytes() throws IOException {
        damageRandomly(Damage.FLIP);
    }

    private void damageRandomly(Damage damage) throws IOException {
        Random seeds = new Random(SEED + damage.ordinal());
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            long seed = seeds.nextLong();
            try {
                damageOnce(damage, root.resolve(damage + "-" + iteration), new Random(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("%s iteration %d failed with seed %d (run with -Dtributary.test.seed=%d)"
                        .formatted(damage, iteration, seed, SEED), e);
            }
        }
    }

    private void damageOnce(Damage damage, Path directory, Random random) throws IOException {
        List<AppendRecord> written = randomRecords(random, 20 + random.nextInt(60));
        try (LocalStreamLog log = open(directory, DataSize.ofMegabytes(1))) {
            log.createStream(STREAM, 1);
            int from = 0;
            while (from < written.size()) {
                int to = Math.min(written.size(), from + 1 + random.nextInt(30));
                log.append(STREAM, written.subList(from, to)).join();
                from = to;
            }
        }
        Path segment = segment(directory, 0);
        long[] ends = recordEnds(written);
        long size = Files.size(segment);
        assertThat(size).isEqualTo(ends[ends.length - 1]);

        long firstDamagedByte = switch (damage) {
            case TRUNCATE -> {
                long at = random.nextLong(size);
                truncate(segment, at);
                yield at;
            }
            case GARBAGE -> {
                byte[] garbage = new byte[1 + random.nextInt(2000)];
                random.nextBytes(garbage);
                if (random.nextBoolean() && garbage.length >= RecordCodec.HEADER_SIZE) {
                    // A plausible header, so that the checksum has to catch it.
                    ByteBuffer.wrap(garbage)
                            .putInt(RecordCodec.MIN_LENGTH + random.nextInt(garbage.length - RecordCodec.HEADER_SIZE + 1))
                            .putInt(random.nextInt())
                            .put(RecordCodec.FORMAT_VERSION)
                            .putLong(written.size());
                }
                Files.write(segment, garbage, StandardOpenOption.APPEND);
                yield size;
            }
            case FLIP -> {
                long first = Long.MAX_VALUE;
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    long at = random.nextLong(size);
                    flip(segment, at, (byte) (1 + random.nextInt(255)));
                    first = Math.min(first, at);
                }
                yield first;
            }
        };
        int intact = 0;
        while (intact < ends.length && ends[intact] <= firstDamagedByte) {
            intact++;
        }

        try (LocalStreamLog log = open(directory, DataSize.ofMegabytes(1))) {
            List<StoredRecord> read = readAll(log, 0);
            assertThat(read).hasSize(intact);
            assertMatchesWritten(read, written);
            assertThat(Files.size(segment)).isEqualTo(intact == 0 ? 0 : ends[intact - 1]);

            long next = log.append(STREAM, List.of(new AppendRecord("after", "recovered".getBytes(UTF_8))))
                    .join().getFirst().offset();
            assertThat(next).isEqualTo(intact);
            assertThat(log.read(STREAM, 0, next, 1, 1000).records()).singleElement()
                    .satisfies(record -> assertThat(record.partitionKey()).isEqualTo("after"));
        }
    }

    @Test
    void logsTruncationWithFileAndByteOffset() throws IOException {
        List<AppendRecord> written = randomRecords(new Random(SEED), 10);
        try (LocalStreamLog log = open(root, DataSize.ofMegabytes(1))) {
            log.createStream(STREAM, 1);
            log.append(STREAM, written).join();
        }
        Path segment = segment(root, 0);
        long[] ends = recordEnds(written);
        truncate(segment, ends[6] + 5);

        ListAppender<ILoggingEvent> appender = captureLogs(SegmentScan.class);
        try (LocalStreamLog log = open(root, DataSize.ofMegabytes(1))) {
            assertThat(readAll(log, 0)).hasSize(7);
        } finally {
            ((Logger) LoggerFactory.getLogger(SegmentScan.class)).detachAppender(appender);
        }

        assertThat(appender.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage())
                    .contains(segment.toString(), "at byte " + ends[6], "dropping 5 bytes", "offset 7");
        });
    }

    @Test
    void damageInClosedSegmentWithoutSidecarIsCutThere() throws IOException {
        List<AppendRecord> written = randomRecords(new Random(SEED), 120);
        writeInSmallSegments(written);
        List<Path> segments = segments(root, 0);
        assertThat(segments).hasSizeGreaterThan(4);
        Path damaged = segments.get(2);
        long base = baseOffset(damaged);
        long nextBase = baseOffset(segments.get(3));
        Files.delete(LogSegment.summaryPath(damaged));
        long[] ends = recordEnds(written.subList((int) base, (int) nextBase));
        // Damage the third record of the segment.
        flip(damaged, ends[1] + 10, (byte) 0x5A);

        try (LocalStreamLog log = open(root, DataSize.ofKilobytes(4))) {
            List<StoredRecord> read = readAll(log, 0);
            assertMatchesWritten(read, written);
            assertThat(read).extracting(StoredRecord::offset)
                    .doesNotContain(base + 2)
                    .contains(base + 1, nextBase, (long) written.size() - 1);
            assertThat(read).hasSize(written.size() - (int) (nextBase - base - 2));
        }
        assertThat(Files.size(damaged)).isEqualTo(ends[1]);
        assertThat(SegmentSummary.read(LogSegment.summaryPath(damaged))).hasValueSatisfying(summary -> {
            assertThat(summary.recordCount()).isEqualTo(2);
            assertThat(summary.sizeBytes()).isEqualTo(ends[1]);
        });
    }

    @Test
    void damageInClosedSegmentWithSidecarIsNeverReturned() throws IOException {
        List<AppendRecord> written = randomRecords(new Random(SEED + 1), 120);
        writeInSmallSegments(written);
        List<Path> segments = segments(root, 0);
        Path damaged = segments.get(1);
        long base = baseOffset(damaged);
        long[] ends = recordEnds(written.subList((int) base, (int) baseOffset(segments.get(2))));
        flip(damaged, ends[2] + 30, (byte) 0x01);

        try (LocalStreamLog log = open(root, DataSize.ofKilobytes(4))) {
            List<StoredRecord> read = readAll(log, 0);
            assertMatchesWritten(read, written);
            assertThat(read).extracting(StoredRecord::offset).contains(base + 2).doesNotContain(base + 3);
            // A read starting inside the lost range continues at the next segment.
            ReadResult inside = log.read(STREAM, 0, base + 4, 1, 100_000);
            assertThat(inside.records()).singleElement()
                    .satisfies(record -> assertThat(record.offset()).isEqualTo(baseOffset(segments.get(2))));
        }
        // The damaged segment lost its sidecar, so the next start scans and truncates it.
        assertThat(LogSegment.summaryPath(damaged)).doesNotExist();
        try (LocalStreamLog log = open(root, DataSize.ofKilobytes(4))) {
            assertMatchesWritten(readAll(log, 0), written);
        }
        assertThat(Files.size(damaged)).isEqualTo(ends[2]);
    }

    @Test
    void missingOrDamagedSidecarsAreRebuilt() throws IOException {
        List<AppendRecord> written = randomRecords(new Random(SEED + 2), 100);
        writeInSmallSegments(written);
        List<Path> segments = segments(root, 0);
        List<byte[]> sidecars = new ArrayList<>();
        for (Path segment : segments.subList(0, segments.size() - 1)) {
            sidecars.add(Files.readAllBytes(LogSegment.summaryPath(segment)));
        }
        Files.delete(LogSegment.summaryPath(segments.get(0)));
        Files.write(LogSegment.summaryPath(segments.get(1)), new byte[] {1, 2, 3});
        byte[] wrongSize = sidecars.get(2).clone();
        wrongSize[wrongSize.length - 10] ^= 1;
        Files.write(LogSegment.summaryPath(segments.get(2)), wrongSize);

        try (LocalStreamLog log = open(root, DataSize.ofKilobytes(4))) {
            List<StoredRecord> read = readAll(log, 0);
            assertThat(read).hasSize(written.size());
            assertMatchesWritten(read, written);
        }
        for (int i = 0; i < sidecars.size(); i++) {
            assertThat(Files.readAllBytes(LogSegment.summaryPath(segments.get(i)))).as("sidecar %d", i)
                    .isEqualTo(sidecars.get(i));
        }
    }

    @Test
    void emptyActiveSegmentAfterRollIsFine() throws IOException {
        List<AppendRecord> written = randomRecords(new Random(SEED + 3), 60);
        writeInSmallSegments(written);
        List<Path> segments = segments(root, 0);
        Path last = segments.getLast();
        // A crash right after a roll leaves an empty new segment and no sidecar for the previous one.
        Path previous = segments.get(segments.size() - 2);
        Files.delete(LogSegment.summaryPath(previous));
        Files.createFile(LogSegment.fileName(last.getParent(), written.size()));
        truncate(last, Files.size(last));

        try (LocalStreamLog log = open(root, DataSize.ofKilobytes(4))) {
            assertMatchesWritten(readAll(log, 0), written);
            assertThat(readAll(log, 0)).hasSize(written.size());
            assertThat(log.append(STREAM, List.of(new AppendRecord("k", new byte[10]))).join().getFirst().offset())
                    .isEqualTo(written.size());
        }
        assertThat(LogSegment.summaryPath(previous)).exists();
    }

    private void writeInSmallSegments(List<AppendRecord> records) throws IOException {
        try (LocalStreamLog log = open(root, DataSize.ofKilobytes(4))) {
            log.createStream(STREAM, 1);
            for (int i = 0; i < records.size(); i += 10) {
                log.append(STREAM, records.subList(i, Math.min(records.size(), i + 10))).join();
            }
        }
    }

    private LocalStreamLog open(Path directory, DataSize segmentSize) {
        return new LocalStreamLog(new StreamLogConfig(directory, FsyncPolicy.NEVER, Duration.ofSeconds(1),
                segmentSize, Duration.ofDays(1), DataSize.ofBytes(0), DataSize.ofMegabytes(16)), clock);
    }

    private static List<AppendRecord> randomRecords(Random random, int count) {
        List<AppendRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] data = new byte[random.nextInt(300)];
            random.nextBytes(data);
            records.add(new AppendRecord("key-" + random.nextInt(1_000_000), data));
        }
        return records;
    }

    /** File positions where each record ends, for records written back to back from position 0. */
    private static long[] recordEnds(List<AppendRecord> records) {
        long[] ends = new long[records.size()];
        long position = 0;
        for (int i = 0; i < records.size(); i++) {
            AppendRecord record = records.get(i);
            position += RecordCodec.encodedSize(record.partitionKey().getBytes(UTF_8).length, record.data().length);
            ends[i] = position;
        }
        return ends;
    }

    private static void assertMatchesWritten(List<StoredRecord> read, List<AppendRecord> written) {
        long previous = -1;
        for (StoredRecord record : read) {
            assertThat(record.offset()).isGreaterThan(previous).isLessThan(written.size());
            AppendRecord original = written.get((int) record.offset());
            assertThat(record.partitionKey()).as("key at %d", record.offset()).isEqualTo(original.partitionKey());
            assertThat(record.data()).as("data at %d", record.offset()).isEqualTo(original.data());
            previous = record.offset();
        }
        if (!read.isEmpty()) {
            assertThat(read.getFirst().offset()).isZero();
        }
    }

    private static List<StoredRecord> readAll(LocalStreamLog log, int shard) {
        List<StoredRecord> records = new ArrayList<>();
        long offset = log.resolve(STREAM, shard, StartPosition.trimHorizon());
        while (true) {
            ReadResult result = log.read(STREAM, shard, offset, 13, 1 << 20);
            records.addAll(result.records());
            if (result.nextOffset() == offset) {
                return records;
            }
            offset = result.nextOffset();
        }
    }

    private static Path segment(Path directory, long baseOffset) {
        return LogSegment.fileName(directory.resolve(STREAM).resolve(ShardIds.format(0)), baseOffset);
    }

    private static List<Path> segments(Path directory, int shard) throws IOException {
        try (Stream<Path> files = Files.list(directory.resolve(STREAM).resolve(ShardIds.format(shard)))) {
            return files.filter(file -> file.toString().endsWith(LogSegment.SUFFIX)).sorted().toList();
        }
    }

    private static long baseOffset(Path segment) {
        return Long.parseLong(segment.getFileName().toString().substring(0, 20));
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    private static void flip(Path file, long position, byte mask) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.flip();
            byte value = (byte) (one.get(0) ^ mask);
            channel.write(ByteBuffer.wrap(new byte[] {value}), position);
        }
    }

    private static ListAppender<ILoggingEvent> captureLogs(Class<?> type) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(type)).addAppender(appender);
        return appender;
    }
}
