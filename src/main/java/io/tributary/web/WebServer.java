package io.tributary.web;

import static java.util.Objects.requireNonNull;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.javalin.security.RouteRole;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.auth.Authenticator;
import io.tributary.auth.Principal;
import io.tributary.aws.AwsJsonService;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import java.io.Closeable;
import java.net.URI;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP(S) listener: Javalin on Jetty with authentication on every non-public route, the
 * product's error mapping, request metrics, and the routes capabilities contribute.
 *
 * <p>Thread-safe once started.
 */
public final class WebServer implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    /**
     * @param name shown in logs ("api", "search")
     * @param maxRequestBytes larger bodies are refused with 413
     */
    public record Config(String name, String host, int port, Optional<TlsConfig> tls, long maxRequestBytes) {
        public Config {
            requireNonNull(name, "name is null");
            requireNonNull(host, "host is null");
            requireNonNull(tls, "tls is null");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            }
        }
    }

    /** A registered HTTP route: method, path template and the roles it was registered with ({@link Access#PUBLIC} or none). */
    public record RouteInfo(String method, String path, Set<RouteRole> roles) {
        public RouteInfo {
            requireNonNull(method, "method is null");
            requireNonNull(path, "path is null");
            roles = Set.copyOf(roles);
        }

        public boolean isPublic() {
            return roles.contains(Access.PUBLIC);
        }
    }

    private final Config config;
    private final Javalin app;
    private final List<RouteInfo> registered = new CopyOnWriteArrayList<>();

    public WebServer(Config config, Authenticator authenticator, MeterRegistry registry,
            Map<String, AwsJsonService> awsServices, List<Routes> routes) {
        this(config, authenticator, registry, awsServices, routes, ErrorFormat.TRIBUTARY);
    }

    /** @param errorFormat the shape errors are written in, for the clients of this listener */
    public WebServer(Config config, Authenticator authenticator, MeterRegistry registry,
            Map<String, AwsJsonService> awsServices, List<Routes> routes, ErrorFormat errorFormat) {
        this.config = requireNonNull(config, "config is null");
        requireNonNull(errorFormat, "errorFormat is null");
        requireNonNull(authenticator, "authenticator is null");
        requireNonNull(registry, "registry is null");
        Map<String, AwsJsonService> services = new LinkedHashMap<>(awsServices);
        ErrorResponses errors = new ErrorResponses(services, errorFormat);
        Optional<KeyStore> keyStore = config.tls().map(KeyStores::load);

        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.useVirtualThreads = true;
            cfg.http.maxRequestSize = config.maxRequestBytes();
            cfg.http.defaultContentType = "application/json";
            cfg.jsonMapper(new JavalinJackson(Json.mapper(), false));
            cfg.jetty.defaultHost = config.host();
            cfg.jetty.defaultPort = config.port();
            // Every route is recorded as it is added, so an audit can check that none is open by accident.
            cfg.events.handlerAdded(meta -> {
                if (meta.getHttpMethod().isHttpMethod()) {
                    registered.add(new RouteInfo(meta.getHttpMethod().name(), meta.getPath(), meta.getRoles()));
                }
            });
            keyStore.ifPresent(ks -> cfg.jetty.addConnector((server, http) -> httpsConnector(server, http, ks, config)));
        });

        app.beforeMatched(ctx -> {
            ctx.attribute("tributary.start", System.nanoTime());
            boolean isPublic = ctx.routeRoles().contains(Access.PUBLIC);
            if (isPublic) {
                // Public routes still learn who is calling when credentials are sent.
                try {
                    authenticator.authenticate(Requests.view(ctx)).ifPresent(p -> ctx.attribute(Requests.PRINCIPAL, p));
                } catch (RuntimeException ignored) {
                    // bad credentials on a public route are simply ignored
                }
                return;
            }
            Principal principal = authenticator.require(Requests.view(ctx));
            ctx.attribute(Requests.PRINCIPAL, principal);
        });
        app.exception(Exception.class, errors::handle);
        app.error(404, ctx -> {
            // A HEAD answer has no body: a 404 without one is "does not exist", not a missing route.
            if (ctx.resultInputStream() == null && ctx.method() != io.javalin.http.HandlerType.HEAD) {
                if (errorFormat == ErrorFormat.OPENSEARCH) {
                    OpenSearchErrors.write(ctx, new io.tributary.common.TributaryException(io.tributary.common.ErrorCode.INVALID_ARGUMENT,
                            "no handler found for uri [" + ctx.path() + "] and method [" + ctx.method() + "]"));
                } else {
                    notFound(ctx);
                }
            }
        });
        app.after(ctx -> record(registry, ctx));
        new AwsEndpoint(services).register(app);
        routes.forEach(r -> r.register(app));
    }

    private static void notFound(Context ctx) {
        ctx.contentType("application/json").result(Json.mapper().createObjectNode().set("error",
                Json.mapper().createObjectNode().put("code", "NOT_FOUND")
                        .put("message", "no route for " + ctx.method() + " " + ctx.path())).toString());
    }

    private static void record(MeterRegistry registry, Context ctx) {
        Long start = ctx.attribute("tributary.start");
        if (start == null) {
            return;
        }
        String route = route(ctx);
        Timer.builder("tributary_http_requests")
                .tag("method", ctx.method().name())
                .tag("route", route)
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(registry)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    /** The matched route template, or "unmatched" (a fixed tag, so scanners cannot explode the metric's cardinality). */
    private static String route(Context ctx) {
        try {
            String path = ctx.endpointHandlerPath();
            return path == null || path.equals("*") ? "unmatched" : path;
        } catch (IllegalStateException e) {
            return "unmatched";
        }
    }

    private static ServerConnector httpsConnector(org.eclipse.jetty.server.Server server, HttpConfiguration http, KeyStore ks, Config config) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(ks);
        ssl.setKeyStorePassword(new String(KeyStores.IN_MEMORY_PASSWORD));
        ssl.setKeyManagerPassword(new String(KeyStores.keyPassword(config.tls().orElseThrow())));
        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Self-hosted servers are often reached by IP or an internal name the certificate does not list.
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server,
                new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
        connector.setHost(config.host());
        connector.setPort(config.port());
        return connector;
    }

    public WebServer start() {
        try {
            app.start();
        } catch (io.javalin.util.JavalinBindException e) {
            throw new TributaryException(ErrorCode.UNAVAILABLE, String.format(
                    "the %s listener cannot listen on %s:%d: the port is in use; stop the process holding it or choose another port"
                            + " (--port, --search-port, or server.port / server.search-port in the config)", config.name(), config.host(),
                    config.port()), e);
        }
        LOG.info("{} listening on {}", config.name(), uri());
        return this;
    }

    public int port() {
        return app.port();
    }

    public URI uri() {
        String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        return URI.create((config.tls().isPresent() ? "https" : "http") + "://" + host + ":" + port());
    }

    /** Every HTTP route registered on this listener, in registration order. */
    public List<RouteInfo> routes() {
        return List.copyOf(registered);
    }

    /** For tests and route audits: the running Javalin instance. */
    public Javalin javalin() {
        return app;
    }

    @Override
    public void close() {
        app.stop();
    }
}
