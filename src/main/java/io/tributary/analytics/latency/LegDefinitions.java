package io.tributary.analytics.latency;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which legs to measure for each provider: a leg is the time from one timestamp field to another.
 * Objects are assigned to a provider by their file-name prefix. The default is the governance
 * platform's: AWS legs 1–5 over its six hops, IBM legs 1, 4 and 5 over its four.
 *
 * @param providers by label ({@code AWS}), in output order
 */
public record LegDefinitions(Map<String, Provider> providers) {
    public static final String GATEWAY = "RG_GOV_IMS_API_Gateway_timestamp";
    public static final String CONVERTER = "RG_GOV_IMS_Converter_timestamp";
    public static final String ARCHIVER = "RG_GOV_IMS_Archiver_timestamp";

    public static final String DEFAULT_JSON = """
            {"AWS": {"prefix": "aws-", "legs": {
                "Leg 1": ["cna_timestamp", "RG_1_API_Gateway_timestamp"],
                "Leg 2": ["RG_1_API_Gateway_timestamp", "RG_1_SQS_Forwarder_timestamp"],
                "Leg 3": ["RG_1_SQS_Forwarder_timestamp", "RG_GOV_IMS_API_Gateway_timestamp"],
                "Leg 4": ["RG_GOV_IMS_API_Gateway_timestamp", "RG_GOV_IMS_Converter_timestamp"],
                "Leg 5": ["RG_GOV_IMS_Converter_timestamp", "RG_GOV_IMS_Archiver_timestamp"]}},
             "IBM": {"prefix": "ibm-", "legs": {
                "Leg 1": ["cna_timestamp", "RG_GOV_IMS_API_Gateway_timestamp"],
                "Leg 4": ["RG_GOV_IMS_API_Gateway_timestamp", "RG_GOV_IMS_Converter_timestamp"],
                "Leg 5": ["RG_GOV_IMS_Converter_timestamp", "RG_GOV_IMS_Archiver_timestamp"]}}}
            """;

    public record Leg(String name, String from, String to) {
        public Leg {
            requireNonNull(name, "name is null");
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
        }
    }

    public record Provider(String label, String prefix, List<Leg> legs) {
        public Provider {
            requireNonNull(label, "label is null");
            requireNonNull(prefix, "prefix is null");
            legs = List.copyOf(legs);
        }
    }

    public LegDefinitions {
        providers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(providers));
        if (providers.isEmpty()) {
            throw TributaryException.invalidArgument("legs must define at least one provider");
        }
    }

    public static LegDefinitions defaults() {
        return parse(DEFAULT_JSON);
    }

    /**
     * Parses {@code {"<label>": {"prefix": "aws-", "legs": {"Leg 1": ["from_field", "to_field"], ...}}, ...}},
     * naming what is wrong.
     */
    public static LegDefinitions parse(String json) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw TributaryException.invalidArgument("parameter 'legs' is not valid JSON: %s",
                    String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw TributaryException.invalidArgument("parameter 'legs' must be a JSON object of providers");
        }
        Map<String, Provider> providers = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> p = fields.next();
            String prefix = p.getValue().path("prefix").asText("");
            if (prefix.isEmpty()) {
                throw TributaryException.invalidArgument("provider '%s' in 'legs' needs a non-empty \"prefix\" such as \"aws-\"", p.getKey());
            }
            List<Leg> legs = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> legNodes = p.getValue().path("legs").fields();
            while (legNodes.hasNext()) {
                Map.Entry<String, JsonNode> leg = legNodes.next();
                JsonNode pair = leg.getValue();
                if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()) {
                    throw TributaryException.invalidArgument("leg '%s' of provider '%s' must be [\"from_field\", \"to_field\"]",
                            leg.getKey(), p.getKey());
                }
                legs.add(new Leg(leg.getKey(), pair.get(0).asText(), pair.get(1).asText()));
            }
            if (legs.isEmpty()) {
                throw TributaryException.invalidArgument("provider '%s' in 'legs' has no legs", p.getKey());
            }
            providers.put(p.getKey(), new Provider(p.getKey(), prefix, legs));
        }
        return new LegDefinitions(providers);
    }

    /** Every leg name of every provider, ordered naturally ("Leg 2" before "Leg 10"): the output columns. */
    public List<String> legNames() {
        TreeSet<String> names = new TreeSet<>(NATURAL);
        providers.values().forEach(p -> p.legs().forEach(l -> names.add(l.name())));
        return List.copyOf(names);
    }

    /** The provider whose prefix the file name starts with (the longest such prefix), if any. */
    public Optional<Provider> providerOf(String fileName) {
        return providers.values().stream().filter(p -> fileName.startsWith(p.prefix()))
                .max(Comparator.comparingInt(p -> p.prefix().length()));
    }

    /** Compares text with embedded numbers by their value. */
    static final Comparator<String> NATURAL = (a, b) -> {
        String na = a.replaceAll("\\d+", "");
        String nb = b.replaceAll("\\d+", "");
        int c = na.compareTo(nb);
        if (c != 0) {
            return c;
        }
        String da = a.replaceAll("\\D+", "");
        String db = b.replaceAll("\\D+", "");
        if (!da.isEmpty() && !db.isEmpty() && da.length() < 19 && db.length() < 19) {
            c = Long.compare(Long.parseLong(da), Long.parseLong(db));
            if (c != 0) {
                return c;
            }
        }
        return a.compareTo(b);
    };
}
