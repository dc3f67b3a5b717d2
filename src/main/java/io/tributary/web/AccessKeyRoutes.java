package io.tributary.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tributary.auth.AccessKey;
import io.tributary.auth.AccessKeyStore;
import io.tributary.auth.Authorizer;
import io.tributary.auth.Permission;
import io.tributary.auth.Principal;
import io.tributary.auth.UserStore;
import io.tributary.common.Json;

/** {@code /api/access-keys}: create (the secret is in this response only), list, revoke. */
public final class AccessKeyRoutes implements Routes {
    private final AccessKeyStore keys;
    private final Authorizer authorizer;

    public AccessKeyRoutes(AccessKeyStore keys, Authorizer authorizer) {
        this.keys = requireNonNull(keys, "keys is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/access-keys", this::list);
        app.post("/api/access-keys", this::create);
        app.delete("/api/access-keys/{id}", this::revoke);
    }

    private void list(Context ctx) {
        Principal principal = Requests.principal(ctx);
        ArrayNode out = Json.mapper().createArrayNode();
        for (AccessKey key : keys.list()) {
            if (key.owner().equals(principal.name())
                    || authorizer.allows(principal, Permission.of(Permission.Action.READ, "access-key", key.id()))) {
                out.add(Json.mapper().valueToTree(key));
            }
        }
        ctx.contentType("application/json").result(out.toString());
    }

    private void create(Context ctx) {
        Principal principal = Requests.principal(ctx);
        JsonNode body = ctx.body().isBlank() ? Json.mapper().createObjectNode() : StreamRoutes.jsonBody(ctx);
        String owner = UserStore.validateName(body.path("user").asText(principal.name()));
        if (!owner.equals(principal.name())) {
            authorizer.check(principal, Permission.of(Permission.Action.MANAGE, "access-key", owner));
        }
        AccessKey.WithSecret created = keys.create(owner, body.path("description").asText(""));
        ObjectNode out = Json.mapper().valueToTree(created.key());
        out.put("secret", created.secret());
        ctx.status(201).contentType("application/json").result(out.toString());
    }

    private void revoke(Context ctx) {
        Principal principal = Requests.principal(ctx);
        String id = AccessKeyStore.validateId(ctx.pathParam("id"));
        AccessKey key = keys.find(id).orElseThrow(() -> io.tributary.common.TributaryException.notFound("access key '%s' does not exist", id));
        if (!key.owner().equals(principal.name())) {
            authorizer.check(principal, Permission.of(Permission.Action.MANAGE, "access-key", id));
        }
        keys.revoke(id);
        ctx.status(204);
    }
}
