package io.tributary.pipeline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.search.SinkSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The resources declared under {@code pipeline:} in tributary.yaml, the equivalent of the
 * original lab's CDK stack. Applying a spec creates what is missing and updates what differs;
 * it deletes only when asked to prune.
 */
public record PipelineSpec(List<StreamSpec> streams, List<SinkSpec> sinks) {
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
        // Search sinks (issue 5): stream -> index.
        sinks = sinks == null ? List.of() : List.copyOf(sinks);
        Set<String> sinkNames = new HashSet<>();
        for (SinkSpec s : sinks) {
            if (!sinkNames.add(s.name())) {
                throw TributaryException.invalidArgument("sink '%s' is declared twice in the pipeline", s.name());
            }
        }
    }

    public PipelineSpec(List<StreamSpec> streams) {
        this(streams, List.of());
    }

    public static PipelineSpec empty() {
        return new PipelineSpec(List.of(), List.of());
    }

    /** This spec plus the resources of {@code defaults} whose names this spec does not declare. */
    public PipelineSpec withDefaults(PipelineSpec defaults) {
        List<StreamSpec> merged = new java.util.ArrayList<>(streams);
        Set<String> names = new HashSet<>();
        streams.forEach(s -> names.add(s.name()));
        defaults.streams().stream().filter(s -> !names.contains(s.name())).forEach(merged::add);
        List<SinkSpec> mergedSinks = new java.util.ArrayList<>(sinks);
        Set<String> sinkNames = new HashSet<>();
        sinks.forEach(s -> sinkNames.add(s.name()));
        defaults.sinks().stream().filter(s -> !sinkNames.contains(s.name())).forEach(mergedSinks::add);
        return new PipelineSpec(merged, mergedSinks);
    }

    /** Reads the {@code pipeline:} node; a missing node is an empty pipeline. */
    public static PipelineSpec parse(JsonNode pipeline) {
        if (pipeline == null || pipeline.isNull() || pipeline.isMissingNode()) {
            return empty();
        }
        try {
            return MAPPER.treeToValue(pipeline, PipelineSpec.class);
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
