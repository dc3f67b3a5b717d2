package io.tributary.analytics;

import static java.util.Objects.requireNonNull;

import io.tributary.common.TributaryException;
import io.tributary.lake.Location;
import io.tributary.schedule.ScheduledTask;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code analytics} schedule task: runs a job over lake locations. Schedule parameters:
 * {@code job}, {@code input} and {@code output} ({@code s3://} locations) and the job's own
 * parameters prefixed {@code param.} ({@code param.statistics: sketch}).
 */
public final class AnalyticsTask implements ScheduledTask {
    private final AnalyticsService service;

    public AnalyticsTask(AnalyticsService service) {
        this.service = requireNonNull(service, "service is null");
    }

    @Override
    public String kind() {
        return "analytics";
    }

    @Override
    public void validate(Map<String, String> parameters) {
        for (String required : new String[] {"job", "input", "output"}) {
            if (!parameters.containsKey(required)) {
                throw TributaryException.invalidArgument("an analytics schedule needs parameter '%s'", required);
            }
        }
        for (String name : parameters.keySet()) {
            if (!name.equals("job") && !name.equals("input") && !name.equals("output") && !name.startsWith("param.")) {
                throw TributaryException.invalidArgument(
                        "unknown analytics schedule parameter '%s'; use job, input, output and param.<name> for the job's parameters", name);
            }
        }
        Location.parse(parameters.get("input"));
        Location.parse(parameters.get("output"));
        JobParameters.of(service.jobs().job(parameters.get("job")), jobParameters(parameters));
    }

    @Override
    public String run(String schedule, Instant scheduledFor, Map<String, String> parameters) {
        RunRecord run = service.runAndWait(parameters.get("job"), Location.parse(parameters.get("input")),
                Location.parse(parameters.get("output")), jobParameters(parameters));
        if (run.status() != RunRecord.Status.SUCCEEDED) {
            throw new TributaryException(io.tributary.common.ErrorCode.INTERNAL,
                    "run " + run.id() + " failed: " + run.error().orElse("see its run report"));
        }
        return "run " + run.id() + ": " + run.counters().getOrDefault("objects", 0L) + " objects, wrote " + String.join(", ", run.outputs());
    }

    private static Map<String, String> jobParameters(Map<String, String> parameters) {
        Map<String, String> out = new LinkedHashMap<>();
        parameters.forEach((k, v) -> {
            if (k.startsWith("param.")) {
                out.put(k.substring(6), v);
            }
        });
        return out;
    }
}
