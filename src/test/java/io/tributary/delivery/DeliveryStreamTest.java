package io.tributary.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.common.DataSize;
import io.tributary.common.Json;
import io.tributary.common.TestingClock;
import io.tributary.common.TributaryException;
import io.tributary.lake.BucketSpec;
import io.tributary.lake.Compression;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.lake.ObjectStore;
import io.tributary.lake.local.LocalObjectStore;
import io.tributary.stream.AppendRecord;
import io.tributary.stream.StreamLog;
import io.tributary.stream.StreamLogConfig;
import io.tributary.stream.local.LocalStreamLog;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A delivery stream driven step by step with a testing clock: both buffering triggers, naming, and re-delivery after a failure. */
class DeliveryStreamTest {
    static final String LAB_PREFIX = "json-data/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/";
    static final String LAB_ERROR_PREFIX =
            "error-json/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/!{firehose:error-output-type}";

    @TempDir
    Path dir;

    TestingClock clock;
    StreamLog log;
    ObjectStore store;
    List<DeliveryStream> opened = new ArrayList<>();
    List<Location> announced = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        clock = new TestingClock(Instant.parse("2026-11-25T14:59:58Z"));
        log = new LocalStreamLog(StreamLogConfig.defaults(dir.resolve("streams")), clock);
        store = new LocalObjectStore(dir.resolve("lake"), clock);
        store.createBucket(BucketSpec.mutable("tributary-lake"));
        log.createStream("retail-trans", 2);
    }

    @AfterEach
    void close() throws Exception {
        opened.forEach(DeliveryStream::close);
        log.close();
        store.close();
    }

    DeliveryStream stream(DeliveryStreamSpec spec, ObjectStore target) {
        DeliveryStream.Context context = new DeliveryStream.Context(log, target, clock, new DeliveryMetrics(new SimpleMeterRegistry()),
                (name, partition) -> announced.add(partition), RecordTransformers.load(List.of()));
        DeliveryStream s = new DeliveryStream(spec, spec.source().orElseThrow(), context, dir.resolve("delivery").resolve(spec.name()),
                clock.instant());
        s.recover();
        opened.add(s);
        return s;
    }

    static DeliveryStreamSpec lab(DataSize size, Duration interval) {
        return DeliveryStreamSpec.of("retail", Optional.of("retail-trans"), "tributary-lake")
                .withPrefixes(LAB_PREFIX, LAB_ERROR_PREFIX)
                .withBuffering(new BufferingHints(size, interval));
    }

    void append(int from, int count, int bytes) {
        List<AppendRecord> batch = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String head = "{\"id\":" + i + ",\"pad\":\"";
            String body = head + "x".repeat(Math.max(0, bytes - head.length() - 2)) + "\"}";
            batch.add(new AppendRecord("k" + i, body.getBytes(StandardCharsets.UTF_8)));
        }
        log.append("retail-trans", batch).join();
    }

    List<ObjectInfo> objects(String prefix) {
        try (Stream<ObjectInfo> s = store.list(Location.parse("s3://tributary-lake/" + prefix))) {
            return s.toList();
        }
    }

    /** Every record id in the lake's data objects, with how often it appears. */
    Map<Integer, Integer> idsInLake() throws Exception {
        Map<Integer, Integer> ids = new HashMap<>();
        for (ObjectInfo o : objects("json-data/")) {
            try (InputStream in = Compression.decoding(store.open(o.location()), o.location().fileName())) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    ids.merge(Json.mapper().readTree(line).path("id").asInt(), 1, Integer::sum);
                }
            }
        }
        return ids;
    }

    @Test
    void theIntervalTriggerFiresExactlyWhenTheIntervalHasPassed() throws Exception {
        append(0, 10, 100);
        DeliveryStream s = stream(lab(DataSize.ofMegabytes(1), Duration.ofSeconds(60)), store);
        s.step();
        assertThat(objects("")).isEmpty();
        clock.advance(Duration.ofMillis(59_999));
        s.step();
        assertThat(objects("")).as("one millisecond before the interval").isEmpty();
        clock.advance(Duration.ofMillis(1));
        s.step();
        List<ObjectInfo> written = objects("");
        assertThat(written).hasSize(1);
        // Arrival of the oldest record was 14:59:58 (hour 14); the name carries the write time, 15:00:58.
        assertThat(written.get(0).location().key()).matches(Pattern.quote("json-data/year=2026/month=11/day=25/hour=14/retail-1-2026-11-25-15-00-58-")
                + "[0-9a-f-]{36}");
        assertThat(written.get(0).size()).isEqualTo(10 * 101);
        assertThat(idsInLake()).hasSize(10).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        assertThat(log.checkpoints().committed("delivery.retail", "retail-trans").values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(10);
    }

    @Test
    void theSizeTriggerCutsObjectsAtTheHintWithoutWaitingForTheInterval() throws Exception {
        append(0, 2500, 999);
        DeliveryStream s = stream(lab(DataSize.ofMegabytes(1), Duration.ofSeconds(900)), store);
        for (int i = 0; i < 5; i++) {
            s.step();
        }
        // 1000 bytes per record with its newline: 1,048 records fit in 1 MiB (1,048,576 bytes), the 1,049th would not.
        List<ObjectInfo> written = objects("json-data/");
        assertThat(written).hasSize(2).allSatisfy(o -> assertThat(o.size()).isEqualTo(1048L * 1000));
        assertThat(s.status().bufferedRecords()).isEqualTo(2500 - 2 * 1048);
        clock.advance(Duration.ofSeconds(900));
        s.step();
        assertThat(objects("json-data/")).hasSize(3);
        assertThat(idsInLake()).hasSize(2500).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
    }

    @Test
    void aBatchInterruptedAfterItsJournalIsDeliveredAgainUnderTheSameKeysExactlyOnce() throws Exception {
        DeliveryStreamSpec spec = new DeliveryStreamSpec("retail", Optional.of("retail-trans"), "tributary-lake",
                "json-data/!{partitionKeyFromQuery:kind}/", LAB_ERROR_PREFIX, new BufferingHints(DataSize.ofMegabytes(1), Duration.ofSeconds(1)),
                Compression.GZIP, RecordDelimiter.NEWLINE_WHERE_MISSING, true, Map.of("kind", ".kind"), List.of(), Optional.empty(),
                Optional.empty(),
                StartingPosition.TRIM_HORIZON);
        List<AppendRecord> batch = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            batch.add(new AppendRecord("k" + i, ("{\"id\":" + i + ",\"kind\":\"k" + (i % 3) + "\"}").getBytes(StandardCharsets.UTF_8)));
        }
        log.append("retail-trans", batch).join();
        // The store fails after the first object of the batch is written: a crash in the middle of a batch.
        FailingStore failing = new FailingStore(store, 1);
        DeliveryStream first = stream(spec, failing);
        first.step();
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(first::step).hasMessageContaining("injected");
        assertThat(objects("json-data/")).hasSize(1);
        assertThat(log.checkpoints().committed("delivery.retail", "retail-trans")).isEmpty();
        List<String> journalled = new ObjectJournal(dir.resolve("delivery/retail")).read().orElseThrow().objects().stream()
                .map(o -> o.location().key()).sorted().toList();

        opened.remove(first);
        // The declaration changes before the restart (no more partitions); the pending batch is still delivered as it was planned.
        stream(lab(DataSize.ofMegabytes(1), Duration.ofSeconds(1)).withPrefixes("json-data/flat/", LAB_ERROR_PREFIX), store);
        assertThat(objects("json-data/")).extracting(o -> o.location().key()).containsExactlyElementsOf(journalled);
        assertThat(journalled).hasSize(3).allMatch(k -> k.matches("json-data/k[012]/retail-1-.*\\.gz"));
        // Every folder of the batch is announced, including the one written before the failure.
        assertThat(announced.stream().map(Location::key).distinct())
                .containsExactlyInAnyOrder("json-data/k0/", "json-data/k1/", "json-data/k2/");
        assertThat(idsInLake()).hasSize(300).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        assertThat(log.checkpoints().committed("delivery.retail", "retail-trans").values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(300);
    }

    @Test
    void aSourceDeletedAndCreatedAgainIsReadFromItsBeginningAndWhatWasBufferedIsStillDelivered() throws Exception {
        append(0, 20, 100);
        DeliveryStream s = stream(lab(DataSize.ofMegabytes(1), Duration.ofSeconds(60)), store);
        s.step();
        assertThat(s.status().bufferedRecords()).isEqualTo(20);
        // The stream goes while 20 of its records wait in the buffer; a new one of the same name gets 30 records,
        // more than the old offset, so a delivery that kept its position would skip the new stream's first 20.
        log.deleteStream("retail-trans");
        log.createStream("retail-trans", 2);
        append(100, 30, 100);
        s.step();
        assertThat(idsInLake()).as("the old stream's buffered records, delivered when the change was seen").hasSize(20);
        clock.advance(Duration.ofSeconds(60));
        s.step();
        Map<Integer, Integer> expected = new HashMap<>();
        for (int id = 0; id < 20; id++) {
            expected.put(id, 1);
        }
        for (int id = 100; id < 130; id++) {
            expected.put(id, 1);
        }
        assertThat(idsInLake()).isEqualTo(expected);
        // The new stream's checkpoint covers exactly its 30 records: nothing of the old stream's offsets leaked into it.
        assertThat(log.checkpoints().committed("delivery.retail", "retail-trans").values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(30);

        // After a restart nothing is delivered again, and new records follow.
        s.close();
        opened.remove(s);
        DeliveryStream restarted = stream(lab(DataSize.ofMegabytes(1), Duration.ofSeconds(60)), store);
        append(200, 5, 100);
        restarted.step();
        clock.advance(Duration.ofSeconds(60));
        restarted.step();
        for (int id = 200; id < 205; id++) {
            expected.put(id, 1);
        }
        assertThat(idsInLake()).isEqualTo(expected);
    }

    @Test
    void aDeletedSourceFailsFlushRequestsAtOnceAndIsReadAgainOnceCreated() throws Exception {
        DeliveryService service = new DeliveryService(dir.resolve("service"), log, store, clock,
                new DeliveryMetrics(new SimpleMeterRegistry()), PartitionListener.NONE, RecordTransformers.load(List.of()));
        try {
            service.start();
            service.apply(lab(DataSize.ofMegabytes(1), Duration.ofSeconds(900)));
            append(0, 10, 100);
            assertThat(service.flush("retail")).isEqualTo(10);
            log.deleteStream("retail-trans");
            long started = System.nanoTime();
            assertThatThrownBy(() -> service.flush("retail")).isInstanceOfSatisfying(TributaryException.class, e -> {
                assertThat(e.code()).isEqualTo(io.tributary.common.ErrorCode.NOT_FOUND);
                assertThat(e.getMessage()).contains("source stream 'retail-trans' does not exist");
            });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(service.status("retail").lastError()).hasValueSatisfying(m -> assertThat(m).contains("does not exist"));
            log.createStream("retail-trans", 1);
            append(10, 5, 100);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int delivered = 0;
            while (delivered < 5 && System.nanoTime() < deadline) {
                try {
                    delivered += service.flush("retail");
                } catch (TributaryException e) {
                    Thread.sleep(50);
                }
            }
            assertThat(idsInLake()).hasSize(15).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        } finally {
            service.close();
        }
    }

    DeliveryService service() {
        return new DeliveryService(dir.resolve("service"), log, store, clock, new DeliveryMetrics(new SimpleMeterRegistry()),
                PartitionListener.NONE, RecordTransformers.load(List.of()));
    }

    @Test
    void aNewDeliveryStreamStartsAtLatestKeepsThatStartAcrossARestartAndARecreatedOneDeliversNothingAgain() throws Exception {
        append(0, 25, 100);
        DeliveryService service = service();
        service.start();
        service.apply(lab(DataSize.ofMegabytes(1), Duration.ofSeconds(900)));
        assertThat(service.flush("retail")).as("records retained before the delivery stream existed").isZero();
        append(100, 5, 100);
        // Stopped before its first object (unless closing flushed what it had read): the start it was created with holds.
        service.close();
        service = service();
        service.start();
        append(200, 3, 100);
        service.flush("retail");
        assertThat(idsInLake()).containsOnlyKeys(100, 101, 102, 103, 104, 200, 201, 202);
        // Deleted and created again: the retained records are already in the lake and are not delivered again.
        service.delete("retail");
        service.apply(lab(DataSize.ofMegabytes(1), Duration.ofSeconds(900)));
        assertThat(service.flush("retail")).isZero();
        append(300, 2, 100);
        assertThat(service.flush("retail")).isEqualTo(2);
        service.close();
        assertThat(idsInLake()).containsOnlyKeys(100, 101, 102, 103, 104, 200, 201, 202, 300, 301)
                .allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        // TRIM_HORIZON back-fills what the stream retains.
        service = service();
        service.start();
        service.apply(DeliveryStreamSpec.of("backfill", Optional.of("retail-trans"), "tributary-lake")
                .withPrefixes("backfill/", "backfill-errors/").withStartingPosition(StartingPosition.TRIM_HORIZON));
        assertThat(service.flush("backfill")).isEqualTo(25 + 5 + 3 + 2);
        service.close();
    }

    @Test
    void closingTheServiceDeliversWhatIsBufferedWithoutWaitingForTheInterval() throws Exception {
        append(0, 25, 100);
        DeliveryService service = new DeliveryService(dir.resolve("service"), log, store, clock,
                new DeliveryMetrics(new SimpleMeterRegistry()), PartitionListener.NONE, RecordTransformers.load(List.of()));
        service.start();
        service.apply(lab(DataSize.ofMegabytes(1), Duration.ofSeconds(900)).withStartingPosition(StartingPosition.TRIM_HORIZON));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (service.status("retail").bufferedRecords() < 25 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(service.status("retail").bufferedRecords()).isEqualTo(25);
        assertThat(objects("")).isEmpty();
        service.close();
        assertThat(idsInLake()).hasSize(25).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        assertThat(log.checkpoints().committed("delivery.retail", "retail-trans").values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(25);
    }

    /** Passes calls on to a real store and fails every put after the first {@code allowed}. */
    static final class FailingStore extends ForwardingObjectStore {
        private final AtomicInteger remaining;

        FailingStore(ObjectStore delegate, int allowed) {
            super(delegate);
            this.remaining = new AtomicInteger(allowed);
        }

        @Override
        public boolean putIfAbsent(Location location, byte[] data) {
            if (remaining.getAndDecrement() <= 0) {
                throw new TributaryException(io.tributary.common.ErrorCode.STORAGE_FAILURE, "injected failure writing " + location);
            }
            return super.putIfAbsent(location, data);
        }
    }
}
