package io.tributary.metadata;

import java.io.Closeable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The relational store behind the catalog, users, keys, saved objects and history: SQLite in a
 * file by default, PostgreSQL when several servers share it.
 *
 * <p>Thread-safe. {@link #transaction} runs the body in one transaction, committed when it returns
 * and rolled back when it throws; bodies must not keep the connection.
 */
public interface MetadataStore extends Closeable {
    <T> T transaction(SqlFunction<T> body);

    default void run(SqlConsumer body) {
        transaction(connection -> {
            body.accept(connection);
            return null;
        });
    }

    /**
     * Applies the component's migrations that are not applied yet, in version order, each in its
     * own transaction together with its bookkeeping row.
     *
     * @throws io.tributary.common.TributaryException {@code INTERNAL} if the store is at a newer
     *     version than this build knows (a downgrade)
     */
    void migrate(List<Migration> migrations);

    @FunctionalInterface
    interface SqlFunction<T> {
        T apply(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    interface SqlConsumer {
        void accept(Connection connection) throws SQLException;
    }
}
