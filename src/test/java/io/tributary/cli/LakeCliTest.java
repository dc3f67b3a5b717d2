package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.Json;
import io.tributary.lake.BucketSpec;
import io.tributary.lake.Location;
import io.tributary.testing.ForkedJvm;
import io.tributary.testing.ForkedJvm.Result;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code tributary delivery} and {@code tributary lake} as a user runs them, in a separate JVM. */
class LakeCliTest extends CliServerTest {
    /** Runs after {@link CliServerTest#startServer}: JUnit runs a superclass's {@code @BeforeAll} first. */
    @BeforeAll
    static void createLakeAndDeliveryStream() throws Exception {
        server.server().lake().createBucket(BucketSpec.mutable("cli-lake"));
        server.client().post("/api/pipeline/apply", """
                pipeline:
                  streams:
                    - name: cli-src
                  delivery-streams:
                    - name: cli-delivery
                      source: cli-src
                      destination: s3://cli-lake
                      prefix: out/
                      compression: GZIP
                """.getBytes(StandardCharsets.UTF_8), "application/yaml");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("{\"line\":1}\n{\"line\":2}\n".getBytes(StandardCharsets.UTF_8));
        }
        server.server().lake().put(Location.parse("s3://cli-lake/manual/part-1.json.gz"), gz.toByteArray());
    }

    @Test
    void deliveryListDescribeAndFlush() throws Exception {
        server.client().kinesis("PutRecord", Json.mapper().createObjectNode().put("StreamName", "cli-src").put("PartitionKey", "k")
                .put("Data", "{\"from\":\"cli\"}".getBytes(StandardCharsets.UTF_8)));
        Result list = ForkedJvm.run(env, "", "delivery", "list");
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        assertThat(list.stdout()).contains("cli-delivery").contains("cli-src").contains("s3://cli-lake/out/").contains("GZIP");
        Result flush = ForkedJvm.run(env, "", "delivery", "flush", "cli-delivery");
        assertThat(flush.exitCode()).as(flush.stderr()).isZero();
        assertThat(flush.stdout()).contains("Flushed cli-delivery");
        Result describe = ForkedJvm.run(env, "", "delivery", "describe", "cli-delivery");
        assertThat(describe.stdout()).contains("delivered          1 records in 1 objects");
        Result missing = ForkedJvm.run(env, "", "delivery", "describe", "no-such-delivery");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.stderr()).contains("no-such-delivery");
    }

    @Test
    void lakeLsAndCatDecompressByExtension() throws Exception {
        Result buckets = ForkedJvm.run(env, "", "lake", "ls");
        assertThat(buckets.stdout()).contains("s3://cli-lake/");
        Result ls = ForkedJvm.run(env, "", "lake", "ls", "s3://cli-lake/manual/");
        assertThat(ls.exitCode()).as(ls.stderr()).isZero();
        assertThat(ls.stdout()).contains("manual/part-1.json.gz");
        Result cat = ForkedJvm.run(env, "", "lake", "cat", "s3://cli-lake/manual/part-1.json.gz");
        assertThat(cat.exitCode()).as(cat.stderr()).isZero();
        assertThat(cat.stdout()).isEqualTo("{\"line\":1}\n{\"line\":2}\n");
        Result hostile = ForkedJvm.run(env, "", "lake", "cat", "s3://cli-lake/../../etc/passwd");
        assertThat(hostile.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(hostile.stderr()).contains("'..'");
        Result notS3 = ForkedJvm.run(env, "", "lake", "ls", "/etc");
        assertThat(notS3.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(notS3.stderr()).contains("must start with s3://");
    }
}
