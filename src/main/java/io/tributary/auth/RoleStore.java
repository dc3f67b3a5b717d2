package io.tributary.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.metadata.MetadataStore;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Roles and their mappings to users and access keys, in the metadata store. Definitions use
 * OpenSearch security's role format — {@code cluster_permissions} and
 * {@code index_permissions: [{index_patterns, allowed_actions}]} — extended the same way for other
 * resource types ({@code stream_permissions: [{stream_patterns, ...}]}; the web UI adds tables).
 *
 * <p>An access key with roles mapped to it acts with those roles only, so a key can be narrower
 * than its owner; a key without its own mapping carries its owner's roles.
 *
 * <p>Thread-safe. Role definitions and key mappings are cached, since every request needs them;
 * changes through this store update the caches.
 */
public final class RoleStore implements RoleDirectory {
    private final MetadataStore store;
    private final UserStore users;
    private final Clock clock;
    /** Resource types a role can grant as {@code <type>_permissions}; {@code user} is user administration. */
    private static final List<String> RESOURCE_TYPES = List.of("index", "stream", "table", "sink", "user");

    private final Map<String, Optional<Role>> roleCache = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> keyRoleCache = new ConcurrentHashMap<>();

    /** Who a role is mapped to. */
    public record Mapping(String role, List<String> users, List<String> accessKeys) {
        public Mapping {
            requireNonNull(role, "role is null");
            users = List.copyOf(users);
            accessKeys = List.copyOf(accessKeys);
        }
    }

