package io.tributary.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tributary.auth.Authorizer;
import io.tributary.auth.Permission;
import io.tributary.auth.Permission.Action;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.search.SearchSinks;
import io.tributary.search.SinkStatus;

/** {@code GET /api/sinks}, {@code GET/DELETE /api/sinks/{name}}: search sinks with their counters (for {@code tributary sinks}). */
public final class SinkRoutes implements Routes {
    private static final ObjectMapper SPEC = Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE);

    private final SearchSinks sinks;
    private final Authorizer authorizer;

    public SinkRoutes(SearchSinks sinks, Authorizer authorizer) {
        this.sinks = requireNonNull(sinks, "sinks is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/sinks", ctx -> {
            ArrayNode out = Json.mapper().createArrayNode();
            for (SinkStatus s : sinks.statuses()) {
                if (authorizer.allows(Requests.principal(ctx), Permission.of(Action.READ, "sink", s.spec().name()))) {
                    out.add(json(s));
                }
            }
            ctx.contentType("application/json").result(out.toString());
        });
        app.get("/api/sinks/{name}", ctx -> {
            String name = ctx.pathParam("name");
            authorizer.check(Requests.principal(ctx), Permission.of(Action.READ, "sink", name));
            SinkStatus s = sinks.status(name).orElseThrow(() -> TributaryException.notFound("sink '%s' does not exist", name));
            ctx.contentType("application/json").result(json(s).toString());
        });
        app.delete("/api/sinks/{name}", ctx -> {
            String name = ctx.pathParam("name");
            authorizer.check(Requests.principal(ctx), Permission.of(Action.MANAGE, "sink", name));
            sinks.delete(name);
            ctx.status(204);
        });
    }

    private static ObjectNode json(SinkStatus s) {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("name", s.spec().name()).put("state", s.state());
        out.set("spec", SPEC.valueToTree(s.spec()));
        out.putObject("counters").put("reads", s.reads()).put("writes", s.writes()).put("invalid", s.invalid())
                .put("index_errors", s.indexErrors()).put("errors", s.errors());
        ObjectNode positions = out.putObject("positions");
        s.positions().forEach((shard, offset) -> positions.put(Integer.toString(shard), offset));
        out.put("lagMillis", s.lagMillis());
        out.put("deadLetterFile", s.deadLetterFile()).put("deadLetters", s.deadLetters());
        s.lastError().ifPresent(e -> out.put("lastError", e));
        return out;
    }
}
