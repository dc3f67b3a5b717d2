package io.tributary.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tributary.auth.Authorizer;
import io.tributary.auth.Permission;
import io.tributary.auth.Permission.Action;
import io.tributary.common.Durations;
import io.tributary.common.Json;
import io.tributary.delivery.DeliveryService;
import io.tributary.delivery.DeliveryStatus;
import io.tributary.delivery.DeliveryStreamSpec;

/**
 * Delivery streams under {@code /api/delivery-streams}: list, describe (spec and live figures),
 * flush now, delete. They are created by the pipeline or the Firehose API.
 */
public final class DeliveryRoutes implements Routes {
    private final DeliveryService delivery;
    private final Authorizer authorizer;

    public DeliveryRoutes(DeliveryService delivery, Authorizer authorizer) {
        this.delivery = requireNonNull(delivery, "delivery is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/delivery-streams", this::list);
        app.get("/api/delivery-streams/{name}", this::describe);
        app.post("/api/delivery-streams/{name}/flush", this::flush);
        app.delete("/api/delivery-streams/{name}", this::delete);
    }

    private String name(Context ctx, Action action) {
        String name = DeliveryStreamSpec.validateName(ctx.pathParam("name"));
        authorizer.check(Requests.principal(ctx), Permission.of(action, "delivery-stream", name));
        return name;
    }

    private void list(Context ctx) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (String name : delivery.names()) {
            if (authorizer.allows(Requests.principal(ctx), Permission.of(Action.READ, "delivery-stream", name))) {
                try {
                    out.add(summary(delivery.status(name)));
                } catch (io.tributary.common.TributaryException e) {
                    // deleted while listing
                }
            }
        }
        ctx.contentType("application/json").result(out.toString());
    }

    private void describe(Context ctx) {
        DeliveryStatus status = delivery.status(name(ctx, Action.READ));
        ObjectNode node = summary(status);
        node.set("spec", status.spec().toJson());
        ctx.contentType("application/json").result(node.toString());
    }

    private void flush(Context ctx) {
        String name = name(ctx, Action.WRITE);
        int records = delivery.flush(name);
        ctx.contentType("application/json").result(Json.mapper().createObjectNode().put("name", name).put("records", records).toString());
    }

    private void delete(Context ctx) {
        delivery.delete(name(ctx, Action.MANAGE));
        ctx.status(204);
    }

    static ObjectNode summary(DeliveryStatus s) {
        DeliveryStreamSpec spec = s.spec();
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("name", spec.name())
                .put("source", spec.source().orElse("direct put"))
                .put("sourceStream", s.sourceStream())
                .put("destination", "s3://" + spec.bucket() + "/")
                .put("prefix", spec.effectivePrefix())
                .put("errorOutputPrefix", spec.effectiveErrorOutputPrefix())
                .put("bufferingSize", spec.buffering().size().toString())
                .put("bufferingInterval", Durations.format(spec.buffering().interval()))
                .put("compression", spec.compression().firehoseName())
                .put("format", spec.formatConversion().isPresent() ? "parquet" : spec.perRecord().isPresent() ? "per-record" : "ndjson")
                .put("created", s.created().toString())
                .put("bufferedRecords", s.bufferedRecords())
                .put("bufferedBytes", s.bufferedBytes())
                .put("lagMillis", s.lagMillis())
                .put("recordsDelivered", s.recordsDelivered())
                .put("objectsWritten", s.objectsWritten())
                .put("errorRecords", s.errorRecords());
        s.lastObject().ifPresent(l -> node.put("lastObject", l.toString()));
        s.lastDelivery().ifPresent(t -> node.put("lastDelivery", t.toString()));
        s.lastError().ifPresent(e -> node.put("lastError", e));
        return node;
    }
}
