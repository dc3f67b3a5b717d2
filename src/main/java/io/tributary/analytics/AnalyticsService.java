package io.tributary.analytics;

import static java.util.Objects.requireNonNull;

import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectStore;
import io.tributary.metadata.MetadataStore;
import io.tributary.metadata.Migration;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs analytics jobs inside the server, over lake locations only (a server never reads arbitrary
 * local paths for a caller), and records every run in the metadata store. Runs in progress expose
 * how many objects they have read, for live status.
 *
 * <p>Thread-safe.
 */
public final class AnalyticsService implements Closeable {
    private final AnalyticsJobs jobs;
    private final ObjectStore store;
    private final MetadataStore metadata;
    private final JobRunner runner;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, AtomicLong> progress = new ConcurrentHashMap<>();
    private final Map<String, RunRecord> live = new ConcurrentHashMap<>();

    public AnalyticsService(AnalyticsJobs jobs, ObjectStore store, MetadataStore metadata, Clock clock, Map<String, String> environment) {
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.store = requireNonNull(store, "store is null");
        this.metadata = requireNonNull(metadata, "metadata is null");
        this.runner = new JobRunner(clock, environment);
        metadata.migrate(migrations());
    }

    public static List<Migration> migrations() {
        return List.of(new Migration("analytics", 1, "analytics job runs", List.of(
                "CREATE TABLE analytics_runs (id TEXT PRIMARY KEY, job TEXT NOT NULL, status TEXT NOT NULL, started_at BIGINT NOT NULL, "
                        + "record TEXT NOT NULL)",
                "CREATE INDEX analytics_runs_by_start ON analytics_runs (started_at)")));
    }

    public AnalyticsJobs jobs() {
        return jobs;
    }

    /** Checks the job and parameters, then runs it in the background; returns the RUNNING record. */
    public RunRecord start(String job, Location input, Location output, Map<String, String> parameters) {
        AnalyticsJob selected = jobs.job(job);
        JobParameters.of(selected, parameters);
        store.bucket(input.bucket()).orElseThrow(() -> TributaryException.notFound("input bucket '%s' does not exist", input.bucket()));
        store.bucket(output.bucket()).orElseThrow(() -> TributaryException.notFound("output bucket '%s' does not exist", output.bucket()));
        java.util.concurrent.CompletableFuture<RunRecord> started = new java.util.concurrent.CompletableFuture<>();
        executor.execute(() -> {
            try {
                execute(selected, input, output, parameters, started::complete);
            } catch (RuntimeException e) {
                started.completeExceptionally(e);
            }
        });
        try {
            return started.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TributaryException(ErrorCode.INTERNAL, "interrupted while starting the run");
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof TributaryException t) {
                throw t;
            }
            throw new TributaryException(ErrorCode.INTERNAL, "the run could not start: " + cause, cause);
        }
    }

    /** Runs a job to completion in the calling thread (schedules use this). */
    public RunRecord runAndWait(String job, Location input, Location output, Map<String, String> parameters) {
        return execute(jobs.job(job), input, output, parameters, r -> {});
    }

    private RunRecord execute(AnalyticsJob job, Location input, Location output, Map<String, String> parameters,
            java.util.function.Consumer<RunRecord> onStart) {
        AtomicLong done = new AtomicLong();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void total(long units) {}

            @Override
            public void advance(long units) {
                done.addAndGet(units);
            }
        };
        RunRecord finished = runner.run(job, new LakeInput(store, input), new LakeOutput(store, output), parameters, listener, running -> {
            progress.put(running.id(), done);
            live.put(running.id(), running);
            save(running);
            onStart.accept(running);
        });
        save(finished);
        live.remove(finished.id());
        progress.remove(finished.id());
        return finished;
    }

    /** Objects read so far by a run in progress. */
    public Optional<Long> progress(String runId) {
        return Optional.ofNullable(progress.get(runId)).map(AtomicLong::get);
    }

    public Optional<RunRecord> run(String id) {
        RunRecord running = live.get(id);
        if (running != null) {
            return Optional.of(running);
        }
        return metadata.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT record FROM analytics_runs WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs.getString(1))) : Optional.<RunRecord>empty();
                }
            }
        });
    }

    /** The latest runs, newest first, of one job or of all. */
    public List<RunRecord> runs(Optional<String> job, int limit) {
        return metadata.transaction(c -> {
            List<RunRecord> out = new ArrayList<>();
            String sql = "SELECT record FROM analytics_runs" + (job.isPresent() ? " WHERE job = ?" : "") + " ORDER BY started_at DESC LIMIT ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (job.isPresent()) {
                    ps.setString(i++, job.get());
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs.getString(1)));
                    }
                }
            }
            return out;
        });
    }

    /** Where an output of a run is, checked against what the run wrote. */
    public Location outputLocation(RunRecord run, String name) {
        if (!run.outputs().contains(name) && !name.equals(JobRunner.RUN_REPORT)) {
            throw TributaryException.notFound("run %s wrote no output '%s'; it wrote %s", run.id(), name, run.outputs());
        }
        return Location.parse(run.output()).asPrefix().child(name);
    }

    public ObjectStore store() {
        return store;
    }

    private void save(RunRecord record) {
        String json;
        try {
            json = Json.mapper().writeValueAsString(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        metadata.run(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE analytics_runs SET status = ?, record = ? WHERE id = ?")) {
                update.setString(1, record.status().name());
                update.setString(2, json);
                update.setString(3, record.id());
                if (update.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO analytics_runs (id, job, status, started_at, record) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, record.id());
                insert.setString(2, record.job());
                insert.setString(3, record.status().name());
                insert.setLong(4, record.started().toEpochMilli());
                insert.setString(5, json);
                insert.executeUpdate();
            }
        });
    }

    private static RunRecord read(String json) {
        try {
            return Json.mapper().readValue(json, RunRecord.class);
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.INTERNAL, "a stored run record is unreadable: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
