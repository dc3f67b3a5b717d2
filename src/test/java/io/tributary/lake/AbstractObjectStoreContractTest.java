package io.tributary.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.common.ErrorCode;
import io.tributary.common.TestingClock;
import io.tributary.common.TributaryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link ObjectStore} shares, run against each implementation (local disk, S3),
 * as Trino runs one file-system suite against all its backends.
 */
public abstract class AbstractObjectStoreContractTest {
    @TempDir
    protected Path scratch;

    protected TestingClock clock;
    protected ObjectStore store;

    /** A fresh, empty store whose retention and lifecycle decisions follow {@code clock}. */
    protected abstract ObjectStore createStore(TestingClock clock) throws Exception;

    /**
     * Whether an object's last-modified time comes from {@code clock}. A remote store's server
     * stamps objects with its own time, so a test cannot write an object "later" by advancing the
     * clock; the lifecycle test then writes every object before moving time on.
     */
    protected boolean lastModifiedFollowsClock() {
        return true;
    }

    /**
     * Whether concurrent put-if-absent calls are decided atomically by the store under test. S3
     * guarantees it; a test server may check and write in two steps (see docs/decisions.md).
     */
    protected boolean conditionalWritesAreAtomicUnderRace() {
        return true;
    }

    @BeforeEach
    void open() throws Exception {
        clock = new TestingClock(java.time.Instant.now());
        store = createStore(clock);
        store.createBucket(BucketSpec.mutable("lake"));
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> keys(String prefix) {
        try (Stream<ObjectInfo> objects = store.list(Location.parse("s3://lake/" + prefix))) {
            return objects.map(o -> o.location().key()).toList();
        }
    }

    @Test
    void putReadStatAndOverwrite() throws Exception {
        Location a = Location.parse("s3://lake/json-data/year=2026/a.json");
        store.put(a, bytes("{\"x\":1}\n"));
        assertThat(store.readAllBytes(a)).isEqualTo(bytes("{\"x\":1}\n"));
        assertThat(store.stat(a)).hasValueSatisfying(info -> assertThat(info.size()).isEqualTo(8));
        Path file = scratch.resolve("source");
        Files.write(file, bytes("replaced"));
        store.put(a, file);
        assertThat(store.readAllBytes(a)).isEqualTo(bytes("replaced"));
        assertThat(store.stat(Location.parse("s3://lake/json-data/missing"))).isEmpty();
        assertThatThrownBy(() -> store.open(Location.parse("s3://lake/json-data/missing")))
                .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void listsRecursivelyInKeyOrderAndByLevel() {
        for (String key : List.of("p/b.json", "p/a.json", "p/a/x.json", "p/a-1.json", "p/z/y/w.json", "q/other.json", "p/\u00e9.json")) {
            store.put(Location.parse("s3://lake/" + key), bytes(key));
        }
        assertThat(keys("p/")).containsExactly("p/a-1.json", "p/a.json", "p/a/x.json", "p/b.json", "p/z/y/w.json", "p/\u00e9.json");
        assertThat(keys("p/a")).containsExactly("p/a-1.json", "p/a.json", "p/a/x.json");
        assertThat(keys("")).hasSize(7);
        assertThat(keys("nothing/")).isEmpty();
        Listing level = store.listLevel(Location.parse("s3://lake/p/"));
        assertThat(level.objects()).extracting(o -> o.location().key()).containsExactly("p/a-1.json", "p/a.json", "p/b.json", "p/\u00e9.json");
        assertThat(level.prefixes()).extracting(Location::key).containsExactly("p/a/", "p/z/");
    }

    @Test
    void deletingIsIdempotent() {
        Location a = Location.parse("s3://lake/d/a");
        store.put(a, bytes("a"));
        store.delete(a);
        store.delete(a);
        assertThat(store.stat(a)).isEmpty();
        assertThat(keys("d/")).isEmpty();
        assertThat(store.listLevel(Location.parse("s3://lake/")).prefixes()).extracting(Location::key).doesNotContain("d/");
    }

    @Test
    void putIfAbsentWritesOnceEvenUnderRace() throws Exception {
        Location target = Location.parse("s3://lake/once/object");
        if (!conditionalWritesAreAtomicUnderRace()) {
            assertThat(store.putIfAbsent(target, bytes("first"))).isTrue();
            assertThat(store.putIfAbsent(target, bytes("second"))).isFalse();
            assertThat(store.readAllBytes(target)).isEqualTo(bytes("first"));
            return;
        }
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger winners = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            byte[] data = bytes("writer-" + i);
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                if (store.putIfAbsent(target, data)) {
                    winners.incrementAndGet();
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(winners.get()).isEqualTo(1);
        assertThat(new String(store.readAllBytes(target), StandardCharsets.UTF_8)).startsWith("writer-");
        assertThat(store.putIfAbsent(target, bytes("late"))).isFalse();
    }

    @Test
    void immutableBucketsRefuseOverwriteAndDelete() {
        store.createBucket(BucketSpec.immutable("archive", Duration.ofDays(30)));
        Location log = Location.parse("s3://archive/aws-123.json");
        store.put(log, bytes("{\"log\":1}"));
        assertThatThrownBy(() -> store.put(log, bytes("{\"log\":2}")))
                .isInstanceOfSatisfying(TributaryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.IMMUTABLE);
                    assertThat(e.getMessage()).contains("aws-123.json").contains("immutable");
                });
        assertThat(store.putIfAbsent(log, bytes("{\"log\":3}"))).isFalse();
        assertThatThrownBy(() -> store.delete(log))
                .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IMMUTABLE));
        assertThat(store.readAllBytes(log)).isEqualTo(bytes("{\"log\":1}"));
        assertThatThrownBy(() -> store.createBucket(BucketSpec.mutable("archive")))
                .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IMMUTABLE));
        assertThatThrownBy(() -> store.createBucket(BucketSpec.immutable("archive", Duration.ofDays(1))))
                .hasMessageContaining("cannot be shortened");
        clock.advance(Duration.ofDays(31));
        store.delete(log);
        assertThat(store.stat(log)).isEmpty();
    }

    @Test
    void lifecycleExpiresOldObjectsButNeverWithinRetention() {
        store.createBucket(new BucketSpec("lake", false, Duration.ZERO, List.of(new LifecycleRule("tmp/", Duration.ofDays(1)))));
        store.createBucket(new BucketSpec("vault", true, Duration.ofDays(10), List.of(new LifecycleRule("", Duration.ofDays(2)))));
        store.put(Location.parse("s3://lake/tmp/old"), bytes("o"));
        store.put(Location.parse("s3://lake/keep/old"), bytes("k"));
        store.put(Location.parse("s3://vault/old"), bytes("v"));
        if (!lastModifiedFollowsClock()) {
            store.put(Location.parse("s3://lake/tmp/new"), bytes("n"));
        }
        clock.advance(Duration.ofDays(3));
        if (lastModifiedFollowsClock()) {
            store.put(Location.parse("s3://lake/tmp/new"), bytes("n"));
        }
        int expired = store.applyLifecycle(clock.instant());
        if (lastModifiedFollowsClock()) {
            assertThat(expired).isEqualTo(1);
            assertThat(keys("tmp/")).containsExactly("tmp/new");
        } else {
            assertThat(expired).isEqualTo(2);
            assertThat(keys("tmp/")).isEmpty();
        }
        assertThat(keys("keep/")).containsExactly("keep/old");
        assertThat(store.stat(Location.parse("s3://vault/old"))).as("within the vault's retention").isPresent();
        clock.advance(Duration.ofDays(8));
        store.applyLifecycle(clock.instant());
        assertThat(store.stat(Location.parse("s3://vault/old"))).isEmpty();
    }

    @Test
    void refusesUnknownBucketsAndHostileKeys() {
        assertThatThrownBy(() -> store.put(Location.parse("s3://missing-bucket/a"), bytes("a")))
                .isInstanceOfSatisfying(TributaryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                    assertThat(e.getMessage()).contains("missing-bucket");
                });
        for (String bad : List.of("s3://lake/../etc/passwd", "s3://lake/a/../../b", "s3://lake//a", "s3://lake/a/./b",
                "s3://Upper/a", "s3://lake/a\\b", "s3://lake/a\u0000b", "file:///etc/passwd", "s3://x/a", "/tmp/a")) {
            assertThatThrownBy(() -> store.put(Location.parse(bad), bytes("a"))).as(bad)
                    .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        }
        assertThatThrownBy(() -> Location.parse("s3://lake/" + "k".repeat(1100))).hasMessageContaining("1024");
    }
}
