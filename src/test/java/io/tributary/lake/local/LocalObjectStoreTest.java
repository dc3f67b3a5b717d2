package io.tributary.lake.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.common.TestingClock;
import io.tributary.lake.AbstractObjectStoreContractTest;
import io.tributary.lake.BucketSpec;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LocalObjectStoreTest extends AbstractObjectStoreContractTest {
    @Override
    protected ObjectStore createStore(TestingClock clock) {
        return new LocalObjectStore(scratch.resolve("lake"), clock);
    }

    @Test
    void bucketsAreDirectoriesUnderTheRootAndSurviveReopening() throws Exception {
        store.put(Location.parse("s3://lake/json-data/a.json"), new byte[] {1});
        assertThat(scratch.resolve("lake/lake/json-data/a.json")).exists();
        store.createBucket(BucketSpec.immutable("vault", java.time.Duration.ofDays(7)));
        ObjectStore reopened = new LocalObjectStore(scratch.resolve("lake"), clock);
        assertThat(reopened.bucket("vault")).hasValueSatisfying(b -> assertThat(b.immutable()).isTrue());
        assertThat(reopened.readAllBytes(Location.parse("s3://lake/json-data/a.json"))).containsExactly(1);
    }

    @Test
    void anObjectAndAPrefixCannotShareAName() {
        store.put(Location.parse("s3://lake/a"), new byte[] {1});
        assertThatThrownBy(() -> store.put(Location.parse("s3://lake/a/b"), new byte[] {2})).hasMessageContaining("prefix");
        store.put(Location.parse("s3://lake/c/d"), new byte[] {1});
        assertThatThrownBy(() -> store.put(Location.parse("s3://lake/c"), new byte[] {2})).hasMessageContaining("prefix");
    }

    @Test
    void readersNeverSeeAPartialObject() throws Exception {
        Location target = Location.parse("s3://lake/big");
        byte[] first = new byte[4 << 20];
        byte[] second = new byte[4 << 20];
        Arrays.fill(first, (byte) 1);
        Arrays.fill(second, (byte) 2);
        store.put(target, first);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<String> problem = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (running.get()) {
                byte[] read = store.readAllBytes(target);
                if (read.length != first.length || (read[0] != read[read.length - 1])) {
                    problem.set("saw " + read.length + " bytes, first " + read[0] + " last " + read[read.length - 1]);
                }
            }
        });
        for (int i = 0; i < 20; i++) {
            store.put(target, i % 2 == 0 ? second : first);
        }
        running.set(false);
        reader.join();
        assertThat(problem.get()).isNull();
        try (var leftovers = Files.list(scratch.resolve("lake/.tributary/tmp"))) {
            assertThat(leftovers).isEmpty();
        }
    }

    @Test
    void theLocalPathOfAnObjectIsInsideItsBucket() {
        Path path = store.localPath(Location.parse("s3://lake/x/y.parquet")).orElseThrow();
        assertThat(path).isEqualTo(scratch.resolve("lake/lake/x/y.parquet").toAbsolutePath());
    }
}
