package io.tributary.lake.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.DataSize;
import io.tributary.common.TestingClock;
import io.tributary.lake.AbstractObjectStoreContractTest;
import io.tributary.lake.BucketSpec;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * The object store contract against a real S3 API server (S3Mock, in-process), through the real
 * AWS SDK: what works on local disk works on S3.
 */
class S3ObjectStoreTest extends AbstractObjectStoreContractTest {
    private static Path root;
    private static S3MockServer server;

    @BeforeAll
    static void startServer() throws Exception {
        root = Files.createTempDirectory("s3mock-");
        server = new S3MockServer(root);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    static S3ObjectStore.Config config(Path state) {
        return new S3ObjectStore.Config(Optional.of(server.endpoint()), "us-east-1", true,
                Optional.of(Map.entry(S3MockServer.ACCESS_KEY, S3MockServer.SECRET_KEY)), DataSize.ofMegabytes(6), DataSize.ofMegabytes(5), 3,
                state);
    }

    @Override
    protected ObjectStore createStore(TestingClock clock) throws Exception {
        // One server for the class; each test starts from an empty one.
        try (S3Client s3 = server.client()) {
            for (Bucket bucket : s3.listBuckets().buckets()) {
                for (ObjectVersion v : s3.listObjectVersionsPaginator(b -> b.bucket(bucket.name())).versions()) {
                    s3.deleteObject(b -> b.bucket(bucket.name()).key(v.key()).versionId(v.versionId()).bypassGovernanceRetention(true));
                }
                for (var o : s3.listObjectsV2Paginator(b -> b.bucket(bucket.name())).contents()) {
                    s3.deleteObject(b -> b.bucket(bucket.name()).key(o.key()));
                }
                s3.deleteBucket(b -> b.bucket(bucket.name()));
            }
        }
        return new S3ObjectStore(config(scratch.resolve("s3-state")), clock);
    }

    /** S3Mock stamps objects with its own clock. */
    @Override
    protected boolean lastModifiedFollowsClock() {
        return false;
    }

    /**
     * S3Mock honours {@code If-None-Match: *} but checks and writes in two steps, so two racing
     * writers can both succeed there; AWS S3 decides conditional writes atomically. The
     * sequential semantics are still tested here (see docs/decisions.md).
     */
    @Override
    protected boolean conditionalWritesAreAtomicUnderRace() {
        return false;
    }

    @Test
    void largeObjectsAreUploadedInPartsAndReadBackWhole() {
        byte[] data = new byte[13 * 1024 * 1024];
        new Random(7).nextBytes(data);
        Location big = Location.parse("s3://lake/big/object.bin");
        store.put(big, data);
        assertThat(store.readAllBytes(big)).isEqualTo(data);
        try (S3Client s3 = server.client()) {
            HeadObjectResponse head = s3.headObject(b -> b.bucket("lake").key("big/object.bin"));
            // A multipart upload's ETag ends with "-<number of parts>": 13 MiB in 5 MiB parts is 3 parts.
            assertThat(head.eTag()).endsWith("-3\"");
        }
    }

    /**
     * S3Mock enables Object Lock on the bucket but ignores the {@code x-amz-object-lock-*} headers
     * of PutObject, so the retention Tributary sends is checked on the requests themselves, as the
     * SDK sends them, and the refusal of overwrites on the server's answers.
     */
    @Test
    void immutableBucketsAreCreatedWithObjectLockAndObjectsAreSentWithComplianceRetention() throws Exception {
        java.util.List<software.amazon.awssdk.services.s3.model.PutObjectRequest> puts = new java.util.concurrent.CopyOnWriteArrayList<>();
        software.amazon.awssdk.core.interceptor.ExecutionInterceptor recorder = new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
            @Override
            public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                    software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                if (context.request() instanceof software.amazon.awssdk.services.s3.model.PutObjectRequest put) {
                    puts.add(put);
                }
            }
        };
        try (S3ObjectStore recorded = new S3ObjectStore(config(scratch.resolve("s3-recorded")), clock, java.util.List.of(recorder))) {
            recorded.createBucket(BucketSpec.immutable("vault", java.time.Duration.ofDays(30)));
            Location log = Location.parse("s3://vault/aws-1.json");
            recorded.put(log, new byte[] {1});
            assertThat(recorded.putIfAbsent(log, new byte[] {2})).isFalse();
            assertThat(recorded.readAllBytes(log)).containsExactly(1);
        }
        try (S3Client s3 = server.client()) {
            assertThat(s3.getObjectLockConfiguration(b -> b.bucket("vault")).objectLockConfiguration().objectLockEnabledAsString())
                    .isEqualTo("Enabled");
        }
        assertThat(puts).hasSize(2).allSatisfy(put -> {
            assertThat(put.ifNoneMatch()).isEqualTo("*");
            assertThat(put.objectLockModeAsString()).isEqualTo("COMPLIANCE");
            assertThat(put.objectLockRetainUntilDate()).isEqualTo(clock.instant().plus(java.time.Duration.ofDays(30)));
        });
    }
}
