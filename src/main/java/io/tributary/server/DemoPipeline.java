package io.tributary.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.common.Json;
import io.tributary.pipeline.PipelineSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The demo's pipeline, read from the bundled {@code demo-pipeline.yaml}. */
public final class DemoPipeline {
    public static final String RETAIL_STREAM = "retail-trans";
    /** The lab's delivery stream and where its objects land. */
    public static final String RETAIL_DELIVERY = "retail-trans-delivery";
    public static final String LAKE_LOCATION = "s3://tributary-lake/json-data/";
    /** The lab's UpsertToES sink and its index (issue 5). */
    public static final String RETAIL_SINK = "retail-search";
    public static final String RETAIL_INDEX = "retail";

    private DemoPipeline() {}

    public static PipelineSpec load() {
        try (InputStream in = DemoPipeline.class.getResourceAsStream("demo-pipeline.yaml")) {
            JsonNode root = Json.yaml().readTree(in);
            return PipelineSpec.parse(root.path("pipeline"));
        } catch (IOException e) {
            throw new UncheckedIOException("the bundled demo pipeline cannot be read", e);
        }
    }
}
