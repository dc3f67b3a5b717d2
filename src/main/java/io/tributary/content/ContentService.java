package io.tributary.content;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.auth.Authorizer;
import io.tributary.auth.Permission;
import io.tributary.auth.Principal;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.metadata.MetadataStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Saved dashboards, visuals and analyses with owners and shares. The rules:
 * <ul>
 *   <li>an object is visible to its owner, to the users it is shared with, and to principals the
 *       {@link Authorizer} allows {@code (MANAGE, saved-object, *)} ({@code all_access}; they act as owners);
 *   <li>a visual is also visible, read-only, to whoever can see a dashboard whose
 *       {@code panels[].visual} names it, so sharing a dashboard shares what it shows;
 *   <li>owners and co-owners edit and re-share; only the owner deletes;
 *   <li>an object the caller cannot see does not exist for them: {@code NOT_FOUND}, never {@code ACCESS_DENIED}.
 * </ul>
 *
 * <p>Thread-safe. Visibility is computed over a kind's objects in memory, which suits the
 * hundreds to thousands of objects a team saves.
 */
public final class ContentService {
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    public static final int MAX_DEPTH = 100;
    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_SHARES = 1000;

    private final ContentStore store;
    private final Authorizer authorizer;
    private final Predicate<String> userExists;
    private final Clock clock;

    /** @param userExists whether a user of that name exists (shares name users) */
    public ContentService(MetadataStore store, Authorizer authorizer, Predicate<String> userExists, Clock clock) {
        this.store = new ContentStore(requireNonNull(store, "store is null"));
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
        this.userExists = requireNonNull(userExists, "userExists is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public List<SavedObject.Visible> list(ContentKind kind, Principal principal) {
        Set<String> viaDashboards = kind == ContentKind.VISUALS ? visualsOnVisibleDashboards(principal) : Set.of();
        List<SavedObject.Visible> out = new ArrayList<>();
        for (SavedObject object : store.list(kind)) {
            access(object, principal, viaDashboards).ifPresent(a -> out.add(new SavedObject.Visible(object, a)));
        }
        return out;
    }

    /** @throws TributaryException {@code NOT_FOUND} if it does not exist or the principal cannot see it */
    public SavedObject.Visible get(ContentKind kind, String id, Principal principal) {
        SavedObject object = store.find(kind, id).orElseThrow(() -> notFound(kind, id));
        Set<String> viaDashboards = kind == ContentKind.VISUALS && directAccess(object, principal).isEmpty()
                ? visualsOnVisibleDashboards(principal) : Set.of();
        ContentAccess access = access(object, principal, viaDashboards).orElseThrow(() -> notFound(kind, id));
        return new SavedObject.Visible(object, access);
    }

    public SavedObject.Visible create(ContentKind kind, Principal principal, String name, JsonNode body) {
        Instant now = clock.instant();
        SavedObject object = new SavedObject(UUID.randomUUID().toString(), kind, validateName(name), principal.name(), serialise(body),
                List.of(), now, now);
        store.insert(object);
        return new SavedObject.Visible(object, ContentAccess.OWNER);
    }

    /** Replaces name and body; owner or co-owner. */
    public SavedObject.Visible update(ContentKind kind, String id, Principal principal, String name, JsonNode body) {
        SavedObject.Visible current = get(kind, id, principal);
        requireEdit(current, principal, "change");
        String validName = validateName(name);
        String text = serialise(body);
        store.update(id, validName, text, clock.instant());
        return get(kind, id, principal);
    }

    /** Replaces the shares; owner or co-owner. */
    public SavedObject.Visible share(ContentKind kind, String id, Principal principal, List<Share> shares) {
        SavedObject.Visible current = get(kind, id, principal);
        requireEdit(current, principal, "share");
        if (shares.size() > MAX_SHARES) {
            throw TributaryException.invalidArgument("at most %d shares per object, got %d", MAX_SHARES, shares.size());
        }
        Set<String> seen = new HashSet<>();
        for (Share share : shares) {
            if (!seen.add(share.user())) {
                throw TributaryException.invalidArgument("user '%s' is listed twice in the shares; list each user once", share.user());
            }
            if (share.user().equals(current.object().owner())) {
                throw TributaryException.invalidArgument("'%s' owns this %s and needs no share", share.user(), singular(kind));
            }
            if (!userExists.test(share.user())) {
                throw TributaryException.invalidArgument("cannot share with '%s': no such user", share.user());
            }
        }
        store.replaceShares(id, shares, clock.instant());
        return get(kind, id, principal);
    }

    /** Deletes an object; its owner only (or an administrator). */
    public void delete(ContentKind kind, String id, Principal principal) {
        SavedObject.Visible current = get(kind, id, principal);
        if (current.access() != ContentAccess.OWNER) {
            throw new TributaryException(ErrorCode.ACCESS_DENIED, String.format("only the owner %s may delete %s '%s'; you are a %s",
                    current.object().owner(), singular(kind), current.object().name(), current.access().wireName()));
        }
        store.delete(id);
    }

    /** Drops shares held by a deleted user, so a new user of the same name does not inherit them. */
    public void forgetUser(String user) {
        store.forgetUser(user);
    }

    private void requireEdit(SavedObject.Visible current, Principal principal, String verb) {
        if (!current.access().canEdit()) {
            throw new TributaryException(ErrorCode.ACCESS_DENIED, String.format(
                    "%s may only view %s '%s'; ask its owner %s to share it as co-owner to %s it", principal.name(),
                    singular(current.object().kind()), current.object().name(), current.object().owner(), verb));
        }
    }

    private Optional<ContentAccess> access(SavedObject object, Principal principal, Set<String> visualsViaDashboards) {
        Optional<ContentAccess> direct = directAccess(object, principal);
        if (direct.isPresent()) {
            return direct;
        }
        return visualsViaDashboards.contains(object.id()) ? Optional.of(ContentAccess.VIEWER) : Optional.empty();
    }

    private Optional<ContentAccess> directAccess(SavedObject object, Principal principal) {
        if (object.owner().equals(principal.name()) || isAdministrator(principal)) {
            return Optional.of(ContentAccess.OWNER);
        }
        return object.shares().stream().filter(s -> s.user().equals(principal.name())).findFirst()
                .map(s -> ContentAccess.of(s.level()));
    }

    private boolean isAdministrator(Principal principal) {
        return authorizer.allows(principal, Permission.of(Permission.Action.MANAGE, "saved-object", "*"));
    }

    private Set<String> visualsOnVisibleDashboards(Principal principal) {
        Set<String> ids = new HashSet<>();
        for (SavedObject dashboard : store.list(ContentKind.DASHBOARDS)) {
            if (directAccess(dashboard, principal).isEmpty()) {
                continue;
            }
            try {
                for (JsonNode panel : Json.mapper().readTree(dashboard.body()).path("panels")) {
                    JsonNode visual = panel.path("visual");
                    if (visual.isTextual()) {
                        ids.add(visual.asText());
                    }
                }
            } catch (JsonProcessingException e) {
                throw new TributaryException(ErrorCode.INTERNAL, "dashboard " + dashboard.id() + " has an unreadable body in the metadata store", e);
            }
        }
        return ids;
    }

    static String validateName(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw TributaryException.invalidArgument("'name' must be 1 to %d characters and not blank, got %s", MAX_NAME_LENGTH,
                    name == null ? "none" : name.isBlank() ? "a blank name" : name.length() + " characters");
        }
        return name;
    }

