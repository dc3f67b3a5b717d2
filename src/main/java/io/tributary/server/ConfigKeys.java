package io.tributary.server;

import io.tributary.config.ConfigKey;
import java.util.List;

/**
 * Every scalar configuration key the server reads, with its default and meaning. This list is
 * the source of truth that {@code docs/configuration.md} is checked against.
 */
public final class ConfigKeys {
    public static final ConfigKey SERVER_HOST = ConfigKey.of("server.host", "127.0.0.1",
            "Interface the HTTP listeners bind to; 0.0.0.0 for all interfaces.");
    public static final ConfigKey SERVER_PORT = ConfigKey.of("server.port", "8080",
            "Port of the main listener: web UI, REST API and the Kinesis, Firehose and Athena APIs.");
    public static final ConfigKey SERVER_SEARCH_PORT = ConfigKey.of("server.search-port", "9200",
            "Port of the OpenSearch-compatible API.");
    public static final ConfigKey SERVER_DATA_DIR = ConfigKey.of("server.data-dir", "./data",
            "Directory holding everything the server stores: stream log, lake, metadata, indexes.");
    public static final ConfigKey SERVER_REGION = ConfigKey.of("server.region", "us-east-1",
            "Region name used in ARNs returned by the AWS-compatible APIs.");
    public static final ConfigKey SERVER_MAX_REQUEST_SIZE = ConfigKey.of("server.max-request-size", "16MB",
            "Largest request body accepted; larger requests get 413.");
    public static final ConfigKey SERVER_METRICS_PUBLIC = ConfigKey.of("server.metrics-public", "false",
            "Serve /metrics without authentication (for a Prometheus scraper without credentials).");
    public static final ConfigKey SERVER_METRICS_ROLE = ConfigKey.optional("server.metrics-role",
            "When set (and server.metrics-public is false), only principals holding this role (or all_access) may read /metrics; unset, any authenticated principal may.");
    public static final ConfigKey SERVER_SESSION_IDLE_TIMEOUT = ConfigKey.of("server.session-idle-timeout", "12h",
            "A web login session unused this long ends; the user logs in again.");
    public static final ConfigKey SERVER_SESSION_LIFETIME = ConfigKey.of("server.session-lifetime", "7d",
            "A web login session ends this long after login, however busy it is.");
    public static final ConfigKey SERVER_TLS_CERTIFICATE = ConfigKey.optional("server.tls.certificate",
            "PEM certificate chain, or a PKCS#12 keystore (.p12/.pfx); when set, every listener serves HTTPS.");
    public static final ConfigKey SERVER_TLS_PRIVATE_KEY = ConfigKey.optional("server.tls.private-key",
            "PEM private key (PKCS#8, or PKCS#1 RSA) for a PEM certificate.");
    public static final ConfigKey SERVER_TLS_PASSWORD = ConfigKey.optional("server.tls.password",
            "Password of a PKCS#12 keystore.");

    public static final ConfigKey AUTH_ENABLED = ConfigKey.of("auth.enabled", "true",
            "Require authentication on every listener; --no-auth sets it to false.");
    public static final ConfigKey AUTH_LOGIN_FAILURES_PER_USER = ConfigKey.of("auth.login-failures-per-user", "5",
            "Failed web logins for one user name within auth.login-window before further tries get 429 until the window passes.");
    public static final ConfigKey AUTH_LOGIN_FAILURES_PER_ADDRESS = ConfigKey.of("auth.login-failures-per-address", "30",
            "Failed web logins from one client address within auth.login-window before further tries get 429.");
    public static final ConfigKey AUTH_LOGIN_WINDOW = ConfigKey.of("auth.login-window", "1m",
            "The window in which failed web logins are counted.");

    public static final ConfigKey STREAM_FSYNC = ConfigKey.of("stream.fsync", "always",
            "When appends are forced to disk: always (before acknowledging), interval, or never.");
    public static final ConfigKey STREAM_FSYNC_INTERVAL = ConfigKey.of("stream.fsync-interval", "1s",
            "How often the log is forced to disk when stream.fsync is interval.");
    public static final ConfigKey STREAM_SEGMENT_SIZE = ConfigKey.of("stream.segment-size", "128MB",
            "A shard's segment file rolls over at this size; retention deletes whole segments.");
    public static final ConfigKey STREAM_RETENTION = ConfigKey.of("stream.retention", "24h",
            "Records older than this are deleted (as Kinesis's default retention period).");
    public static final ConfigKey STREAM_RETENTION_SIZE = ConfigKey.of("stream.retention-size", "0",
            "Per shard, oldest segments are deleted while the shard is larger than this; 0 for no limit.");
    public static final ConfigKey STREAM_MAX_IN_FLIGHT = ConfigKey.of("stream.max-in-flight", "256MB",
            "Appends are refused with ProvisionedThroughputExceededException while this many bytes wait for the disk.");

