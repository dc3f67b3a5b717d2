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
    public static final ConfigKey SERVER_TLS_CERTIFICATE = ConfigKey.optional("server.tls.certificate",
            "PEM certificate chain, or a PKCS#12 keystore (.p12/.pfx); when set, every listener serves HTTPS.");
    public static final ConfigKey SERVER_TLS_PRIVATE_KEY = ConfigKey.optional("server.tls.private-key",
            "PEM private key (PKCS#8, or PKCS#1 RSA) for a PEM certificate.");
    public static final ConfigKey SERVER_TLS_PASSWORD = ConfigKey.optional("server.tls.password",
            "Password of a PKCS#12 keystore.");

    public static final ConfigKey AUTH_ENABLED = ConfigKey.of("auth.enabled", "true",
            "Require authentication on every listener; --no-auth sets it to false.");

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

    private ConfigKeys() {}

    public static List<ConfigKey> all() {
        return List.of(SERVER_HOST, SERVER_PORT, SERVER_SEARCH_PORT, SERVER_DATA_DIR, SERVER_REGION,
                SERVER_MAX_REQUEST_SIZE, SERVER_METRICS_PUBLIC, SERVER_TLS_CERTIFICATE, SERVER_TLS_PRIVATE_KEY,
                SERVER_TLS_PASSWORD, AUTH_ENABLED, STREAM_FSYNC, STREAM_FSYNC_INTERVAL, STREAM_SEGMENT_SIZE,
                STREAM_RETENTION, STREAM_RETENTION_SIZE, STREAM_MAX_IN_FLIGHT, INGEST_ITERATOR_TTL,
                INGEST_PARTITION_KEY_FIELD, SEARCH_COMMIT_INTERVAL, SEARCH_RAM_BUFFER_SIZE, LOG_LEVEL, LOG_FORMAT, LOG_FILE);
    }

    /** Sections of the file that are lists or documents with their own parsers. */
    public static List<String> structuredSections() {
        return List.of("pipeline", "auth.access-keys");
    }
}
