package io.tributary.content;

import io.tributary.metadata.Migration;
import java.util.List;

/** The saved objects' metadata tables. */
public final class ContentMigrations {
    private ContentMigrations() {}

    public static List<Migration> all() {
        return List.of(new Migration("content", 1, "saved objects and their shares", List.of(
                "CREATE TABLE saved_objects (id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, owner TEXT NOT NULL, "
                        + "body TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
                "CREATE INDEX saved_objects_by_kind ON saved_objects (kind, owner)",
                "CREATE TABLE saved_object_shares (object_id TEXT NOT NULL REFERENCES saved_objects(id) ON DELETE CASCADE, "
                        + "user_name TEXT NOT NULL, level TEXT NOT NULL, PRIMARY KEY (object_id, user_name))")));
    }
}