    public static final ConfigKey INGEST_ITERATOR_TTL = ConfigKey.of("ingest.iterator-ttl", "5m",
            "How long a Kinesis shard iterator stays valid.");
    public static final ConfigKey INGEST_PARTITION_KEY_FIELD = ConfigKey.optional("ingest.partition-key-field",
            "JSON field (dotted path) used as partition key by POST /streams/{name}/records; random when unset.");

    // Lake and delivery (issue 3).
    public static final ConfigKey LAKE_STORE = ConfigKey.of("lake.store", "local",
            "Where the lake's buckets live: local (a directory per bucket under <data-dir>/lake) or s3 (any S3-compatible service).");
    public static final ConfigKey LAKE_LIFECYCLE_INTERVAL = ConfigKey.of("lake.lifecycle-interval", "1h",
            "How often buckets' lifecycle rules delete expired objects.");
    public static final ConfigKey LAKE_S3_ENDPOINT = ConfigKey.optional("lake.s3.endpoint",
            "Endpoint of an S3-compatible service (http://host:port); unset for AWS S3 in lake.s3.region.");
    public static final ConfigKey LAKE_S3_REGION = ConfigKey.of("lake.s3.region", "us-east-1",
            "Region of the S3 service.");
    public static final ConfigKey LAKE_S3_PATH_STYLE = ConfigKey.of("lake.s3.path-style", "false",
            "Address buckets as http://endpoint/bucket (most S3-compatible servers) instead of http://bucket.endpoint.");
    public static final ConfigKey LAKE_S3_ACCESS_KEY_ID = ConfigKey.optional("lake.s3.access-key-id",
            "Access key id for S3; unset to use the default AWS credential chain (environment, profile, instance role).");
    public static final ConfigKey LAKE_S3_SECRET_ACCESS_KEY = ConfigKey.optional("lake.s3.secret-access-key",
            "Secret access key for S3, with lake.s3.access-key-id.");
    public static final ConfigKey LAKE_S3_MULTIPART_THRESHOLD = ConfigKey.of("lake.s3.multipart-threshold", "16MB",
            "Objects larger than this are uploaded in parts.");
    public static final ConfigKey LAKE_S3_PART_SIZE = ConfigKey.of("lake.s3.part-size", "8MB",
            "Size of each part of a multipart upload (at least 5MB, S3's minimum).");
    public static final ConfigKey LAKE_S3_MAX_ATTEMPTS = ConfigKey.of("lake.s3.max-attempts", "5",
            "Attempts per S3 request, with exponential backoff between them; delivery retries failed batches beyond this.");
    public static final ConfigKey SEARCH_COMMIT_INTERVAL = ConfigKey.of("search.commit-interval", "5s",
            "How often stream sinks commit their indexes with their stream positions; a crash replays at most this much.");
    public static final ConfigKey SEARCH_RAM_BUFFER_SIZE = ConfigKey.of("search.ram-buffer-size", "64MB",
            "Per index, how much the Lucene writer buffers before flushing a segment.");

    public static final ConfigKey LOG_LEVEL = ConfigKey.of("log.level", "INFO",
            "Level of Tributary's own loggers: TRACE, DEBUG, INFO, WARN or ERROR.");
    public static final ConfigKey LOG_FORMAT = ConfigKey.of("log.format", "text",
            "Log line format: text, or json (one JSON object per line, for log collectors).");
    public static final ConfigKey LOG_FILE = ConfigKey.optional("log.file",
            "Also write logs to this file (the demo logs to <data-dir>/logs/tributary.log).");

    public static final ConfigKey ANALYTICS_PLUGINS_DIR = ConfigKey.of("analytics.plugins-dir", "plugins",
            "Directory of plug-in jars that add analytics jobs (discovered with ServiceLoader).");

