package io.tributary.pipeline;

import static java.util.Objects.requireNonNull;

import io.tributary.auth.Authorizer;
import io.tributary.auth.Permission;
import io.tributary.auth.Principal;
import io.tributary.pipeline.ApplyReport.Action;
import io.tributary.pipeline.ApplyReport.Change;
import io.tributary.search.SearchSinks;
import io.tributary.search.SinkSpec;
import io.tributary.stream.StreamDescription;
import io.tributary.stream.StreamLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Creates and updates declared resources idempotently; deletes undeclared ones only when pruning.
 *
 * <p>Thread-safe: applications are serialised.
 */
public final class PipelineApplier {
    private final StreamLog log;
    private final Authorizer authorizer;
    private final Optional<SearchSinks> sinks;

    public PipelineApplier(StreamLog log, Authorizer authorizer) {
        this(log, authorizer, Optional.empty());
    }

    /** @param sinks the search sinks to apply {@code pipeline.sinks} to; empty when this server has none */
    public PipelineApplier(StreamLog log, Authorizer authorizer, Optional<SearchSinks> sinks) {
        this.log = requireNonNull(log, "log is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
        this.sinks = requireNonNull(sinks, "sinks is null");
    }

    public synchronized ApplyReport apply(PipelineSpec spec, boolean prune, Principal principal) {
        List<Change> changes = new ArrayList<>();
        for (StreamSpec stream : spec.streams()) {
            Optional<StreamDescription> existing = log.findStream(stream.name());
            if (existing.isEmpty()) {
                authorizer.check(principal, Permission.of(Permission.Action.MANAGE, "stream", stream.name()));
                log.createStream(stream.name(), stream.shards());
                changes.add(new Change("stream", stream.name(), Action.CREATED, stream.shards() + " shard(s)"));
            } else if (existing.get().openShards().size() != stream.shards()) {
                authorizer.check(principal, Permission.of(Permission.Action.MANAGE, "stream", stream.name()));
                int before = existing.get().openShards().size();
                log.updateShardCount(stream.name(), stream.shards());
                changes.add(new Change("stream", stream.name(), Action.UPDATED, before + " -> " + stream.shards() + " shards"));
            } else {
                changes.add(new Change("stream", stream.name(), Action.UNCHANGED, stream.shards() + " shard(s)"));
            }
        }
        applySinks(spec, prune, principal, changes);
        if (prune) {
            Set<String> declared = spec.streams().stream().map(StreamSpec::name).collect(Collectors.toSet());
            for (String name : log.listStreams()) {
                if (!declared.contains(name)) {
                    authorizer.check(principal, Permission.of(Permission.Action.MANAGE, "stream", name));
                    log.deleteStream(name);
                    changes.add(new Change("stream", name, Action.DELETED, "not declared"));
                }
            }
        }
        return new ApplyReport(changes);
    }

    /** After the streams they read: stream -> index sinks. */
    private void applySinks(PipelineSpec spec, boolean prune, Principal principal, List<Change> changes) {
        if (sinks.isEmpty()) {
            if (!spec.sinks().isEmpty()) {
                throw io.tributary.common.TributaryException.invalidArgument("this server has no search engine to run sinks on");
            }
            return;
        }
        for (SinkSpec sink : spec.sinks()) {
            authorizer.check(principal, Permission.of(Permission.Action.MANAGE, "sink", sink.name()));
            SearchSinks.Change change = sinks.get().apply(sink);
            Action action = switch (change) {
                case CREATED -> Action.CREATED;
                case UPDATED -> Action.UPDATED;
                case UNCHANGED -> Action.UNCHANGED;
            };
            changes.add(new Change("sink", sink.name(), action, sink.stream() + " -> " + sink.index()));
        }
        if (prune) {
            Set<String> declared = spec.sinks().stream().map(SinkSpec::name).collect(Collectors.toSet());
            for (SinkSpec existing : sinks.get().list()) {
                if (!declared.contains(existing.name())) {
                    authorizer.check(principal, Permission.of(Permission.Action.MANAGE, "sink", existing.name()));
                    sinks.get().delete(existing.name());
                    changes.add(new Change("sink", existing.name(), Action.DELETED, "not declared"));
                }
            }
        }
    }
}
