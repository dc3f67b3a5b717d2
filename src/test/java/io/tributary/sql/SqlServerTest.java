package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cli.ExitCodes;
import io.tributary.client.ClientException;
import io.tributary.client.TributaryClient;
import io.tributary.common.Json;
import io.tributary.generate.KinesisSender;
import io.tributary.generate.Rate;
import io.tributary.generate.RetailSource;
import io.tributary.generate.StreamGenerator;
import io.tributary.server.DemoPipeline;
import io.tributary.server.TestingServer;
import io.tributary.testing.ForkedJvm;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;

/**
 * The demo's SQL resources in a running server with authentication on: declared tables whose
 * partitions the delivery stream registers as it writes them, the Athena API through the AWS SDK
 * with SigV4 (paging, stop, list, errors), the catalog REST API and the CLI.
 */
class SqlServerTest {
    @TempDir
    static Path dir;

    static TestingServer server;
    static TributaryClient client;
    static AthenaClient athena;

    @BeforeAll
    static void start() throws Exception {
        server = TestingServer.start(dir.resolve("data"));
        client = server.client();
        try (InputStream in = DemoPipeline.class.getResourceAsStream("demo-pipeline.yaml")) {
            JsonNode report = client.post("/api/pipeline/apply", in.readAllBytes(), "application/yaml");
            assertThat(report.toString()).contains("\"table\"").contains("mydatabase.retail_trans_json");
        }
        athena = AthenaClient.builder().endpointOverride(server.uri()).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(server.adminKey().accessKeyId(),
                        server.adminKey().secret())))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        athena.close();
        server.close();
    }

    static JsonNode query(String sql) {
        JsonNode e = client.post("/api/queries", Json.mapper().createObjectNode().put("query", sql).put("database", "mydatabase").put("wait", true));
        assertThat(e.path("state").asText()).as("%s: %s", sql, e.path("stateReason").asText()).isEqualTo("SUCCEEDED");
        return client.get("/api/queries/" + e.path("id").asText() + "/results");
    }

    @Test
    void deliveryRegistersPartitionsOfTheDeclaredTableAtOnce() {
        StreamGenerator generator = new StreamGenerator(new StreamGenerator.Options(new Rate(20_000), 1_000, 500, 2), Clock.systemUTC());
        assertThat(generator.run(new RetailSource(7, Optional.empty(), new Rate(20_000)), new KinesisSender(client, DemoPipeline.RETAIL_STREAM))
                .accepted()).isEqualTo(1_000);
        client.post("/api/delivery-streams/" + DemoPipeline.RETAIL_DELIVERY + "/flush", Json.mapper().createObjectNode());
        // No MSCK REPAIR TABLE: the delivery stream registered the hour's partition when it wrote it.
        JsonNode partitions = client.get("/api/tables/mydatabase/retail_trans_json/partitions");
        assertThat(partitions.size()).isBetween(1, 2);
        assertThat(partitions.get(0).path("location").asText()).startsWith("s3://tributary-lake/json-data/year=");
        assertThat(query("SELECT count(*) FROM retail_trans_json").path("rows").get(0).get(0).asText()).isEqualTo("1000");

        JsonNode table = client.get("/api/tables/mydatabase/retail_trans_json");
        assertThat(table.path("deliveryStreams").toString()).contains(DemoPipeline.RETAIL_DELIVERY);
        assertThat(table.path("columns").get(0).path("comment").asText()).isEqualTo("Invoice number");
        assertThat(client.get("/api/databases").toString()).contains("mydatabase");
        assertThat(client.get("/api/tables?database=mydatabase").toString()).contains("ctas_retail_trans_parquet");
        assertThat(client.get("/api/schedules/merge-small-files").path("task").asText()).isEqualTo("compact");
    }

    @Test
    void theAthenaApiThroughTheAwsSdk() throws Exception {
        String id = athena.startQueryExecution(b -> b.queryString("SELECT x, x * 2 AS doubled FROM UNNEST(sequence(1, 5)) AS t(x) ORDER BY x")
                .queryExecutionContext(c -> c.database("mydatabase"))).queryExecutionId();
        QueryExecutionState state;
        do {
            Thread.sleep(20);
            state = athena.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution().status().state();
        } while (state == QueryExecutionState.QUEUED || state == QueryExecutionState.RUNNING);
        assertThat(state).isEqualTo(QueryExecutionState.SUCCEEDED);
        var execution = athena.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution();
        assertThat(execution.resultConfiguration().outputLocation()).isEqualTo("s3://tributary-lake/athena-results/" + id + ".csv");
        assertThat(execution.statementType().toString()).isEqualTo("DML");

        GetQueryResultsResponse first = athena.getQueryResults(b -> b.queryExecutionId(id).maxResults(3));
        assertThat(first.resultSet().rows().get(0).data().get(1).varCharValue()).isEqualTo("doubled");
        assertThat(first.resultSet().rows()).hasSize(3);
        assertThat(first.resultSet().resultSetMetadata().columnInfo().get(0).type()).isEqualTo("bigint");
        GetQueryResultsResponse rest = athena.getQueryResults(b -> b.queryExecutionId(id).maxResults(10).nextToken(first.nextToken()));
        assertThat(rest.resultSet().rows().stream().map(r -> r.data().get(1).varCharValue()).toList()).containsExactly("6", "8", "10");
        assertThat(rest.nextToken()).isNull();
        String csv = new String(server.server().lake().readAllBytes(io.tributary.lake.Location.parse(execution.resultConfiguration().outputLocation())));
        assertThat(csv).startsWith("\"x\",\"doubled\"\n\"1\",\"2\"\n");

        String slow = athena.startQueryExecution(b -> b.queryString("SELECT sum(a * b * c) FROM UNNEST(sequence(1, 10000)) AS x(a) "
                + "CROSS JOIN UNNEST(sequence(1, 10000)) AS y(b) CROSS JOIN UNNEST(sequence(1, 10000)) AS z(c)")).queryExecutionId();
        Thread.sleep(300);
        athena.stopQueryExecution(b -> b.queryExecutionId(slow));
        QueryExecutionState stopped;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        do {
            Thread.sleep(50);
            stopped = athena.getQueryExecution(b -> b.queryExecutionId(slow)).queryExecution().status().state();
        } while (stopped != QueryExecutionState.CANCELLED && System.nanoTime() < deadline);
        assertThat(stopped).isEqualTo(QueryExecutionState.CANCELLED);

        String bad = athena.startQueryExecution(b -> b.queryString("SELECT * FROM nope")).queryExecutionId();
        var failed = awaitEnd(bad);
        assertThat(failed.status().state()).isEqualTo(QueryExecutionState.FAILED);
        assertThat(failed.status().athenaError().errorCategory()).isEqualTo(2);
        assertThat(failed.status().stateChangeReason()).isEqualTo("Table 'default.nope' does not exist");

        assertThat(athena.listQueryExecutions(b -> b.maxResults(50)).queryExecutionIds()).contains(id, slow, bad);
        assertThatThrownBy(() -> athena.getQueryExecution(b -> b.queryExecutionId("no-such-query")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no-such-query was not found");
        assertThatThrownBy(() -> athena.getQueryResults(b -> b.queryExecutionId(bad)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Current state: FAILED");
    }

    private static software.amazon.awssdk.services.athena.model.QueryExecution awaitEnd(String id) throws InterruptedException {
        while (true) {
            var e = athena.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution();
            if (e.status().state() != QueryExecutionState.QUEUED && e.status().state() != QueryExecutionState.RUNNING) {
                return e;
            }
            Thread.sleep(20);
        }
    }

    @Test
    void unauthenticatedCallersGetNothing() {
        assertThatThrownBy(() -> server.anonymousClient().get("/api/databases")).isInstanceOf(ClientException.class)
                .satisfies(e -> assertThat(((ClientException) e).status()).isEqualTo(401));
    }

    @Test
    void theCliRunsStatementsAndPrintsTablesCsvAndJson() throws Exception {
        Map<String, String> env = Map.of("TRIBUTARY_SERVER", server.uri().toString(), "TRIBUTARY_ACCESS_KEY_ID", server.adminKey().accessKeyId(),
                "TRIBUTARY_SECRET_ACCESS_KEY", server.adminKey().secret(), "HOME", dir.toString());
        ForkedJvm.Result table = ForkedJvm.run(env, "", "sql", "--database", "mydatabase", "SHOW TABLES");
        assertThat(table.exitCode()).as(table.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(table.stdout()).contains("tab_name").contains("ctas_retail_trans_parquet").contains("retail_trans_json");
        ForkedJvm.Result csv = ForkedJvm.run(env, "", "sql", "--format", "csv", "SELECT 1 AS a, 'x' AS b");
        assertThat(csv.stdout()).isEqualTo("\"a\",\"b\"\n\"1\",\"x\"\n");
        ForkedJvm.Result json = ForkedJvm.run(env, "", "sql", "--format", "json", "SELECT NULL AS a");
        assertThat(json.stdout().trim()).isEqualTo("{\"a\":null}");
        ForkedJvm.Result failed = ForkedJvm.run(env, "", "sql", "SELECT * FROM nope");
        assertThat(failed.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(failed.stderr()).contains("FAILED: Table 'default.nope' does not exist");
        ForkedJvm.Result shell = ForkedJvm.run(env, "USE mydatabase;\nSELECT count(*) AS n\nFROM ctas_retail_trans_parquet;\nquit\n", "sql");
        assertThat(shell.stdout()).contains("mydatabase> ").contains("n\n0");
        assertThat(java.nio.file.Files.readString(dir.resolve(".tributary_sql_history"))).contains("USE mydatabase;");
        ForkedJvm.Result compact = ForkedJvm.run(env, "", "compact", "--source", "mydatabase.retail_trans_json", "--target",
                "mydatabase.ctas_retail_trans_parquet", "--hour", "2026-01-01T10");
        assertThat(compact.exitCode()).as(compact.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(compact.stdout()).contains("0 rows");
    }
}
