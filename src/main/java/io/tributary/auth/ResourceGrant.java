package io.tributary.auth;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

/**
 * Actions a role allows on resources of one type whose names match a pattern, as OpenSearch
 * security's {@code index_permissions}: {@code {"index_patterns": ["retail*"], "allowed_actions": ["read"]}}.
 *
 * @param resourceType {@code index}, {@code stream}; the web UI adds {@code table}
 * @param patterns names with {@code *} and {@code ?} wildcards
 * @param allowedActions action groups: {@code read}, {@code write}, {@code crud} (read and write),
 *     {@code create_index}, {@code manage} (create, change, delete), {@code all}
 */
public record ResourceGrant(String resourceType, List<String> patterns, Set<String> allowedActions) {
    /** Action groups and the actions each grants; OpenSearch's names where it has one. */
    public static final java.util.Map<String, Set<Permission.Action>> ACTION_GROUPS = java.util.Map.ofEntries(
            java.util.Map.entry("read", Set.of(Permission.Action.READ)),
            java.util.Map.entry("search", Set.of(Permission.Action.READ)),
            java.util.Map.entry("get", Set.of(Permission.Action.READ)),
            java.util.Map.entry("write", Set.of(Permission.Action.WRITE)),
            java.util.Map.entry("index", Set.of(Permission.Action.WRITE)),
            java.util.Map.entry("delete", Set.of(Permission.Action.WRITE)),
            java.util.Map.entry("crud", Set.of(Permission.Action.READ, Permission.Action.WRITE)),
            java.util.Map.entry("create_index", Set.of(Permission.Action.CREATE)),
            java.util.Map.entry("manage", Set.of(Permission.Action.CREATE, Permission.Action.MANAGE)),
            java.util.Map.entry("all", Set.of(Permission.Action.values())),
            java.util.Map.entry("indices_all", Set.of(Permission.Action.values())),
            java.util.Map.entry("*", Set.of(Permission.Action.values())));

    public ResourceGrant {
        requireNonNull(resourceType, "resourceType is null");
        patterns = List.copyOf(patterns);
        allowedActions = Set.copyOf(allowedActions);
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException(resourceType + "_permissions need at least one pattern");
        }
        for (String a : allowedActions) {
            if (!ACTION_GROUPS.containsKey(a)) {
                throw new IllegalArgumentException("unknown action group '" + a + "' in " + resourceType
                        + "_permissions; use one of " + new java.util.TreeSet<>(ACTION_GROUPS.keySet()));
            }
        }
    }

    public boolean allows(Permission permission) {
        if (!permission.resourceType().equals(resourceType)) {
            return false;
        }
        boolean actionAllowed = allowedActions.stream().anyMatch(a -> ACTION_GROUPS.get(a).contains(permission.action()));
        return actionAllowed && patterns.stream().anyMatch(p -> matches(p, permission.resource()));
    }

    /** Glob matching with {@code *} and {@code ?}, linear in practice. */
    static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
