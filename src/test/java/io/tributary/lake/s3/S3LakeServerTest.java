package io.tributary.lake.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.lake.Location;
import io.tributary.server.ConfigKeys;
import io.tributary.server.DemoPipeline;
import io.tributary.server.TestingServer;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The same pipeline on S3 by configuration only: a server with {@code lake.store: s3} against a
 * real S3 API server delivers the demo's stream into the lab's layout there, and immutable buckets
 * refuse overwrite and delete through it.
 */
class S3LakeServerTest {
    @TempDir
    Path dir;

    @Test
    void theDemoPipelineDeliversToS3WhenConfiguredSo() throws Exception {
        Path root = Files.createDirectories(dir.resolve("s3mock"));
        try (S3MockServer s3mock = new S3MockServer(root);
                TestingServer server = TestingServer.start(dir.resolve("data"), Map.of(
                        ConfigKeys.LAKE_STORE.name(), "s3",
                        ConfigKeys.LAKE_S3_ENDPOINT.name(), s3mock.endpoint().toString(),
                        ConfigKeys.LAKE_S3_PATH_STYLE.name(), "true",
                        ConfigKeys.LAKE_S3_ACCESS_KEY_ID.name(), S3MockServer.ACCESS_KEY,
                        ConfigKeys.LAKE_S3_SECRET_ACCESS_KEY.name(), S3MockServer.SECRET_KEY), Map.of(), Clock.systemUTC());
                S3Client s3 = s3mock.client()) {
            assertThat(server.server().lake()).isInstanceOf(S3ObjectStore.class);
            try (InputStream in = DemoPipeline.class.getResourceAsStream("demo-pipeline.yaml")) {
                server.client().post("/api/pipeline/apply", in.readAllBytes(), "application/yaml");
            }
            server.client().post("/api/pipeline/apply", """
                    pipeline:
                      buckets:
                        - name: s3-archive
                          immutable: true
                          retention: 30d
                      delivery-streams:
                        - name: gz-copy
                          source: retail-trans
                          destination: s3://tributary-lake
                          prefix: gz/
                          compression: GZIP
                    """.getBytes(StandardCharsets.UTF_8), "application/yaml");
            List<String> sent = new ArrayList<>();
            var request = Json.mapper().createObjectNode().put("StreamName", DemoPipeline.RETAIL_STREAM);
            var records = request.putArray("Records");
            for (int i = 0; i < 50; i++) {
                String record = "{\"Invoice\":\"" + (500000 + i) + "\",\"Quantity\":" + i + "}";
                sent.add(record);
                records.addObject().put("PartitionKey", "k" + i).put("Data", record.getBytes(StandardCharsets.UTF_8));
            }
            server.client().kinesis("PutRecords", request);
            server.client().post("/api/delivery-streams/" + DemoPipeline.RETAIL_DELIVERY + "/flush", Json.mapper().createObjectNode());
            server.client().post("/api/delivery-streams/gz-copy/flush", Json.mapper().createObjectNode());

            List<String> json = new ArrayList<>();
            List<String> gz = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket("tributary-lake")).contents()) {
                byte[] bytes = s3.getObjectAsBytes(b -> b.bucket("tributary-lake").key(o.key())).asByteArray();
                if (o.key().startsWith("json-data/")) {
                    assertThat(o.key()).matches("json-data/year=\\d{4}/month=\\d{2}/day=\\d{2}/hour=\\d{2}/retail-trans-delivery-1-.*");
                    json.addAll(new String(bytes, StandardCharsets.UTF_8).lines().toList());
                } else {
                    assertThat(o.key()).startsWith("gz/").endsWith(".gz");
                    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
                        gz.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
                    }
                }
            }
            assertThat(json).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(gz).containsExactlyInAnyOrderElementsOf(sent);
            JsonNode level = server.client().get("/api/lake/list?location=" + URLEncoder.encode("s3://tributary-lake/json-data/",
                    StandardCharsets.UTF_8));
            assertThat(level.path("prefixes").get(0).asText()).startsWith("s3://tributary-lake/json-data/year=");

            Location archived = Location.parse("s3://s3-archive/aws-1.json");
            server.server().lake().put(archived, "{\"log\":1}".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> server.server().lake().put(archived, "{\"log\":2}".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IMMUTABLE));
            assertThatThrownBy(() -> server.server().lake().delete(archived))
                    .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IMMUTABLE));
            assertThat(s3.getObjectAsBytes(b -> b.bucket("s3-archive").key("aws-1.json")).asUtf8String()).isEqualTo("{\"log\":1}");
        }
    }
}
