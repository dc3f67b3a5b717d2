package io.tributary.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.client.ClientException;
import io.tributary.client.TributaryClient;
import io.tributary.lake.BucketSpec;
import io.tributary.lake.Location;
import io.tributary.server.TestingServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lake browser's Parquet preview over real Parquet written by DuckDB and read back through the server. */
class LakeRowsRoutesTest {
    @TempDir
    static Path dir;

    private static TestingServer server;
    private static TributaryClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestingServer.start(dir.resolve("data"));
        client = server.client();
        server.server().lake().createBucket(BucketSpec.mutable("preview-lake"));
        Path file = dir.resolve("rows.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT i AS id, 'item-' || i AS name, i * 1.5 AS price, i % 2 = 0 AS even FROM range(1, 31) t(i)) TO '"
                    + file + "' (FORMAT PARQUET)");
        }
        server.server().lake().put(Location.parse("s3://preview-lake/tables/rows.parquet"), file);
        server.server().lake().put(Location.parse("s3://preview-lake/tables/broken.parquet"), "PAR1 this is not parquet".getBytes(StandardCharsets.UTF_8));
        server.server().lake().put(Location.parse("s3://preview-lake/tables/it's.parquet"), file);
        server.server().lake().put(Location.parse("s3://preview-lake/text/a.json"), "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String rows(String location, String extra) {
        return "/api/lake/rows?location=" + URLEncoder.encode(location, StandardCharsets.UTF_8) + extra;
    }

    @Test
    void firstRowsWithColumnsAndTypes() {
        JsonNode out = client.get(rows("s3://preview-lake/tables/rows.parquet", "&limit=5"));
        assertThat(out.path("format").asText()).isEqualTo("parquet");
        assertThat(out.path("columns").findValuesAsText("name")).containsExactly("id", "name", "price", "even");
        assertThat(out.path("rows")).hasSize(5);
        assertThat(out.path("truncated").asBoolean()).isTrue();
        for (int i = 0; i < 5; i++) {
            JsonNode row = out.path("rows").get(i);
            int id = i + 1;
            assertThat(row.path("id").asLong()).isEqualTo(id);
            assertThat(row.path("name").asText()).isEqualTo("item-" + id);
            assertThat(row.path("price").decimalValue()).isEqualByComparingTo(java.math.BigDecimal.valueOf(id * 1.5));
            assertThat(row.path("even").isBoolean()).isTrue();
            assertThat(row.path("even").asBoolean()).isEqualTo(id % 2 == 0);
        }
    }

    @Test
    void wholeSmallObjectIsNotTruncated() {
        JsonNode out = client.get(rows("s3://preview-lake/tables/rows.parquet", "&limit=1000"));
        assertThat(out.path("rows")).hasSize(30);
        assertThat(out.path("truncated").asBoolean()).isFalse();
        assertThat(client.get(rows("s3://preview-lake/tables/it's.parquet", "")).path("rows")).as("default limit 20").hasSize(20);
    }

    @Test
    void badInputIsRefusedWithAReason() {
        assertStatus(rows("s3://preview-lake/tables/broken.parquet", ""), 400, "not a readable Parquet file");
        assertStatus(rows("s3://preview-lake/text/a.json", ""), 400, "/api/lake/preview");
        assertStatus(rows("s3://preview-lake/tables/missing.parquet", ""), 404, "does not exist");
        assertStatus(rows("s3://no-such-bucket/x.parquet", ""), 404, "no-such-bucket");
        assertStatus("/api/lake/rows", 400, "location");
        assertStatus(rows("s3://preview-lake/../etc/passwd.parquet", ""), 400, "");
        assertStatus(rows("s3://preview-lake/tables/rows.parquet", "&limit=0"), 400, "limit");
        assertStatus(rows("s3://preview-lake/tables/rows.parquet", "&limit=99999999"), 400, "limit");
        assertStatus(rows("s3://preview-lake/tables/rows.parquet", "&limit=abc"), 400, "limit");
        assertStatus(rows("s3://preview-lake/" + "x".repeat(5000) + ".parquet", ""), 400, "");
    }

    @Test
    void anonymousRequestsAreRefused() {
        assertThatThrownBy(() -> server.anonymousClient().get(rows("s3://preview-lake/tables/rows.parquet", "")))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    private static void assertStatus(String path, int status, String messagePart) {
        assertThatThrownBy(() -> client.get(path)).isInstanceOfSatisfying(ClientException.class, e -> {
            assertThat(e.status()).as(path).isEqualTo(status);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }
}
