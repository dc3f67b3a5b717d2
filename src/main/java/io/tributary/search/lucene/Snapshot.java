package io.tributary.search.lucene;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.search.IndexSearcher;

/**
 * The searchers of the indexes a request reads, acquired together so the request sees one point in
 * time of each; released once, by the request or by the scroll or point in time that keeps them.
 *
 * <p>Thread-safe: {@link #release} may race with nothing else, as its owner calls it once.
 */
final class Snapshot {
    private final List<SearchTarget> targets;
    private final List<IndexSearcher> searchers;
    private boolean released;

    private Snapshot(List<SearchTarget> targets, List<IndexSearcher> searchers) {
        this.targets = List.copyOf(targets);
        this.searchers = List.copyOf(searchers);
    }

    static Snapshot acquire(List<SearchTarget> targets) {
        requireNonNull(targets, "targets is null");
        List<IndexSearcher> searchers = new ArrayList<>();
        try {
            for (SearchTarget t : targets) {
                searchers.add(t.index().acquire());
            }
        } catch (RuntimeException e) {
            for (int i = 0; i < searchers.size(); i++) {
                targets.get(i).index().release(searchers.get(i));
            }
            throw e;
        }
        return new Snapshot(targets, searchers);
    }

    List<SearchTarget> targets() {
        return targets;
    }

    List<IndexSearcher> searchers() {
        return searchers;
    }

    synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        for (int i = 0; i < searchers.size(); i++) {
            try {
                targets.get(i).index().release(searchers.get(i));
            } catch (RuntimeException e) {
                // the index was deleted meanwhile; its files are gone with it
            }
        }
    }
}