    /** Checks the body's bounds and returns it as stored. */
    static String serialise(JsonNode body) {
        if (body == null || body.isMissingNode() || !body.isObject()) {
            throw TributaryException.invalidArgument("'body' must be a JSON object");
        }
        int depth = depth(body);
        if (depth > MAX_DEPTH) {
            throw TributaryException.invalidArgument("'body' is nested %d levels deep; at most %d are allowed", depth, MAX_DEPTH);
        }
        String text = body.toString();
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BODY_BYTES) {
            throw new TributaryException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "'body' is " + bytes + " bytes; a saved object's body may have at most " + MAX_BODY_BYTES + " bytes (1 MiB)");
        }
        return text;
    }

    /** Nesting depth of containers (an empty object is 1), without recursion. */
    static int depth(JsonNode root) {
        record Level(JsonNode node, int depth) {}
        Deque<Level> stack = new ArrayDeque<>();
        stack.push(new Level(root, 1));
        int max = 0;
        while (!stack.isEmpty()) {
            Level level = stack.pop();
            if (level.node().isContainerNode()) {
                max = Math.max(max, level.depth());
                for (JsonNode child : level.node()) {
                    if (child.isContainerNode()) {
                        stack.push(new Level(child, level.depth() + 1));
                    }
                }
            }
        }
        return max;
    }

    private static TributaryException notFound(ContentKind kind, String id) {
        return TributaryException.notFound("%s '%s' does not exist or is not shared with you", singular(kind), id);
    }

    private static String singular(ContentKind kind) {
        return switch (kind) {
            case VISUALS -> "visual";
            case DASHBOARDS -> "dashboard";
            case ANALYSES -> "analysis";
        };
    }
}
