package io.tributary.auth;

import static java.util.Objects.requireNonNull;

import io.tributary.metadata.MetadataStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Web sessions in the metadata store, so they survive a restart. A session ends when it has not
 * been used for the idle timeout, when it is older than its lifetime, at logout, and when its
 * user's password changes or the user is deleted.
 *
 * <p>Thread-safe.
 */
public final class SessionStore {
    /** Last-seen times are written at most this often, so reads do not turn every request into a write. */
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @param idleTimeout a session unused this long ends
     * @param lifetime a session older than this ends however busy it is
     */
    public record Config(Duration idleTimeout, Duration lifetime) {
        public Config {
            requireNonNull(idleTimeout, "idleTimeout is null");
            requireNonNull(lifetime, "lifetime is null");
            if (idleTimeout.isNegative() || idleTimeout.isZero() || lifetime.isNegative() || lifetime.isZero()) {
                throw new IllegalArgumentException("session idle timeout and lifetime must be positive");
            }
        }
    }

    private final MetadataStore store;
    private final Config config;
    private final Clock clock;

    public SessionStore(MetadataStore store, Config config, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public Config config() {
        return config;
    }

    /** Starts a session for a user who has just proven their password. */
    public Session.Started start(String user) {
        requireNonNull(user, "user is null");
        String token = randomToken();
        Instant now = clock.instant();
        Session session = new Session(hash(token), user, randomToken(), now, now);
        store.run(c -> {
            // Expired rows are swept on login rather than by a timer: logins are rare and this keeps the table small.
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?")) {
                ps.setLong(1, now.minus(config.idleTimeout()).toEpochMilli());
                ps.setLong(2, now.minus(config.lifetime()).toEpochMilli());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO sessions (token_hash, user_name, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, session.id());
                ps.setString(2, user);
                ps.setString(3, session.csrfToken());
                ps.setLong(4, now.toEpochMilli());
                ps.setLong(5, now.toEpochMilli());
                ps.executeUpdate();
            }
        });
        return new Session.Started(token, session);
    }

    /** The live session a cookie's token belongs to, marking it used; empty if unknown, ended or expired. */
    public Optional<Session> find(String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        String id = hash(token);
        Instant now = clock.instant();
        return store.transaction(c -> {
            Session session;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT user_name, csrf_token, created_at, last_seen_at FROM sessions WHERE token_hash = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Session>empty();
                    }
                    session = new Session(id, rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                            Instant.ofEpochMilli(rs.getLong(4)));
                }
            }
            if (session.lastSeen().plus(config.idleTimeout()).isBefore(now) || session.created().plus(config.lifetime()).isBefore(now)) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE token_hash = ?")) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
                return Optional.<Session>empty();
            }
            if (session.lastSeen().plus(TOUCH_INTERVAL).isBefore(now)) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")) {
                    ps.setLong(1, now.toEpochMilli());
                    ps.setString(2, id);
                    ps.executeUpdate();
                }
                session = new Session(id, session.user(), session.csrfToken(), session.created(), now);
            }
            return Optional.of(session);
        });
    }

    /** Ends the session of a token (logout); nothing happens for an unknown token. */
    public void end(String token) {
        String id = hash(token);
        store.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE token_hash = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
        });
    }

    /**
     * Ends every session of a user except the one given (after a password change, the session
     * that changed it stays).
     *
     * @return how many sessions ended
     */
    public int endAllOf(String user, Optional<String> keepId) {
        return store.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE user_name = ? AND token_hash <> ?")) {
                ps.setString(1, user);
                ps.setString(2, keepId.orElse(""));
                return ps.executeUpdate();
            }
        });
    }

    /** The number of stored sessions of a user, ended or not yet swept; for tests and admin views. */
    public int count(String user) {
        return store.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM sessions WHERE user_name = ?")) {
                ps.setString(1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        });
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The id of the session a token would belong to. */
    public static String idOf(String token) {
        return hash(requireNonNull(token, "token is null"));
    }
}
