package io.tributary.pipeline;

import static java.util.Objects.requireNonNull;

import io.tributary.stream.StreamLimits;

/** A stream declared in the pipeline: {@code - name: retail-trans\n  shards: 2}. */
public record StreamSpec(String name, Integer shards) {
    public StreamSpec {
        requireNonNull(name, "every stream needs a name");
        StreamLimits.validateNewStreamName(name);
        shards = shards == null ? 1 : StreamLimits.validateShardCount(shards);
    }
}
