package io.tributary.web;

import static java.util.Objects.requireNonNull;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tributary.common.Json;
import io.tributary.telemetry.TelemetryGateway;

/** {@code POST /telemetry}: the governance pipeline's gateway, authenticated like every API. */
public final class TelemetryRoutes implements Routes {
    private final TelemetryGateway gateway;

    public TelemetryRoutes(TelemetryGateway gateway) {
        this.gateway = requireNonNull(gateway, "gateway is null");
    }

    @Override
    public void register(Javalin app) {
        app.post("/telemetry", this::accept);
    }

    private void accept(Context ctx) {
        TelemetryGateway.Accepted accepted = gateway.accept(Requests.principal(ctx), ctx.bodyAsBytes());
        ctx.contentType("application/json").result(Json.mapper().createObjectNode().put("message", "accepted")
                .put("log_id", accepted.logId()).put("shardId", accepted.shardId()).put("sequenceNumber", accepted.sequenceNumber())
                .toString());
    }
}
