package io.tributary.bench;

import static java.util.Objects.requireNonNull;

import io.tributary.auth.Principal;
import io.tributary.generate.RetailRecords;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.lake.local.LocalObjectStore;
import io.tributary.server.ConfigKeys;
import io.tributary.server.TributaryConfig;
import io.tributary.server.TributaryServer;
import io.tributary.sql.Compaction;
import io.tributary.sql.QueryExecution;
import io.tributary.sql.QueryState;
import io.tributary.sql.QuerySubmission;
import io.tributary.sql.SqlService;
import io.tributary.sql.catalog.TableName;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code tributary bench sql}: generated retail rows written in the lab's layout (NDJSON, one folder
 * per hour), then in one run: MSCK REPAIR TABLE over 1,000 partitions, compaction of every hour to
 * Parquet (MB/s of JSON read), and the lab's monthly-revenue query on the JSON table and on the
 * compacted Parquet table, each through Tributary's query service and as a hand-written query on a
 * plain DuckDB over the same files, to show Tributary's overhead. The plain DuckDB query is run twice:
 * as the lab writes it, and grouped by calendar parts as Tributary's translation runs it, so the
 * gain of the translation and the cost of the service are shown apart.
 *
 * <p>Not thread-safe; one run at a time.
 */
public final class SqlBenchmark {
    /**
     * @param rows generated retail rows
     * @param hours hourly partitions they are spread over (the lab's layout)
     * @param filesPerHour objects per hour, as a delivery stream would write
     * @param runs measured runs of each query (after one warm-up run)
     */
    public record Options(long rows, int hours, int filesPerHour, int runs, int mscPartitions, Path workDir) {
        public Options {
            requireNonNull(workDir, "workDir is null");
        }
    }

    /** Times in milliseconds; medians of the measured runs. */
    public record Report(String machine, long rows, int hours, long jsonBytes, long parquetBytes, double generateSeconds,
            long mscPartitions, double msckMillis, double compactionSeconds, double compactionMegabytesPerSecond,
            double jsonFirstMillis, double jsonMillis, double jsonRawMillis, double parquetMillis, double parquetRawMillis,
            double jsonOverheadPercent, double parquetOverheadPercent, double parquetSpeedup, double jsonRawByPartsMillis,
            double parquetRawByPartsMillis, double jsonOverheadByPartsPercent, double parquetOverheadByPartsPercent, List<String> monthlyRevenue) {}

    private static final String BUCKET = "bench-lake";
    private static final String JSON_DDL = """
            CREATE EXTERNAL TABLE bench.retail_trans_json(
              invoice string, stockcode string, description string, quantity int, invoicedate timestamp, price float,
              customer_id string, country string)
            PARTITIONED BY (year int, month int, day int, hour int)
            ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
            LOCATION 's3://bench-lake/json-data/'""";
    private static final String PARQUET_DDL = """
            CREATE EXTERNAL TABLE bench.retail_trans_parquet(
              invoice string, stockcode string, description string, quantity int, invoicedate timestamp, price float,
              customer_id string, country string)
            PARTITIONED BY (year int, month int, day int, hour int)
            ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
            LOCATION 's3://bench-lake/parquet-retail-trans/'
            TBLPROPERTIES ('parquet.compression'='SNAPPY')""";
    private static final String REVENUE = """
            SELECT date_trunc('month', invoicedate) invoice_year_month, sum(price*quantity) revenue
            FROM bench.%s
            WHERE invoicedate
                BETWEEN timestamp '2010-01-01'
                    AND timestamp '2010-12-31'
            GROUP BY date_trunc('month', invoicedate)""";    /** REVENUE as Tributary's translation runs it: grouped by year and month rather than by a truncated timestamp. */
    private static final String REVENUE_BY_PARTS = """
            SELECT date_trunc('month', min(invoicedate)) invoice_year_month, sum(price*quantity) revenue
            FROM bench.%s
            WHERE invoicedate
                BETWEEN timestamp '2010-01-01'
                    AND timestamp '2010-12-31'
            GROUP BY year(invoicedate), month(invoicedate)""";

