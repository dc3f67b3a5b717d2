package io.tributary.search;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.stream.StreamLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The stream → index sinks of a server: their declarations (kept in
 * {@code <data-dir>/search/sinks.json}, so sinks applied through the API survive restarts), their
 * running workers, and their counters in {@code /metrics}:
 * {@code tributary_sink_{reads,writes,invalid,index_errors,errors}_total} and
 * {@code tributary_sink_lag_seconds}, each labelled with the sink.
 *
 * <p>Thread-safe: changes are serialised.
 */
public final class SearchSinks implements Closeable {
    /** What applying a sink did. */
    public enum Change {
        CREATED,
        UPDATED,
        UNCHANGED,
    }

    private static final ObjectMapper MAPPER = Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE);

    private final SearchEngine engine;
    private final StreamLog log;
    private final SearchConfig config;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Path file;
    private final Map<String, SinkSpec> specs = new TreeMap<>();
    private final Map<String, SearchSink> running = new LinkedHashMap<>();
    private final Map<String, List<Meter>> meters = new LinkedHashMap<>();

    public SearchSinks(SearchEngine engine, StreamLog log, SearchConfig config, MeterRegistry registry, Clock clock) {
        this.engine = requireNonNull(engine, "engine is null");
        this.log = requireNonNull(log, "log is null");
        this.config = requireNonNull(config, "config is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.file = config.directory().resolve("sinks.json");
        if (Files.exists(file)) {
            try {
                JsonNode stored = MAPPER.readTree(file.toFile());
                for (JsonNode s : stored) {
                    SinkSpec spec = MAPPER.treeToValue(s, SinkSpec.class);
                    specs.put(spec.name(), spec);
                }
            } catch (IOException e) {
                throw new TributaryException(ErrorCode.STORAGE_FAILURE, "cannot read the sinks from " + file + ": " + e.getMessage()
                        + "; fix the file or remove it and apply the pipeline again", e);
            }
        }
    }

    /** Starts every stored sink whose stream exists. */
    public synchronized void start() {
        for (SinkSpec spec : specs.values()) {
            if (log.findStream(spec.stream()).isPresent()) {
                launch(spec);
            }
        }
    }

    /**
     * Creates, updates (restarting it) or leaves a sink as declared.
     *
     * @throws TributaryException {@code INVALID_ARGUMENT} if its stream does not exist
     */
    public synchronized Change apply(SinkSpec spec) {
        if (log.findStream(spec.stream()).isEmpty()) {
            throw TributaryException.invalidArgument("sink '%s' reads stream '%s', which does not exist; declare it under pipeline.streams",
                    spec.name(), spec.stream());
        }
        SinkSpec existing = specs.get(spec.name());
        if (spec.equals(existing)) {
            if (!running.containsKey(spec.name())) {
                launch(spec);
            }
            return Change.UNCHANGED;
        }
        halt(spec.name());
        specs.put(spec.name(), spec);
        save();
        launch(spec);
        return existing == null ? Change.CREATED : Change.UPDATED;
    }

    /** Stops and forgets a sink; its indexes and dead-letter file stay. */
    public synchronized void delete(String name) {
        if (specs.remove(name) == null) {
            throw TributaryException.notFound("sink '%s' does not exist", name);
        }
        halt(name);
        save();
    }

    public synchronized List<SinkSpec> list() {
        return List.copyOf(specs.values());
    }

    public synchronized Optional<SinkStatus> status(String name) {
        SinkSpec spec = specs.get(name);
        if (spec == null) {
            return Optional.empty();
        }
        SearchSink sink = running.get(name);
        if (sink != null) {
            return Optional.of(sink.status());
        }
        return Optional.of(new SinkStatus(spec, "stopped", 0, 0, 0, 0, 0, Map.of(), 0,
                config.directory().resolve("dead-letter").resolve(name + ".ndjson").toString(), 0,
                Optional.of("its stream '" + spec.stream() + "' does not exist")));
    }

    public synchronized List<SinkStatus> statuses() {
        List<SinkStatus> out = new ArrayList<>();
        for (String name : specs.keySet()) {
            status(name).ifPresent(out::add);
        }
        return out;
    }

    private void launch(SinkSpec spec) {
        SearchSink sink = new SearchSink(spec, engine, log, config.commitInterval(), config.directory().resolve("dead-letter"), clock);
        running.put(spec.name(), sink);
        List<Meter> list = new ArrayList<>();
        list.add(counter("tributary_sink_reads_total", "Records the sink read from its stream", sink, s -> s.reads.get()));
        list.add(counter("tributary_sink_writes_total", "Documents the sink wrote to its index", sink, s -> s.writes.get()));
        list.add(counter("tributary_sink_invalid_total", "Records without the required fields, skipped", sink, s -> s.invalid.get()));
        list.add(counter("tributary_sink_index_errors_total", "Documents the index refused (dead-lettered)", sink, s -> s.indexErrors.get()));
        list.add(counter("tributary_sink_errors_total", "Records that could not be read or converted (dead-lettered)", sink, s -> s.errors.get()));
        list.add(Gauge.builder("tributary_sink_lag_seconds", sink, s -> s.lagMillis.get() / 1000.0).tag("sink", spec.name())
                .description("Age of the newest record the sink processed when it is behind; 0 when caught up").register(registry));
        meters.put(spec.name(), list);
        sink.start();
    }

    private Meter counter(String name, String description, SearchSink sink, ToDoubleFunction<SearchSink> value) {
        return FunctionCounter.builder(name, sink, value).tag("sink", sink.spec().name()).description(description).register(registry);
    }

    private void halt(String name) {
        SearchSink sink = running.remove(name);
        if (sink != null) {
            sink.stop();
        }
        List<Meter> list = meters.remove(name);
        if (list != null) {
            list.forEach(registry::remove);
        }
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(specs.values()));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stops every sink, each committing what it indexed. */
    @Override
    public synchronized void close() {
        for (String name : new ArrayList<>(running.keySet())) {
            halt(name);
        }
    }

}
