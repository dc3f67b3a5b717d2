package io.tributary.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tributary.auth.Authenticator;
import io.tributary.auth.Authorizer;
import io.tributary.auth.LoginThrottle;
import io.tributary.auth.Permission;
import io.tributary.auth.Principal;
import io.tributary.auth.Session;
import io.tributary.auth.SessionStore;
import io.tributary.auth.User;
import io.tributary.auth.UserStore;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Web login: {@code /api/session} (log in, who am I with the CSRF token, log out) and
 * {@code /api/session/password}. The session token travels only in an HttpOnly, SameSite=Strict
 * cookie (Secure over TLS), so page scripts cannot read it and other sites cannot send it.
 */
public final class SessionRoutes implements Routes {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRoutes.class);
    private static final String WRONG_LOGIN = "wrong user name or password";
    private static final int MAX_PASSWORD_LENGTH = 1024;

    private final UserStore users;
    private final SessionStore sessions;
    private final LoginThrottle throttle;
    private final boolean authEnabled;
    private final Authorizer authorizer;

    public SessionRoutes(UserStore users, SessionStore sessions, LoginThrottle throttle, boolean authEnabled, Authorizer authorizer) {
        this.users = requireNonNull(users, "users is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.throttle = requireNonNull(throttle, "throttle is null");
        this.authEnabled = authEnabled;
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
    }

    @Override
    public void register(Javalin app) {
        app.post("/api/session", this::login, Access.PUBLIC);
        app.get("/api/session", this::current);
        app.delete("/api/session", this::logout);
        app.post("/api/session/password", this::changePassword);
    }

    private void login(Context ctx) {
        if (!authEnabled) {
            ok(ctx, describe(Principal.anonymous(), ""));
            return;
        }
        JsonNode body = credentials(ctx);
        String name = text(body, "username");
        String password = text(body, "password");
        String address = ctx.req().getRemoteAddr();
        refuseWhileThrottled(ctx, name, address);
        // No account has a longer password, so a longer one is refused without spending a hash on it.
        Optional<User> user = validName(name) && password.length() <= MAX_PASSWORD_LENGTH ? users.authenticate(name, password) : Optional.empty();
        if (user.isEmpty()) {
            throttle.failed(name, address);
            // A name that is no account is often a password typed into the wrong field: not logged.
            LOG.info("Failed web login for {} from {}", validName(name) && users.find(name).isPresent()
                    ? "user '" + name + "'" : "an unknown user", address);
            throw new TributaryException(ErrorCode.UNAUTHENTICATED, WRONG_LOGIN);
        }
        Session.Started started = sessions.start(user.get().name());
        ctx.header("Set-Cookie", cookie(started.token(), ctx.req().isSecure(), false));
        ctx.header("Cache-Control", "no-store");
        LOG.info("User '{}' logged in from {}", user.get().name(), address);
        ok(ctx, describe(new Principal(user.get().name(), Principal.Kind.USER, Optional.empty(), users.rolesOf(user.get().name())),
                started.session().csrfToken()));
    }

    private void current(Context ctx) {
        Principal principal = Requests.principal(ctx);
        String csrf = session(ctx).map(Session::csrfToken).orElse("");
        ctx.header("Cache-Control", "no-store");
        ok(ctx, describe(principal, csrf));
    }

    private void logout(Context ctx) {
        Authenticator.sessionToken(Requests.view(ctx)).ifPresent(sessions::end);
        ctx.header("Set-Cookie", cookie("", ctx.req().isSecure(), true));
        ctx.status(204);
    }

    private void changePassword(Context ctx) {
        Principal principal = Requests.principal(ctx);
        if (principal.kind() != Principal.Kind.USER) {
            throw TributaryException.invalidArgument(
                    "only a logged-in user can change their password; an administrator resets others with PUT /api/users/{name}/password");
        }
        JsonNode body = StreamRoutes.jsonBody(ctx);
        String current = text(body, "current");
        String next = text(body, "new");
        String address = ctx.req().getRemoteAddr();
        refuseWhileThrottled(ctx, principal.name(), address);
        if (current.length() > MAX_PASSWORD_LENGTH || users.authenticate(principal.name(), current).isEmpty()) {
            throttle.failed(principal.name(), address);
            throw new TributaryException(ErrorCode.ACCESS_DENIED, "the current password is wrong");
        }
        users.changePassword(principal.name(), next);
        int ended = sessions.endAllOf(principal.name(), session(ctx).map(Session::id));
        LOG.info("User '{}' changed their password; {} other session(s) ended", principal.name(), ended);
        ctx.status(204);
    }

    private void refuseWhileThrottled(Context ctx, String name, String address) {
        Optional<Duration> wait = throttle.retryAfter(name, address);
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            ctx.header("Retry-After", Long.toString(seconds));
            throw new TributaryException(ErrorCode.THROTTLED,
                    "too many failed logins; try again in " + seconds + " s");
        }
    }

    private Optional<Session> session(Context ctx) {
        return Authenticator.sessionToken(Requests.view(ctx)).flatMap(sessions::find);
    }

    private ObjectNode describe(Principal principal, String csrfToken) {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("user", principal.name());
        principal.roles().stream().sorted().forEach(out.putArray("roles")::add);
        out.put("csrfToken", csrfToken);
        out.put("authEnabled", authEnabled);
        // What the roles grant, evaluated as the API will, so the UI never guesses from role names.
        out.put("canAdminister", authorizer.allows(principal, Permission.of(Permission.Action.MANAGE, "user", "*"))
                || authorizer.allows(principal, Permission.of(Permission.Action.MANAGE, "role", "*")));
        return out;
    }

    static String cookie(String token, boolean secure, boolean clear) {
        return Authenticator.SESSION_COOKIE + "=" + token + "; Path=/" + (clear ? "; Max-Age=0" : "") + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    /** The login body; its parse errors are not echoed, as they could quote the password. */
    private static JsonNode credentials(Context ctx) {
        JsonNode body;
        try {
            body = Json.mapper().readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            throw new TributaryException(ErrorCode.MALFORMED_REQUEST,
                    "the body must be a JSON object {\"username\": \"...\", \"password\": \"...\"}");
        }
        return body;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw new TributaryException(ErrorCode.MALFORMED_REQUEST, "the body needs the string field '" + field + "'");
        }
        return value.asText();
    }

    private static boolean validName(String name) {
        try {
            UserStore.validateName(name);
            return true;
        } catch (TributaryException e) {
            return false;
        }
    }

    private static void ok(Context ctx, JsonNode body) {
        ctx.status(200).contentType("application/json").result(body.toString());
    }
}
