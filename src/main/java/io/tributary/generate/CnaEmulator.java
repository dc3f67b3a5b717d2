package io.tributary.generate;

import static java.util.Objects.requireNonNull;

import io.tributary.client.ClientException;
import io.tributary.client.TributaryClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A cloud-native application of the governance platform: each tick it sends a metrics record (this
 * host's real CPU, memory, disk and network figures) and a logs record to {@code POST /telemetry},
 * stamped with {@code cna_timestamp}. The AWS emulator also plays the platform's RG-1 relay: records
 * pass a local gateway (stamping {@code RG_1_API_Gateway_timestamp}) and a queue whose forwarder
 * stamps {@code RG_1_SQS_Forwarder_timestamp} as it sends them on, so all five legs have real times.
 *
 * <p>Thread-safe: {@link #stop} may be called from any thread.
 */
public final class CnaEmulator {
    public enum Provider {
        AWS,
        IBM,
    }

    private final TributaryClient client;
    private final Provider provider;
    private final Clock clock;
    private final HostMetrics metrics = new HostMetrics();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>("");
    /** Requests in flight at once: each waits for the gateway's fsync, so one at a time would cap the rate. */
    private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(16);
    private final java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    public CnaEmulator(TributaryClient client, Provider provider, Clock clock) {
        this.client = requireNonNull(client, "client is null");
        this.provider = requireNonNull(provider, "provider is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public long sent() {
        return sent.get();
    }

    public long failed() {
        return failed.get();
    }

    public String lastError() {
        return lastError.get();
    }

    public void stop() {
        running.set(false);
    }

    /**
     * Sends {@code ticks} rounds of a metrics and a logs record (0 for no limit) at {@code perSecond}
     * rounds a second, until done or stopped.
     */
    public void run(double perSecond, long ticks) throws InterruptedException {
        BlockingQueue<Map<String, Object>> relay = new ArrayBlockingQueue<>(10_000);
        Thread forwarder = Thread.ofVirtual().name("cna-forwarder").start(() -> forward(relay));
        long intervalNanos = (long) (1e9 / perSecond);
        long next = System.nanoTime();
        try {
            for (long tick = 0; running.get() && (ticks == 0 || tick < ticks); tick++) {
                for (String dataType : new String[] {"metrics", "logs"}) {
                    Map<String, Object> record = record(dataType);
                    if (provider == Provider.AWS) {
                        timestamps(record).put("RG_1_API_Gateway_timestamp", TelemetryRecords.hopTime(clock.instant()));
                        relay.put(record);
                    } else {
                        send(record);
                    }
                }
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        } finally {
            relay.put(Map.of());
            forwarder.join();
            inFlight.acquire(16);
            inFlight.release(16);
            senders.shutdown();
        }
    }

    private void forward(BlockingQueue<Map<String, Object>> relay) {
        try {
            while (true) {
                Map<String, Object> record = relay.take();
                if (record.isEmpty()) {
                    return;
                }
                timestamps(record).put("RG_1_SQS_Forwarder_timestamp", TelemetryRecords.hopTime(clock.instant()));
                send(record);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, Object> record(String dataType) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("log_id", UUID.randomUUID().toString());
        record.put("service_name", "cna-app");
        record.put("data_type", dataType);
        if (dataType.equals("metrics")) {
            record.put("governance_data", metrics.snapshot());
        } else {
            Map<String, Object> logs = new LinkedHashMap<>();
            for (int i = 0; i < TelemetryRecords.LOG_LINES.length; i++) {
                logs.put("log_" + (i + 1), TelemetryRecords.LOG_LINES[i]);
            }
            record.put("governance_data", logs);
        }
        Map<String, String> timestamps = new LinkedHashMap<>();
        timestamps.put("cna_timestamp", TelemetryRecords.hopTime(clock.instant()));
        record.put("timestamps", timestamps);
        record.put("CSP", provider.name());
        record.put("error", null);
        return record;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> timestamps(Map<String, Object> record) {
        return (Map<String, String>) record.get("timestamps");
    }

    private void send(Map<String, Object> record) {
        inFlight.acquireUninterruptibly();
        senders.execute(() -> {
            try {
                client.post("/telemetry", io.tributary.common.Json.mapper().valueToTree(record));
                sent.incrementAndGet();
            } catch (ClientException e) {
                failed.incrementAndGet();
                lastError.set(e.getMessage());
                if (e.status() == 0 || e.status() == 401 || e.status() == 403) {
                    running.set(false);
                }
            } finally {
                inFlight.release();
            }
        });
    }

}
