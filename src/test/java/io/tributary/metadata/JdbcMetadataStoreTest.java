package io.tributary.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcMetadataStoreTest {
    @TempDir
    Path dir;

    private static final Migration V1 = new Migration("things", 1, "create", List.of("CREATE TABLE things (id TEXT PRIMARY KEY)"));
    private static final Migration V2 = new Migration("things", 2, "add size", List.of("ALTER TABLE things ADD COLUMN size BIGINT"));

    @Test
    void appliesMigrationsOnceInOrderAndSurvivesReopening() {
        try (JdbcMetadataStore store = JdbcMetadataStore.sqlite(dir.resolve("m.db"))) {
            store.migrate(List.of(V2, V1));
            store.migrate(List.of(V1, V2));
            assertThat(store.appliedVersion("things")).isEqualTo(2);
            store.run(c -> c.createStatement().execute("INSERT INTO things (id, size) VALUES ('a', 3)"));
        }
        try (JdbcMetadataStore store = JdbcMetadataStore.sqlite(dir.resolve("m.db"))) {
            store.migrate(List.of(V1, V2));
            long size = store.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT size FROM things WHERE id = 'a'"); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(size).isEqualTo(3);
        }
    }

    @Test
    void rollsBackWhenTheBodyFails() {
        try (JdbcMetadataStore store = JdbcMetadataStore.sqlite(dir.resolve("m.db"))) {
            store.migrate(List.of(V1));
            assertThatThrownBy(() -> store.run(c -> {
                c.createStatement().execute("INSERT INTO things (id) VALUES ('x')");
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
            assertThatThrownBy(() -> store.run(c -> c.createStatement().execute("INSERT INTO nope VALUES (1)")))
                    .hasMessageContaining("metadata database operation failed");
            int count = store.transaction(c -> {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM things")) {
                    return rs.getInt(1);
                }
            });
            assertThat(count).isZero();
        }
    }

    @Test
    void refusesADatabaseWrittenByANewerBuild() {
        try (JdbcMetadataStore store = JdbcMetadataStore.sqlite(dir.resolve("m.db"))) {
            store.migrate(List.of(V1, V2));
        }
        try (JdbcMetadataStore store = JdbcMetadataStore.sqlite(dir.resolve("m.db"))) {
            assertThatThrownBy(() -> store.migrate(List.of(V1))).hasMessageContaining("newer Tributary release");
        }
    }

    @Test
    void refusesAGapInVersions() {
        try (JdbcMetadataStore store = JdbcMetadataStore.sqlite(dir.resolve("m.db"))) {
            assertThatThrownBy(() -> store.migrate(List.of(V2))).hasMessageContaining("at version 0");
        }
    }
}
