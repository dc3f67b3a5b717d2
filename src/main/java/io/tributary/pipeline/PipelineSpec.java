package io.tributary.pipeline;

import io.tributary.schedule.ScheduleSpec;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.delivery.DeliveryStreamSpec;
import io.tributary.lake.BucketSpec;
import io.tributary.search.SinkSpec;
import io.tributary.sql.TableDeclaration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The resources declared under {@code pipeline:} in tributary.yaml, the equivalent of the
 * original lab's CDK stack. Applying a spec creates what is missing and updates what differs;
 * it deletes only when asked to prune.
 */
public record PipelineSpec(List<StreamSpec> streams, List<BucketSpec> buckets, List<DeliveryStreamSpec> deliveryStreams,
        List<ScheduleSpec> schedules, List<SinkSpec> sinks, List<TableDeclaration> tables) {
    private static final ObjectMapper MAPPER = Json.yaml().copy()
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public PipelineSpec {
        streams = streams == null ? List.of() : List.copyOf(streams);
        Set<String> names = new HashSet<>();
        for (StreamSpec s : streams) {
            if (!names.add(s.name())) {
                throw TributaryException.invalidArgument("stream '%s' is declared twice in the pipeline", s.name());
            }
        }
        buckets = buckets == null ? List.of() : List.copyOf(buckets);
        deliveryStreams = deliveryStreams == null ? List.of() : List.copyOf(deliveryStreams);
        unique(buckets.stream().map(BucketSpec::name).toList(), "bucket");
        unique(deliveryStreams.stream().map(DeliveryStreamSpec::name).toList(), "delivery stream");
        schedules = schedules == null ? List.of() : List.copyOf(schedules);
        unique(schedules.stream().map(ScheduleSpec::name).toList(), "schedule");
        sinks = sinks == null ? List.of() : List.copyOf(sinks);
        unique(sinks.stream().map(SinkSpec::name).toList(), "sink");
        tables = tables == null ? List.of() : List.copyOf(tables);
        unique(tables.stream().map(t -> t.name().toString()).toList(), "table");
    }

    public PipelineSpec(List<StreamSpec> streams, List<BucketSpec> buckets, List<DeliveryStreamSpec> deliveryStreams,
            List<ScheduleSpec> schedules) {
        this(streams, buckets, deliveryStreams, schedules, List.of(), List.of());
    }

    public PipelineSpec(List<StreamSpec> streams) {
        this(streams, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    private static void unique(List<String> names, String kind) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw TributaryException.invalidArgument("%s '%s' is declared twice in the pipeline", kind, name);
            }
        }
    }

    public static PipelineSpec empty() {
        return new PipelineSpec(List.of());
    }

    /** This spec plus the resources of {@code defaults} whose names this spec does not declare. */
    public PipelineSpec withDefaults(PipelineSpec defaults) {
        return new PipelineSpec(merge(streams, defaults.streams(), StreamSpec::name), merge(buckets, defaults.buckets(), BucketSpec::name),
                merge(deliveryStreams, defaults.deliveryStreams(), DeliveryStreamSpec::name),
                merge(schedules, defaults.schedules(), ScheduleSpec::name), merge(sinks, defaults.sinks(), SinkSpec::name),
                merge(tables, defaults.tables(), t -> t.name().toString()));
    }

    private static <T> List<T> merge(List<T> declared, List<T> defaults, java.util.function.Function<T, String> name) {
        List<T> merged = new java.util.ArrayList<>(declared);
        Set<String> names = new HashSet<>();
        declared.forEach(s -> names.add(name.apply(s)));
        defaults.stream().filter(s -> !names.contains(name.apply(s))).forEach(merged::add);
        return merged;
    }

    /** The stream declarations alone, as Jackson reads them. */
    private record Streams(List<StreamSpec> streams) {}

    /** The sink declarations alone, as Jackson reads them. */
    private record Sinks(List<SinkSpec> sinks) {}

    /** Reads the {@code pipeline:} node; a missing node is an empty pipeline. */
    public static PipelineSpec parse(JsonNode pipeline) {
        if (pipeline == null || pipeline.isNull() || pipeline.isMissingNode()) {
            return empty();
        }
        if (!pipeline.isObject()) {
            throw TributaryException.invalidArgument("pipeline must be a mapping with streams:, buckets: and delivery-streams:");
        }
        java.util.Iterator<String> fields = pipeline.fieldNames();
        while (fields.hasNext()) {
            String field = fields.next();
            if (!Set.of("streams", "buckets", "delivery-streams", "schedules", "sinks", "tables").contains(field)) {
                throw TributaryException.invalidArgument(
                        "unknown field '%s' in pipeline; known fields: [streams, buckets, delivery-streams, schedules, sinks, tables]", field);
            }
        }
        List<BucketSpec> buckets = BucketDeclarations.parse(pipeline.get("buckets"));
        List<DeliveryStreamSpec> deliveryStreams = new java.util.ArrayList<>();
        JsonNode declared = pipeline.get("delivery-streams");
        if (declared != null && !declared.isNull()) {
            if (!declared.isArray()) {
                throw TributaryException.invalidArgument("pipeline.delivery-streams must be a list");
            }
            for (JsonNode d : declared) {
                deliveryStreams.add(DeliveryStreamSpec.fromJson(d));
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode streamsOnly = Json.mapper().createObjectNode();
        if (pipeline.has("streams")) {
            streamsOnly.set("streams", pipeline.get("streams"));
        }
        com.fasterxml.jackson.databind.node.ObjectNode sinksOnly = Json.mapper().createObjectNode();
        if (pipeline.has("sinks")) {
            sinksOnly.set("sinks", pipeline.get("sinks"));
        }
        try {
            return new PipelineSpec(MAPPER.treeToValue(streamsOnly, Streams.class).streams(), buckets, deliveryStreams,
                    schedules(pipeline.get("schedules")), MAPPER.treeToValue(sinksOnly, Sinks.class).sinks(), tables(pipeline.get("tables")));
        } catch (UnrecognizedPropertyException e) {
            throw new TributaryException(ErrorCode.INVALID_ARGUMENT, "unknown field '" + e.getPropertyName()
                    + "' in pipeline at " + path(e) + "; known fields: " + e.getKnownPropertyIds());
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String message = root.getMessage() == null ? e.getMessage() : root.getMessage();
            throw new TributaryException(ErrorCode.INVALID_ARGUMENT, "invalid pipeline declaration: "
                    + String.valueOf(message).lines().findFirst().orElse(""));
        }
    }

    /** {@code - name: …, expression: rate(5 minutes), task: analytics, parameters: {…}, enabled: true} */
    private static List<ScheduleSpec> schedules(JsonNode declared) {
        List<ScheduleSpec> out = new java.util.ArrayList<>();
        if (declared == null || declared.isNull()) {
            return out;
        }
        if (!declared.isArray()) {
            throw TributaryException.invalidArgument("pipeline.schedules must be a list");
        }
        for (int i = 0; i < declared.size(); i++) {
            JsonNode s = declared.get(i);
            java.util.Iterator<String> names = s.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!Set.of("name", "expression", "task", "parameters", "enabled").contains(name)) {
                    throw TributaryException.invalidArgument("unknown field '%s' in pipeline.schedules[%d]; known fields: "
                            + "[name, expression, task, parameters, enabled]", name, i);
                }
            }
            for (String required : List.of("name", "expression", "task")) {
                if (!s.path(required).isTextual() || s.path(required).asText().isBlank()) {
                    throw TributaryException.invalidArgument("pipeline.schedules[%d] needs a %s", i, required);
                }
            }
            java.util.Map<String, String> parameters = new java.util.LinkedHashMap<>();
            JsonNode params = s.path("parameters");
            if (!params.isMissingNode() && !params.isObject()) {
                throw TributaryException.invalidArgument("pipeline.schedules[%d].parameters must be a mapping", i);
            }
            params.fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
            out.add(new ScheduleSpec(s.get("name").asText(), s.get("expression").asText(), s.get("task").asText(), parameters,
                    s.path("enabled").asBoolean(true)));
        }
        return out;
    }

    /** {@code - ddl: CREATE EXTERNAL TABLE db.t (...) ..., delivery-stream: name} (SQL over the lake, issue 4). */
    private static List<TableDeclaration> tables(JsonNode declared) {
        List<TableDeclaration> out = new java.util.ArrayList<>();
        if (declared == null || declared.isNull()) {
            return out;
        }
        if (!declared.isArray()) {
            throw TributaryException.invalidArgument("pipeline.tables must be a list of {ddl, delivery-stream}");
        }
        for (int i = 0; i < declared.size(); i++) {
            JsonNode t = declared.get(i);
            java.util.Iterator<String> names = t.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!Set.of("ddl", "delivery-stream").contains(name)) {
                    throw TributaryException.invalidArgument("unknown field '%s' in pipeline.tables[%d]; known fields: [ddl, delivery-stream]", name, i);
                }
            }
            if (!t.path("ddl").isTextual() || t.path("ddl").asText().isBlank()) {
                throw TributaryException.invalidArgument("pipeline.tables[%d] needs ddl: CREATE EXTERNAL TABLE database.table (...)", i);
            }
            try {
                out.add(new TableDeclaration(t.get("ddl").asText(), t.hasNonNull("delivery-stream")
                        ? java.util.Optional.of(t.get("delivery-stream").asText()) : java.util.Optional.empty()));
            } catch (TributaryException e) {
                throw TributaryException.invalidArgument("pipeline.tables[%d]: %s", i, e.getMessage());
            }
        }
        return out;
    }

    private static String path(UnrecognizedPropertyException e) {
        StringBuilder sb = new StringBuilder("pipeline");
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
