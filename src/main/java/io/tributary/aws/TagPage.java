package io.tributary.aws;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One page of a resource's tags as Kinesis's ListTagsForStream and Firehose's ListTagsForDeliveryStream answer it. */
public final class TagPage {
    private TagPage() {}

    /**
     * {@code {"Tags": [{"Key", "Value"}...], "HasMoreTags": ...}}: the tags after {@code exclusiveStartKey}
     * in key order, at most {@code limit} of them. The caller validates the limit, whose bounds differ by service.
     */
    public static ObjectNode of(Map<String, String> tags, Optional<String> exclusiveStartKey, int limit) {
        requireNonNull(tags, "tags is null");
        requireNonNull(exclusiveStartKey, "exclusiveStartKey is null");
        List<Map.Entry<String, String>> after = tags.entrySet().stream()
                .filter(t -> exclusiveStartKey.isEmpty() || t.getKey().compareTo(exclusiveStartKey.get()) > 0)
                .sorted(Map.Entry.comparingByKey())
                .toList();
        ObjectNode response = Json.mapper().createObjectNode();
        ArrayNode out = response.putArray("Tags");
        after.stream().limit(limit).forEach(t -> out.addObject().put("Key", t.getKey()).put("Value", t.getValue()));
        response.put("HasMoreTags", after.size() > limit);
        return response;
    }
}
