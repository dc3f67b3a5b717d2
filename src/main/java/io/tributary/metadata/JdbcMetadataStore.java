package io.tributary.metadata;

import static java.util.Objects.requireNonNull;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MetadataStore} over JDBC. SQLite allows one writer at a time, so this store keeps a
 * single connection and serialises transactions on it; metadata traffic is small and this avoids
 * {@code SQLITE_BUSY} entirely. Other databases get a fresh connection per transaction.
 *
 * <p>Thread-safe.
 */
public final class JdbcMetadataStore implements MetadataStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcMetadataStore.class);

    private final String url;
    private final boolean sqlite;
    private final ReentrantLock lock = new ReentrantLock();
    private Connection shared;

    private JdbcMetadataStore(String url) {
        this.url = requireNonNull(url, "url is null");
        this.sqlite = url.startsWith("jdbc:sqlite:");
    }

    /** Opens (creating if needed) a SQLite database file. */
    public static JdbcMetadataStore sqlite(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE,
                    "cannot create the directory for the metadata database " + file + ": " + e.getMessage(), e);
        }
        JdbcMetadataStore store = new JdbcMetadataStore("jdbc:sqlite:" + file.toAbsolutePath());
        store.run(connection -> {
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA foreign_keys = ON");
            }
        });
        return store;
    }

    /** Connects to a database by JDBC URL, for example {@code jdbc:postgresql://host/tributary}. */
    public static JdbcMetadataStore connect(String url) {
        return new JdbcMetadataStore(url);
    }

    @Override
    public <T> T transaction(SqlFunction<T> body) {
        if (sqlite) {
            lock.lock();
            try {
                return runIn(sharedConnection(), body, false);
            } finally {
                lock.unlock();
            }
        }
        try {
            return runIn(DriverManager.getConnection(url), body, true);
        } catch (SQLException e) {
            throw failure("cannot connect to the metadata database", e);
        }
    }

    private <T> T runIn(Connection connection, SqlFunction<T> body, boolean closeAfter) {
        try {
            connection.setAutoCommit(false);
            try {
                T result = body.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                if (e instanceof SQLException sql) {
                    throw failure("metadata database operation failed", sql);
                }
                throw (RuntimeException) e;
            } catch (Error e) {
                rollbackQuietly(connection);
                throw e;
            }
        } catch (SQLException e) {
            throw failure("metadata database transaction failed", e);
        } finally {
            if (closeAfter) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    LOG.warn("Closing a metadata connection failed", e);
                }
            }
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.warn("Rolling back a metadata transaction failed", e);
        }
    }

    private Connection sharedConnection() {
        try {
            if (shared == null || shared.isClosed()) {
                shared = DriverManager.getConnection(url);
                try (Statement s = shared.createStatement()) {
                    s.execute("PRAGMA journal_mode = WAL");
                    s.execute("PRAGMA synchronous = FULL");
                    s.execute("PRAGMA busy_timeout = 10000");
                }
            }
            return shared;
        } catch (SQLException e) {
            throw failure("cannot open the metadata database " + url, e);
        }
    }

    @Override
    public void migrate(List<Migration> migrations) {
        run(connection -> {
            try (Statement s = connection.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                        + "component TEXT NOT NULL, version INTEGER NOT NULL, description TEXT NOT NULL, "
                        + "applied_at BIGINT NOT NULL, PRIMARY KEY (component, version))");
            }
        });
        List<Migration> ordered = migrations.stream()
                .sorted(Comparator.comparing(Migration::component).thenComparingInt(Migration::version))
                .toList();
        for (Migration migration : ordered) {
            run(connection -> apply(connection, migration));
        }
        migrations.stream().map(Migration::component).distinct().forEach(component -> {
            int known = migrations.stream().filter(m -> m.component().equals(component))
                    .mapToInt(Migration::version).max().orElse(0);
            int applied = appliedVersion(component);
            if (applied > known) {
                throw new TributaryException(ErrorCode.INTERNAL, String.format(
                        "the metadata database has %s schema version %d but this build knows only up to %d; "
                                + "run the newer Tributary release that wrote it", component, applied, known));
            }
        });
    }

    private void apply(Connection connection, Migration migration) throws SQLException {
        try (PreparedStatement check = connection.prepareStatement(
                "SELECT 1 FROM schema_migrations WHERE component = ? AND version = ?")) {
            check.setString(1, migration.component());
            check.setInt(2, migration.version());
            try (ResultSet rs = check.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        int applied = appliedVersion(connection, migration.component());
        if (applied != migration.version() - 1) {
            throw new TributaryException(ErrorCode.INTERNAL, String.format(
                    "cannot apply %s migration %d: the database is at version %d", migration.component(),
                    migration.version(), applied));
        }
        try (Statement s = connection.createStatement()) {
            for (String sql : migration.statements()) {
                s.execute(sql);
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO schema_migrations (component, version, description, applied_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, migration.component());
            insert.setInt(2, migration.version());
            insert.setString(3, migration.description());
            insert.setLong(4, System.currentTimeMillis());
            insert.executeUpdate();
        }
        LOG.info("Applied metadata migration {} v{}: {}", migration.component(), migration.version(), migration.description());
    }

    /** The highest applied version of a component's schema, 0 if none. */
    public int appliedVersion(String component) {
        return transaction(connection -> appliedVersion(connection, component));
    }

    private static int appliedVersion(Connection connection, String component) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT MAX(version) FROM schema_migrations WHERE component = ?")) {
            ps.setString(1, component);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    private static TributaryException failure(String what, SQLException e) {
        return new TributaryException(ErrorCode.STORAGE_FAILURE, what + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (shared != null) {
                shared.close();
                shared = null;
            }
        } catch (SQLException e) {
            LOG.warn("Closing the metadata database failed", e);
        } finally {
            lock.unlock();
        }
    }
}
