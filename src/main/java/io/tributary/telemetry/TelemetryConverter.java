package io.tributary.telemetry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.TributaryException;
import io.tributary.stream.AppendRecord;
import io.tributary.stream.StoredRecord;
import io.tributary.stream.StreamCursor;
import io.tributary.stream.StreamLog;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The governance platform's converter hop: reads the gateway stream, stamps the converter timestamp
 * and appends to the converted stream. It commits its read position only after the converted
 * records are durable, so a crash repeats records (at least once) rather than losing them; the
 * archiver's object names ({@code {csp}-{log_id}.json}) make a repeat harmless.
 *
 * <p>Thread-safe: one background thread does the work.
 */
public final class TelemetryConverter implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryConverter.class);
    static final String CONSUMER = "telemetry-converter";

    private final StreamLog log;
    private final TelemetryConfig config;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong converted = new AtomicLong();
    private final AtomicLong invalid = new AtomicLong();
    private Thread thread;

    public TelemetryConverter(StreamLog log, TelemetryConfig config, Clock clock) {
        this.log = requireNonNull(log, "log is null");
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public synchronized void start() {
        if (thread == null) {
            thread = Thread.ofPlatform().name("telemetry-converter").daemon().start(this::loop);
        }
    }

    public long converted() {
        return converted.get();
    }

    public long invalid() {
        return invalid.get();
    }

    private void loop() {
        StreamCursor cursor = null;
        while (running.get()) {
            try {
                if (cursor == null) {
                    cursor = new StreamCursor(log, config.gatewayStream(), CONSUMER);
                }
                if (convertOnce(cursor) == 0) {
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running.get()) {
                    LOG.warn("Telemetry converter: {}; retrying", e.getMessage());
                    cursor = null;
                    sleepQuietly(1000);
                }
            }
        }
    }

    /** Converts one batch; returns how many records it read. Package-private for tests. */
    int convertOnce(StreamCursor cursor) throws InterruptedException {
        List<StoredRecord> batch = cursor.poll(500, 4 << 20);
        if (batch.isEmpty()) {
            return 0;
        }
        List<AppendRecord> out = new ArrayList<>(batch.size());
        for (StoredRecord record : batch) {
            try {
                ObjectNode json = HopStamp.parse(record.data());
                HopStamp.stamp(json, config.converterField(), clock.instant());
                out.add(new AppendRecord(record.partitionKey(), json.toString().getBytes(StandardCharsets.UTF_8)));
            } catch (TributaryException e) {
                // The gateway checked the shape, so this is a record written to the stream by other means.
                invalid.incrementAndGet();
                LOG.warn("Telemetry converter skips record {} of {}: {}", record.sequenceNumber(), config.gatewayStream(), e.getMessage());
            }
        }
        Map<Integer, Long> positions = cursor.positions();
        if (!out.isEmpty()) {
            try {
                log.append(config.convertedStream(), out).get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        cursor.commit(positions);
        converted.addAndGet(out.size());
        return batch.size();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        running.set(false);
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
