package io.tributary.stream;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-stream gauges for {@code /metrics}: retained records, bytes, open shards and the age of the
 * newest record. Streams come and go, so the rows are rebuilt by {@link #refresh} before each scrape.
 *
 * <p>Thread-safe.
 */
public final class StreamMetrics {
    private final StreamLog log;
    private final MultiGauge retained;
    private final MultiGauge size;
    private final MultiGauge openShards;
    private final MultiGauge lastArrival;

    public StreamMetrics(StreamLog log, MeterRegistry registry) {
        this.log = requireNonNull(log, "log is null");
        this.retained = MultiGauge.builder("tributary_stream_retained_records").description("Records retained in the stream").register(registry);
        this.size = MultiGauge.builder("tributary_stream_size_bytes").description("Bytes the stream occupies").baseUnit("bytes").register(registry);
        this.openShards = MultiGauge.builder("tributary_stream_open_shards").description("Open shards of the stream").register(registry);
        this.lastArrival = MultiGauge.builder("tributary_stream_last_arrival_seconds")
                .description("Arrival time of the newest record, epoch seconds").register(registry);
    }

    public synchronized void refresh() {
        List<MultiGauge.Row<?>> retainedRows = new ArrayList<>();
        List<MultiGauge.Row<?>> sizeRows = new ArrayList<>();
        List<MultiGauge.Row<?>> shardRows = new ArrayList<>();
        List<MultiGauge.Row<?>> arrivalRows = new ArrayList<>();
        for (String name : log.listStreams()) {
            try {
                long records = 0;
                long bytes = 0;
                long last = 0;
                for (ShardStats s : log.stats(name)) {
                    records += s.endOffset() - s.startOffset();
                    bytes += s.sizeBytes();
                    last = Math.max(last, s.lastArrivalTimeMillis());
                }
                Tags tags = Tags.of("stream", name);
                retainedRows.add(MultiGauge.Row.of(tags, records));
                sizeRows.add(MultiGauge.Row.of(tags, bytes));
                shardRows.add(MultiGauge.Row.of(tags, log.describeStream(name).openShards().size()));
                arrivalRows.add(MultiGauge.Row.of(tags, last / 1000.0));
            } catch (RuntimeException e) {
                // deleted while we looked: simply absent from this scrape
            }
        }
        retained.register(retainedRows, true);
        size.register(sizeRows, true);
        openShards.register(shardRows, true);
        lastArrival.register(arrivalRows, true);
    }
}
