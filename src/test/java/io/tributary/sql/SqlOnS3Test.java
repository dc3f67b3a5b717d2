package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.common.Json;
import io.tributary.generate.KinesisSender;
import io.tributary.generate.Rate;
import io.tributary.generate.RetailSource;
import io.tributary.generate.StreamGenerator;
import io.tributary.lake.s3.S3MockServer;
import io.tributary.lake.s3.S3ObjectStore;
import io.tributary.server.ConfigKeys;
import io.tributary.server.DemoPipeline;
import io.tributary.server.TestingServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQL over a lake on S3 (a real S3 API server): the demo's tables are queried through the
 * read-through cache, compaction writes Parquet back to S3, and the results CSV lands in S3.
 */
class SqlOnS3Test {
    @TempDir
    Path dir;

    @Test
    void theDemoTablesOnS3() throws Exception {
        Path root = Files.createDirectories(dir.resolve("s3mock"));
        try (S3MockServer s3mock = new S3MockServer(root);
                TestingServer server = TestingServer.start(dir.resolve("data"), Map.of(
                        ConfigKeys.LAKE_STORE.name(), "s3",
                        ConfigKeys.LAKE_S3_ENDPOINT.name(), s3mock.endpoint().toString(),
                        ConfigKeys.LAKE_S3_PATH_STYLE.name(), "true",
                        ConfigKeys.LAKE_S3_ACCESS_KEY_ID.name(), S3MockServer.ACCESS_KEY,
                        ConfigKeys.LAKE_S3_SECRET_ACCESS_KEY.name(), S3MockServer.SECRET_KEY), Map.of(), Clock.systemUTC())) {
            assertThat(server.server().lake()).isInstanceOf(S3ObjectStore.class);
            try (InputStream in = DemoPipeline.class.getResourceAsStream("demo-pipeline.yaml")) {
                server.client().post("/api/pipeline/apply", in.readAllBytes(), "application/yaml");
            }
            StreamGenerator generator = new StreamGenerator(new StreamGenerator.Options(new Rate(20_000), 2_000, 500, 2), Clock.systemUTC());
            generator.run(new RetailSource(3, Optional.empty(), new Rate(20_000)), new KinesisSender(server.client(), DemoPipeline.RETAIL_STREAM));
            server.client().post("/api/delivery-streams/" + DemoPipeline.RETAIL_DELIVERY + "/flush", Json.mapper().createObjectNode());

            JsonNode first = run(server, "SELECT count(*), sum(quantity) FROM retail_trans_json");
            JsonNode second = run(server, "SELECT count(*), sum(quantity) FROM retail_trans_json");
            assertThat(first.path("rows").get(0).get(0).asText()).isEqualTo("2000");
            assertThat(second.path("rows")).isEqualTo(first.path("rows"));
            try (Stream<Path> cached = Files.walk(dir.resolve("data").resolve("sql").resolve("cache"))) {
                assertThat(cached.filter(Files::isRegularFile).count()).isPositive();
            }

            JsonNode hour = server.client().get("/api/tables/mydatabase/retail_trans_json/partitions").get(0);
            String folder = hour.path("name").asText();
            String when = String.format("%s-%02d-%02dT%02d", hour.path("values").get(0).asText(), hour.path("values").get(1).asInt(),
                    hour.path("values").get(2).asInt(), hour.path("values").get(3).asInt());
            JsonNode compacted = server.client().post("/api/sql/compact", Json.mapper().createObjectNode().put("source", "mydatabase.retail_trans_json")
                    .put("target", "mydatabase.ctas_retail_trans_parquet").put("hour", when));
            assertThat(compacted.path("files").asInt()).as(folder).isPositive();
            JsonNode parquet = run(server, "SELECT count(*), sum(quantity) FROM ctas_retail_trans_parquet WHERE " + folder.replace("/", " AND "));
            JsonNode json = run(server, "SELECT count(*), sum(quantity) FROM retail_trans_json WHERE " + folder.replace("/", " AND "));
            assertThat(parquet.path("rows")).isEqualTo(json.path("rows"));
        }
    }

    private static JsonNode run(TestingServer server, String sql) {
        JsonNode e = server.client().post("/api/queries", Json.mapper().createObjectNode().put("query", sql).put("database", "mydatabase")
                .put("wait", true));
        assertThat(e.path("state").asText()).as(e.path("stateReason").asText()).isEqualTo("SUCCEEDED");
        assertThat(e.path("outputLocation").asText()).startsWith("s3://tributary-lake/athena-results/");
        return server.client().get("/api/queries/" + e.path("id").asText() + "/results");
    }
}
