package io.tributary.auth;

import static java.util.Objects.requireNonNull;

import io.tributary.auth.AuthenticationException.Reason;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds out who sent a request: AWS SigV4 (header or presigned URL), HTTP Basic with an access
 * key id and secret or a user name and password, or a web session cookie. With authentication
 * disabled every request is the anonymous operator.
 *
 * <p>A browser sends the session cookie with every request to this host, including ones a
 * hostile page triggers; so a cookie-authenticated request that changes state (any method but
 * GET, HEAD and OPTIONS) must also carry the session's CSRF token in {@code X-CSRF-Token}, which
 * another site cannot read. Signed and Basic requests are not sent automatically by browsers and
 * need no token.
 *
 * <p>Thread-safe.
 */
public final class Authenticator {
    private final boolean enabled;
    private final AccessKeyStore keys;
    private final UserStore users;
    private final SigV4Verifier verifier;
    private final java.util.function.Function<String, Set<String>> keyRoles;
    private final Optional<SessionStore> sessions;

    /** The cookie that carries a web session's token. */
    public static final String SESSION_COOKIE = "tributary_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    public Authenticator(boolean enabled, AccessKeyStore keys, UserStore users, SigV4Verifier verifier) {
        this(enabled, keys, users, verifier, id -> Set.of(), Optional.empty());
    }

    /** @param roles gives access keys the roles mapped to them, when they have their own */
    public Authenticator(boolean enabled, AccessKeyStore keys, UserStore users, SigV4Verifier verifier, RoleStore roles) {
        this(enabled, keys, users, verifier, requireNonNull(roles, "roles is null")::rolesOfKey, Optional.empty());
    }

    /** @param sessions web sessions, accepted from the {@value #SESSION_COOKIE} cookie */
    public Authenticator(boolean enabled, AccessKeyStore keys, UserStore users, SigV4Verifier verifier, RoleStore roles,
            SessionStore sessions) {
        this(enabled, keys, users, verifier, requireNonNull(roles, "roles is null")::rolesOfKey,
                Optional.of(requireNonNull(sessions, "sessions is null")));
    }

    private Authenticator(boolean enabled, AccessKeyStore keys, UserStore users, SigV4Verifier verifier,
            java.util.function.Function<String, Set<String>> keyRoles, Optional<SessionStore> sessions) {
        this.keyRoles = keyRoles;
        this.sessions = sessions;
        this.enabled = enabled;
        this.keys = requireNonNull(keys, "keys is null");
        this.users = requireNonNull(users, "users is null");
        this.verifier = requireNonNull(verifier, "verifier is null");
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Returns the principal, or empty when the request carries no credentials at all.
     *
     * @throws AuthenticationException when credentials are present but wrong
     */
    public Optional<Principal> authenticate(RequestView request) {
        if (!enabled) {
            return Optional.of(Principal.anonymous());
        }
        if (SigV4Verifier.isSigned(request)) {
            String keyId = verifier.verify(request, keys::secret);
            return Optional.of(keyPrincipal(keyId));
        }
        Optional<String> authorization = request.header("authorization");
        if (authorization.isEmpty()) {
            return session(request);
        }
        String value = authorization.get();
        if (value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.of(basic(value.substring(6).trim()));
        }
        throw new AuthenticationException(Reason.MALFORMED,
                "unsupported Authorization scheme; sign requests with AWS SigV4 or use HTTP Basic with an access key");
    }

    /** Like {@link #authenticate} but refuses requests without credentials. */
    public Principal require(RequestView request) {
        return authenticate(request).orElseThrow(() -> new AuthenticationException(Reason.MISSING,
                "Missing Authentication Token: sign the request with an access key (AWS SigV4) or send HTTP Basic credentials"));
    }

    private Principal basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new AuthenticationException(Reason.MALFORMED, "HTTP Basic credentials are not valid base64");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw new AuthenticationException(Reason.MALFORMED, "HTTP Basic credentials must be name:secret");
        }
        String name = decoded.substring(0, colon);
        String secret = decoded.substring(colon + 1);
        Optional<String> keySecret = keys.secret(name);
        if (keySecret.isPresent()) {
            if (!MessageDigest.isEqual(keySecret.get().getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))) {
                throw new AuthenticationException(Reason.BAD_SIGNATURE, "the secret does not match access key " + name);
            }
            return keyPrincipal(name);
        }
        User user = users.authenticate(name, secret).orElseThrow(() -> new AuthenticationException(
                Reason.UNKNOWN_KEY, "unknown user or access key, or wrong password"));
        return new Principal(user.name(), Principal.Kind.USER, Optional.empty(), user.roles());
    }

    private Optional<Principal> session(RequestView request) {
        Optional<String> token = sessionToken(request);
        if (token.isEmpty() || sessions.isEmpty()) {
            return Optional.empty();
        }
        Session session = sessions.get().find(token.get()).orElseThrow(() -> new AuthenticationException(Reason.UNKNOWN_KEY,
                "the session has ended or expired; log in again with POST /api/session"));
        if (!SAFE_METHODS.contains(request.method().toUpperCase(Locale.ROOT))) {
            String sent = request.header(CSRF_HEADER).orElse("");
            if (!MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), session.csrfToken().getBytes(StandardCharsets.UTF_8))) {
                throw new TributaryException(ErrorCode.ACCESS_DENIED,
                        "missing or wrong CSRF token; send the X-CSRF-Token header from GET /api/session");
            }
        }
        return Optional.of(new Principal(session.user(), Principal.Kind.USER, Optional.empty(), users.rolesOf(session.user())));
    }

    /** The session token in the request's {@value #SESSION_COOKIE} cookie, if it has one. */
    public static Optional<String> sessionToken(RequestView request) {
        for (String header : request.headers().getOrDefault("cookie", List.of())) {
            for (String part : header.split(";")) {
                String cookie = part.trim();
                int eq = cookie.indexOf('=');
                if (eq > 0 && cookie.substring(0, eq).trim().equals(SESSION_COOKIE)) {
                    String value = cookie.substring(eq + 1).trim();
                    if (!value.isEmpty()) {
                        return Optional.of(value);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private Principal keyPrincipal(String keyId) {
        String owner = keys.owner(keyId).orElseThrow(() -> new AuthenticationException(
                Reason.UNKNOWN_KEY, "access key " + keyId + " was revoked"));
        Set<String> own = keyRoles.apply(keyId);
        return new Principal(owner, Principal.Kind.ACCESS_KEY, Optional.of(keyId), own.isEmpty() ? users.rolesOf(owner) : own);
    }
}
