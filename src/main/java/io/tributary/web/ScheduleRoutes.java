package io.tributary.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tributary.auth.Authorizer;
import io.tributary.auth.Permission;
import io.tributary.auth.Permission.Action;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.schedule.ScheduleRun;
import io.tributary.schedule.ScheduleSpec;
import io.tributary.schedule.ScheduleState;
import io.tributary.schedule.Scheduler;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /api/schedules}: schedules with their next firing and last run, run history, run now, create, delete. */
public final class ScheduleRoutes implements Routes {
    private final Scheduler scheduler;
    private final Authorizer authorizer;

    public ScheduleRoutes(Scheduler scheduler, Authorizer authorizer) {
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/schedules", this::list);
        app.get("/api/schedules/{name}", this::describe);
        app.put("/api/schedules/{name}", this::put);
        app.delete("/api/schedules/{name}", this::delete);
        app.get("/api/schedules/{name}/runs", this::runs);
        app.post("/api/schedules/{name}/runs", this::runNow);
    }

    private String name(Context ctx, Action action) {
        String name = ctx.pathParam("name");
        authorizer.check(Requests.principal(ctx), Permission.of(action, "schedule", name));
        return name;
    }

    private void list(Context ctx) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (ScheduleState state : scheduler.list()) {
            if (authorizer.allows(Requests.principal(ctx), Permission.of(Action.READ, "schedule", state.spec().name()))) {
                out.add(json(state));
            }
        }
        ctx.contentType("application/json").result(out.toString());
    }

    private void describe(Context ctx) {
        String name = name(ctx, Action.READ);
        ScheduleState state = scheduler.find(name).orElseThrow(() -> TributaryException.notFound("schedule '%s' does not exist", name));
        ctx.contentType("application/json").result(json(state).toString());
    }

    private void put(Context ctx) {
        String name = name(ctx, Action.MANAGE);
        JsonNode body = StreamRoutes.jsonBody(ctx);
        Map<String, String> parameters = new LinkedHashMap<>();
        body.path("parameters").fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
        scheduler.put(new ScheduleSpec(name, body.path("expression").asText(""), body.path("task").asText(""), parameters,
                body.path("enabled").asBoolean(true)));
        ctx.contentType("application/json").result(json(scheduler.find(name).orElseThrow()).toString());
    }

    private void delete(Context ctx) {
        scheduler.delete(name(ctx, Action.MANAGE));
        ctx.status(204);
    }

    private void runs(Context ctx) {
        String name = name(ctx, Action.READ);
        scheduler.find(name).orElseThrow(() -> TributaryException.notFound("schedule '%s' does not exist", name));
        ArrayNode out = Json.mapper().createArrayNode();
        for (ScheduleRun run : scheduler.runs(name, Requests.intParam(ctx, "limit", 50, 1, 1000))) {
            out.add(run(run));
        }
        ctx.contentType("application/json").result(out.toString());
    }

    private void runNow(Context ctx) {
        long id = scheduler.runNow(name(ctx, Action.WRITE));
        ctx.status(202).contentType("application/json").result(Json.mapper().createObjectNode().put("runId", id).toString());
    }

    private static ObjectNode json(ScheduleState state) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("name", state.spec().name()).put("expression", state.spec().expression()).put("task", state.spec().task())
                .put("enabled", state.spec().enabled());
        ObjectNode params = node.putObject("parameters");
        state.spec().parameters().forEach(params::put);
        state.nextFire().ifPresent(t -> node.put("nextFire", t.toString()));
        state.lastFire().ifPresent(t -> node.put("lastFire", t.toString()));
        state.lastRun().ifPresent(r -> node.set("lastRun", run(r)));
        return node;
    }

    private static ObjectNode run(ScheduleRun run) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("id", run.id()).put("scheduledFor", run.scheduledFor().toString()).put("status", run.status().name())
                .put("message", run.message());
        run.started().ifPresent(t -> node.put("started", t.toString()));
        run.ended().ifPresent(t -> node.put("ended", t.toString()));
        run.duration().ifPresent(d -> node.put("durationMillis", d.toMillis()));
        return node;
    }
}
