package io.tributary.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tributary.analytics.AnalyticsJob;
import io.tributary.analytics.AnalyticsService;
import io.tributary.analytics.JobParameter;
import io.tributary.analytics.RunRecord;
import io.tributary.auth.Authorizer;
import io.tributary.auth.Permission;
import io.tributary.auth.Permission.Action;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.lake.Location;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/analytics}: the jobs and their parameters, starting a run over lake locations, run
 * history with live progress, and a run's outputs (CSV, PNG, JSON).
 */
public final class AnalyticsRoutes implements Routes {
    private final AnalyticsService service;
    private final Authorizer authorizer;

    public AnalyticsRoutes(AnalyticsService service, Authorizer authorizer) {
        this.service = requireNonNull(service, "service is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/analytics/jobs", this::jobs);
        app.post("/api/analytics/jobs/{job}/runs", this::start);
        app.get("/api/analytics/runs", this::runs);
        app.get("/api/analytics/runs/{id}", this::run);
        app.get("/api/analytics/runs/{id}/outputs/{name}", this::output);
    }

    private void check(Context ctx, Action action, String job) {
        authorizer.check(Requests.principal(ctx), Permission.of(action, "analytics-job", job));
    }

    private void jobs(Context ctx) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (AnalyticsJob job : service.jobs().all()) {
            ObjectNode node = out.addObject().put("name", job.name()).put("description", job.description());
            ArrayNode params = node.putArray("parameters");
            for (JobParameter p : job.parameters()) {
                ObjectNode param = params.addObject().put("name", p.name()).put("type", p.type().name().toLowerCase(Locale.ROOT))
                        .put("required", p.required()).put("help", p.help());
                p.defaultValue().ifPresent(d -> param.put("default", d));
            }
        }
        ctx.contentType("application/json").result(out.toString());
    }

    private void start(Context ctx) {
        String job = ctx.pathParam("job");
        check(ctx, Action.WRITE, job);
        JsonNode body = StreamRoutes.jsonBody(ctx);
        Location input = Location.parse(text(body, "input"));
        Location output = Location.parse(text(body, "output"));
        authorizer.check(Requests.principal(ctx), Permission.of(Action.READ, "bucket", input.bucket()));
        authorizer.check(Requests.principal(ctx), Permission.of(Action.WRITE, "bucket", output.bucket()));
        Map<String, String> parameters = new LinkedHashMap<>();
        JsonNode params = body.path("parameters");
        if (!params.isMissingNode() && !params.isObject()) {
            throw TributaryException.invalidArgument("'parameters' must be an object of name: value");
        }
        params.fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        RunRecord run = service.start(job, input, output, parameters);
        ctx.status(202).contentType("application/json").result(json(run).toString());
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw TributaryException.invalidArgument("'%s' must be an s3:// location", field);
        }
        return value.asText();
    }

    private void runs(Context ctx) {
        Optional<String> job = Optional.ofNullable(ctx.queryParam("job")).filter(j -> !j.isBlank());
        job.ifPresent(j -> check(ctx, Action.READ, j));
        int limit = Requests.intParam(ctx, "limit", 50, 1, 1000);
        ArrayNode out = Json.mapper().createArrayNode();
        for (RunRecord run : service.runs(job, limit)) {
            if (authorizer.allows(Requests.principal(ctx), Permission.of(Action.READ, "analytics-job", run.job()))) {
                out.add(json(run));
            }
        }
        ctx.contentType("application/json").result(out.toString());
    }

    private RunRecord find(Context ctx) {
        RunRecord run = service.run(ctx.pathParam("id"))
                .orElseThrow(() -> TributaryException.notFound("analytics run '%s' does not exist", ctx.pathParam("id")));
        check(ctx, Action.READ, run.job());
        return run;
    }

    private void run(Context ctx) {
        ctx.contentType("application/json").result(json(find(ctx)).toString());
    }

    private void output(Context ctx) {
        RunRecord run = find(ctx);
        String name = ctx.pathParam("name");
        Location location = service.outputLocation(run, name);
        String type = name.endsWith(".png") ? "image/png" : name.endsWith(".csv") ? "text/csv; charset=utf-8"
                : name.endsWith(".json") ? "application/json" : "application/octet-stream";
        InputStream in = service.store().open(location);
        ctx.contentType(type).result(in);
    }

    private ObjectNode json(RunRecord run) {
        ObjectNode node = Json.mapper().valueToTree(run);
        service.progress(run.id()).ifPresent(p -> node.put("objectsRead", p));
        return node;
    }
}
