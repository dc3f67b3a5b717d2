package io.tributary.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.auth.Principal;
import io.tributary.auth.Roles;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.common.Json;
import java.util.List;
import java.util.Optional;

/** {@code /health} (anonymous), {@code /metrics} (Prometheus text) and {@code /api/whoami}. */
public final class SystemRoutes implements Routes {
    private final List<HealthCheck> checks;
    private final PrometheusMeterRegistry registry;
    private final boolean metricsPublic;
    private final String version;
    private final List<Runnable> beforeScrape;
    private final Optional<String> metricsRole;

    /** @param beforeScrape refreshes gauges whose label sets change (per-stream rows, ...) */
    public SystemRoutes(List<HealthCheck> checks, PrometheusMeterRegistry registry, boolean metricsPublic, String version,
            List<Runnable> beforeScrape) {
        this(checks, registry, metricsPublic, Optional.empty(), version, beforeScrape);
    }

    /** @param metricsRole when present and metrics are not public, the role needed to read /metrics (all_access also may) */
    public SystemRoutes(List<HealthCheck> checks, PrometheusMeterRegistry registry, boolean metricsPublic,
            Optional<String> metricsRole, String version, List<Runnable> beforeScrape) {
        this.metricsRole = requireNonNull(metricsRole, "metricsRole is null");
        this.checks = List.copyOf(checks);
        this.beforeScrape = List.copyOf(beforeScrape);
        this.registry = requireNonNull(registry, "registry is null");
        this.metricsPublic = metricsPublic;
        this.version = requireNonNull(version, "version is null");
    }

    @Override
    public void register(Javalin app) {
        app.get("/health", this::health, Access.PUBLIC);
        RouteRole[] metricsRoles = metricsPublic ? new RouteRole[] {Access.PUBLIC} : new RouteRole[0];
        app.get("/metrics", ctx -> {
            if (!metricsPublic && metricsRole.isPresent()) {
                Principal p = Requests.principal(ctx);
                if (!p.roles().contains(metricsRole.get()) && !p.roles().contains(Roles.ALL_ACCESS)) {
                    throw new TributaryException(ErrorCode.ACCESS_DENIED,
                            p.name() + " may not read /metrics: it needs the role '" + metricsRole.get() + "' (server.metrics-role)");
                }
            }
            beforeScrape.forEach(Runnable::run);
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
        }, metricsRoles);
        app.get("/api/whoami", this::whoami);
    }

    private void health(Context ctx) {
        ObjectNode body = Json.mapper().createObjectNode();
        ObjectNode components = Json.mapper().createObjectNode();
        boolean up = true;
        for (HealthCheck check : checks) {
            try {
                check.check();
                components.putObject(check.name()).put("status", "UP");
            } catch (Exception e) {
                up = false;
                components.putObject(check.name()).put("status", "DOWN").put("error", String.valueOf(e.getMessage()));
            }
        }
        body.put("status", up ? "UP" : "DOWN").put("version", version).set("components", components);
        ctx.status(up ? 200 : 503).contentType("application/json").result(body.toString());
    }

    private void whoami(Context ctx) {
        Principal p = Requests.principal(ctx);
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("name", p.name()).put("kind", p.kind().name());
        p.accessKeyId().ifPresent(k -> body.put("accessKeyId", k));
        p.roles().stream().sorted().forEach(body.putArray("roles")::add);
        ctx.contentType("application/json").result(body.toString());
    }
}
