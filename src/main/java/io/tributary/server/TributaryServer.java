package io.tributary.server;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.analytics.AnalyticsJobs;
import io.tributary.analytics.AnalyticsService;
import io.tributary.analytics.AnalyticsTask;
import io.tributary.schedule.Scheduler;
import io.tributary.lake.Location;
import io.tributary.sql.AthenaService;
import io.tributary.sql.CatalogPartitionListener;
import io.tributary.sql.CompactTask;
import io.tributary.sql.Compaction;
import io.tributary.sql.SqlConfig;
import io.tributary.sql.SqlService;
import io.tributary.sql.TableDeclarations;
import io.tributary.sql.catalog.Catalog;
import io.tributary.sql.duckdb.DuckDbEngine;
import io.tributary.web.SqlRoutes;
import io.tributary.telemetry.TelemetryConfig;
import io.tributary.telemetry.TelemetryConverter;
import io.tributary.telemetry.TelemetryGateway;
import io.tributary.web.AnalyticsRoutes;
import io.tributary.web.Routes;
import io.tributary.web.ScheduleRoutes;
import io.tributary.web.TelemetryRoutes;
import io.tributary.auth.AccessKeyStore;
import io.tributary.auth.AuthMigrations;
import io.tributary.auth.Authenticator;
import io.tributary.auth.Authorizer;
import io.tributary.auth.PasswordHasher;
import io.tributary.auth.Principal;
import io.tributary.auth.RoleStore;
import io.tributary.auth.SecretCipher;
import io.tributary.auth.LoginThrottle;
import io.tributary.auth.SessionStore;
import io.tributary.web.SessionRoutes;
import io.tributary.web.UserRoutes;
import io.tributary.web.ContentRoutes;
import io.tributary.content.ContentMigrations;
import io.tributary.content.ContentService;
import io.tributary.auth.SigV4Verifier;
import io.tributary.auth.UserStore;
import io.tributary.aws.AwsJsonService;
import io.tributary.delivery.DeliveryMetrics;
import io.tributary.delivery.DeliveryService;
import io.tributary.delivery.FirehoseService;
import io.tributary.delivery.RecordTransformers;
import io.tributary.lake.ObjectStore;
import io.tributary.ingest.IngestMetrics;
import io.tributary.ingest.KinesisService;
import io.tributary.ingest.NdjsonIngest;
import io.tributary.metadata.JdbcMetadataStore;
import io.tributary.pipeline.ApplyReport;
import io.tributary.pipeline.PipelineApplier;
import io.tributary.search.SearchEngine;
import io.tributary.search.SearchSinks;
import io.tributary.search.lucene.LuceneSearchEngine;
import io.tributary.stream.StreamLog;
import io.tributary.stream.StreamMetrics;
import io.tributary.stream.StreamReaders;
import io.tributary.stream.local.LocalStreamLog;
import io.tributary.web.AccessKeyRoutes;
import io.tributary.web.DeliveryRoutes;
import io.tributary.web.LakeRoutes;
import io.tributary.web.LakeRowsRoutes;
import io.tributary.sql.ParquetPreview;
import io.tributary.web.ErrorFormat;
import io.tributary.web.SearchRoutes;
import io.tributary.web.SecurityRoutes;
import io.tributary.web.SinkRoutes;
import io.tributary.web.HealthCheck;
import io.tributary.web.PipelineRoutes;
import io.tributary.web.StreamRoutes;
import io.tributary.web.SystemRoutes;
import io.tributary.web.UiRoutes;
import io.tributary.web.WebServer;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole product in one process, assembled from its configuration by constructor injection:
 * metadata store, identities, stream log, ingest APIs and the HTTP listeners. {@link #close}
 * stops everything in reverse order, flushing what each part holds.
 */
public final class TributaryServer implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(TributaryServer.class);
    public static final String VERSION = Optional.ofNullable(TributaryServer.class.getPackage().getImplementationVersion()).orElse("dev");

    private final TributaryConfig config;
    private final Deque<Closeable> resources = new ArrayDeque<>();
    private final JdbcMetadataStore metadata;
    private final UserStore users;
    private final AccessKeyStore keys;
    private final SessionStore sessions;
    private final StreamLog streamLog;
    private final WebServer api;
    private final WebServer search;
    private final SearchEngine searchEngine;
    private final SearchSinks sinks;
    private final Bootstrap.Result bootstrap;
    private final PrometheusMeterRegistry registry;
    private final ObjectStore lake;
    private final DeliveryService delivery;
    private final AnalyticsService analytics;
    private final Scheduler scheduler;
    private final Catalog catalog;
    private final SqlService sql;
    private final Compaction compaction;

    private TributaryServer(TributaryConfig config, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        requireNonNull(clock, "clock is null");
        try {
            resources.push(DataDirectoryLock.acquire(config.dataDir()));
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new ClassLoaderMetrics().bindTo(registry);
            new JvmMemoryMetrics().bindTo(registry);
            JvmGcMetrics gc = new JvmGcMetrics();
            gc.bindTo(registry);
            resources.push(gc::close);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);

            metadata = JdbcMetadataStore.sqlite(config.dataDir().resolve("metadata.db"));
            resources.push(metadata);
            metadata.migrate(AuthMigrations.all());
            SecretCipher cipher = SecretCipher.load(config.dataDir().resolve("secrets").resolve("master.key"),
                    config.environmentValue(TributaryConfig.MASTER_KEY_ENV));
            users = new UserStore(metadata, new PasswordHasher(), clock);
            keys = new AccessKeyStore(metadata, cipher, clock);
            bootstrap = Bootstrap.run(config, users, keys);
            RoleStore roles = new RoleStore(metadata, users, clock);
            Authorizer authorizer = new Authorizer(roles);
            sessions = new SessionStore(metadata, new SessionStore.Config(
                    config.settings().duration(ConfigKeys.SERVER_SESSION_IDLE_TIMEOUT), config.settings().duration(ConfigKeys.SERVER_SESSION_LIFETIME)),
                    clock);
            Authenticator authenticator = new Authenticator(config.authEnabled(), keys, users, new SigV4Verifier(clock), roles, sessions);

            LocalStreamLog local = new LocalStreamLog(config.streamLog(), clock);
            streamLog = local;
            resources.push(streamLog);
            io.micrometer.core.instrument.Gauge.builder("tributary_stream_in_flight_bytes", local, LocalStreamLog::inFlightBytes)
                    .description("Bytes accepted by the stream log and not yet durable").register(registry);
            StreamMetrics streamMetrics = new StreamMetrics(streamLog, registry);

            // Lake and delivery (issue 3): closed before the stream log, so the final flush can commit checkpoints.
            lake = LakeStores.open(config, clock);
            resources.push(lake);
            // SQL over the lake (issue 4): the catalog registers partitions as linked delivery streams write them.
            catalog = new Catalog(metadata, clock);
            delivery = new DeliveryService(config.dataDir().resolve("delivery"), streamLog, lake, clock, new DeliveryMetrics(registry),
                    new CatalogPartitionListener(catalog), RecordTransformers.load(List.of()));
            resources.push(delivery);
            delivery.start();
            java.time.Duration lifecycleInterval = config.settings().duration(ConfigKeys.LAKE_LIFECYCLE_INTERVAL);
            java.util.concurrent.ScheduledExecutorService lifecycle = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("lake-lifecycle").factory());
            lifecycle.scheduleWithFixedDelay(() -> {
                try {
                    lake.applyLifecycle(clock.instant());
                } catch (RuntimeException e) {
                    LOG.warn("Applying the lake's lifecycle rules failed: {}", e.getMessage());
                }
            }, lifecycleInterval.toMillis(), Math.max(1000, lifecycleInterval.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
            resources.push(lifecycle::shutdownNow);
            FirehoseService firehose = new FirehoseService(delivery, authorizer, config.settings().string(ConfigKeys.SERVER_REGION));

            // Analytics jobs and schedules (issue 7); other capabilities add their schedule tasks here.
            analytics = new AnalyticsService(AnalyticsJobs.discover(Optional.of(config.settings().path(ConfigKeys.ANALYTICS_PLUGINS_DIR))),
                    lake, metadata, clock, config.environment());
            resources.push(analytics);
            // SQL engine and Athena-style query execution (issue 4).
            var settings = config.settings();
            int sqlThreads = settings.integer(ConfigKeys.SQL_THREADS);
            DuckDbEngine engine = new DuckDbEngine(lake, catalog, new DuckDbEngine.Config(config.dataDir().resolve("sql"),
                    config.dataDir().resolve("sql").resolve("staging"), settings.dataSize(ConfigKeys.SQL_MEMORY_LIMIT).bytes() / (1024 * 1024) + "MB",
                    sqlThreads > 0 ? sqlThreads : Runtime.getRuntime().availableProcessors(), settings.dataSize(ConfigKeys.SQL_CACHE_SIZE).bytes()));
            resources.push(engine);
            sql = new SqlService(catalog, engine, lake, authorizer, clock, new SqlConfig(
                    settings.convert(ConfigKeys.SQL_RESULTS_LOCATION, Location::parse, "an s3:// location such as s3://tributary-lake/athena-results/"),
                    settings.integer(ConfigKeys.SQL_MAX_CONCURRENT_QUERIES), settings.integer(ConfigKeys.SQL_MAX_QUEUED_QUERIES),
                    settings.duration(ConfigKeys.SQL_QUERY_TIMEOUT), config.dataDir().resolve("sql")));
            resources.push(sql);
            compaction = new Compaction(sql, lake);

            scheduler = new Scheduler(metadata, clock, List.of(new AnalyticsTask(analytics), new CompactTask(compaction)));
            resources.push(scheduler);

            // The governance pipeline's gateway and converter hops (issue 7), when turned on.
            TelemetryConfig telemetryConfig = new TelemetryConfig(config.settings().string(ConfigKeys.TELEMETRY_GATEWAY_STREAM),
                    config.settings().string(ConfigKeys.TELEMETRY_CONVERTED_STREAM), TelemetryConfig.GATEWAY_FIELD,
                    TelemetryConfig.CONVERTER_FIELD, config.settings().integer(ConfigKeys.TELEMETRY_SHARDS));
            Optional<TelemetryGateway> telemetry = Optional.empty();
            if (config.settings().bool(ConfigKeys.TELEMETRY_ENABLED)) {
                TelemetryGateway gateway = new TelemetryGateway(streamLog, authorizer, telemetryConfig, clock);
                gateway.ensureStreams();
                TelemetryConverter converter = new TelemetryConverter(streamLog, telemetryConfig, clock);
                converter.start();
                resources.push(converter);
                telemetry = Optional.of(gateway);
            }

            // Speed layer (issue 5): the embedded search engine and its stream sinks; sinks stop (committing) before the engine closes.
            LuceneSearchEngine lucene = new LuceneSearchEngine(config.search(), clock);
            searchEngine = lucene;
            resources.push(searchEngine);
            sinks = new SearchSinks(searchEngine, streamLog, config.search(), registry, clock);
            resources.push(sinks);
            sinks.start();

            // Deleting a stream these read is refused (as Kinesis refuses DeleteStream with registered consumers).
            StreamReaders sinkReaders = stream -> sinks.list().stream()
                    .filter(sink -> sink.stream().equals(stream))
                    .map(sink -> new StreamReaders.Reader("search sink '" + sink.name() + "'", false,
                            "delete sink '" + sink.name() + "' (`tributary sinks delete " + sink.name() + "`)"))
                    .toList();
            // The converter follows a re-created gateway stream from its beginning, as a delivery stream does.
            boolean converting = telemetry.isPresent();
            StreamReaders converterReaders = stream -> converting && stream.equals(telemetryConfig.gatewayStream())
                    ? List.of(new StreamReaders.Reader("the telemetry converter", true, "turn the governance pipeline off (telemetry.enabled: false)"))
                    : List.of();
            StreamReaders readers = StreamReaders.all(List.of(delivery.readers(), sinkReaders, converterReaders));
            PipelineApplier applier = new PipelineApplier(streamLog, readers, lake, delivery, scheduler, Optional.of(sinks),
                    Optional.of(new TableDeclarations(sql, authorizer, clock)), authorizer);
            ApplyReport applied = applier.apply(config.pipeline(), false, Principal.anonymous());
            applied.changes().stream().filter(c -> c.action() != ApplyReport.Action.UNCHANGED)
                    .forEach(c -> LOG.info("Pipeline: {} {} {} ({})", c.action(), c.kind(), c.name(), c.detail()));

            IngestMetrics ingestMetrics = new IngestMetrics(registry);
            KinesisService kinesis = new KinesisService(streamLog, readers, authorizer, ingestMetrics, clock,
                    config.settings().duration(ConfigKeys.INGEST_ITERATOR_TTL), config.settings().string(ConfigKeys.SERVER_REGION));
            NdjsonIngest ndjson = new NdjsonIngest(streamLog, authorizer, ingestMetrics,
                    config.settings().find(ConfigKeys.INGEST_PARTITION_KEY_FIELD));
            sql.ensureResultsBucket();
            AthenaService athena = new AthenaService(sql);
            Map<String, AwsJsonService> aws = Map.of(kinesis.targetPrefix(), kinesis, firehose.targetPrefix(), firehose,
                    athena.targetPrefix(), athena);

            List<HealthCheck> checks = List.of(
                    HealthCheck.of("metadata", () -> metadata.appliedVersion("auth")),
                    HealthCheck.of("stream-log", streamLog::listStreams),
                    HealthCheck.of("lake", lake::buckets),
                    HealthCheck.of("sql", catalog::databases),
                    HealthCheck.of("search", () -> searchEngine.resolve("_all")));
            SearchRoutes searchRoutes = new SearchRoutes(searchEngine, authorizer, VERSION,
                    config.settings().dataSize(ConfigKeys.SERVER_MAX_REQUEST_SIZE).bytes());
            // Saved dashboards, visuals and analyses with their shares.
            metadata.migrate(ContentMigrations.all());
            ContentService content = new ContentService(metadata, authorizer, name -> users.find(name).isPresent(), clock);
            api = new WebServer(
                    new WebServer.Config("api", config.settings().string(ConfigKeys.SERVER_HOST),
                            config.settings().integer(ConfigKeys.SERVER_PORT), config.tls(),
                            config.settings().dataSize(ConfigKeys.SERVER_MAX_REQUEST_SIZE).bytes()),
                    authenticator, registry, aws,
                    List.of(
                            new SystemRoutes(checks, registry, config.settings().bool(ConfigKeys.SERVER_METRICS_PUBLIC),
                                    config.settings().find(ConfigKeys.SERVER_METRICS_ROLE), VERSION, List.of(streamMetrics::refresh)),
                            new SessionRoutes(users, sessions, new LoginThrottle(loginLimits(config), clock), config.authEnabled(),
                                    authorizer),
                            new StreamRoutes(streamLog, readers, ndjson, authorizer),
                            new PipelineRoutes(applier),
                            new DeliveryRoutes(delivery, authorizer),
                            new LakeRoutes(lake, authorizer),
                            new LakeRowsRoutes(lake, new ParquetPreview(lake, config.dataDir().resolve("sql").resolve("preview"),
                                    256L * 1024 * 1024), authorizer),
                            // Roles and role mappings for the admin page, which can only call its own origin.
                            new SecurityRoutes(roles, authorizer),
                            new AnalyticsRoutes(analytics, authorizer),
                            new ScheduleRoutes(scheduler, authorizer),
                            new SqlRoutes(sql, compaction, authorizer),
                            telemetry.<Routes>map(TelemetryRoutes::new).orElse(app -> {}),
                            new AccessKeyRoutes(keys, authorizer),
                            new UserRoutes(users, roles, sessions, authorizer, content::forgetUser),
                            new ContentRoutes(content),
                            new SinkRoutes(sinks, authorizer),
                            searchRoutes.passThrough(),
                            new UiRoutes()));
            resources.push(api);
            search = new WebServer(
                    new WebServer.Config("search", config.settings().string(ConfigKeys.SERVER_HOST),
                            config.settings().integer(ConfigKeys.SERVER_SEARCH_PORT), config.tls(),
                            config.settings().dataSize(ConfigKeys.SERVER_MAX_REQUEST_SIZE).bytes()),
                    authenticator, registry, Map.of(),
                    List.of(new SecurityRoutes(roles, authorizer), searchRoutes),
                    ErrorFormat.OPENSEARCH);
            resources.push(search);
            if (!config.authEnabled()) {
                LOG.warn("AUTHENTICATION IS DISABLED (--no-auth): anyone who can reach {} can read, write and delete everything", 
                        config.settings().string(ConfigKeys.SERVER_HOST));
            }
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    private static LoginThrottle.Config loginLimits(TributaryConfig config) {
        int perUser = config.settings().integer(ConfigKeys.AUTH_LOGIN_FAILURES_PER_USER);
        int perAddress = config.settings().integer(ConfigKeys.AUTH_LOGIN_FAILURES_PER_ADDRESS);
        java.time.Duration window = config.settings().duration(ConfigKeys.AUTH_LOGIN_WINDOW);
        if (perUser < 1 || perAddress < 1 || window.isZero() || window.isNegative()) {
            throw io.tributary.common.TributaryException.invalidArgument("%s (%d), %s (%d) and %s (%s) must be positive",
                    ConfigKeys.AUTH_LOGIN_FAILURES_PER_USER.name(), perUser, ConfigKeys.AUTH_LOGIN_FAILURES_PER_ADDRESS.name(), perAddress,
                    ConfigKeys.AUTH_LOGIN_WINDOW.name(), window);
        }
        return new LoginThrottle.Config(perUser, perAddress, window);
    }

    /** Builds and starts the server; the listeners accept requests when this returns. */
    public static TributaryServer start(TributaryConfig config, Clock clock) {
        TributaryServer server = new TributaryServer(config, clock);
        try {
            server.api.start();
            server.scheduler.start();
            server.search.start();
        } catch (RuntimeException e) {
            server.closeQuietly();
            throw e;
        }
        LOG.info("Tributary {} started: data in {}, API at {}, search API at {}", VERSION, config.dataDir(), server.apiUri(), server.searchUri());
        return server;
    }

    public URI apiUri() {
        return api.uri();
    }

    public WebServer api() {
        return api;
    }

    /** The listener of the OpenSearch-compatible API. */
    public WebServer searchListener() {
        return search;
    }

    /** The OpenSearch-compatible API ({@code server.search-port}). */
    public URI searchUri() {
        return search.uri();
    }

    public SearchEngine searchEngine() {
        return searchEngine;
    }

    public SearchSinks sinks() {
        return sinks;
    }

    public StreamLog streamLog() {
        return streamLog;
    }

    public UserStore users() {
        return users;
    }

    public SessionStore sessions() {
        return sessions;
    }

    public AccessKeyStore accessKeys() {
        return keys;
    }

    public TributaryConfig config() {
        return config;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public AnalyticsService analytics() {
        return analytics;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** The lake's object store (local disk or S3, per lake.store). */
    public ObjectStore lake() {
        return lake;
    }

    public DeliveryService delivery() {
        return delivery;
    }

    /** Query execution over the lake (the SQL capability). */
    public SqlService sql() {
        return sql;
    }

    public Compaction compaction() {
        return compaction;
    }

    /** The admin password generated at first start, to print once. */
    public Optional<String> generatedAdminPassword() {
        return bootstrap.generatedAdminPassword();
    }

    @Override
    public void close() {
        LOG.info("Stopping Tributary");
        closeQuietly();
        LOG.info("Tributary stopped");
    }

    private void closeQuietly() {
        while (!resources.isEmpty()) {
            Closeable resource = resources.pop();
            try {
                resource.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Closing {} failed", resource.getClass().getSimpleName(), e);
            }
        }
    }
}
