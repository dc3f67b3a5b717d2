package io.tributary.search.lucene;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.common.ErrorCode;
import io.tributary.search.SearchException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.search.ScoreDoc;

/**
 * Scrolls and points in time: searches whose readers stay open between requests, so that later
 * pages see the documents as they were when the first page was read, until they are cleared or
 * their keep-alive passes without use. Contexts are bounded in number ({@value #MAX_CONTEXTS},
 * OpenSearch's {@code search.max_open_scroll_context}) and in keep-alive (one day,
 * {@code search.max_keep_alive}), and belong to whoever opened them: another principal gets
 * "no search context found", as if it did not exist.
 *
 * <p>Thread-safe; one page of a scroll runs at a time.
 */
final class SearchContexts {
    static final int MAX_CONTEXTS = 500;
    static final Duration MAX_KEEP_ALIVE = Duration.ofDays(1);

    /** An open scroll: the plan over pinned readers, the last hit returned, and the total of the first page ({@code hits.total}). */
    static final class Scroll {
        final String id;
        final String owner;
        final Snapshot snapshot;
        final SearchPlan plan;
        final JsonNode request;
        final int size;
        final Optional<JsonNode> total;
        ScoreDoc last;
        volatile long expiresAt;

        Scroll(String id, String owner, Snapshot snapshot, SearchPlan plan, JsonNode request, int size, Optional<JsonNode> total, ScoreDoc last,
                long expiresAt) {
            this.id = id;
            this.owner = owner;
            this.snapshot = snapshot;
            this.plan = plan;
            this.request = request;
            this.size = size;
            this.total = total;
            this.last = last;
            this.expiresAt = expiresAt;
        }
    }

    /** An open point in time: readers a search may name by id. */
    record Pit(String id, String owner, Snapshot snapshot, long createdAt, long keepAliveMillis, long expiresAt) {
        Pit extended(long now, long keepAlive) {
            return new Pit(id, owner, snapshot, createdAt, keepAlive, now + keepAlive);
        }
    }

