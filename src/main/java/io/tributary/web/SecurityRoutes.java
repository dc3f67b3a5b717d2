package io.tributary.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tributary.auth.Authorizer;
import io.tributary.auth.Permission;
import io.tributary.auth.Principal;
import io.tributary.auth.RoleStore;
import io.tributary.auth.Roles;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Roles and role mappings through OpenSearch security's REST API
 * ({@code /_plugins/_security/api/roles}, {@code .../rolesmapping}, {@code /_plugins/_security/authinfo}),
 * so scripts written for OpenSearch security manage Tributary's roles unchanged. A mapping names
 * {@code users} and, Tributary's addition, {@code access_keys}. Changing roles needs
 * {@code (MANAGE, role, name)}, which only {@code all_access} grants today.
 */
public final class SecurityRoutes implements Routes {
    private static final String API = "/_plugins/_security/api";

    private final RoleStore roles;
    private final Authorizer authorizer;

    public SecurityRoutes(RoleStore roles, Authorizer authorizer) {
        this.roles = requireNonNull(roles, "roles is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
    }

    @Override
    public void register(Javalin app) {
        app.get("/_plugins/_security/authinfo", this::authinfo);
        app.get(API + "/roles", ctx -> {
            check(ctx, Permission.Action.READ, "*");
            ObjectNode out = Json.mapper().createObjectNode();
            for (String name : roles.names()) {
                out.set(name, describe(name));
            }
            ok(ctx, 200, out);
        });
        app.get(API + "/roles/{name}", ctx -> {
            String name = ctx.pathParam("name");
            check(ctx, Permission.Action.READ, name);
            ok(ctx, 200, Json.mapper().createObjectNode().set(name, describe(name)));
        });
        app.put(API + "/roles/{name}", ctx -> {
            String name = ctx.pathParam("name");
            check(ctx, Permission.Action.MANAGE, name);
            boolean created = roles.put(name, body(ctx));
            status(ctx, created ? 201 : 200, created ? "CREATED" : "OK", "'" + name + "' " + (created ? "created." : "updated."));
        });
        app.delete(API + "/roles/{name}", ctx -> {
            String name = ctx.pathParam("name");
            check(ctx, Permission.Action.MANAGE, name);
            roles.delete(name);
            status(ctx, 200, "OK", "'" + name + "' deleted.");
        });
        app.get(API + "/rolesmapping/{role}", ctx -> {
            String role = ctx.pathParam("role");
            check(ctx, Permission.Action.READ, role);
            RoleStore.Mapping m = roles.mapping(role);
            ObjectNode entry = Json.mapper().createObjectNode();
            m.users().forEach(entry.putArray("users")::add);
            m.accessKeys().forEach(entry.putArray("access_keys")::add);
            entry.putArray("backend_roles");
            entry.putArray("hosts");
            ok(ctx, 200, Json.mapper().createObjectNode().set(role, entry));
        });
        app.put(API + "/rolesmapping/{role}", ctx -> {
            String role = ctx.pathParam("role");
            check(ctx, Permission.Action.MANAGE, role);
            JsonNode body = body(ctx);
            for (String key : (Iterable<String>) body::fieldNames) {
                if (!List.of("users", "access_keys", "backend_roles", "hosts", "description").contains(key)) {
                    throw TributaryException.invalidArgument("role mapping: unknown field '%s'; use users and access_keys", key);
                }
                if ((key.equals("backend_roles") || key.equals("hosts")) && !body.get(key).isEmpty()) {
                    throw TributaryException.invalidArgument("role mapping: %s are not supported by Tributary; map users and access_keys", key);
                }
            }
            roles.putMapping(new RoleStore.Mapping(role, strings(body.get("users")), strings(body.get("access_keys"))));
            status(ctx, 200, "OK", "'" + role + "' updated.");
        });
        app.delete(API + "/rolesmapping/{role}", ctx -> {
            String role = ctx.pathParam("role");
            check(ctx, Permission.Action.MANAGE, role);
            roles.putMapping(new RoleStore.Mapping(role, List.of(), List.of()));
            status(ctx, 200, "OK", "'" + role + "' deleted.");
        });
    }

    private void check(Context ctx, Permission.Action action, String role) {
        authorizer.check(Requests.principal(ctx), Permission.of(action, "role", role));
    }

    private ObjectNode describe(String name) {
        if (name.equals(Roles.ALL_ACCESS)) {
            ObjectNode all = Json.mapper().createObjectNode().put("reserved", true).put("description", "Everything");
            all.putArray("cluster_permissions").add("*");
            all.putArray("index_permissions").addObject().putArray("index_patterns").add("*");
            ((ObjectNode) all.get("index_permissions").get(0)).putArray("allowed_actions").add("*");
            return all;
        }
        ObjectNode out = RoleStore.toJson(roles.role(name).orElseThrow(
                () -> TributaryException.notFound("role '%s' does not exist", name)));
        out.put("reserved", roles.isBuiltIn(name));
        return out;
    }

    private void authinfo(Context ctx) {
        Principal p = Requests.principal(ctx);
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("user_name", p.name());
        p.accessKeyId().ifPresent(k -> out.put("access_key", k));
        ArrayNode r = out.putArray("roles");
        p.roles().stream().sorted().forEach(r::add);
        out.putArray("backend_roles");
        ok(ctx, 200, out);
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null) {
            node.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static JsonNode body(Context ctx) {
        try {
            JsonNode body = Json.mapper().readTree(ctx.bodyAsBytes());
            if (body == null || !body.isObject()) {
                throw new TributaryException(ErrorCode.MALFORMED_REQUEST, "the body must be a JSON object");
            }
            return body;
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.MALFORMED_REQUEST, "the body is not valid JSON: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private static void status(Context ctx, int code, String status, String message) {
        ok(ctx, code, Json.mapper().createObjectNode().put("status", status).put("message", message));
    }

    private static void ok(Context ctx, int code, JsonNode body) {
        ctx.status(code).contentType("application/json; charset=UTF-8").result(body.toString());
    }
}
