package io.tributary.delivery;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivery figures on {@code /metrics}, by delivery stream: records and bytes delivered, objects
 * written, records dropped by transforms, errors by type (the error output types, plus
 * {@code write-failed} for store failures that are retried), and the delivery lag (age of the
 * oldest record not yet in the lake).
 *
 * <p>Thread-safe.
 */
public final class DeliveryMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lags = new ConcurrentHashMap<>();

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    void delivered(String stream, long records, long bytes, long objects) {
        counter("tributary_delivery_records", stream, "", "").increment(records);
        counter("tributary_delivery_bytes", stream, "", "").increment(bytes);
        counter("tributary_delivery_objects", stream, "", "").increment(objects);
    }

    void dropped(String stream, long records) {
        counter("tributary_delivery_dropped_records", stream, "", "").increment(records);
    }

    void errors(String stream, String type, long records) {
        counter("tributary_delivery_errors", stream, "type", type).increment(records);
    }

    /**
     * The lag gauge of a delivery stream, registered once per name: a replaced delivery stream (a
     * changed declaration) keeps reporting through the same holder.
     */
    AtomicLong lagMillis(String stream) {
        return lags.computeIfAbsent(stream, name -> {
            AtomicLong holder = new AtomicLong();
            Gauge gauge = Gauge.builder("tributary_delivery_lag_seconds", holder, h -> h.get() / 1000.0)
                    .description("Age of the oldest record not yet delivered to the lake; 0 when caught up")
                    .tag("delivery_stream", name).register(registry);
            meters.computeIfAbsent(name, k -> new ArrayList<>()).add(gauge);
            return holder;
        });
    }

    /** Forgets a deleted delivery stream's meters. */
    void remove(String stream) {
        lags.remove(stream);
        List<Meter> list = meters.remove(stream);
        if (list != null) {
            list.forEach(registry::remove);
        }
        counters.entrySet().removeIf(e -> {
            if (e.getKey().split("\\|", -1)[1].equals(stream)) {
                registry.remove(e.getValue());
                return true;
            }
            return false;
        });
    }

    private Counter counter(String name, String stream, String tag, String value) {
        return counters.computeIfAbsent(name + '|' + stream + '|' + value, k -> {
            Counter.Builder builder = Counter.builder(name).tag("delivery_stream", stream);
            if (!tag.isEmpty()) {
                builder.tag(tag, value);
            }
            return builder.register(registry);
        });
    }
}
