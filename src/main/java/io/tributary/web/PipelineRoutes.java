package io.tributary.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.pipeline.ApplyReport;
import io.tributary.pipeline.PipelineApplier;
import io.tributary.pipeline.PipelineSpec;
import java.io.IOException;

/**
 * {@code POST /api/pipeline/apply[?prune=true]}: applies a YAML or JSON document, either a whole
 * tributary.yaml (its {@code pipeline:} section is used) or just the pipeline section.
 */
public final class PipelineRoutes implements Routes {
    private final PipelineApplier applier;

    public PipelineRoutes(PipelineApplier applier) {
        this.applier = requireNonNull(applier, "applier is null");
    }

    @Override
    public void register(Javalin app) {
        app.post("/api/pipeline/apply", this::apply);
    }

    private void apply(Context ctx) {
        JsonNode root;
        try {
            root = Json.yaml().readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.MALFORMED_REQUEST, "the pipeline document is not valid YAML or JSON: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new TributaryException(ErrorCode.MALFORMED_REQUEST, "the pipeline document must be a mapping with a pipeline: section");
        }
        JsonNode pipeline = root.has("pipeline") ? root.get("pipeline") : root;
        boolean prune = Boolean.parseBoolean(ctx.queryParam("prune"));
        ApplyReport report = applier.apply(PipelineSpec.parse(pipeline), prune, Requests.principal(ctx));
        ctx.contentType("application/json").result(Json.mapper().valueToTree(report).toString());
    }
}