    private static final Principal BENCH = Principal.anonymous();

    private final Options options;
    private final Consumer<String> progress;

    public SqlBenchmark(Options options, Consumer<String> progress) {
        this.options = requireNonNull(options, "options is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    public Report run() throws Exception {
        Path data = options.workDir().resolve("data");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(ConfigKeys.SERVER_DATA_DIR.name(), data.toString());
        settings.put(ConfigKeys.SERVER_PORT.name(), "0");
        settings.put(ConfigKeys.AUTH_ENABLED.name(), "false");
        settings.put(ConfigKeys.STREAM_FSYNC.name(), "never");
        settings.put(ConfigKeys.SQL_MEMORY_LIMIT.name(), "8GB");
        TributaryConfig config = TributaryConfig.load(Optional.empty(), Map.of(TributaryConfig.ADMIN_PASSWORD_ENV, "bench-password-0000"), settings);
        try (TributaryServer server = TributaryServer.start(config, Clock.systemUTC())) {
            LocalObjectStore lake = (LocalObjectStore) server.lake();
            lake.createBucket(io.tributary.lake.BucketSpec.mutable(BUCKET));
            SqlService sql = server.sql();

            long start = System.nanoTime();
            long jsonBytes = generate(lake.bucketDirectory(BUCKET).resolve("json-data"));
            double generateSeconds = (System.nanoTime() - start) / 1e9;
            progress.accept(String.format("generated %,d rows (%,d MB of NDJSON) in %d hourly partitions in %.1f s", options.rows(),
                    jsonBytes >> 20, options.hours(), generateSeconds));

            run(sql, "CREATE DATABASE bench");
            run(sql, JSON_DDL);
            run(sql, PARQUET_DDL);
            run(sql, "MSCK REPAIR TABLE bench.retail_trans_json");

            // MSCK over many partitions: one small object in each of mscPartitions hourly folders.
            writeManyPartitions(lake.bucketDirectory(BUCKET).resolve("many"), options.mscPartitions());
            run(sql, JSON_DDL.replace("retail_trans_json", "many_partitions").replace("json-data/", "many/"));
            QueryExecution msck = run(sql, "MSCK REPAIR TABLE bench.many_partitions");
            long registered = sql.catalog().partitions(new TableName("bench", "many_partitions")).size();
            progress.accept(String.format("MSCK REPAIR TABLE registered %,d partitions in %d ms", registered, msck.engineMillis()));

            Compaction compaction = server.compaction();
            long compactStart = System.nanoTime();
            long compactedJson = 0;
            for (Instant hour : hours()) {
                compactedJson += compaction.compactHour(new TableName("bench", "retail_trans_json"), new TableName("bench", "retail_trans_parquet"),
                        hour).bytesScanned();
            }
            double compactionSeconds = (System.nanoTime() - compactStart) / 1e9;
            long parquetBytes = size(lake, Location.parse("s3://" + BUCKET + "/parquet-retail-trans/"));
            progress.accept(String.format("compacted %d hours (%,d MB JSON -> %,d MB Parquet) in %.1f s: %.1f MB/s", options.hours(),
                    compactedJson >> 20, parquetBytes >> 20, compactionSeconds, compactedJson / 1048576.0 / compactionSeconds));

            Path jsonDir = lake.bucketDirectory(BUCKET).resolve("json-data");
            Path parquetDir = lake.bucketDirectory(BUCKET).resolve("parquet-retail-trans");
            String jsonFiles = "read_json('" + jsonDir + "/*/*/*/*/*.json', format = 'newline_delimited', "
                    + "columns = {'Invoice': 'VARCHAR', 'StockCode': 'VARCHAR', 'Description': 'VARCHAR', 'Quantity': 'INTEGER', "
                    + "'InvoiceDate': 'TIMESTAMP', 'Price': 'FLOAT', 'Customer_ID': 'VARCHAR', 'Country': 'VARCHAR'}, hive_partitioning = true)";
            String parquetFiles = "read_parquet('" + parquetDir + "/*/*/*/*/*', hive_partitioning = true)";
            String rawJson = REVENUE.replace("bench.%s", jsonFiles);
            String rawParquet = REVENUE.replace("bench.%s", parquetFiles);
            String rawJsonByParts = REVENUE_BY_PARTS.replace("bench.%s", jsonFiles);
            String rawParquetByParts = REVENUE_BY_PARTS.replace("bench.%s", parquetFiles);

            double jsonFirst = timeTributary(sql, REVENUE.formatted("retail_trans_json"));
            List<String> revenue = rows(sql, REVENUE.formatted("retail_trans_json") + " ORDER BY 1");
            double[] results = new double[6];
            try (Connection raw = DriverManager.getConnection("jdbc:duckdb:")) {
                try (Statement s = raw.createStatement()) {
                    s.execute("SET threads = " + Runtime.getRuntime().availableProcessors());
                    s.execute("SET memory_limit = '8GB'");
                    // As Tributary's engine runs: footers of the many small hourly files stay cached between queries.
                    s.execute("SET parquet_metadata_cache = true");
                }
                timeRaw(raw, rawJson);
                timeRaw(raw, rawParquet);
                timeRaw(raw, rawParquetByParts);
                timeTributary(sql, REVENUE.formatted("retail_trans_parquet"));
                // Interleaved so that all see the same machine load.
                List<Double> json = new ArrayList<>();
                List<Double> jsonRaw = new ArrayList<>();
                List<Double> jsonRawByParts = new ArrayList<>();
                List<Double> parquet = new ArrayList<>();
                List<Double> parquetRaw = new ArrayList<>();
                List<Double> parquetRawByParts = new ArrayList<>();
                for (int i = 0; i < options.runs(); i++) {
                    json.add(timeTributary(sql, REVENUE.formatted("retail_trans_json")));
                    jsonRaw.add(timeRaw(raw, rawJson));
                    jsonRawByParts.add(timeRaw(raw, rawJsonByParts));
                    parquet.add(timeTributary(sql, REVENUE.formatted("retail_trans_parquet")));
                    parquetRaw.add(timeRaw(raw, rawParquet));
                    parquetRawByParts.add(timeRaw(raw, rawParquetByParts));
                    progress.accept(String.format("run %d: JSON %.0f ms (raw DuckDB %.0f ms, by parts %.0f ms), Parquet %.0f ms (raw DuckDB %.0f ms, "
                            + "by parts %.0f ms)", i + 1, json.get(i), jsonRaw.get(i), jsonRawByParts.get(i), parquet.get(i), parquetRaw.get(i),
                            parquetRawByParts.get(i)));
                }
                results[0] = median(json);
                results[1] = median(jsonRaw);
                results[2] = median(parquet);
                results[3] = median(parquetRaw);
                results[4] = median(jsonRawByParts);
                results[5] = median(parquetRawByParts);
            }
            return new Report(Machine.describe(data), options.rows(), options.hours(), jsonBytes, parquetBytes, generateSeconds, registered,
                    msck.engineMillis(), compactionSeconds, compactedJson / 1048576.0 / compactionSeconds, jsonFirst, results[0], results[1],
                    results[2], results[3], (results[0] / results[1] - 1) * 100, (results[2] / results[3] - 1) * 100, results[0] / results[2],
                    results[4], results[5], (results[0] / results[4] - 1) * 100, (results[2] / results[5] - 1) * 100, revenue);
        }
    }

    private List<Instant> hours() {
        List<Instant> out = new ArrayList<>();
        Instant first = Instant.parse("2026-11-20T00:00:00Z");
        for (int h = 0; h < options.hours(); h++) {
            out.add(first.plus(Duration.ofHours(h)));
        }
        return out;
    }

    /**
     * NDJSON retail records in the lab's folders. Invoice dates run through 2010 in order, at minute
     * resolution, about 19 lines per minute: the real Online Retail II sample has 20 lines per invoice
     * and one date per invoice, to the minute, and a delivery stream writes records in arrival order.
     */
    private long generate(Path root) throws IOException {
        RetailRecords records = new RetailRecords(42);
        long perHour = options.rows() / options.hours();
        long perFile = Math.max(1, perHour / options.filesPerHour());
        long bytes = 0;
        long written = 0;
        long yearMinutes = Duration.ofDays(365).toMinutes();
        Instant year = Instant.parse("2010-01-01T00:00:00Z");
        List<Instant> hours = hours();
        for (int h = 0; h < hours.size(); h++) {
            ZonedDateTime t = hours.get(h).atZone(ZoneOffset.UTC);
            Path dir = root.resolve(String.format("year=%d/month=%02d/day=%02d/hour=%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                    t.getHour()));
            Files.createDirectories(dir);
            long inHour = h == hours.size() - 1 ? options.rows() - written : perHour;
            for (int f = 0; f < options.filesPerHour() && inHour > 0; f++) {
                long n = f == options.filesPerHour() - 1 ? inHour : Math.min(perFile, inHour);
                Path file = dir.resolve("retail-trans-delivery-1-" + h + "-" + f + ".json");
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
                    for (long i = 0; i < n; i++) {
                        long k = written + i;
                        byte[] record = records.next(year.plus(Duration.ofMinutes(k * yearMinutes / options.rows())));
                        out.write(record);
                        if (record[record.length - 1] != '\n') {
                            out.write('\n');
                        }
                    }
                }
                bytes += Files.size(file);
                written += n;
                inHour -= n;
            }
        }
        return bytes;
    }

    private static void writeManyPartitions(Path root, int partitions) throws IOException {
        Instant first = Instant.parse("2026-01-01T00:00:00Z");
        byte[] one = "{\"Invoice\":\"1\"}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int h = 0; h < partitions; h++) {
            ZonedDateTime t = first.plus(Duration.ofHours(h)).atZone(ZoneOffset.UTC);
            Path dir = root.resolve(String.format("year=%d/month=%02d/day=%02d/hour=%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                    t.getHour()));
            Files.createDirectories(dir);
            Files.write(dir.resolve("part.json"), one);
        }
    }

    private static long size(LocalObjectStore lake, Location prefix) {
        try (Stream<ObjectInfo> objects = lake.list(prefix)) {
            return objects.mapToLong(ObjectInfo::size).sum();
        }
    }

    private static QueryExecution run(SqlService sql, String statement) {
        QueryExecution e = sql.run(QuerySubmission.of(statement, "default", BENCH));
        if (e.state() != QueryState.SUCCEEDED) {
            throw new IllegalStateException("benchmark statement failed: " + e.stateReason().orElse("?") + "\n" + statement);
        }
        return e;
    }

    private static List<String> rows(SqlService sql, String statement) {
        QueryExecution e = run(sql, statement);
        return sql.results(e.id(), BENCH, 0, 100).rows().stream().map(r -> String.join(" ", Arrays.asList(r))).toList();
    }

    /** Wall time of the whole query through the service: parse, plan, run, write the result CSV to the lake. */
    private static double timeTributary(SqlService sql, String statement) {
        long start = System.nanoTime();
        run(sql, statement);
        return (System.nanoTime() - start) / 1e6;
    }

    private static double timeRaw(Connection raw, String statement) throws Exception {
        long start = System.nanoTime();
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(statement)) {
            while (rs.next()) {
                rs.getString(1);
                rs.getDouble(2);
            }
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
