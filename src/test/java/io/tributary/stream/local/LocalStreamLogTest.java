package io.tributary.stream.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.DataSize;
import io.tributary.common.ErrorCode;
import io.tributary.common.TestingClock;
import io.tributary.common.TributaryException;
import io.tributary.stream.AbstractStreamLogContractTest;
import io.tributary.stream.AppendRecord;
import io.tributary.stream.AppendResult;
import io.tributary.stream.FsyncPolicy;
import io.tributary.stream.ReadResult;
import io.tributary.stream.SequenceNumbers;
import io.tributary.stream.ShardIds;
import io.tributary.stream.StartPosition;
import io.tributary.stream.StoredRecord;
import io.tributary.stream.StreamDescription;
import io.tributary.stream.StreamLog;
import io.tributary.stream.StreamLogConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStreamLogTest extends AbstractStreamLogContractTest {
    @TempDir
    Path directory;

    private final TestingClock clock = new TestingClock();

    @Override
    protected StreamLog createStreamLog() {
        return open(FsyncPolicy.ALWAYS, DataSize.ofMegabytes(1));
    }

    @Override
    protected void advanceTime(Duration duration) {
        clock.advance(duration);
    }

    private LocalStreamLog open(FsyncPolicy fsync, DataSize segmentSize) {
        StreamLogConfig config = new StreamLogConfig(directory, fsync, Duration.ofMillis(50), segmentSize,
                Duration.ofHours(24), DataSize.ofBytes(0), DataSize.ofMegabytes(64));
        return new LocalStreamLog(config, clock);
    }

    private void reopen(DataSize segmentSize) throws IOException {
        log.close();
        log = open(FsyncPolicy.ALWAYS, segmentSize);
    }

    @Test
    void shardTimesAreKeptAndMetadataWithoutThemStillReads() throws IOException {
        log.createStream("orders", 2);
        java.time.Instant created = log.describeStream("orders").created();
        clock.advance(Duration.ofMinutes(5));
        log.updateShardCount("orders", 4);
        java.time.Instant resharded = created.plus(Duration.ofMinutes(5));
        reopen(DataSize.ofMegabytes(1));
        StreamDescription d = log.describeStream("orders");
        assertThat(d.shards()).filteredOn(s -> s.shard() < 2).allSatisfy(s -> {
            assertThat(s.opened()).isEqualTo(created);
            assertThat(s.closed()).hasValue(resharded);
        });
        assertThat(d.shards()).filteredOn(s -> s.shard() >= 2).allSatisfy(s -> {
            assertThat(s.opened()).isEqualTo(resharded);
            assertThat(s.closed()).isEmpty();
        });

        // stream.json as versions without shard times wrote it.
        log.close();
        Path file = directory.resolve("orders/stream.json");
        com.fasterxml.jackson.databind.node.ObjectNode root =
                (com.fasterxml.jackson.databind.node.ObjectNode) io.tributary.common.Json.mapper().readTree(file.toFile());
        root.withArray("shards").forEach(shard -> ((com.fasterxml.jackson.databind.node.ObjectNode) shard).remove(List.of("opened", "closed")));
        java.nio.file.Files.write(file, io.tributary.common.Json.mapper().writeValueAsBytes(root));
        log = open(FsyncPolicy.ALWAYS, DataSize.ofMegabytes(1));
        StreamDescription old = log.describeStream("orders");
        assertThat(old.shards()).hasSize(6).allSatisfy(s -> {
            assertThat(s.opened()).isEqualTo(created);
            assertThat(s.closed()).isEmpty();
        });
        // Unknown closing times count as open until now, so a consumer starting at any time still gets them.
        assertThat(old.shards()).allMatch(s -> s.wasOpenAt(resharded.plusSeconds(1)));
    }

    @Test
    void layoutOnDisk() throws IOException {
        log.createStream("orders", 2);
        append("orders", "k", "v");
        log.checkpoints().commit("lake", "orders", Map.of(0, 0L));

        assertThat(directory.resolve("orders/stream.json")).isRegularFile();
        assertThat(directory.resolve("orders/shardId-000000000000/00000000000000000000.log")).isRegularFile();
        assertThat(directory.resolve("orders/shardId-000000000001/00000000000000000000.log")).isRegularFile();
        assertThat(directory.resolve("orders/consumers/lake.json")).isRegularFile();
        assertThat(Files.readString(directory.resolve("orders/stream.json")))
                .contains("\"name\" : \"orders\"", "\"startingHashKey\"", "\"endingOffset\" : null");
        try (Stream<Path> leftovers = Files.walk(directory)) {
            assertThat(leftovers.map(path -> path.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(".tmp") || name.startsWith("~creating"));
        }

        log.deleteStream("orders");

        assertThat(directory.resolve("orders")).doesNotExist();
    }

    @Test
    void restartKeepsDataOffsetsShardsAndCheckpoints() throws IOException {
        log.createStream("orders", 2);
        log.createStream("clicks", 1);
        appendMany("orders", "key", 0, 50);
        log.updateShardCount("orders", 3);
        appendMany("orders", "key", 50, 50);
        appendMany("clicks", "c", 0, 10);
        log.checkpoints().commit("lake", "orders", Map.of(0, 3L, 2, 1L));
        StreamDescription before = log.describeStream("orders");
        List<List<StoredRecord>> recordsBefore = new ArrayList<>();
        for (int shard = 0; shard < 7; shard++) {
            recordsBefore.add(readAll("orders", shard));
        }
        var statsBefore = log.stats("orders");

        reopen(DataSize.ofMegabytes(1));

        assertThat(log.listStreams()).containsExactly("clicks", "orders");
        assertThat(log.describeStream("orders")).isEqualTo(before);
        assertThat(log.stats("orders")).isEqualTo(statsBefore);
        for (int shard = 0; shard < 7; shard++) {
            assertThat(readAll("orders", shard))
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(recordsBefore.get(shard));
        }
        assertThat(log.checkpoints().committed("lake", "orders")).containsExactlyInAnyOrderEntriesOf(Map.of(0, 3L, 2, 1L));
        assertThat(log.checkpoints().consumers("orders")).containsExactly("lake");
        List<AppendResult> next = appendMany("orders", "key", 100, 20);
        // 2 -> 3 shards: open are 2 and 5 (split halves) and 6 (the merge of the halves 3 and 4).
        for (AppendResult result : next) {
            assertThat(result.shard()).isIn(2, 5, 6);
        }
        AppendResult first = next.getFirst();
        long expectedOffset = recordsBefore.get(first.shard()).size();
        assertThat(first.offset()).isEqualTo(expectedOffset);
        assertThat(appendMany("clicks", "c", 10, 1).getFirst().offset()).isEqualTo(10);
    }

    @Test
    void segmentsRollAndReadsCrossThem() throws IOException {
        reopen(DataSize.ofKilobytes(4));
        log.createStream("orders", 1);
        List<AppendRecord> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(new AppendRecord("k", bytes("%0200d".formatted(i))));
        }
        log.append("orders", batch.subList(0, 50)).join();
        for (int i = 50; i < 100; i++) {
            log.append("orders", batch.subList(i, i + 1)).join();
        }

        Path shardDirectory = directory.resolve("orders").resolve(ShardIds.format(0));
        List<Path> segments = files(shardDirectory, ".log");
        assertThat(segments).hasSizeGreaterThan(5);
        for (Path segment : segments) {
            assertThat(Files.size(segment)).isLessThanOrEqualTo(4096);
        }
        assertThat(files(shardDirectory, ".summary")).hasSize(segments.size() - 1);

        List<StoredRecord> records = readAll("orders", 0);
        assertThat(records).extracting(StoredRecord::offset).containsExactlyElementsOf(range(0, 100));
        for (int offset : new int[] {0, 17, 18, 19, 63, 99}) {
            ReadResult one = log.read("orders", 0, offset, 1, 1 << 20);
            assertThat(one.records()).singleElement()
                    .satisfies(record -> assertThat(record.data()).isEqualTo(bytes("%0200d".formatted(offset))));
        }
        ReadResult across = log.read("orders", 0, 10, 60, 1 << 20);
        assertThat(across.records()).extracting(StoredRecord::offset).containsExactlyElementsOf(range(10, 70));

        reopen(DataSize.ofKilobytes(4));
        assertThat(readAll("orders", 0)).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(records);
        assertThat(appendMany("orders", "k", 0, 1).getFirst().offset()).isEqualTo(100);
    }

    @Test
    void timestampLookupAcrossSegments() throws IOException {
        reopen(DataSize.ofKilobytes(4));
        log.createStream("orders", 1);
        Instant start = clock.instant();
        for (int i = 0; i < 60; i++) {
            log.append("orders", List.of(new AppendRecord("k", new byte[300]))).join();
            clock.advance(Duration.ofSeconds(1));
        }

        for (int i : new int[] {0, 1, 13, 14, 30, 59}) {
            assertThat(log.resolve("orders", 0, new StartPosition.AtTimestamp(start.plusSeconds(i)))).isEqualTo(i);
            assertThat(log.resolve("orders", 0, new StartPosition.AtTimestamp(start.plusSeconds(i).minusMillis(500))))
                    .isEqualTo(i);
        }
        assertThat(log.resolve("orders", 0, new StartPosition.AtTimestamp(start.plusSeconds(60)))).isEqualTo(60);
    }

    @Test
    void arrivalTimesNeverGoBackwards() {
        log.createStream("orders", 1);
        append("orders", "k", "a");
        clock.set(TestingClock.DEFAULT_START.minusSeconds(3600));
        append("orders", "k", "b");

        List<StoredRecord> records = readAll("orders", 0);

        assertThat(records.get(1).arrivalTimeMillis()).isEqualTo(records.get(0).arrivalTimeMillis());
    }

    @Test
    void appendCountersAndClose() throws IOException {
        log.createStream("orders", 1);
        appendMany("orders", "k", 0, 10);

        LocalStreamLog local = (LocalStreamLog) log;
        assertThat(local.appendCounters("orders").records()).isEqualTo(10);
        assertThat(local.appendCounters("orders").bytes()).isGreaterThan(10 * RecordCodec.HEADER_SIZE);
        assertThat(local.inFlightBytes()).isZero();

        log.close();

        assertError(() -> append("orders", "k", "v"), ErrorCode.UNAVAILABLE);
        assertError(() -> log.listStreams(), ErrorCode.UNAVAILABLE);
        log.close();
    }

    @Test
    void secondInstanceOnSameDirectoryIsRefused() {
        assertError(() -> open(FsyncPolicy.ALWAYS, DataSize.ofMegabytes(1)), ErrorCode.STORAGE_FAILURE);
    }

    @Test
    void ignoresLeftoversOfUnfinishedOperations() throws IOException {
        log.createStream("orders", 1);
        log.close();
        Files.createDirectories(directory.resolve("~creating-half"));
        Files.createDirectories(directory.resolve("not-a-stream"));
        Files.createDirectories(directory.resolve("orders").resolve(ShardIds.format(5)));

        log = open(FsyncPolicy.ALWAYS, DataSize.ofMegabytes(1));

        assertThat(log.listStreams()).containsExactly("orders");
        assertThat(directory.resolve("~creating-half")).doesNotExist();
        assertThat(directory.resolve("orders").resolve(ShardIds.format(5))).doesNotExist();
        assertThat(log.updateShardCount("orders", 2).shards()).hasSize(3);
    }

    @Test
    void hostileSequenceNumbersAndShardIds() {
        String valid = SequenceNumbers.format(3, 42);
        assertThat(valid).hasSize(32);
        assertThat(SequenceNumbers.parseOffset(valid, 3)).isEqualTo(42);
        assertThat(SequenceNumbers.parseOffset(SequenceNumbers.format(Integer.MAX_VALUE, Long.MAX_VALUE), Integer.MAX_VALUE))
                .isEqualTo(Long.MAX_VALUE);
        for (String bad : List.of("", "49", "abc", "x".repeat(10_000), valid + "0", "50" + valid.substring(2),
                "49" + "\u0661".repeat(30), "49" + "0".repeat(10) + "9".repeat(20), "-" + valid.substring(1))) {
            assertError(() -> SequenceNumbers.parseOffset(bad, 3), ErrorCode.INVALID_ARGUMENT);
        }
        assertError(() -> SequenceNumbers.parseOffset(valid, 4), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> SequenceNumbers.parseOffset("499999999999" + "0".repeat(20), 3), ErrorCode.INVALID_ARGUMENT);

        assertThat(ShardIds.parse("shardId-000000000007")).isEqualTo(7);
        assertThat(ShardIds.parse("7")).isEqualTo(7);
        for (String bad : List.of("", "shardId-", "shardId-999999999999", "shardId-1a", "\u0661", "shardId-0000000000001")) {
            assertError(() -> ShardIds.parse(bad), ErrorCode.INVALID_ARGUMENT);
        }
    }

    @Test
    void tailingReaderSeesOnlyWholeAcknowledgedRecordsInOrder() throws Exception {
        reopen(DataSize.ofKilobytes(64));
        log.createStream("orders", 1);
        int appends = 300;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < appends; i++) {
                    List<AppendRecord> batch = new ArrayList<>();
                    for (int j = 0; j < 10; j++) {
                        batch.add(new AppendRecord("k", bytes("%d:%s".formatted(i * 10 + j, "x".repeat(j * 50)))));
                    }
                    log.append("orders", batch).join();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        long offset = 0;
        while (offset < appends * 10L) {
            ReadResult result = log.read("orders", 0, offset, 17, 1 << 20);
            for (StoredRecord record : result.records()) {
                assertThat(record.offset()).isEqualTo(offset);
                String[] parts = new String(record.data(), StandardCharsets.UTF_8).split(":", -1);
                assertThat(Long.parseLong(parts[0])).isEqualTo(offset);
                assertThat(parts[1]).isEqualTo("x".repeat((int) (offset % 10) * 50));
                offset++;
            }
            assertThat(result.nextOffset()).isEqualTo(offset);
            assertThat(failure.get()).isNull();
        }
        writer.join();
        assertThat(failure.get()).isNull();
    }

    @Test
    void workAttachedToAppendsMayChangeStreams() throws Exception {
        log.createStream("orders", 1);
        log.createStream("old", 1);

        StreamDescription resharded = log.append("orders", List.of(new AppendRecord("k", bytes("v"))))
                .thenApply(results -> {
                    log.createStream("clicks", 1);
                    log.deleteStream("old");
                    return log.updateShardCount("orders", 2);
                })
                .get(10, TimeUnit.SECONDS);

        assertThat(resharded.openShards()).hasSize(2);
        assertThat(log.listStreams()).containsExactly("clicks", "orders");
    }

    @Test
    void readersOfADeletedStreamGetNotFound() throws Exception {
        log.createStream("orders", 1);
        appendMany("orders", "k", 0, 200);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                while (true) {
                    log.read("orders", 0, 0, 1000, 1 << 20);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        Thread.sleep(20);

        log.deleteStream("orders");
        reader.join(10_000);

        assertThat(reader.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOfSatisfying(TributaryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void interruptedReaderDoesNotBreakTheLog() throws Exception {
        log.createStream("orders", 1);
        appendMany("orders", "k", 0, 10);

        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().unstarted(() -> {
            Thread.currentThread().interrupt();
            try {
                log.read("orders", 0, 0, 10, 1 << 20);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        reader.join();

        assertThat(failure.get()).isInstanceOfSatisfying(TributaryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
        assertThat(readAll("orders", 0)).hasSize(10);
        assertThat(appendMany("orders", "k", 10, 5).getFirst().offset()).isEqualTo(10);
        assertThat(readAll("orders", 0)).hasSize(15);
    }

    private static List<Path> files(Path directory, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
