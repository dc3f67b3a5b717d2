package io.tributary.auth;

/** Built-in role names. */
public final class Roles {
    /** Everything, as OpenSearch's security plugin names it. The first user holds it. */
    public static final String ALL_ACCESS = "all_access";

    private Roles() {}
}
