package io.tributary.analytics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run met on its way: counters (objects read, records used, problems by kind), a few example
 * objects for each problem kind, and log lines. Problems in the data are reported here rather than
 * failing the run.
 *
 * <p>Thread-safe.
 */
public final class RunReport {
    static final int EXAMPLES_PER_KIND = 5;
    private static final int MAX_LOG_LINES = 1000;

    private final Clock clock;
    private final Map<String, Long> counters = new LinkedHashMap<>();
    private final Map<String, List<String>> examples = new LinkedHashMap<>();
    private final List<String> log = new ArrayList<>();

    public RunReport(Clock clock) {
        this.clock = clock;
    }

    public synchronized void count(String counter, long delta) {
        counters.merge(counter, delta, Long::sum);
    }

    /** Counts a problem of a kind and keeps the object as an example if few are kept yet. */
    public synchronized void problem(String kind, String objectName, String detail) {
        counters.merge("problem." + kind, 1L, Long::sum);
        List<String> list = examples.computeIfAbsent(kind, k -> new ArrayList<>());
        if (list.size() < EXAMPLES_PER_KIND) {
            list.add(objectName + (detail.isEmpty() ? "" : ": " + detail));
        }
    }

    public synchronized void log(String line) {
        if (log.size() < MAX_LOG_LINES) {
            log.add(Instant.now(clock) + " " + line);
        } else if (log.size() == MAX_LOG_LINES) {
            log.add("(further log lines dropped)");
        }
    }

    public synchronized Map<String, Long> counters() {
        return Map.copyOf(counters);
    }

    public synchronized long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }

    public synchronized Map<String, List<String>> examples() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        examples.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    public synchronized List<String> logLines() {
        return List.copyOf(log);
    }

    public synchronized ObjectNode toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        ObjectNode c = node.putObject("counters");
        counters.forEach(c::put);
        ObjectNode p = node.putObject("problemExamples");
        examples.forEach((k, v) -> v.forEach(p.withArray(k)::add));
        log.forEach(node.putArray("log")::add);
        return node;
    }
}
