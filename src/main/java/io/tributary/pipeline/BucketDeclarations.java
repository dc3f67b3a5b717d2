package io.tributary.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.common.Durations;
import io.tributary.common.TributaryException;
import io.tributary.lake.BucketSpec;
import io.tributary.lake.LifecycleRule;
import io.tributary.lake.Location;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code pipeline.buckets}: {@code - name: governance-archive, immutable: true, retention: 365d,
 * lifecycle: [{prefix: tmp/, expire-after: 7d}]}, naming any unknown or invalid field.
 */
final class BucketDeclarations {
    private BucketDeclarations() {}

    static List<BucketSpec> parse(JsonNode node) {
        List<BucketSpec> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw TributaryException.invalidArgument("pipeline.buckets must be a list of {name, immutable, retention, lifecycle}");
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode b = node.get(i);
            String where = "pipeline.buckets[" + i + "]";
            known(b, Set.of("name", "immutable", "retention", "lifecycle"), where);
            String name = Location.validateBucket(b.path("name").asText(""));
            boolean immutable = b.path("immutable").asBoolean(false);
            Duration retention = b.has("retention") ? duration(b.get("retention").asText(), where + ".retention")
                    : immutable ? BucketSpec.DEFAULT_RETENTION : Duration.ZERO;
            List<LifecycleRule> rules = new ArrayList<>();
            JsonNode lifecycle = b.get("lifecycle");
            if (lifecycle != null && !lifecycle.isNull()) {
                if (!lifecycle.isArray()) {
                    throw TributaryException.invalidArgument("%s.lifecycle must be a list of {prefix, expire-after}", where);
                }
                for (int r = 0; r < lifecycle.size(); r++) {
                    JsonNode rule = lifecycle.get(r);
                    String ruleWhere = where + ".lifecycle[" + r + "]";
                    known(rule, Set.of("prefix", "expire-after"), ruleWhere);
                    if (!rule.has("expire-after")) {
                        throw TributaryException.invalidArgument("%s needs expire-after, such as 30d", ruleWhere);
                    }
                    try {
                        rules.add(new LifecycleRule(rule.path("prefix").asText(""), duration(rule.get("expire-after").asText(), ruleWhere)));
                    } catch (IllegalArgumentException e) {
                        throw TributaryException.invalidArgument("%s: %s", ruleWhere, e.getMessage());
                    }
                }
            }
            try {
                out.add(new BucketSpec(name, immutable, retention, rules));
            } catch (IllegalArgumentException e) {
                throw TributaryException.invalidArgument("%s: %s", where, e.getMessage());
            }
        }
        return out;
    }

    private static Duration duration(String text, String where) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw TributaryException.invalidArgument("%s: %s", where, e.getMessage());
        }
    }

    private static void known(JsonNode node, Set<String> fields, String where) {
        if (!node.isObject()) {
            throw TributaryException.invalidArgument("%s must be a mapping", where);
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String field = names.next();
            if (!fields.contains(field)) {
                throw TributaryException.invalidArgument("unknown field '%s' in %s; known fields: %s", field, where,
                        fields.stream().sorted().toList());
            }
        }
    }
}
