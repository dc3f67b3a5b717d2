package io.tributary.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.DataSize;
import io.tributary.common.Durations;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.lake.Compression;
import io.tributary.lake.Location;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The declaration form of a {@link DeliveryStreamSpec} in tributary.yaml (kebab-case fields, sizes
 * and durations written {@code 5MB}, {@code 60s}), read with every unknown or mistyped field named.
 */
final class DeliveryStreamSpecJson {
    private static final Set<String> FIELDS = Set.of("name", "source", "destination", "prefix", "error-output-prefix", "buffering",
            "compression", "append-newline", "deaggregate", "partition-keys", "processors", "format-conversion", "per-record",
            "starting-position", "record-delimiter");

    private DeliveryStreamSpecJson() {}

    static DeliveryStreamSpec read(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw TributaryException.invalidArgument("a delivery stream must be a mapping with name, source and destination");
        }
        String name = DeliveryStreamSpec.validateName(text(node, "name", "delivery stream").orElse(null));
        String where = "delivery stream '" + name + "'";
        known(node, FIELDS, where);
        Optional<String> source = text(node, "source", where);
        String destination = text(node, "destination", where).orElseThrow(() -> TributaryException.invalidArgument(
                "%s needs a destination such as s3://tributary-lake", where));
        BufferingHints buffering = BufferingHints.DEFAULT;
        JsonNode b = node.get("buffering");
        if (b != null && !b.isNull()) {
            known(b, Set.of("size", "interval"), where + " buffering");
            DataSize size = text(b, "size", where).map(v -> convert(v, DataSize::parse, where + " buffering.size"))
                    .orElse(BufferingHints.DEFAULT.size());
            Duration interval = text(b, "interval", where).map(v -> convert(v, Durations::parse, where + " buffering.interval"))
                    .orElse(BufferingHints.DEFAULT.interval());
            try {
                buffering = new BufferingHints(size, interval);
            } catch (TributaryException e) {
                throw TributaryException.invalidArgument("%s: %s", where, e.getMessage());
            }
        }
        Map<String, String> partitionKeys = new LinkedHashMap<>();
        JsonNode keys = node.get("partition-keys");
        if (keys != null && !keys.isNull()) {
            if (!keys.isObject()) {
                throw TributaryException.invalidArgument("%s: partition-keys must map key names to JSON fields", where);
            }
            keys.fields().forEachRemaining(e -> partitionKeys.put(e.getKey(), e.getValue().asText()));
        }
        List<ProcessorSpec> processors = new ArrayList<>();
        JsonNode procs = node.get("processors");
        if (procs != null && !procs.isNull()) {
            if (!procs.isArray()) {
                throw TributaryException.invalidArgument("%s: processors must be a list of {type: ..., parameters}", where);
            }
            for (JsonNode p : procs) {
                String type = text(p, "type", where + " processor").orElseThrow(() -> TributaryException.invalidArgument(
                        "%s: every processor needs a type, such as hop-stamp", where));
                Map<String, String> parameters = new LinkedHashMap<>();
                p.fields().forEachRemaining(e -> {
                    if (!e.getKey().equals("type")) {
                        if (!e.getValue().isValueNode()) {
                            throw TributaryException.invalidArgument("%s: processor parameter '%s' must be a single value", where, e.getKey());
                        }
                        parameters.put(e.getKey(), e.getValue().asText());
                    }
                });
                processors.add(new ProcessorSpec(type, parameters));
            }
        }
        Optional<ParquetSchema> conversion = Optional.empty();
        JsonNode fc = node.get("format-conversion");
        if (fc != null && !fc.isNull()) {
            known(fc, Set.of("format", "schema"), where + " format-conversion");
            String format = text(fc, "format", where).orElse("parquet");
            if (!format.equalsIgnoreCase("parquet")) {
                throw TributaryException.invalidArgument("%s: format-conversion supports format parquet, got '%s'", where, format);
            }
            JsonNode schema = fc.get("schema");
            if (schema == null || !schema.isArray()) {
                throw TributaryException.invalidArgument("%s: format-conversion needs a schema: a list of {name, type}", where);
            }
            List<ParquetSchema.Column> columns = new ArrayList<>();
            for (JsonNode c : schema) {
                known(c, Set.of("name", "type"), where + " schema column");
                columns.add(new ParquetSchema.Column(text(c, "name", where).orElse(""), text(c, "type", where).orElse("string")));
            }
            conversion = Optional.of(new ParquetSchema(columns));
        }
        Optional<PerRecordSpec> perRecord = Optional.empty();
        JsonNode pr = node.get("per-record");
        if (pr != null && !pr.isNull()) {
            known(pr, Set.of("key", "route-field", "routes", "default-route"), where + " per-record");
            Map<String, Location> routes = new LinkedHashMap<>();
            JsonNode r = pr.get("routes");
            if (r != null && !r.isNull()) {
                if (!r.isObject()) {
                    throw TributaryException.invalidArgument("%s: per-record routes must map field values to locations", where);
                }
                r.fields().forEachRemaining(e -> routes.put(e.getKey(), Location.parse(e.getValue().asText()).asPrefix()));
            }
            perRecord = Optional.of(new PerRecordSpec(
                    text(pr, "key", where).orElseThrow(() -> TributaryException.invalidArgument(
                            "%s: per-record needs a key template such as {CSP|lower}-{log_id}.json", where)),
                    text(pr, "route-field", where), routes,
                    text(pr, "default-route", where).map(v -> Location.parse(v).asPrefix())));
        }
        Optional<String> start = text(node, "starting-position", where);
        if (start.isPresent() && source.isEmpty()) {
            throw TributaryException.invalidArgument("%s: starting-position applies to a delivery stream that reads a source stream", where);
        }
        StartingPosition startingPosition = start.map(v -> StartingPosition.parse(v, where)).orElse(StartingPosition.LATEST);
        RecordDelimiter delimiter = bool(node, "append-newline", true, where) ? RecordDelimiter.NEWLINE_WHERE_MISSING : RecordDelimiter.NONE;
        Optional<String> recordDelimiter = text(node, "record-delimiter", where);
        if (recordDelimiter.isPresent()) {
            if (node.has("append-newline") && delimiter != RecordDelimiter.NONE) {
                throw TributaryException.invalidArgument("%s: give either append-newline: true (a newline where a record lacks one) or "
                        + "record-delimiter (after every record), not both", where);
            }
            delimiter = RecordDelimiter.always(recordDelimiter.get());
        }
        return new DeliveryStreamSpec(name, source, bucket(destination, where),
                text(node, "prefix", where).orElse(""), text(node, "error-output-prefix", where).orElse(""), buffering,
                text(node, "compression", where).map(Compression::parse).orElse(Compression.UNCOMPRESSED),
                delimiter, bool(node, "deaggregate", true, where),
                partitionKeys, processors, conversion, perRecord, startingPosition);
    }

    /** Accepts {@code s3://bucket}, {@code arn:aws:s3:::bucket} or a bare bucket name; a key part is refused. */
    static String bucket(String destination, String where) {
        String d = destination.trim();
        if (d.startsWith("arn:aws:s3:::")) {
            return Location.validateBucket(d.substring("arn:aws:s3:::".length()));
        }
        if (d.startsWith("s3://") || d.startsWith("s3a://")) {
            Location location = Location.parse(d);
            if (!location.key().isEmpty()) {
                throw TributaryException.invalidArgument("%s: destination '%s' must name a bucket only (s3://%s); put the path in prefix",
                        where, d, location.bucket());
            }
            return location.bucket();
        }
        return Location.validateBucket(d);
    }

    static ObjectNode write(DeliveryStreamSpec spec) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("name", spec.name());
        spec.source().ifPresent(s -> node.put("source", s));
        node.put("destination", "s3://" + spec.bucket());
        if (!spec.prefix().isEmpty()) {
            node.put("prefix", spec.prefix());
        }
        if (!spec.errorOutputPrefix().isEmpty()) {
            node.put("error-output-prefix", spec.errorOutputPrefix());
        }
        node.putObject("buffering").put("size", spec.buffering().size().toString())
                .put("interval", Durations.format(spec.buffering().interval()));
        node.put("compression", spec.compression().firehoseName());
        if (spec.delimiter().equals(RecordDelimiter.NEWLINE_WHERE_MISSING) || spec.delimiter().isNone()) {
            node.put("append-newline", !spec.delimiter().isNone());
        } else {
            node.put("record-delimiter", spec.delimiter().text());
        }
        node.put("deaggregate", spec.deaggregate());
        if (spec.startingPosition() != StartingPosition.LATEST) {
            node.put("starting-position", spec.startingPosition().name());
        }
        if (!spec.partitionKeys().isEmpty()) {
            ObjectNode keys = node.putObject("partition-keys");
            spec.partitionKeys().forEach(keys::put);
        }
        if (!spec.processors().isEmpty()) {
            var array = node.putArray("processors");
            for (ProcessorSpec p : spec.processors()) {
                ObjectNode o = array.addObject().put("type", p.type());
                p.parameters().forEach(o::put);
            }
        }
        spec.formatConversion().ifPresent(schema -> {
            ObjectNode fc = node.putObject("format-conversion").put("format", "parquet");
            var columns = fc.putArray("schema");
            schema.columns().forEach(c -> columns.addObject().put("name", c.name()).put("type", c.type()));
        });
        spec.perRecord().ifPresent(pr -> {
            ObjectNode o = node.putObject("per-record").put("key", pr.key());
            pr.routeField().ifPresent(f -> o.put("route-field", f));
            if (!pr.routes().isEmpty()) {
                ObjectNode routes = o.putObject("routes");
                pr.routes().forEach((k, v) -> routes.put(k, v.toString()));
            }
            pr.defaultRoute().ifPresent(d -> o.put("default-route", d.toString()));
        });
        return node;
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

    private static Optional<String> text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode()) {
            throw TributaryException.invalidArgument("%s: field '%s' must be a single value", where, field);
        }
        return Optional.of(value.asText());
    }

    private static boolean bool(JsonNode node, String field, boolean defaultValue, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            throw TributaryException.invalidArgument("%s: field '%s' must be true or false", where, field);
        }
        return value.booleanValue();
    }

    private static <T> T convert(String value, java.util.function.Function<String, T> parser, String where) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw TributaryException.invalidArgument("%s: %s", where, e.getMessage());
        }
    }
}