    private final Clock clock;
    private final Map<String, Scroll> scrolls = new ConcurrentHashMap<>();
    private final Map<String, Pit> pits = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    SearchContexts(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A keep-alive value ({@code 1m}, {@code 30s}) checked against the maximum. */
    static Duration keepAlive(String value, String parameter) {
        Duration d;
        try {
            d = io.tributary.common.Durations.parse(value);
        } catch (RuntimeException e) {
            throw SearchException.illegalArgument("failed to parse setting [%s] with value [%s] as a time value: unit is missing or unrecognized",
                    parameter, DateFormat.truncate(value));
        }
        return check(d);
    }

    /** Refuses keep-alives that are not positive or longer than the maximum, as OpenSearch does. */
    static Duration check(Duration keepAlive) {
        if (keepAlive.isZero() || keepAlive.isNegative()) {
            throw SearchException.illegalArgument("a keep-alive must be positive, got [%s]", io.tributary.common.Durations.format(keepAlive));
        }
        if (keepAlive.compareTo(MAX_KEEP_ALIVE) > 0) {
            throw SearchException.illegalArgument("Keep alive for request (%s) is too large. It must be less than (1d). This limit can be set by "
                    + "changing the [search.max_keep_alive] cluster level setting.", io.tributary.common.Durations.format(keepAlive));
        }
        return keepAlive;
    }

    private String newId() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void checkRoom() {
        expire();
        if (scrolls.size() + pits.size() >= MAX_CONTEXTS) {
            throw new SearchException(ErrorCode.THROTTLED, "rejected_execution_exception", 429, "Trying to create too many scroll contexts. "
                    + "Must be less than or equal to: [" + MAX_CONTEXTS + "]. Clear scrolls and points in time you no longer need "
                    + "(DELETE /_search/scroll, DELETE /_search/point_in_time) or wait for their keep-alive to pass.");
        }
    }

    Scroll openScroll(String owner, Snapshot snapshot, SearchPlan plan, JsonNode request, int size, Optional<JsonNode> total, ScoreDoc last,
            Duration keepAlive) {
        check(keepAlive);
        checkRoom();
        Scroll s = new Scroll(newId(), owner, snapshot, plan, request, size, total, last, clock.millis() + keepAlive.toMillis());
        scrolls.put(s.id, s);
        return s;
    }

    /** The owner's open scroll, its keep-alive renewed. */
    Scroll scroll(String id, String owner, Optional<Duration> keepAlive) {
        keepAlive.ifPresent(SearchContexts::check);
        Scroll s = scrolls.get(id);
        long now = clock.millis();
        if (s == null || !s.owner.equals(owner) || s.expiresAt < now) {
            if (s != null && s.expiresAt < now) {
                close(s);
            }
            throw missing(id);
        }
        keepAlive.ifPresent(k -> s.expiresAt = now + k.toMillis());
        return s;
    }

    static SearchException missing(String id) {
        return new SearchException(ErrorCode.NOT_FOUND, "search_context_missing_exception", 404,
                "No search context found for id [" + DateFormat.truncate(id) + "]; it was cleared or its keep-alive passed");
    }

    /** Clears the owner's scrolls by id (all of them for {@code _all}); how many were open. */
    int clearScrolls(List<String> ids, String owner) {
        int freed = 0;
        for (Scroll s : new ArrayList<>(scrolls.values())) {
            if (s.owner.equals(owner) && (ids.contains("_all") || ids.contains(s.id))) {
                close(s);
                freed++;
            }
        }
        return freed;
    }

    private void close(Scroll s) {
        if (scrolls.remove(s.id, s)) {
            s.snapshot.release();
        }
    }

    Pit openPit(String owner, Snapshot snapshot, Duration keepAlive) {
        check(keepAlive);
        checkRoom();
        long now = clock.millis();
        Pit p = new Pit(newId(), owner, snapshot, now, keepAlive.toMillis(), now + keepAlive.toMillis());
        pits.put(p.id(), p);
        return p;
    }

    /** The owner's point in time, its keep-alive renewed when given. */
    Pit pit(String id, String owner, Optional<Duration> keepAlive) {
        keepAlive.ifPresent(SearchContexts::check);
        Pit p = pits.get(id);
        long now = clock.millis();
        if (p == null || !p.owner().equals(owner) || p.expiresAt() < now) {
            if (p != null && p.expiresAt() < now && pits.remove(id, p)) {
                p.snapshot().release();
            }
            throw missing(id);
        }
        if (keepAlive.isPresent()) {
            Pit extended = p.extended(now, keepAlive.get().toMillis());
            pits.replace(id, p, extended);
            return extended;
        }
        return p;
    }

    List<Pit> pits(String owner) {
        expire();
        return pits.values().stream().filter(p -> p.owner().equals(owner)).toList();
    }

    /** Deletes the owner's points in time by id ({@code _all} for every one); the ids deleted. */
    List<String> deletePits(List<String> ids, String owner) {
        List<String> deleted = new ArrayList<>();
        for (Pit p : new ArrayList<>(pits.values())) {
            if (p.owner().equals(owner) && (ids.contains("_all") || ids.contains(p.id())) && pits.remove(p.id(), p)) {
                p.snapshot().release();
                deleted.add(p.id());
            }
        }
        return deleted;
    }

    /** Closes every context whose keep-alive has passed. */
    void expire() {
        long now = clock.millis();
        for (Scroll s : new ArrayList<>(scrolls.values())) {
            if (s.expiresAt < now) {
                close(s);
            }
        }
        for (Pit p : new ArrayList<>(pits.values())) {
            if (p.expiresAt() < now && pits.remove(p.id(), p)) {
                p.snapshot().release();
            }
        }
    }

    int open() {
        return scrolls.size() + pits.size();
    }

    void closeAll() {
        scrolls.values().forEach(s -> s.snapshot.release());
        scrolls.clear();
        pits.values().forEach(p -> p.snapshot().release());
        pits.clear();
    }
}
