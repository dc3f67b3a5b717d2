package io.tributary.auth;

import io.tributary.metadata.Migration;
import java.util.List;

/** The auth component's metadata tables. */
public final class AuthMigrations {
    private AuthMigrations() {}

    public static List<Migration> all() {
        return List.of(new Migration("auth", 1, "users, access keys, role mappings", List.of(
                "CREATE TABLE users (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_at BIGINT NOT NULL)",
                "CREATE TABLE access_keys (id TEXT PRIMARY KEY, owner TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE, "
                        + "secret_ciphertext TEXT NOT NULL, description TEXT NOT NULL, source TEXT NOT NULL, "
                        + "created_at BIGINT NOT NULL, revoked_at BIGINT)",
                "CREATE TABLE role_mappings (role TEXT NOT NULL, principal_type TEXT NOT NULL, principal TEXT NOT NULL, "
                        + "PRIMARY KEY (role, principal_type, principal))")),
                // Roles with resource permissions (issue 5); role_mappings already maps them to users and, now, access keys.
                new Migration("auth", 2, "roles", List.of(
                        "CREATE TABLE roles (name TEXT PRIMARY KEY, definition TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)")),
                // Web sessions: only a hash of the token is stored, so a copy of the database does not hold live sessions.
                new Migration("auth", 3, "web sessions", List.of(
                        "CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE, "
                                + "csrf_token TEXT NOT NULL, created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL)",
                        "CREATE INDEX sessions_by_user ON sessions (user_name)")));
    }
}
