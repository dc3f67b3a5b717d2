package io.tributary.content;

/**
 * What the caller may do with a saved object: {@code OWNER} (everything, also delete),
 * {@code CO_OWNER} (edit and re-share), {@code VIEWER} (read). Objects a caller has no access to
 * are reported as not found, never as forbidden.
 */
public enum ContentAccess {
    OWNER("owner"),
    CO_OWNER("co-owner"),
    VIEWER("viewer");

    private final String wireName;

    ContentAccess(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean canEdit() {
        return switch (this) {
            case OWNER, CO_OWNER -> true;
            case VIEWER -> false;
        };
    }

    static ContentAccess of(ShareLevel level) {
        return switch (level) {
            case VIEWER -> VIEWER;
            case CO_OWNER -> CO_OWNER;
        };
    }
}
