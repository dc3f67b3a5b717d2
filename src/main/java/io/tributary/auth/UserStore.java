package io.tributary.auth;

import static java.util.Objects.requireNonNull;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.metadata.MetadataStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Users with Argon2id password hashes and their roles, in the metadata store.
 *
 * <p>Thread-safe.
 */
public final class UserStore {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.@-]{1,64}");
    static final int MIN_PASSWORD_LENGTH = 8;
    static final int MAX_PASSWORD_LENGTH = 1024;

    private final MetadataStore store;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final java.util.concurrent.ConcurrentHashMap<String, Set<String>> roleCache = new java.util.concurrent.ConcurrentHashMap<>();

    public UserStore(MetadataStore store, PasswordHasher hasher, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.hasher = requireNonNull(hasher, "hasher is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public static String validateName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw TributaryException.invalidArgument(
                    "user name '%s' is invalid: use 1 to 64 characters from a-z, A-Z, 0-9, '_', '.', '@' and '-'",
                    name == null ? "" : name.length() > 64 ? name.substring(0, 64) + "..." : name);
        }
        return name;
    }

    static void validatePassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH || password.length() > MAX_PASSWORD_LENGTH) {
            throw TributaryException.invalidArgument(
                    "a password must be %d to %d characters long", MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH);
        }
    }

    /** @throws TributaryException {@code ALREADY_EXISTS} if the name is taken */
    public User create(String name, String password, Set<String> roles) {
        validateName(name);
        validatePassword(password);
        String hash = hasher.hash(password);
        Instant now = clock.instant();
        store.run(c -> {
            if (exists(c, name)) {
                throw new TributaryException(ErrorCode.ALREADY_EXISTS, "user '" + name + "' already exists");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)")) {
                ps.setString(1, name);
                ps.setString(2, hash);
                ps.setLong(3, now.toEpochMilli());
                ps.executeUpdate();
            }
            for (String role : roles) {
                mapRole(c, role, name);
            }
        });
        roleCache.remove(name);
        return new User(name, roles, now);
    }

    /** The roles of a user, cached: every authenticated request needs them. Empty for an unknown user. */
    public Set<String> rolesOf(String name) {
        return roleCache.computeIfAbsent(name, n -> store.transaction(c -> Set.copyOf(roles(c, n))));
    }

    /** Drops cached roles after role mappings changed (see {@link RoleStore}). */
    void forgetRoles() {
        roleCache.clear();
    }

    public Optional<User> find(String name) {
        return store.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT created_at FROM users WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new User(name, roles(c, name), Instant.ofEpochMilli(rs.getLong(1))));
                }
            }
        });
    }

    public List<User> list() {
        return store.transaction(c -> {
            List<User> users = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, created_at FROM users ORDER BY name");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    users.add(new User(rs.getString(1), roles(c, rs.getString(1)), Instant.ofEpochMilli(rs.getLong(2))));
                }
            }
            return users;
        });
    }

    public boolean isEmpty() {
        return store.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM users"); ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) == 0;
            }
        });
    }

    /** Returns the user if the password matches; the same empty answer for an unknown user and a wrong password. */
    public Optional<User> authenticate(String name, String password) {
        Optional<String> hash = store.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT password_hash FROM users WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
        if (hash.isEmpty()) {
            // Spend the same time as a real check so response time does not reveal which names exist.
            hasher.verify(password, DUMMY_HASH);
            return Optional.empty();
        }
        return hasher.verify(password, hash.get()) ? find(name) : Optional.empty();
    }

    private static final String DUMMY_HASH =
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0000000000000000000000000000000000000000000";

    public void changePassword(String name, String newPassword) {
        validatePassword(newPassword);
        String hash = hasher.hash(newPassword);
        store.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET password_hash = ? WHERE name = ?")) {
                ps.setString(1, hash);
                ps.setString(2, name);
                if (ps.executeUpdate() == 0) {
                    throw TributaryException.notFound("user '%s' does not exist", name);
                }
            }
        });
    }

    /** Replaces the roles mapped to a user. */
    public void setRoles(String name, Set<String> roles) {
        store.run(c -> {
            if (!exists(c, name)) {
                throw TributaryException.notFound("user '%s' does not exist", name);
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM role_mappings WHERE principal_type = 'user' AND principal = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            for (String role : roles) {
                mapRole(c, role, name);
            }
        });
        roleCache.remove(name);
    }

    public void delete(String name) {
        store.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM role_mappings WHERE principal_type = 'user' AND principal = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE name = ?")) {
                ps.setString(1, name);
                if (ps.executeUpdate() == 0) {
                    throw TributaryException.notFound("user '%s' does not exist", name);
                }
            }
        });
        roleCache.remove(name);
    }

    private static boolean exists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM users WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void mapRole(Connection c, String role, String user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO role_mappings (role, principal_type, principal) VALUES (?, 'user', ?)")) {
            ps.setString(1, role);
            ps.setString(2, user);
            ps.executeUpdate();
        }
    }

    static Set<String> roles(Connection c, String user) throws SQLException {
        Set<String> roles = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT role FROM role_mappings WHERE principal_type = 'user' AND principal = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    roles.add(rs.getString(1));
                }
            }
        }
        return roles;
    }
}
