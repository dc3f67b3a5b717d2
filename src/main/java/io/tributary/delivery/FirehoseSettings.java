package io.tributary.delivery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What the Firehose API sets on a delivery stream that Tributary keeps and reports back but does not
 * act on: the IAM role ARNs (IAM has no meaning here; IaC tools compare them) and the tags. Kept in
 * the delivery stream's {@code spec.json} under {@code "firehose"}; a delivery stream declared in
 * tributary.yaml has none.
 *
 * @param roleArn the destination's {@code RoleARN}
 * @param sourceRoleArn {@code KinesisStreamSourceConfiguration.RoleARN}
 */
public record FirehoseSettings(Optional<String> roleArn, Optional<String> sourceRoleArn, Map<String, String> tags) {
    public static final FirehoseSettings NONE = new FirehoseSettings(Optional.empty(), Optional.empty(), Map.of());
    /** Firehose's limits on tags. */
    public static final int MAX_TAGS = 50;
    private static final Pattern TAG_KEY = Pattern.compile("^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@%]{1,128}$");
    private static final Pattern TAG_VALUE = Pattern.compile("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@%]{0,256}$");

    public FirehoseSettings {
        requireNonNull(roleArn, "roleArn is null");
        requireNonNull(sourceRoleArn, "sourceRoleArn is null");
        tags = Collections.unmodifiableMap(new TreeMap<>(tags));
    }

    /** These settings with tags added (replacing values of existing keys), refusing what Firehose refuses. */
    public FirehoseSettings withTags(Map<String, String> added) {
        for (Map.Entry<String, String> tag : added.entrySet()) {
            if (!TAG_KEY.matcher(tag.getKey()).matches()) {
                throw TributaryException.invalidArgument("tag key '%s' is invalid: use 1 to 128 letters, digits, spaces and _ . : / = + - @ %%, "
                        + "not starting with aws:", tag.getKey());
            }
            if (!TAG_VALUE.matcher(tag.getValue()).matches()) {
                throw TributaryException.invalidArgument("the value of tag '%s' is invalid: use up to 256 letters, digits, spaces and "
                        + "_ . : / = + - @ %%", tag.getKey());
            }
        }
        Map<String, String> merged = new TreeMap<>(tags);
        merged.putAll(added);
        if (merged.size() > MAX_TAGS) {
            throw new TributaryException(io.tributary.common.ErrorCode.LIMIT_EXCEEDED, String.format(
                    "a delivery stream may have at most %d tags; this would give it %d", MAX_TAGS, merged.size()));
        }
        return new FirehoseSettings(roleArn, sourceRoleArn, merged);
    }

    public FirehoseSettings withoutTags(Set<String> keys) {
        Map<String, String> remaining = new TreeMap<>(tags);
        remaining.keySet().removeAll(keys);
        return new FirehoseSettings(roleArn, sourceRoleArn, remaining);
    }

    ObjectNode toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        roleArn.ifPresent(r -> node.put("roleArn", r));
        sourceRoleArn.ifPresent(r -> node.put("sourceRoleArn", r));
        ObjectNode t = node.putObject("tags");
        tags.forEach(t::put);
        return node;
    }

    /** Reads what {@link #toJson} wrote; a missing node (a declared or older delivery stream) is {@link #NONE}. */
    static FirehoseSettings fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            return NONE;
        }
        Map<String, String> tags = new TreeMap<>();
        node.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        return new FirehoseSettings(text(node, "roleArn"), text(node, "sourceRoleArn"), tags);
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }
}