    public static final ConfigKey TELEMETRY_ENABLED = ConfigKey.of("telemetry.enabled", "false",
            "Serve POST /telemetry and run the converter stage of the governance pipeline (the demo turns it on).");
    public static final ConfigKey TELEMETRY_GATEWAY_STREAM = ConfigKey.of("telemetry.gateway-stream", "telemetry-gateway",
            "Stream POST /telemetry appends to, after stamping the gateway hop.");
    public static final ConfigKey TELEMETRY_CONVERTED_STREAM = ConfigKey.of("telemetry.converted-stream", "telemetry-converted",
            "Stream the converter writes to, after stamping its hop; an archiver delivery stream reads it.");
    public static final ConfigKey TELEMETRY_SHARDS = ConfigKey.of("telemetry.shards", "2",
            "Shards of the telemetry streams when they are created.");

    // SQL over the lake (issue 4).
    public static final ConfigKey SQL_RESULTS_LOCATION = ConfigKey.of("sql.results-location", "s3://tributary-lake/athena-results/",
            "Where query results go, as <location><query-id>.csv and .csv.metadata (Athena's OutputLocation); the bucket is created if missing.");
    public static final ConfigKey SQL_MAX_CONCURRENT_QUERIES = ConfigKey.of("sql.max-concurrent-queries", "2",
            "Queries running at once; more wait in a queue.");
    public static final ConfigKey SQL_MAX_QUEUED_QUERIES = ConfigKey.of("sql.max-queued-queries", "100",
            "Queries waiting to run; more are refused with TooManyRequestsException.");
    public static final ConfigKey SQL_QUERY_TIMEOUT = ConfigKey.of("sql.query-timeout", "30m",
            "A query running longer is stopped and fails.");
    public static final ConfigKey SQL_MEMORY_LIMIT = ConfigKey.of("sql.memory-limit", "4GB",
            "Memory of the embedded engine (DuckDB), shared by the queries running at once; beyond it queries spill to disk or fail.");
    public static final ConfigKey SQL_THREADS = ConfigKey.of("sql.threads", "0",
            "Threads of the embedded engine; 0 for one per core.");
    public static final ConfigKey SQL_CACHE_SIZE = ConfigKey.of("sql.cache-size", "10GB",
            "With lake.store: s3, the local read-through cache of objects queries read (least recently used evicted).");

    private ConfigKeys() {}

    public static List<ConfigKey> all() {
        return List.of(SERVER_HOST, SERVER_PORT, SERVER_SEARCH_PORT, SERVER_DATA_DIR, SERVER_REGION,
                SERVER_MAX_REQUEST_SIZE, SERVER_METRICS_PUBLIC, SERVER_METRICS_ROLE, SERVER_SESSION_IDLE_TIMEOUT, SERVER_SESSION_LIFETIME,
                SERVER_TLS_CERTIFICATE, SERVER_TLS_PRIVATE_KEY,
                SERVER_TLS_PASSWORD, AUTH_ENABLED, AUTH_LOGIN_FAILURES_PER_USER, AUTH_LOGIN_FAILURES_PER_ADDRESS, AUTH_LOGIN_WINDOW, STREAM_FSYNC, STREAM_FSYNC_INTERVAL, STREAM_SEGMENT_SIZE,
                STREAM_RETENTION, STREAM_RETENTION_SIZE, STREAM_MAX_IN_FLIGHT, INGEST_ITERATOR_TTL,
                INGEST_PARTITION_KEY_FIELD, SEARCH_COMMIT_INTERVAL, SEARCH_RAM_BUFFER_SIZE, LOG_LEVEL, LOG_FORMAT, LOG_FILE,
                LAKE_STORE, LAKE_LIFECYCLE_INTERVAL, LAKE_S3_ENDPOINT, LAKE_S3_REGION, LAKE_S3_PATH_STYLE, LAKE_S3_ACCESS_KEY_ID,
                LAKE_S3_SECRET_ACCESS_KEY, LAKE_S3_MULTIPART_THRESHOLD, LAKE_S3_PART_SIZE, LAKE_S3_MAX_ATTEMPTS,
                ANALYTICS_PLUGINS_DIR, TELEMETRY_ENABLED, TELEMETRY_GATEWAY_STREAM, TELEMETRY_CONVERTED_STREAM, TELEMETRY_SHARDS,
                SQL_RESULTS_LOCATION, SQL_MAX_CONCURRENT_QUERIES, SQL_MAX_QUEUED_QUERIES, SQL_QUERY_TIMEOUT, SQL_MEMORY_LIMIT, SQL_THREADS,
                SQL_CACHE_SIZE);
    }

    /** Sections of the file that are lists or documents with their own parsers. */
    public static List<String> structuredSections() {
        return List.of("pipeline", "auth.access-keys");
    }
}
