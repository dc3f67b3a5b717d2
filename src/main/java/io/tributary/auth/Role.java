package io.tributary.auth;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A named set of permissions: cluster-wide ones ({@code cluster_monitor}, {@code cluster_manage},
 * {@code cluster_all}) and grants on resources by pattern. Roles are mapped to users and access
 * keys in {@code role_mappings}.
 */
public record Role(String name, String description, Set<String> clusterPermissions, List<ResourceGrant> grants) {
    /** Cluster permission names and what they allow on the {@code cluster} resource. */
    public static final Map<String, Set<Permission.Action>> CLUSTER_PERMISSIONS = Map.of(
            "cluster_monitor", Set.of(Permission.Action.READ),
            "cluster_manage", Set.of(Permission.Action.READ, Permission.Action.MANAGE, Permission.Action.CREATE),
            "manage_index_templates", Set.of(Permission.Action.MANAGE),
            "cluster_all", Set.of(Permission.Action.values()));

    public Role {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        clusterPermissions = Set.copyOf(clusterPermissions);
        grants = List.copyOf(grants);
        UserStore.validateName(name);
        for (String c : clusterPermissions) {
            if (!CLUSTER_PERMISSIONS.containsKey(c)) {
                throw new IllegalArgumentException("unknown cluster permission '" + c + "'; use one of "
                        + new java.util.TreeSet<>(CLUSTER_PERMISSIONS.keySet()));
            }
        }
    }

    public boolean allows(Permission permission) {
        if (permission.resourceType().equals("cluster")) {
            return clusterPermissions.stream().anyMatch(c -> CLUSTER_PERMISSIONS.get(c).contains(permission.action()));
        }
        return grants.stream().anyMatch(g -> g.allows(permission));
    }
}
