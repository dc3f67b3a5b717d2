package io.tributary.schedule;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.metadata.MetadataStore;
import io.tributary.metadata.Migration;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs declared schedules (EventBridge expressions) and keeps their history in the metadata store.
 * Each {@link #tick} fires what is due at the injected clock's time: when several firing times passed
 * (the server was down), the older ones are recorded as MISSED and only the latest runs. A firing
 * that finds the previous run of its schedule still going is recorded as SKIPPED.
 *
 * <p>Thread-safe. {@link #start} ticks once a second in the background; tests call {@link #tick}
 * after moving a test clock.
 */
public final class Scheduler implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /** Enough MISSED rows to see what happened without flooding the history after a long outage. */
    private static final int MAX_MISSED_RECORDED = 50;
    private static final int MAX_CATCH_UP_SCAN = 100_000;

    private final MetadataStore store;
    private final Clock clock;
    private final Map<String, ScheduledTask> tasks;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private ScheduledExecutorService ticker;

    public Scheduler(MetadataStore store, Clock clock, List<ScheduledTask> tasks) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.tasks = tasks.stream().collect(Collectors.toUnmodifiableMap(ScheduledTask::kind, Function.identity()));
        store.migrate(migrations());
    }

    public static List<Migration> migrations() {
        return List.of(new Migration("schedule", 1, "schedules and their runs", List.of(
                "CREATE TABLE schedules (name TEXT PRIMARY KEY, expression TEXT NOT NULL, task TEXT NOT NULL, parameters TEXT NOT NULL, "
                        + "enabled INTEGER NOT NULL, created_at BIGINT NOT NULL, last_fire_at BIGINT)",
                "CREATE TABLE schedule_runs (id INTEGER PRIMARY KEY, schedule TEXT NOT NULL, scheduled_for BIGINT NOT NULL, "
                        + "started_at BIGINT, ended_at BIGINT, status TEXT NOT NULL, message TEXT NOT NULL)",
                "CREATE INDEX schedule_runs_by_schedule ON schedule_runs (schedule, id)")));
    }

    public Set<String> taskKinds() {
        return tasks.keySet();
    }

    /** Creates or replaces a schedule; its history and last firing time are kept. */
    public void put(ScheduleSpec spec) {
        ScheduledTask task = tasks.get(spec.task());
        if (task == null) {
            throw TributaryException.invalidArgument("schedule '%s' names task '%s'; known tasks: %s", spec.name(), spec.task(),
                    String.join(", ", tasks.keySet().stream().sorted().toList()));
        }
        task.validate(spec.parameters());
        String params = json(spec.parameters());
        long now = clock.millis();
        store.run(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE schedules SET expression = ?, task = ?, parameters = ?, enabled = ? WHERE name = ?")) {
                update.setString(1, spec.expression());
                update.setString(2, spec.task());
                update.setString(3, params);
                update.setInt(4, spec.enabled() ? 1 : 0);
                update.setString(5, spec.name());
                if (update.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO schedules "
                    + "(name, expression, task, parameters, enabled, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, spec.name());
                insert.setString(2, spec.expression());
                insert.setString(3, spec.task());
                insert.setString(4, params);
                insert.setInt(5, spec.enabled() ? 1 : 0);
                insert.setLong(6, now);
                insert.executeUpdate();
            }
        });
    }

    /** Deletes a schedule and its history. */
    public void delete(String name) {
        store.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM schedules WHERE name = ?")) {
                ps.setString(1, name);
                if (ps.executeUpdate() == 0) {
                    throw TributaryException.notFound("schedule '%s' does not exist", name);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM schedule_runs WHERE schedule = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
        });
    }

    public List<ScheduleState> list() {
        List<Row> rows = rows();
        List<ScheduleState> out = new ArrayList<>();
        for (Row row : rows) {
            out.add(state(row));
        }
        return out;
    }

    public Optional<ScheduleState> find(String name) {
        return rows().stream().filter(r -> r.spec.name().equals(name)).findFirst().map(this::state);
    }

    private ScheduleState state(Row row) {
        Instant reference = row.lastFire.orElse(row.created);
        Optional<Instant> next = row.spec.enabled() ? ScheduleExpression.parse(row.spec.expression()).next(reference) : Optional.empty();
        List<ScheduleRun> last = runs(row.spec.name(), 1);
        return new ScheduleState(row.spec, next, row.lastFire, last.isEmpty() ? Optional.empty() : Optional.of(last.get(0)));
    }

    /** The latest runs of a schedule, newest first. */
    public List<ScheduleRun> runs(String name, int limit) {
        return store.transaction(c -> {
            List<ScheduleRun> runs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, schedule, scheduled_for, started_at, ended_at, status, message "
                    + "FROM schedule_runs WHERE schedule = ? ORDER BY id DESC LIMIT ?")) {
                ps.setString(1, name);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        runs.add(new ScheduleRun(rs.getLong(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                                optionalInstant(rs, 4), optionalInstant(rs, 5), ScheduleRun.Status.valueOf(rs.getString(6)), rs.getString(7)));
                    }
                }
            }
            return runs;
        });
    }

    /** Fires a schedule now, outside its timetable; returns the run id. */
    public long runNow(String name) {
        Row row = rows().stream().filter(r -> r.spec.name().equals(name)).findFirst()
                .orElseThrow(() -> TributaryException.notFound("schedule '%s' does not exist", name));
        return fire(row, clock.instant(), false);
    }

    /** Fires every schedule that is due at the clock's current time. */
    public void tick() {
        Instant now = clock.instant();
        for (Row row : rows()) {
            if (!row.spec.enabled()) {
                continue;
            }
            ScheduleExpression expression = ScheduleExpression.parse(row.spec.expression());
            Instant cursor = row.lastFire.orElse(row.created);
            List<Instant> due = new ArrayList<>();
            for (int i = 0; i < MAX_CATCH_UP_SCAN; i++) {
                Optional<Instant> next = expression.next(cursor);
                if (next.isEmpty() || next.get().isAfter(now)) {
                    break;
                }
                due.add(next.get());
                cursor = next.get();
            }
            if (due.isEmpty()) {
                continue;
            }
            Instant latest = due.get(due.size() - 1);
            if (due.size() > 1) {
                recordMissed(row.spec.name(), due.subList(0, due.size() - 1));
            }
            fire(row, latest, true);
        }
    }

    private void recordMissed(String name, List<Instant> missed) {
        LOG.warn("Schedule {} missed {} firing(s) from {} to {} (the server was not running); running only the latest",
                name, missed.size(), missed.get(0), missed.get(missed.size() - 1));
        List<Instant> recorded = missed.subList(Math.max(0, missed.size() - MAX_MISSED_RECORDED), missed.size());
        store.run(c -> {
            for (int i = 0; i < recorded.size(); i++) {
                String message = i == 0 && missed.size() > recorded.size()
                        ? "missed while the server was not running (and " + (missed.size() - recorded.size()) + " earlier firings)"
                        : "missed while the server was not running";
                insertRun(c, name, recorded.get(i), null, null, ScheduleRun.Status.MISSED, message);
            }
        });
    }

    private long fire(Row row, Instant scheduledFor, boolean advance) {
        String name = row.spec.name();
        if (!running.add(name)) {
            return store.transaction(c -> {
                if (advance) {
                    setLastFire(c, name, scheduledFor);
                }
                return insertRun(c, name, scheduledFor, clock.millis(), clock.millis(), ScheduleRun.Status.SKIPPED,
                        "the previous run was still running");
            });
        }
        long started = clock.millis();
        long id;
        try {
            id = store.transaction(c -> {
                if (advance) {
                    setLastFire(c, name, scheduledFor);
                }
                return insertRun(c, name, scheduledFor, started, null, ScheduleRun.Status.RUNNING, "");
            });
        } catch (RuntimeException e) {
            running.remove(name);
            throw e;
        }
        ScheduledTask task = tasks.get(row.spec.task());
        workers.execute(() -> {
            ScheduleRun.Status status;
            String message;
            try {
                message = task == null ? "" : task.run(name, scheduledFor, row.spec.parameters());
                status = task == null ? ScheduleRun.Status.FAILED : ScheduleRun.Status.SUCCEEDED;
                if (task == null) {
                    message = "unknown task '" + row.spec.task() + "'";
                }
            } catch (Exception e) {
                status = ScheduleRun.Status.FAILED;
                message = e instanceof TributaryException ? e.getMessage() : e.toString();
                LOG.warn("Schedule {} run for {} failed: {}", name, scheduledFor, message);
            } finally {
                running.remove(name);
            }
            finish(id, status, message);
        });
        return id;
    }

    private void finish(long id, ScheduleRun.Status status, String message) {
        store.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE schedule_runs SET ended_at = ?, status = ?, message = ? WHERE id = ?")) {
                ps.setLong(1, clock.millis());
                ps.setString(2, status.name());
                ps.setString(3, message.length() > 2000 ? message.substring(0, 2000) + "..." : message);
                ps.setLong(4, id);
                ps.executeUpdate();
            }
        });
    }

    /** Waits until no run is in progress (for tests and orderly shutdown). */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!running.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    public synchronized void start() {
        if (ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("scheduler").unstarted(r));
            ticker.scheduleWithFixedDelay(() -> {
                try {
                    tick();
                } catch (RuntimeException e) {
                    LOG.error("Scheduler tick failed", e);
                }
            }, 1, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Scheduled runs still going after 30 s; leaving them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Row(ScheduleSpec spec, Instant created, Optional<Instant> lastFire) {}

    private List<Row> rows() {
        return store.transaction(c -> {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, expression, task, parameters, enabled, created_at, last_fire_at FROM schedules ORDER BY name");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(new ScheduleSpec(rs.getString(1), rs.getString(2), rs.getString(3), parse(rs.getString(4)),
                            rs.getInt(5) == 1), Instant.ofEpochMilli(rs.getLong(6)), optionalInstant(rs, 7)));
                }
            }
            return rows;
        });
    }

    private static void setLastFire(Connection c, String name, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE schedules SET last_fire_at = ? WHERE name = ?")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    private static long insertRun(Connection c, String name, Instant scheduledFor, Long started, Long ended, ScheduleRun.Status status,
            String message) throws SQLException {
        long id;
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(id), 0) + 1 FROM schedule_runs"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            id = rs.getLong(1);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO schedule_runs "
                + "(id, schedule, scheduled_for, started_at, ended_at, status, message) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, name);
            ps.setLong(3, scheduledFor.toEpochMilli());
            setNullable(ps, 4, started);
            setNullable(ps, 5, ended);
            ps.setString(6, status.name());
            ps.setString(7, message);
            ps.executeUpdate();
        }
        return id;
    }

    private static void setNullable(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    private static Optional<Instant> optionalInstant(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(value));
    }

    private static String json(Map<String, String> map) {
        try {
            return Json.mapper().writeValueAsString(new java.util.TreeMap<>(map));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> parse(String json) {
        try {
            return Json.mapper().readValue(json, new TypeReference<Map<String, String>>() {});
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.INTERNAL, "stored schedule parameters are unreadable: " + e.getMessage(), e);
        }
    }
}
