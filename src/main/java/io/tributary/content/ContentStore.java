package io.tributary.content;

import static java.util.Objects.requireNonNull;

import io.tributary.metadata.MetadataStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Saved objects and shares in the metadata store; no access checks (see {@link ContentService}).
 *
 * <p>Thread-safe.
 */
final class ContentStore {
    private final MetadataStore store;

    ContentStore(MetadataStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    void insert(SavedObject object) {
        store.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO saved_objects (id, kind, name, owner, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, object.id());
                ps.setString(2, object.kind().pathName());
                ps.setString(3, object.name());
                ps.setString(4, object.owner());
                ps.setString(5, object.body());
                ps.setLong(6, object.created().toEpochMilli());
                ps.setLong(7, object.updated().toEpochMilli());
                ps.executeUpdate();
            }
        });
    }

    void update(String id, String name, String body, Instant updated) {
        store.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE saved_objects SET name = ?, body = ?, updated_at = ? WHERE id = ?")) {
                ps.setString(1, name);
                ps.setString(2, body);
                ps.setLong(3, updated.toEpochMilli());
                ps.setString(4, id);
                ps.executeUpdate();
            }
        });
    }

    void replaceShares(String id, List<Share> shares, Instant updated) {
        store.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM saved_object_shares WHERE object_id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO saved_object_shares (object_id, user_name, level) VALUES (?, ?, ?)")) {
                for (Share share : shares) {
                    ps.setString(1, id);
                    ps.setString(2, share.user());
                    ps.setString(3, share.level().wireName());
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE saved_objects SET updated_at = ? WHERE id = ?")) {
                ps.setLong(1, updated.toEpochMilli());
                ps.setString(2, id);
                ps.executeUpdate();
            }
        });
    }

    void delete(String id) {
        store.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM saved_object_shares WHERE object_id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM saved_objects WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
        });
    }

    Optional<SavedObject> find(ContentKind kind, String id) {
        return store.transaction(c -> {
            List<SavedObject> found = query(c, "SELECT id, kind, name, owner, body, created_at, updated_at FROM saved_objects "
                    + "WHERE kind = ? AND id = ?", kind.pathName(), id);
            return found.stream().findFirst();
        });
    }

    /** Every object of a kind, oldest first. */
    List<SavedObject> list(ContentKind kind) {
        return store.transaction(c -> query(c, "SELECT id, kind, name, owner, body, created_at, updated_at FROM saved_objects "
                + "WHERE kind = ? ORDER BY created_at, id", kind.pathName()));
    }

    /** Drops the shares held by a user (the user was deleted). */
    void forgetUser(String user) {
        store.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM saved_object_shares WHERE user_name = ?")) {
                ps.setString(1, user);
                ps.executeUpdate();
            }
        });
    }

    private static List<SavedObject> query(Connection c, String sql, String... args) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        List<long[]> times = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)});
                    times.add(new long[] {rs.getLong(6), rs.getLong(7)});
                }
            }
        }
        Map<String, List<Share>> shares = new HashMap<>();
        if (!rows.isEmpty()) {
            String kind = rows.get(0)[1];
            try (PreparedStatement ps = c.prepareStatement("SELECT s.object_id, s.user_name, s.level FROM saved_object_shares s "
                    + "JOIN saved_objects o ON o.id = s.object_id WHERE o.kind = ? ORDER BY s.user_name")) {
                ps.setString(1, kind);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        shares.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                .add(new Share(rs.getString(2), ShareLevel.parse(rs.getString(3))));
                    }
                }
            }
        }
        List<SavedObject> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            out.add(new SavedObject(r[0], ContentKind.fromPathName(r[1]).orElseThrow(), r[2], r[3], r[4],
                    shares.getOrDefault(r[0], List.of()), Instant.ofEpochMilli(times.get(i)[0]), Instant.ofEpochMilli(times.get(i)[1])));
        }
        return out;
    }
}
