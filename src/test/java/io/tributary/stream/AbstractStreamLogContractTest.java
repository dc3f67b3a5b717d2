package io.tributary.stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link StreamLog} shares. Subclasses create the log under test; one that
 * differs overrides the test in question and says why.
 */
public abstract class AbstractStreamLogContractTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    protected StreamLog log;

    /** A new, empty log; closed after each test. */
    protected abstract StreamLog createStreamLog() throws Exception;

    /** Moves the time the log stamps on arrivals forward; real-time logs sleep. */
    protected void advanceTime(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    @BeforeEach
    final void createLog() throws Exception {
        log = createStreamLog();
    }

    @AfterEach
    final void closeLog() throws Exception {
        if (log != null) {
            log.close();
        }
    }

    // ---- streams ----

    @Test
    void createListDescribeDelete() {
        StreamDescription created = log.createStream("orders", 3);
        log.createStream("clicks", 1);

        assertThat(created.name()).isEqualTo("orders");
        assertThat(created.status()).isEqualTo(StreamDescription.StreamStatus.ACTIVE);
        assertThat(created.shards()).extracting(ShardDescription::shard).containsExactly(0, 1, 2);
        assertThat(created.shards()).extracting(ShardDescription::hashKeyRange).isEqualTo(HashKeyRange.uniform(3));
        assertThat(created.shards()).allSatisfy(shard -> {
            assertThat(shard.isOpen()).isTrue();
            assertThat(shard.parent()).isEmpty();
            assertThat(shard.adjacentParent()).isEmpty();
            assertThat(shard.startingOffset()).isZero();
        });
        assertThat(log.listStreams()).containsExactly("clicks", "orders");
        assertThat(log.describeStream("orders")).isEqualTo(created);
        assertThat(log.findStream("missing")).isEmpty();
        assertError(() -> log.describeStream("missing"), ErrorCode.NOT_FOUND);

        log.deleteStream("orders");

        assertThat(log.listStreams()).containsExactly("clicks");
        assertThat(log.findStream("orders")).isEmpty();
        assertError(() -> log.deleteStream("orders"), ErrorCode.NOT_FOUND);
        assertError(() -> append("orders", "k", "v"), ErrorCode.NOT_FOUND);
    }

    @Test
    void recreatedStreamStartsEmpty() {
        log.createStream("orders", 1);
        append("orders", "k", "old");
        log.checkpoints().commit("lake", "orders", Map.of(0, 1L));
        log.deleteStream("orders");

        log.createStream("orders", 1);

        assertThat(append("orders", "k", "new").getFirst().offset()).isZero();
        assertThat(readAll("orders", 0)).extracting(StoredRecord::data).containsExactly(bytes("new"));
        assertThat(log.checkpoints().committed("lake", "orders")).isEmpty();
    }

    @Test
    void createExistingStreamFails() {
        log.createStream("orders", 1);

        assertError(() -> log.createStream("orders", 2), ErrorCode.ALREADY_EXISTS);
        assertThat(log.describeStream("orders").shards()).hasSize(1);
    }

    @Test
    void rejectsInvalidNamesAndCounts() {
        for (String name : List.of("", "a/b", "..", ".", "with space", "x".repeat(129), "caf\u00e9", "a\\b")) {
            assertError(() -> log.createStream(name, 1), ErrorCode.INVALID_ARGUMENT);
        }
        assertError(() -> log.createStream("orders", 0), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> log.createStream("orders", StreamLimits.MAX_SHARDS_PER_STREAM + 1), ErrorCode.INVALID_ARGUMENT);
        assertThat(log.listStreams()).isEmpty();
        assertThat(log.createStream("a-Z_0.9", 1).name()).isEqualTo("a-Z_0.9");
    }

    // ---- appends ----

    @Test
    void routesByMd5OfPartitionKey() {
        StreamDescription stream = log.createStream("orders", 4);
        List<AppendRecord> records = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            records.add(new AppendRecord("key-" + i, bytes("v" + i)));
        }

        List<AppendResult> results = log.append("orders", records).join();

        assertThat(results).hasSize(200);
        for (int i = 0; i < records.size(); i++) {
            assertThat(results.get(i).shard()).as("shard of key-%d", i).isEqualTo(expectedShard(stream, md5("key-" + i)));
        }
        assertThat(results).extracting(AppendResult::shard).contains(0, 1, 2, 3);
    }

    @Test
    void explicitHashKeyOverridesPartitionKey() {
        StreamDescription stream = log.createStream("orders", 4);
        BigInteger thirdShardStart = stream.shards().get(2).hashKeyRange().startingHashKey();
        String key = "same-key";

        List<AppendResult> results = log.append("orders", List.of(
                new AppendRecord(key, Optional.of(thirdShardStart), bytes("a")),
                new AppendRecord(key, Optional.of(thirdShardStart.subtract(BigInteger.ONE)), bytes("b")),
                new AppendRecord(key, Optional.of(HashKeyRange.MAX_HASH_KEY), bytes("c")),
                new AppendRecord(key, Optional.of(BigInteger.ZERO), bytes("d")))).join();

        assertThat(results).extracting(AppendResult::shard).containsExactly(2, 1, 3, 0);
    }

    @Test
    void keepsOrderWithinShardAndBatch() {
        log.createStream("orders", 2);
        List<AppendRecord> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(new AppendRecord("k" + (i % 5), bytes("r" + i)));
        }
        List<AppendResult> first = log.append("orders", batch).join();
        List<AppendResult> second = log.append("orders", batch).join();

        Map<Integer, List<String>> expected = new HashMap<>();
        List<AppendResult> all = new ArrayList<>(first);
        all.addAll(second);
        for (int i = 0; i < all.size(); i++) {
            expected.computeIfAbsent(all.get(i).shard(), shard -> new ArrayList<>()).add("r" + (i % 50));
        }
        for (int shard = 0; shard < 2; shard++) {
            List<StoredRecord> records = readAll("orders", shard);
            assertThat(records).extracting(StoredRecord::offset)
                    .containsExactlyElementsOf(range(0, records.size()));
            assertThat(records).extracting(record -> new String(record.data(), UTF_8))
                    .containsExactlyElementsOf(expected.getOrDefault(shard, List.of()));
        }
    }

    @Test
    void concurrentAppendersKeepTheirOrderPerShard() throws Exception {
        log.createStream("orders", 3);
        int threads = 4;
        int appendsPerThread = 30;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(executor.submit(() -> {
                    for (int i = 0; i < appendsPerThread; i++) {
                        List<AppendRecord> batch = new ArrayList<>();
                        for (int j = 0; j < 10; j++) {
                            batch.add(new AppendRecord("t" + thread + "-" + j, bytes(thread + ":" + i + ":" + j)));
                        }
                        log.append("orders", batch).join();
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }

        int total = 0;
        for (int shard = 0; shard < 3; shard++) {
            List<StoredRecord> records = readAll("orders", shard);
            total += records.size();
            assertThat(records).extracting(StoredRecord::offset).containsExactlyElementsOf(range(0, records.size()));
            // Each thread waited for every append, so its records in a shard are in its order.
            Map<String, Integer> lastIndex = new HashMap<>();
            long lastArrival = Long.MIN_VALUE;
            for (StoredRecord record : records) {
                String[] parts = new String(record.data(), UTF_8).split(":");
                int index = Integer.parseInt(parts[1]) * 10 + Integer.parseInt(parts[2]);
                Integer previous = lastIndex.put(parts[0], index);
                assertThat(previous == null || previous < index).as("order of thread %s", parts[0]).isTrue();
                assertThat(record.arrivalTimeMillis()).isGreaterThanOrEqualTo(lastArrival);
                lastArrival = record.arrivalTimeMillis();
            }
        }
        assertThat(total).isEqualTo(threads * appendsPerThread * 10);
    }

    @Test
    void invalidRecordFailsWholeBatch() {
        log.createStream("orders", 1);

        assertError(() -> log.append("orders", List.of(
                        new AppendRecord("ok", bytes("fine")),
                        new AppendRecord("", bytes("no key")))),
                ErrorCode.INVALID_ARGUMENT);
        assertError(() -> log.append("orders", List.of(
                        new AppendRecord("ok", bytes("fine")),
                        new AppendRecord("k".repeat(257), bytes("long key")))),
                ErrorCode.INVALID_ARGUMENT);
        assertError(() -> log.append("orders", List.of(
                        new AppendRecord("ok", bytes("fine")),
                        new AppendRecord("big", new byte[StreamLimits.MAX_RECORD_BYTES]))),
                ErrorCode.PAYLOAD_TOO_LARGE);

        assertThat(log.resolve("orders", 0, StartPosition.latest())).isZero();
        assertThat(append("orders", "k", "v").getFirst().offset()).isZero();
    }

    @Test
    void aMultiByteKeyCountsInBytesAgainstTheRecordLimit() {
        log.createStream("orders", 1);
        String key = "é".repeat(StreamLimits.MAX_PARTITION_KEY_LENGTH);
        assertError(() -> log.append("orders", List.of(new AppendRecord(key, new byte[StreamLimits.MAX_RECORD_BYTES - 256]))),
                ErrorCode.PAYLOAD_TOO_LARGE);
        assertThat(StreamLimits.utf8Length("aé€😀\uD800")).isEqualTo("aé€😀?".getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void acceptsRecordsAtTheLimits() {
        log.createStream("orders", 1);
        String key = "\uD83D\uDE00".repeat(StreamLimits.MAX_PARTITION_KEY_LENGTH);
        // The key counts in UTF-8 bytes (4 per emoji), as Kinesis counts it against 1 MiB.
        byte[] data = new byte[StreamLimits.MAX_RECORD_BYTES - key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length];
        data[data.length - 1] = 7;

        log.append("orders", List.of(new AppendRecord(key, data), new AppendRecord("e", new byte[0]))).join();

        List<StoredRecord> records = readAll("orders", 0);
        assertThat(records).hasSize(2);
        assertThat(records.getFirst().partitionKey()).isEqualTo(key);
        assertThat(records.getFirst().data()).isEqualTo(data);
        assertThat(records.get(1).data()).isEmpty();
    }

    // ---- reads ----

    @Test
    void resolvesStartPositions() throws Exception {
        log.createStream("orders", 1);
        appendMany("orders", "k", 0, 3);
        advanceTime(Duration.ofMillis(50));
        appendMany("orders", "k", 3, 3);
        List<StoredRecord> records = readAll("orders", 0);
        long secondArrival = records.get(3).arrivalTimeMillis();
        assertThat(secondArrival).isGreaterThan(records.get(2).arrivalTimeMillis());

        assertThat(log.resolve("orders", 0, StartPosition.trimHorizon())).isZero();
        assertThat(log.resolve("orders", 0, StartPosition.latest())).isEqualTo(6);
        assertThat(log.resolve("orders", 0, new StartPosition.AtOffset(4))).isEqualTo(4);
        assertThat(log.resolve("orders", 0, new StartPosition.AtOffset(6))).isEqualTo(6);
        assertThat(log.resolve("orders", 0, new StartPosition.AfterOffset(4))).isEqualTo(5);
        assertThat(log.resolve("orders", 0, new StartPosition.AfterOffset(5))).isEqualTo(6);
        assertThat(log.resolve("orders", 0, new StartPosition.AtTimestamp(Instant.ofEpochMilli(secondArrival))))
                .isEqualTo(3);
        assertThat(log.resolve("orders", 0, new StartPosition.AtTimestamp(Instant.ofEpochMilli(secondArrival - 1))))
                .isEqualTo(3);
        assertThat(log.resolve("orders", 0, new StartPosition.AtTimestamp(Instant.EPOCH))).isZero();
        assertThat(log.resolve("orders", 0, new StartPosition.AtTimestamp(Instant.ofEpochMilli(secondArrival + 1))))
                .isEqualTo(6);

        assertError(() -> log.resolve("orders", 0, new StartPosition.AtOffset(7)), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> log.resolve("orders", 0, new StartPosition.AfterOffset(6)), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> log.resolve("orders", 0, new StartPosition.AtOffset(-1)), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> log.resolve("orders", 0, new StartPosition.AfterOffset(Long.MAX_VALUE)),
                ErrorCode.INVALID_ARGUMENT);
        assertThatThrownBy(() -> log.resolve("orders", 0, new StartPosition.AtOffset(1000)))
                .hasMessageContaining("1000")
                .hasMessageContaining("6");
    }

    @Test
    void emptyShardPositions() {
        log.createStream("orders", 1);

        assertThat(log.resolve("orders", 0, StartPosition.trimHorizon())).isZero();
        assertThat(log.resolve("orders", 0, StartPosition.latest())).isZero();
        assertThat(log.resolve("orders", 0, new StartPosition.AtTimestamp(Instant.EPOCH))).isZero();
        ReadResult result = log.read("orders", 0, 0, 10, 1000);
        assertThat(result.records()).isEmpty();
        assertThat(result.nextOffset()).isZero();
        assertThat(result.millisBehindLatest()).isZero();
        assertThat(result.shardEnded()).isFalse();
    }

    @Test
    void readsRespectLimits() {
        log.createStream("orders", 1);
        List<AppendRecord> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(new AppendRecord("k", new byte[100]));
        }
        log.append("orders", batch).join();

        ReadResult byCount = log.read("orders", 0, 0, 5, 1 << 20);
        assertThat(byCount.records()).extracting(StoredRecord::offset).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(byCount.nextOffset()).isEqualTo(5);
        assertThat(byCount.shardEnded()).isFalse();

        ReadResult byBytes = log.read("orders", 0, 5, 100, 350);
        assertThat(byBytes.records()).hasSizeBetween(1, 4);
        assertThat(byBytes.records().size() * 100).isLessThanOrEqualTo(350 + 100);
        assertThat(byBytes.nextOffset()).isEqualTo(5 + byBytes.records().size());

        ReadResult atLeastOne = log.read("orders", 0, 10, 100, 1);
        assertThat(atLeastOne.records()).extracting(StoredRecord::offset).containsExactly(10L);

        ReadResult rest = log.read("orders", 0, 11, 100, 1 << 20);
        assertThat(rest.records()).hasSize(9);
        assertThat(rest.nextOffset()).isEqualTo(20);
        assertThat(rest.millisBehindLatest()).isZero();

        ReadResult atTip = log.read("orders", 0, 20, 100, 1 << 20);
        assertThat(atTip.records()).isEmpty();
        assertThat(atTip.nextOffset()).isEqualTo(20);
        assertThat(atTip.millisBehindLatest()).isZero();
    }

    @Test
    void readsReturnWhatWasAppended() {
        log.createStream("orders", 1);
        List<AppendResult> results = log.append("orders", List.of(
                new AppendRecord("alpha", bytes("one")),
                new AppendRecord("\u00fcml\u00e4ut", bytes("two")))).join();

        List<StoredRecord> records = readAll("orders", 0);

        assertThat(records).hasSize(2);
        assertThat(records.get(0).partitionKey()).isEqualTo("alpha");
        assertThat(records.get(0).data()).isEqualTo(bytes("one"));
        assertThat(records.get(1).partitionKey()).isEqualTo("\u00fcml\u00e4ut");
        assertThat(records.get(1).sequenceNumber()).isEqualTo(results.get(1).sequenceNumber());
        assertThat(records.get(1).shardId()).isEqualTo("shardId-000000000000");
        assertThat(SequenceNumbers.parseOffset(records.get(1).sequenceNumber(), 0)).isEqualTo(1);
    }

    @Test
    void rejectsBadReadArguments() {
        log.createStream("orders", 2);
        appendMany("orders", "k", 0, 3);

        assertError(() -> log.read("orders", 7, 0, 10, 100), ErrorCode.NOT_FOUND);
        assertError(() -> log.read("orders", -1, 0, 10, 100), ErrorCode.NOT_FOUND);
        assertError(() -> log.read("missing", 0, 0, 10, 100), ErrorCode.NOT_FOUND);
        assertError(() -> log.read("orders", 0, -1, 10, 100), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> log.read("orders", 0, Long.MAX_VALUE, 10, 100), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> log.read("orders", 0, 0, 0, 100), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> log.read("orders", 0, 0, 10, 0), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> log.resolve("orders", 9, StartPosition.latest()), ErrorCode.NOT_FOUND);
        assertError(() -> log.stats("missing"), ErrorCode.NOT_FOUND);
    }

    @Test
    void statsFollowAppends() {
        log.createStream("orders", 2);
        List<AppendResult> results = log.append("orders", List.of(
                new AppendRecord("a", Optional.of(BigInteger.ZERO), bytes("x")),
                new AppendRecord("a", Optional.of(BigInteger.ZERO), bytes("y")))).join();

        List<ShardStats> stats = log.stats("orders");

        assertThat(stats).extracting(ShardStats::shard).containsExactly(0, 1);
        assertThat(stats.get(0).startOffset()).isZero();
        assertThat(stats.get(0).endOffset()).isEqualTo(2);
        assertThat(stats.get(0).sizeBytes()).isPositive();
        assertThat(stats.get(0).lastArrivalTimeMillis())
                .isEqualTo(readAll("orders", 0).getLast().arrivalTimeMillis());
        assertThat(stats.get(1).endOffset()).isZero();
        assertThat(stats.get(1).lastArrivalTimeMillis()).isZero();
        assertThat(results).extracting(AppendResult::offset).containsExactly(0L, 1L);
    }

    // ---- resharding ----

    @Test
    void reshardingClosesParentsAndRoutesToChildren() {
        log.createStream("orders", 2);
        List<AppendResult> before = appendMany("orders", "key", 0, 40);
        long[] endings = new long[2];
        before.forEach(result -> endings[result.shard()] = Math.max(endings[result.shard()], result.offset() + 1));

        StreamDescription resharded = log.updateShardCount("orders", 3);

        // As Kinesis's uniform scaling: splits at the new boundaries, then merges, each new shard with one parent whose
        // range holds its own, or two adjacent parents whose ranges are exactly its own.
        BigInteger w = BigInteger.ONE.shiftLeft(128).divide(BigInteger.valueOf(3));
        BigInteger h = BigInteger.ONE.shiftLeft(127);
        BigInteger one = BigInteger.ONE;
        assertThat(resharded.shards()).extracting(ShardDescription::shard).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(resharded.shards()).extracting(ShardDescription::hashKeyRange).containsExactly(
                new HashKeyRange(BigInteger.ZERO, h.subtract(one)), new HashKeyRange(h, HashKeyRange.MAX_HASH_KEY),
                new HashKeyRange(BigInteger.ZERO, w.subtract(one)), new HashKeyRange(w, h.subtract(one)),
                new HashKeyRange(h, w.shiftLeft(1).subtract(one)), new HashKeyRange(w.shiftLeft(1), HashKeyRange.MAX_HASH_KEY),
                new HashKeyRange(w, w.shiftLeft(1).subtract(one)));
        assertThat(resharded.shards()).extracting(s -> s.parent().orElse(-1), s -> s.adjacentParent().orElse(-1)).containsExactly(
                tuple(-1, -1), tuple(-1, -1), tuple(0, -1), tuple(0, -1), tuple(1, -1), tuple(1, -1), tuple(3, 4));
        List<ShardDescription> parents = resharded.shards().subList(0, 2);
        for (ShardDescription parent : parents) {
            assertThat(parent.isOpen()).isFalse();
            assertThat(parent.endingOffset()).hasValue(endings[parent.shard()]);
        }
        // The temporary halves that were merged at once are closed and empty.
        assertThat(resharded.shards()).filteredOn(s -> s.shard() == 3 || s.shard() == 4)
                .allSatisfy(s -> assertThat(s.endingOffset()).hasValue(0));
        List<ShardDescription> children = resharded.openShards().stream()
                .sorted(java.util.Comparator.comparing(s -> s.hashKeyRange().startingHashKey())).toList();
        assertThat(children).extracting(ShardDescription::shard).containsExactly(2, 6, 5);
        assertThat(children).extracting(ShardDescription::hashKeyRange).isEqualTo(HashKeyRange.uniform(3));

        List<AppendResult> after = appendMany("orders", "key", 0, 40);
        for (int i = 0; i < after.size(); i++) {
            assertThat(after.get(i).shard()).isEqualTo(expectedShard(resharded, md5("key" + i)));
        }
        assertThat(after).extracting(AppendResult::shard).allMatch(shard -> shard == 2 || shard == 5 || shard == 6);
        assertThat(after).filteredOn(result -> result.shard() == after.getFirst().shard())
                .extracting(AppendResult::offset).first().isEqualTo(0L);

        for (ShardDescription parent : parents) {
            long ending = parent.endingOffset().orElseThrow();
            ReadResult all = log.read("orders", parent.shard(), 0, 1000, 1 << 20);
            assertThat(all.records()).hasSize((int) ending);
            assertThat(all.nextOffset()).isEqualTo(ending);
            assertThat(all.shardEnded()).isTrue();
            assertThat(log.resolve("orders", parent.shard(), StartPosition.latest())).isEqualTo(ending);
            assertThat(log.read("orders", parent.shard(), ending, 10, 100).shardEnded()).isTrue();
        }
        assertThat(log.read("orders", 2, 0, 10, 100).shardEnded()).isFalse();
        assertThat(log.stats("orders")).extracting(ShardStats::shard).containsExactly(0, 1, 2, 3, 4, 5, 6);
    }

    @Test
    void reshardsAgainAndDown() {
        log.createStream("orders", 4);
        appendMany("orders", "key", 0, 20);

        log.updateShardCount("orders", 2);
        StreamDescription twice = log.updateShardCount("orders", 1);

        assertThat(twice.shards()).hasSize(7);
        assertThat(twice.openShards()).singleElement().satisfies(shard -> {
            assertThat(shard.shard()).isEqualTo(6);
            assertThat(shard.hashKeyRange()).isEqualTo(HashKeyRange.uniform(1).getFirst());
            assertThat(shard.parent()).hasValue(4);
            assertThat(shard.adjacentParent()).hasValue(5);
        });
        assertThat(appendMany("orders", "key", 0, 5)).extracting(AppendResult::shard).containsOnly(6);
        assertError(() -> log.updateShardCount("orders", 0), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> log.updateShardCount("missing", 2), ErrorCode.NOT_FOUND);
    }

    // ---- checkpoints ----

    @Test
    void checkpointsCommitAndMerge() {
        log.createStream("orders", 3);
        appendMany("orders", "key", 0, 30);
        ConsumerCheckpoints checkpoints = log.checkpoints();
        long end0 = log.resolve("orders", 0, StartPosition.latest());
        long end1 = log.resolve("orders", 1, StartPosition.latest());

        assertThat(checkpoints.committed("lake", "orders")).isEmpty();
        assertThat(checkpoints.consumers("orders")).isEmpty();

        checkpoints.commit("lake", "orders", Map.of(0, end0, 1, 0L));
        checkpoints.commit("lake", "orders", Map.of(1, end1));
        checkpoints.commit("search", "orders", Map.of(2, 0L));

        assertThat(checkpoints.committed("lake", "orders")).containsExactlyInAnyOrderEntriesOf(Map.of(0, end0, 1, end1));
        assertThat(checkpoints.committed("search", "orders")).containsExactlyInAnyOrderEntriesOf(Map.of(2, 0L));
        assertThat(checkpoints.consumers("orders")).containsExactly("lake", "search");

        checkpoints.delete("lake", "orders");
        checkpoints.delete("never-committed", "orders");

        assertThat(checkpoints.committed("lake", "orders")).isEmpty();
        assertThat(checkpoints.consumers("orders")).containsExactly("search");
    }

    @Test
    void checkpointsRejectBadInput() {
        log.createStream("orders", 1);
        ConsumerCheckpoints checkpoints = log.checkpoints();

        assertError(() -> checkpoints.commit("lake", "missing", Map.of(0, 0L)), ErrorCode.NOT_FOUND);
        assertError(() -> checkpoints.committed("lake", "missing"), ErrorCode.NOT_FOUND);
        assertError(() -> checkpoints.consumers("missing"), ErrorCode.NOT_FOUND);
        assertError(() -> checkpoints.commit("bad/name", "orders", Map.of(0, 0L)), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> checkpoints.commit("", "orders", Map.of(0, 0L)), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> checkpoints.commit("lake", "orders", Map.of(5, 0L)), ErrorCode.NOT_FOUND);
        assertError(() -> checkpoints.commit("lake", "orders", Map.of(0, -1L)), ErrorCode.INVALID_ARGUMENT);
        // A failed commit changes nothing, even for the shards it named correctly.
        log.createStream("two", 2);
        assertError(() -> checkpoints.commit("lake", "two", Map.of(0, 0L, 9, 0L)), ErrorCode.NOT_FOUND);
        assertThat(checkpoints.committed("lake", "two")).isEmpty();
    }

    // ---- helpers ----

    protected List<AppendResult> append(String stream, String key, String data) {
        return log.append(stream, List.of(new AppendRecord(key, bytes(data)))).join();
    }

    /** Appends one batch of records keyed {@code prefix + i} for i in [from, from + count). */
    protected List<AppendResult> appendMany(String stream, String prefix, int from, int count) {
        List<AppendRecord> batch = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            batch.add(new AppendRecord(prefix + i, bytes("record-" + i)));
        }
        return log.append(stream, batch).join();
    }

    /** Every record of a shard from the trim horizon, read in small pages. */
    protected List<StoredRecord> readAll(String stream, int shard) {
        List<StoredRecord> records = new ArrayList<>();
        long offset = log.resolve(stream, shard, StartPosition.trimHorizon());
        while (true) {
            ReadResult result = log.read(stream, shard, offset, 7, 1 << 20);
            records.addAll(result.records());
            if (result.nextOffset() == offset) {
                return records;
            }
            offset = result.nextOffset();
        }
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    protected static void assertError(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    protected static List<Long> range(long from, long toExclusive) {
        List<Long> values = new ArrayList<>();
        for (long i = from; i < toExclusive; i++) {
            values.add(i);
        }
        return values;
    }

    /** MD5 of the key as an unsigned 128-bit number, computed without {@link ShardRouter}. */
    protected static BigInteger md5(String partitionKey) {
        try {
            return new BigInteger(1, MessageDigest.getInstance("MD5").digest(bytes(partitionKey)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    protected static int expectedShard(StreamDescription stream, BigInteger hashKey) {
        return stream.openShards().stream()
                .filter(shard -> shard.hashKeyRange().contains(hashKey))
                .findFirst()
                .orElseThrow()
                .shard();
    }
}
