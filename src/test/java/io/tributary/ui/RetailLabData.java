package io.tributary.ui;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.client.TributaryClient;
import io.tributary.common.Json;
import io.tributary.generate.GeneratedRecord;
import io.tributary.generate.KinesisSender;
import io.tributary.generate.ReplaySource;
import io.tributary.sql.parser.ScriptSplitter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * The lab's data the way the lab gets it: the Online Retail II sample replayed into the
 * {@code retail-trans} stream, delivered into the lake by a delivery stream, and the lab's own
 * {@code CREATE DATABASE}, {@code CREATE EXTERNAL TABLE} and {@code MSCK REPAIR TABLE} statements
 * run over it, so {@code mydatabase.retail_trans_json} holds the sample.
 *
 * <p>{@link #monthlyTotals()} is computed straight from the sample file, independently of the server.
 */
public final class RetailLabData {
    public static final Path SAMPLE = Path.of("samples/online-retail-ii.ndjson.gz");
    public static final String LAB_BUCKET = "aws-analytics-immersion-day-xxxxxxxx";
    public static final Path LAB_SQL = Path.of("src/test/resources/athena-lab/01-lab-walkthrough.sql");
    public static final Path SAMPLE_QUERIES = Path.of("src/test/resources/athena-lab/02-sample-queries.sql");

    /** Per calendar month of InvoiceDate: sum(price), sum(quantity), sum(price*quantity). */
    public record MonthTotals(double price, long quantity, double revenue) {}

    private RetailLabData() {}

    /** Delivers the sample and declares the lab's table; the client must be allowed to do both. */
    public static void load(TributaryClient client) {
        requireNonNull(client, "client is null");
        String pipeline = """
                pipeline:
                  streams:
                    - name: retail-trans
                      shards: 2
                  buckets:
                    - name: %1$s
                  delivery-streams:
                    - name: retail-trans-delivery
                      source: retail-trans
                      destination: s3://%1$s
                      prefix: "json-data/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
                      error-output-prefix: "error-json/!{firehose:error-output-type}/"
                      buffering: {size: 128MB, interval: 900s}
                """.formatted(LAB_BUCKET);
        client.post("/api/pipeline/apply", pipeline.getBytes(StandardCharsets.UTF_8), "application/yaml");
        List<GeneratedRecord> records = new ArrayList<>();
        try (ReplaySource source = new ReplaySource(SAMPLE, ReplaySource.Dates.KEEP, "Invoice", Instant.now())) {
            Optional<GeneratedRecord> r;
            while ((r = source.next(Instant.now())).isPresent()) {
                records.add(r.get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KinesisSender sender = new KinesisSender(client, "retail-trans");
        for (int i = 0; i < records.size(); i += 500) {
            List<GeneratedRecord> batch = records.subList(i, Math.min(records.size(), i + 500));
            if (sender.send(batch).accepted() != batch.size()) {
                throw new IllegalStateException("the stream refused part of a batch of the sample");
            }
        }
        client.post("/api/delivery-streams/retail-trans-delivery/flush", Json.mapper().createObjectNode());
        List<String> statements;
        try {
            statements = ScriptSplitter.split(Files.readString(LAB_SQL));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // CREATE DATABASE, CREATE EXTERNAL TABLE, MSCK REPAIR TABLE: the lab's first three statements.
        for (String sql : statements.subList(0, 3)) {
            run(client, sql);
        }
    }

    /** Runs a statement to its end through the REST API; fails with the server's reason. */
    public static JsonNode run(TributaryClient client, String sql) {
        JsonNode e = client.post("/api/queries", Json.mapper().createObjectNode().put("query", sql).put("database", "mydatabase")
                .put("wait", true).put("waitSeconds", 120));
        if (!e.path("state").asText().equals("SUCCEEDED")) {
            throw new IllegalStateException("lab statement failed: " + e.path("stateReason").asText() + "\n" + sql);
        }
        return e;
    }

    /** The lab's monthly-revenue query (the first statement of its sample queries reading the table). */
    public static String monthlyRevenueSql() {
        try {
            return ScriptSplitter.split(Files.readString(SAMPLE_QUERIES)).stream()
                    .filter(s -> s.startsWith("SELECT date_trunc('month', invoicedate)") && s.contains("retail_trans_json"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("the lab's monthly revenue query is missing from " + SAMPLE_QUERIES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Totals per month, read from the sample file itself. */
    public static Map<YearMonth, MonthTotals> monthlyTotals() {
        Map<YearMonth, double[]> sums = new TreeMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(SAMPLE)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = Json.mapper().readTree(line);
                YearMonth month = YearMonth.parse(n.path("InvoiceDate").asText().substring(0, 7));
                double[] s = sums.computeIfAbsent(month, m -> new double[3]);
                float price = (float) n.path("Price").asDouble();
                int quantity = n.path("Quantity").asInt();
                s[0] += price;
                s[1] += quantity;
                s[2] += (double) price * quantity;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<YearMonth, MonthTotals> out = new TreeMap<>();
        sums.forEach((m, s) -> out.put(m, new MonthTotals(s[0], (long) s[1], s[2])));
        return out;
    }
}
