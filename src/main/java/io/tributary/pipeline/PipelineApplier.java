package io.tributary.pipeline;

import static java.util.Objects.requireNonNull;

import io.tributary.auth.Authorizer;
import io.tributary.auth.Permission;
import io.tributary.auth.Principal;
import io.tributary.pipeline.ApplyReport.Action;
import io.tributary.pipeline.ApplyReport.Change;
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

    public PipelineApplier(StreamLog log, Authorizer authorizer) {
        this.log = requireNonNull(log, "log is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
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
}