    public RoleStore(MetadataStore store, UserStore users, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.users = requireNonNull(users, "users is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Optional<Role> role(String name) {
        if (name.equals(READ_ALL.name())) {
            return Optional.of(READ_ALL);
        }
        return roleCache.computeIfAbsent(name, n -> store.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT definition FROM roles WHERE name = ?")) {
                ps.setString(1, n);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(parse(n, Json.mapper().readTree(rs.getString(1)))) : Optional.<Role>empty();
                } catch (IOException e) {
                    throw new TributaryException(ErrorCode.INTERNAL, "role '" + n + "' has an unreadable definition in the metadata store", e);
                }
            }
        }));
    }

    public boolean isBuiltIn(String name) {
        return name.equals(Roles.ALL_ACCESS) || name.equals(READ_ALL.name());
    }

    /** Creates or replaces a role from its JSON definition; returns whether it was created. */
    public boolean put(String name, JsonNode definition) {
        if (isBuiltIn(name)) {
            throw new TributaryException(ErrorCode.IMMUTABLE, "role '" + name + "' is built in and cannot be changed");
        }
        Role role = parse(name, definition);
        long now = clock.millis();
        boolean created = store.transaction(c -> {
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM roles WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            String sql = exists ? "UPDATE roles SET definition = ?, updated_at = ? WHERE name = ?"
                    : "INSERT INTO roles (definition, updated_at, name, created_at) VALUES (?, ?, ?, ?)";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, toJson(role).toString());
                ps.setLong(2, now);
                ps.setString(3, name);
                if (!exists) {
                    ps.setLong(4, now);
                }
                ps.executeUpdate();
            }
            return !exists;
        });
        roleCache.remove(name);
        return created;
    }

    public void delete(String name) {
        if (isBuiltIn(name)) {
            throw new TributaryException(ErrorCode.IMMUTABLE, "role '" + name + "' is built in and cannot be deleted");
        }
        store.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM roles WHERE name = ?")) {
                ps.setString(1, name);
                if (ps.executeUpdate() == 0) {
                    throw TributaryException.notFound("role '%s' does not exist", name);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM role_mappings WHERE role = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
        });
        forgetCaches();
    }

    public List<String> names() {
        List<String> names = new ArrayList<>(List.of(Roles.ALL_ACCESS, READ_ALL.name()));
        names.addAll(store.transaction(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM roles ORDER BY name"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }));
        return names;
    }

    /** Replaces who a role is mapped to. */
    public void putMapping(Mapping mapping) {
        if (!isBuiltIn(mapping.role()) && role(mapping.role()).isEmpty()) {
            throw TributaryException.notFound("role '%s' does not exist; create it before mapping it", mapping.role());
        }
        store.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM role_mappings WHERE role = ?")) {
                ps.setString(1, mapping.role());
                ps.executeUpdate();
            }
            for (String user : mapping.users()) {
                insertMapping(c, mapping.role(), "user", user);
            }
            for (String key : mapping.accessKeys()) {
                insertMapping(c, mapping.role(), "access_key", AccessKeyStore.validateId(key));
            }
        });
        forgetCaches();
    }

    public Mapping mapping(String role) {
        return store.transaction(c -> {
            List<String> userNames = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT principal_type, principal FROM role_mappings WHERE role = ? ORDER BY principal")) {
                ps.setString(1, role);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        (rs.getString(1).equals("user") ? userNames : keys).add(rs.getString(2));
                    }
                }
            }
            return new Mapping(role, userNames, keys);
        });
    }

    private static void insertMapping(Connection c, String role, String type, String principal) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO role_mappings (role, principal_type, principal) VALUES (?, ?, ?)")) {
            ps.setString(1, role);
            ps.setString(2, type);
            ps.setString(3, principal);
            ps.executeUpdate();
        }
    }

    /** The roles mapped to an access key itself; empty when it has none (it then carries its owner's). */
    public Set<String> rolesOfKey(String keyId) {
        return keyRoleCache.computeIfAbsent(keyId, id -> store.transaction(c -> {
            Set<String> roles = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT role FROM role_mappings WHERE principal_type = 'access_key' AND principal = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        roles.add(rs.getString(1));
                    }
                }
            }
            return Set.copyOf(roles);
        }));
    }

    private void forgetCaches() {
        roleCache.clear();
        keyRoleCache.clear();
        users.forgetRoles();
    }

    /** Parses OpenSearch security's role format, naming the field that is wrong. */
    public static Role parse(String name, JsonNode def) {
        if (def == null || !def.isObject()) {
            throw TributaryException.invalidArgument("role '%s' must be a JSON object with cluster_permissions and index_permissions", name);
        }
        Set<String> cluster = new HashSet<>();
        List<ResourceGrant> grants = new ArrayList<>();
        String description = def.path("description").asText("");
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = def.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                if (key.equals("description") || key.equals("static") || key.equals("hidden") || key.equals("reserved")) {
                    continue;
                }
                if (key.equals("cluster_permissions")) {
                    e.getValue().forEach(v -> cluster.add(v.asText()));
                } else if (key.endsWith("_permissions") && e.getValue().isArray()) {
                    String type = key.substring(0, key.length() - "_permissions".length());
                    if (!RESOURCE_TYPES.contains(type)) {
                        throw TributaryException.invalidArgument("role '%s': unknown permission kind '%s'; use cluster_permissions, index_permissions "
                                + "or stream_permissions", name, key);
                    }
                    for (JsonNode g : e.getValue()) {
                        List<String> patterns = new ArrayList<>();
                        g.path(type + "_patterns").forEach(p -> patterns.add(p.asText()));
                        Set<String> actions = new HashSet<>();
                        g.path("allowed_actions").forEach(a -> actions.add(a.asText()));
                        for (Iterator<String> f = g.fieldNames(); f.hasNext();) {
                            String field = f.next();
                            if (!field.equals(type + "_patterns") && !field.equals("allowed_actions") && !field.equals("dls")
                                    && !field.equals("fls") && !field.equals("masked_fields")) {
                                throw TributaryException.invalidArgument("role '%s': unknown field '%s' in %s", name, field, key);
                            }
                            // OpenSearch writes a DLS query as a JSON string; JsonNode.isEmpty() is true for every string, so test by kind.
                            JsonNode value = g.get(field);
                            boolean set = !(value.isNull() || value.isTextual() && value.asText().isBlank() || value.isContainerNode() && value.isEmpty());
                            if (!field.endsWith("_patterns") && !field.equals("allowed_actions") && set) {
                                throw TributaryException.invalidArgument("role '%s': %s (document- and field-level security) is not supported", name, field);
                            }
                        }
                        grants.add(new ResourceGrant(type, patterns, actions));
                    }
                } else {
                    throw TributaryException.invalidArgument("role '%s': unknown field '%s'; a role has description, cluster_permissions and "
                            + "<kind>_permissions", name, key);
                }
            }
            return new Role(name, description, cluster, grants);
        } catch (IllegalArgumentException e) {
            throw TributaryException.invalidArgument("role '%s': %s", name, e.getMessage());
        }
    }

    public static ObjectNode toJson(Role role) {
        ObjectNode out = Json.mapper().createObjectNode();
        if (!role.description().isEmpty()) {
            out.put("description", role.description());
        }
        ArrayNode cluster = out.putArray("cluster_permissions");
        role.clusterPermissions().stream().sorted().forEach(cluster::add);
        for (String type : RESOURCE_TYPES) {
            ArrayNode grants = out.putArray(type + "_permissions");
            for (ResourceGrant g : role.grants()) {
                if (g.resourceType().equals(type)) {
                    ObjectNode n = grants.addObject();
                    g.patterns().forEach(n.putArray(type + "_patterns")::add);
                    g.allowedActions().stream().sorted().forEach(n.putArray("allowed_actions")::add);
                }
            }
        }
        return out;
    }
}
