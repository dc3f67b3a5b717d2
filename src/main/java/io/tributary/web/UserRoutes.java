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
import io.tributary.auth.SessionStore;
import io.tributary.auth.User;
import io.tributary.auth.UserStore;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * User administration: {@code /api/users}. Needs {@code (READ|MANAGE, user, name)}, which
 * {@code all_access} grants (or a role with {@code user_permissions}). An administrator cannot
 * delete themselves, and the last {@code all_access} user can be neither deleted nor demoted, so
 * the server never ends up without anyone able to administer it.
 */
public final class UserRoutes implements Routes {
    private static final Logger LOG = LoggerFactory.getLogger(UserRoutes.class);

    private final UserStore users;
    private final RoleStore roles;
    private final SessionStore sessions;
    private final Authorizer authorizer;
    private final java.util.function.Consumer<String> userDeleted;

    /** @param userDeleted cleans up what other parts keep per user (shares) after a user is deleted */
    public UserRoutes(UserStore users, RoleStore roles, SessionStore sessions, Authorizer authorizer,
            java.util.function.Consumer<String> userDeleted) {
        this.userDeleted = requireNonNull(userDeleted, "userDeleted is null");
        this.users = requireNonNull(users, "users is null");
        this.roles = requireNonNull(roles, "roles is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/users", this::list);
        app.get("/api/users/names", this::names);
        app.post("/api/users", this::create);
        app.delete("/api/users/{name}", this::delete);
        app.put("/api/users/{name}/password", this::resetPassword);
        app.put("/api/users/{name}/roles", this::setRoles);
    }

    private void list(Context ctx) {
        authorizer.check(Requests.principal(ctx), Permission.of(Permission.Action.READ, "user", "*"));
        ArrayNode out = Json.mapper().createArrayNode();
        users.list().forEach(u -> out.add(describe(u)));
        ctx.contentType("application/json").result(out.toString());
    }

    /**
     * Just the names, for choosing whom to share with: any logged-in person may read them, as in the
     * incumbents' share dialogs. Access keys (programs) need READ on users, as for the full list.
     */
    private void names(Context ctx) {
        Principal principal = Requests.principal(ctx);
        if (principal.kind() != Principal.Kind.USER) {
            authorizer.check(principal, Permission.of(Permission.Action.READ, "user", "*"));
        }
        ArrayNode out = Json.mapper().createArrayNode();
        users.list().stream().map(User::name).sorted().forEach(out::add);
        ctx.contentType("application/json").result(out.toString());
    }

    private void create(Context ctx) {
        JsonNode body = StreamRoutes.jsonBody(ctx);
        String name = UserStore.validateName(text(body, "name"));
        check(ctx, name);
        Set<String> granted = roleList(body.get("roles"));
        User user = users.create(name, text(body, "password"), granted);
        LOG.info("User '{}' created by {} with roles {}", name, Requests.principal(ctx).name(), granted);
        ctx.status(201).contentType("application/json").result(describe(user).toString());
    }

    private void delete(Context ctx) {
        String name = ctx.pathParam("name");
        check(ctx, name);
        User user = existing(name);
        if (name.equals(Requests.principal(ctx).name())) {
            throw TributaryException.invalidArgument("you cannot delete your own account '%s'; ask another administrator", name);
        }
        if (user.roles().contains(Roles.ALL_ACCESS) && admins() == 1) {
            throw new TributaryException(ErrorCode.RESOURCE_IN_USE,
                    "'" + name + "' is the last user with all_access; give another user all_access first");
        }
        users.delete(name);
        sessions.endAllOf(name, Optional.empty());
        userDeleted.accept(name);
        LOG.info("User '{}' deleted by {}", name, Requests.principal(ctx).name());
        ctx.status(204);
    }

    private void resetPassword(Context ctx) {
        String name = ctx.pathParam("name");
        check(ctx, name);
        existing(name);
        users.changePassword(name, text(StreamRoutes.jsonBody(ctx), "password"));
        int ended = sessions.endAllOf(name, Optional.empty());
        LOG.info("Password of user '{}' reset by {}; {} session(s) ended", name, Requests.principal(ctx).name(), ended);
        ctx.status(204);
    }

    private void setRoles(Context ctx) {
        String name = ctx.pathParam("name");
        check(ctx, name);
        User user = existing(name);
        JsonNode body = StreamRoutes.jsonBody(ctx);
        if (!body.has("roles")) {
            throw TributaryException.invalidArgument("the body needs 'roles', a list of role names");
        }
        Set<String> granted = roleList(body.get("roles"));
        if (user.roles().contains(Roles.ALL_ACCESS) && !granted.contains(Roles.ALL_ACCESS) && admins() == 1) {
            throw new TributaryException(ErrorCode.RESOURCE_IN_USE,
                    "'" + name + "' is the last user with all_access; give another user all_access first");
        }
        users.setRoles(name, granted);
        LOG.info("Roles of user '{}' set to {} by {}", name, granted, Requests.principal(ctx).name());
        ctx.contentType("application/json").result(describe(existing(name)).toString());
    }

    private void check(Context ctx, String name) {
        Principal principal = Requests.principal(ctx);
        authorizer.check(principal, Permission.of(Permission.Action.MANAGE, "user", name));
    }

    private User existing(String name) {
        return users.find(name).orElseThrow(() -> TributaryException.notFound("user '%s' does not exist", name));
    }

    private long admins() {
        return users.list().stream().filter(u -> u.roles().contains(Roles.ALL_ACCESS)).count();
    }

    private Set<String> roleList(JsonNode node) {
        Set<String> out = new LinkedHashSet<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw TributaryException.invalidArgument("'roles' must be a list of role names");
        }
        for (JsonNode role : node) {
            if (!role.isTextual()) {
                throw TributaryException.invalidArgument("'roles' must be a list of role names, found %s", role);
            }
            String name = role.asText();
            if (!roles.isBuiltIn(name) && roles.role(name).isEmpty()) {
                throw TributaryException.invalidArgument(
                        "role '%s' does not exist; create it with PUT /_plugins/_security/api/roles/%s first", name, name);
            }
            out.add(name);
        }
        return out;
    }

    private static ObjectNode describe(User user) {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("name", user.name());
        user.roles().stream().sorted().forEach(out.putArray("roles")::add);
        out.put("created", user.created().toString());
        return out;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw new TributaryException(ErrorCode.MALFORMED_REQUEST, "the body needs the string field '" + field + "'");
        }
        return value.asText();
    }
}
