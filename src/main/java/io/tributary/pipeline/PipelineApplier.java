package io.tributary.pipeline;

import io.tributary.schedule.ScheduleSpec;
import io.tributary.schedule.ScheduleState;
import io.tributary.schedule.Scheduler;
import static java.util.Objects.requireNonNull;

import io.tributary.auth.Authorizer;
import io.tributary.auth.Permission;
import io.tributary.auth.Principal;
import io.tributary.delivery.DeliveryService;
import io.tributary.delivery.DeliveryStreamSpec;
import io.tributary.lake.BucketSpec;
import io.tributary.lake.ObjectStore;
import io.tributary.pipeline.ApplyReport.Action;
import io.tributary.pipeline.ApplyReport.Change;
import io.tributary.search.SearchSinks;
import io.tributary.search.SinkSpec;
import io.tributary.stream.StreamDescription;
import io.tributary.sql.TableDeclarations;
import io.tributary.stream.StreamLog;
import io.tributary.stream.StreamReaders;
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
    private final StreamReaders readers;
    private final Authorizer authorizer;
    private final ObjectStore lake;
    private final DeliveryService delivery;
    private final Scheduler scheduler;
    private final Optional<SearchSinks> sinks;
    private final Optional<TableDeclarations> tables;

    /**
     * @param sinks the search sinks to apply {@code pipeline.sinks} to; empty when this server has none
     * @param tables the SQL catalog's declared tables to apply {@code pipeline.tables} to; empty when this server has none
     * @param readers the server's readers of streams: pruning refuses a stream that one still reads
     */
    public PipelineApplier(StreamLog log, StreamReaders readers, ObjectStore lake, DeliveryService delivery, Scheduler scheduler, Optional<SearchSinks> sinks,
            Optional<TableDeclarations> tables, Authorizer authorizer) {
        this.tables = requireNonNull(tables, "tables is null");
        this.log = requireNonNull(log, "log is null");
        this.readers = requireNonNull(readers, "readers is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.lake = requireNonNull(lake, "lake is null");
        this.delivery = requireNonNull(delivery, "delivery is null");
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
        applyLake(spec, prune, principal, changes);
        // Tables after buckets (their locations must exist) and before schedules (compaction names them).
        if (tables.isPresent()) {
            for (TableDeclarations.Change c : tables.get().apply(spec.tables(), prune, principal)) {
                changes.add(new Change("table", c.table().toString(), Action.valueOf(c.action()), c.detail()));
            }
        } else if (!spec.tables().isEmpty()) {
            throw io.tributary.common.TributaryException.invalidArgument("pipeline.tables needs the SQL capability, which this server does not run");
        }
        applySchedules(spec, prune, principal, changes);
        applySinks(spec, prune, principal, changes);
        if (prune) {
            Set<String> declared = spec.streams().stream().map(StreamSpec::name).collect(Collectors.toSet());
            // A direct-put delivery stream's buffer belongs to it, not to the declared streams.
            List<String> undeclared = log.listStreams().stream()
                    .filter(name -> !declared.contains(name) && !name.startsWith(DeliveryService.INTERNAL_STREAM_PREFIX)).toList();
            // All checked before any is deleted, so a refusal leaves every stream in place.
            for (String name : undeclared) {
                authorizer.check(principal, Permission.of(Permission.Action.MANAGE, "stream", name));
                readers.checkDeletable(name, false, Optional.empty());
            }
            for (String name : undeclared) {
                log.deleteStream(name);
                changes.add(new Change("stream", name, Action.DELETED, "not declared"));
            }
        }
        return new ApplyReport(changes);
    }

    /** Schedules: created, replaced when they differ (their history kept), and with prune deleted when undeclared. */
    private void applySchedules(PipelineSpec spec, boolean prune, Principal principal, List<Change> changes) {
        for (ScheduleSpec schedule : spec.schedules()) {
            Optional<ScheduleState> existing = scheduler.find(schedule.name());
            if (existing.isPresent() && existing.get().spec().equals(schedule)) {
                changes.add(new Change("schedule", schedule.name(), Action.UNCHANGED, schedule.expression()));
                continue;
            }
            authorizer.check(principal, Permission.of(Permission.Action.MANAGE, "schedule", schedule.name()));
            scheduler.put(schedule);
            changes.add(new Change("schedule", schedule.name(), existing.isPresent() ? Action.UPDATED : Action.CREATED,
                    schedule.expression() + " " + schedule.task()));
        }
        if (prune) {
            Set<String> declared = spec.schedules().stream().map(ScheduleSpec::name).collect(Collectors.toSet());
            for (ScheduleState state : scheduler.list()) {
                if (!declared.contains(state.spec().name())) {
                    authorizer.check(principal, Permission.of(Permission.Action.MANAGE, "schedule", state.spec().name()));
                    scheduler.delete(state.spec().name());
                    changes.add(new Change("schedule", state.spec().name(), Action.DELETED, "not declared"));
                }
            }
        }
    }

    /**
     * Buckets (created or their rules updated; never deleted, their objects are data), then
     * delivery streams (created, replaced when they differ, and with prune deleted when undeclared).
     */
    private void applyLake(PipelineSpec spec, boolean prune, Principal principal, List<Change> changes) {
        for (BucketSpec bucket : spec.buckets()) {
            Optional<BucketSpec> existing = lake.bucket(bucket.name());
            if (existing.isPresent() && existing.get().equals(bucket)) {
                changes.add(new Change("bucket", bucket.name(), Action.UNCHANGED, describe(bucket)));
                continue;
            }
            authorizer.check(principal, Permission.of(Permission.Action.MANAGE, "bucket", bucket.name()));
            lake.createBucket(bucket);
            changes.add(new Change("bucket", bucket.name(), existing.isEmpty() ? Action.CREATED : Action.UPDATED, describe(bucket)));
        }
        for (DeliveryStreamSpec stream : spec.deliveryStreams()) {
            if (delivery.spec(stream.name()).filter(stream::equals).isPresent()) {
                changes.add(new Change("delivery-stream", stream.name(), Action.UNCHANGED, describe(stream)));
                continue;
            }
            authorizer.check(principal, Permission.of(Permission.Action.MANAGE, "delivery-stream", stream.name()));
            DeliveryService.Outcome outcome = delivery.apply(stream);
            changes.add(new Change("delivery-stream", stream.name(), switch (outcome) {
                case CREATED -> Action.CREATED;
                case UPDATED -> Action.UPDATED;
                case UNCHANGED -> Action.UNCHANGED;
            }, describe(stream)));
        }
        if (prune) {
            Set<String> declared = spec.deliveryStreams().stream().map(DeliveryStreamSpec::name).collect(Collectors.toSet());
            for (String name : delivery.names()) {
                if (!declared.contains(name)) {
                    authorizer.check(principal, Permission.of(Permission.Action.MANAGE, "delivery-stream", name));
                    delivery.delete(name);
                    changes.add(new Change("delivery-stream", name, Action.DELETED, "not declared (its objects stay in the lake)"));
                }
            }
        }
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

    private static String describe(BucketSpec bucket) {
        return bucket.immutable() ? "immutable, retention " + io.tributary.common.Durations.format(bucket.retention()) : "mutable";
    }

    private static String describe(DeliveryStreamSpec stream) {
        return stream.source().orElse("direct put") + " -> s3://" + stream.bucket() + "/" + stream.prefix();
    }
}
