package io.tributary.ingest;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ingest counters exported on {@code /metrics}: records and bytes accepted, and records refused,
 * by stream and entry point. Thread-safe.
 */
public final class IngestMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    void accepted(String stream, String api, long records, long bytes) {
        counter("tributary_ingest_records", stream, api, "accepted").increment(records);
        counter("tributary_ingest_bytes", stream, api, "accepted").increment(bytes);
    }

    void refused(String stream, String api, String reason, long records) {
        counter("tributary_ingest_refused_records", stream, api, reason).increment(records);
    }

    private Counter counter(String name, String stream, String api, String outcome) {
        return counters.computeIfAbsent(name + '|' + stream + '|' + api + '|' + outcome, k -> Counter.builder(name)
                .tag("stream", stream)
                .tag("api", api)
                .tag(name.equals("tributary_ingest_refused_records") ? "reason" : "outcome", outcome)
                .register(registry));
    }
}
