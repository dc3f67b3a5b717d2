package io.tributary.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.content.ContentKind;
import io.tributary.content.ContentService;
import io.tributary.content.SavedObject;
import io.tributary.content.Share;
import io.tributary.content.ShareLevel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Saved objects: {@code /api/visuals}, {@code /api/dashboards}, {@code /api/analyses}, each with
 * list, create, get, replace, delete and {@code /shares}. Access rules are the
 * {@link ContentService}'s; objects the caller cannot see answer 404.
 */
public final class ContentRoutes implements Routes {
    /** Fields of an object as this API returns it, accepted (and ignored) when a client sends one back. */
    private static final Set<String> READ_ONLY = Set.of("id", "kind", "owner", "shares", "access", "created", "updated");

    /**
     * Parses request bodies a little deeper than the product's default (100 levels), so a body may
     * use its full {@value ContentService#MAX_DEPTH} levels inside the request and a deeper one gets
     * the service's message naming its depth. Jackson builds trees without recursion.
     */
    private static final ObjectMapper PARSER = deeper();

    private final ContentService content;

    public ContentRoutes(ContentService content) {
        this.content = requireNonNull(content, "content is null");
    }

    @Override
    public void register(Javalin app) {
        for (ContentKind kind : ContentKind.values()) {
            String base = "/api/" + kind.pathName();
            app.get(base, ctx -> {
                ArrayNode out = Json.mapper().createArrayNode();
                content.list(kind, Requests.principal(ctx)).forEach(v -> out.add(describe(v)));
                json(ctx, 200, out);
            });
            app.post(base, ctx -> {
                JsonNode body = objectBody(ctx, kind);
                json(ctx, 201, describe(content.create(kind, Requests.principal(ctx), name(body), body.get("body"))));
            });
            app.get(base + "/{id}", ctx -> json(ctx, 200, describe(content.get(kind, ctx.pathParam("id"), Requests.principal(ctx)))));
            app.put(base + "/{id}", ctx -> {
                JsonNode body = objectBody(ctx, kind);
                json(ctx, 200, describe(content.update(kind, ctx.pathParam("id"), Requests.principal(ctx), name(body), body.get("body"))));
            });
            app.delete(base + "/{id}", ctx -> {
                content.delete(kind, ctx.pathParam("id"), Requests.principal(ctx));
                ctx.status(204);
            });
            app.put(base + "/{id}/shares", ctx -> json(ctx, 200,
                    describe(content.share(kind, ctx.pathParam("id"), Requests.principal(ctx), shares(ctx)))));
        }
    }

    static ObjectNode describe(SavedObject.Visible visible) {
        SavedObject o = visible.object();
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("id", o.id()).put("kind", o.kind().pathName()).put("name", o.name()).put("owner", o.owner());
        // The body was validated JSON when stored; it is sent as stored, without parsing it again.
        out.putRawValue("body", new RawValue(o.body()));
        ArrayNode shares = out.putArray("shares");
        o.shares().forEach(s -> shares.addObject().put("user", s.user()).put("level", s.level().wireName()));
        out.put("access", visible.access().wireName());
        out.put("created", o.created().toString()).put("updated", o.updated().toString());
        return out;
    }

    private static ObjectMapper deeper() {
        ObjectMapper mapper = Json.mapper().copy();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(1000).build());
        return mapper;
    }

    private static JsonNode parse(Context ctx) {
        try {
            JsonNode node = PARSER.readTree(ctx.bodyAsBytes());
            if (node == null) {
                throw new TributaryException(ErrorCode.MALFORMED_REQUEST, "the request body is empty; send JSON");
            }
            return node;
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.MALFORMED_REQUEST, "the request body is not valid JSON: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private static JsonNode objectBody(Context ctx, ContentKind kind) {
        JsonNode body = parse(ctx);
        if (!body.isObject()) {
            throw new TributaryException(ErrorCode.MALFORMED_REQUEST, "the request body must be a JSON object {\"name\", \"body\"}");
        }
        for (String field : (Iterable<String>) body::fieldNames) {
            if (!field.equals("name") && !field.equals("body") && !READ_ONLY.contains(field)) {
                throw TributaryException.invalidArgument("unknown field '%s'; a %s has 'name' and 'body'", field, kind.pathName());
            }
        }
        JsonNode sentKind = body.get("kind");
        if (sentKind != null && !sentKind.asText().equals(kind.pathName())) {
            throw TributaryException.invalidArgument(ContentKind.fromPathName(sentKind.asText()).isPresent()
                    ? "kind '%s' does not match the path /api/%s" : "unknown kind '%s'; use visuals, dashboards or analyses (path /api/%s)",
                    sentKind.asText(), kind.pathName());
        }
        if (!body.has("body")) {
            throw TributaryException.invalidArgument("the request needs 'body', a JSON object");
        }
        return body;
    }

    private static String name(JsonNode body) {
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual()) {
            throw TributaryException.invalidArgument("the request needs 'name', a string of 1 to %d characters", ContentService.MAX_NAME_LENGTH);
        }
        return name.asText();
    }

    private static List<Share> shares(Context ctx) {
        JsonNode list = parse(ctx);
        if (!list.isArray()) {
            throw TributaryException.invalidArgument("the body must be a JSON list of shares: [{\"user\": \"bob\", \"level\": \"viewer\"}]");
        }
        List<Share> out = new ArrayList<>();
        for (JsonNode entry : list) {
            if (!entry.isObject() || !entry.path("user").isTextual() || !entry.path("level").isTextual()) {
                throw TributaryException.invalidArgument("each share must be {\"user\": \"...\", \"level\": \"viewer\" or \"co-owner\"}, got %s",
                        abbreviate(entry.toString()));
            }
            out.add(new Share(entry.get("user").asText(), ShareLevel.parse(entry.get("level").asText())));
        }
        return out;
    }

    private static String abbreviate(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "..." : text;
    }

    private static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }
}
