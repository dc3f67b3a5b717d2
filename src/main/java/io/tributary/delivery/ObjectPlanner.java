package io.tributary.delivery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import io.tributary.common.Template;
import io.tributary.common.TributaryException;
import io.tributary.delivery.spi.RecordTransformer;
import io.tributary.delivery.spi.TransformInput;
import io.tributary.delivery.spi.TransformResult;
import io.tributary.lake.Compression;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectStore;
import io.tributary.stream.StoredRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a batch of source records into the objects to write: de-aggregation, the transform chain,
 * dynamic partitioning or per-record routing, error output, encoding (delimiter, compression or
 * Parquet) and naming. Each object is identified by what grouped its records (partition values,
 * error type, per-record key) so that a batch delivered again after a crash produces the same
 * objects, which then take their keys from the journal.
 *
 * <p>Not thread-safe: owned by one delivery thread.
 */
final class ObjectPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectPlanner.class);
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);
    private static final char[] RANDOM_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
    static final String DELIVERY_FAILED = "delivery-failed";

    /**
     * One object of a batch.
     *
     * @param records how many records it holds
     * @param sourceBytes the records' size before compression
     * @param errorType the error output type, empty for delivered records
     */
    record Planned(String identity, Location location, byte[] content, int records, long sourceBytes, Optional<String> errorType,
            boolean perRecord) {}

    /** What planning made of a batch, including what it dropped on purpose. */
    record Plan(List<Planned> objects, int dropped, Map<String, Integer> errorsByType) {}

    private final DeliveryStreamSpec spec;
    private final List<RecordTransformer> transformers;
    private final ObjectStore store;
    private final Clock clock;
    private final ParquetEncoder parquet;
    private final Template prefix;
    private final Template errorPrefix;
    private final Optional<Template> perRecordKey;
    private final List<String> lambdaKeys;
    private final boolean needsJson;
    private final SplittableRandom random = new SplittableRandom();
    /** Per-record keys taken by earlier records of the batch being planned. */
    private final java.util.Set<String> claimed = new java.util.HashSet<>();

    ObjectPlanner(DeliveryStreamSpec spec, List<RecordTransformer> transformers, ObjectStore store, Clock clock, ParquetEncoder parquet) {
        this.spec = requireNonNull(spec, "spec is null");
        this.transformers = List.copyOf(transformers);
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.parquet = requireNonNull(parquet, "parquet is null");
        this.prefix = spec.prefixTemplate();
        this.errorPrefix = spec.errorPrefixTemplate();
        this.perRecordKey = spec.perRecord().map(PerRecordSpec::keyTemplate);
        this.lambdaKeys = prefix.arguments(Template.Kind.PARTITION_KEY_FROM_LAMBDA);
        this.needsJson = !spec.partitionKeys().isEmpty() || spec.formatConversion().isPresent() || spec.perRecord().isPresent();
    }

    /** A record on its way through planning. */
    private static final class Item {
        final String recordId;
        final long arrival;
        final byte[] raw;
        byte[] data;
        Map<String, String> lambda = Map.of();
        ErrorOutput error;
        String identity;
        Map<String, String> partition = Map.of();
        Location perRecordLocation;
        ObjectNode row;

        Item(String recordId, long arrival, byte[] raw) {
            this.recordId = recordId;
            this.arrival = arrival;
            this.raw = raw;
            this.data = raw;
        }
    }

    /**
     * Plans a batch. With {@code journalled}, the batch is being delivered again: objects take the
     * keys journalled for their identity, and per-record keys named in the journal are taken as
     * ours even when they exist.
     */
    Plan plan(List<StoredRecord> records, Optional<ObjectJournal.Entry> journalled) {
        List<Item> items = expand(records);
        int before = items.size();
        items = transform(items);
        int dropped = before - items.size();
        Map<String, Location> keys = new HashMap<>();
        journalled.ifPresent(e -> e.objects().forEach(o -> keys.put(o.identity(), o.location())));
        claimed.clear();
        for (Item item : items) {
            if (item.error == null) {
                classify(item, keys);
            }
            if (item.error != null) {
                item.identity = "error|" + item.error.outputType();
            }
        }
        Map<String, List<Item>> groups = new LinkedHashMap<>();
        for (Item item : items) {
            groups.computeIfAbsent(item.identity, k -> new ArrayList<>()).add(item);
        }
        List<Planned> out = new ArrayList<>();
        List<Item> lateErrors = new ArrayList<>();
        for (Map.Entry<String, List<Item>> group : groups.entrySet()) {
            if (!group.getKey().startsWith("error|") && spec.formatConversion().isPresent()) {
                Optional<byte[]> content = parquet(group.getValue(), lateErrors);
                content.ifPresent(bytes -> out.add(planned(group.getKey(), group.getValue(), bytes, keys)));
            } else if (!group.getKey().startsWith("error|")) {
                out.add(planned(group.getKey(), group.getValue(), encode(group.getValue(), false), keys));
            }
        }
        if (!lateErrors.isEmpty()) {
            for (Item item : lateErrors) {
                groups.computeIfAbsent(item.identity, k -> new ArrayList<>()).add(item);
            }
        }
        Map<String, Integer> errors = new TreeMap<>();
        for (Map.Entry<String, List<Item>> group : groups.entrySet()) {
            if (group.getKey().startsWith("error|")) {
                out.add(planned(group.getKey(), group.getValue(), encode(group.getValue(), true), keys));
                errors.merge(group.getValue().get(0).error.outputType(), group.getValue().size(), Integer::sum);
            }
        }
        return new Plan(out, dropped, errors);
    }

    private List<Item> expand(List<StoredRecord> records) {
        List<Item> items = new ArrayList<>(records.size());
        for (StoredRecord r : records) {
            if (spec.deaggregate() && KplAggregation.looksAggregated(r.data())) {
                Optional<List<KplAggregation.SubRecord>> subs = KplAggregation.deaggregate(r.data());
                if (subs.isPresent()) {
                    List<KplAggregation.SubRecord> list = subs.get();
                    for (int i = 0; i < list.size(); i++) {
                        items.add(new Item(r.sequenceNumber() + ":" + i, r.arrivalTimeMillis(), list.get(i).data()));
                    }
                    continue;
                }
            }
            items.add(new Item(r.sequenceNumber(), r.arrivalTimeMillis(), r.data()));
        }
        return items;
    }

    private List<Item> transform(List<Item> items) {
        List<Item> current = items;
        for (RecordTransformer transformer : transformers) {
            List<Item> active = current.stream().filter(i -> i.error == null).toList();
            if (active.isEmpty()) {
                break;
            }
            List<TransformInput> inputs = active.stream().map(i -> new TransformInput(i.recordId, i.arrival, i.data)).toList();
            List<TransformResult> results;
            try {
                results = transformer.transform(inputs);
                if (results == null || results.size() != inputs.size()) {
                    throw new IllegalStateException("the transform returned " + (results == null ? "no" : results.size())
                            + " results for " + inputs.size() + " records");
                }
            } catch (RuntimeException e) {
                LOG.warn("Delivery stream {}: a transform failed a batch of {} records: {}", spec.name(), inputs.size(), e.toString());
                for (Item i : active) {
                    i.error = ErrorOutput.processingFailed("the transform failed: " + e);
                }
                continue;
            }
            List<Item> next = new ArrayList<>(current.size());
            int k = 0;
            for (Item i : current) {
                if (i.error != null) {
                    next.add(i);
                    continue;
                }
                TransformResult result = results.get(k++);
                switch (result) {
                    case TransformResult.Ok ok -> {
                        i.data = ok.data();
                        if (!ok.partitionKeys().isEmpty()) {
                            Map<String, String> merged = new HashMap<>(i.lambda);
                            merged.putAll(ok.partitionKeys());
                            i.lambda = merged;
                        }
                        next.add(i);
                    }
                    case TransformResult.Dropped dropped -> {
                        // left out on purpose; counted by the caller
                    }
                    case TransformResult.ProcessingFailed failed -> {
                        i.error = ErrorOutput.processingFailed(failed.errorMessage());
                        next.add(i);
                    }
                }
            }
            current = next;
        }
        return current;
    }

    /** Decides an item's group: its partition values, its per-record key, or an error. */
    private void classify(Item item, Map<String, Location> journalled) {
        JsonNode json = null;
        if (needsJson) {
            try {
                json = Json.mapper().readTree(item.data);
            } catch (IOException e) {
                json = null;
            }
            if (json == null || !json.isObject()) {
                item.error = spec.formatConversion().isPresent()
                        ? ErrorOutput.conversionFailed("the record is not a JSON object")
                        : ErrorOutput.partitioningFailed("DynamicPartitioning.MetadataExtractionFailed", "the record is not a JSON object");
                return;
            }
        }
        if (spec.perRecord().isPresent()) {
            perRecord(item, json, journalled);
            return;
        }
        Map<String, String> partition = new TreeMap<>();
        for (Map.Entry<String, String> key : spec.partitionKeys().entrySet()) {
            String path = key.getValue().startsWith(".") ? key.getValue().substring(1) : key.getValue();
            Optional<String> value = Template.scalarAt(json, path);
            Optional<String> problem = value.isEmpty() ? Optional.of("field '" + key.getValue() + "' is missing or not a scalar")
                    : unsafe(value.get());
            if (problem.isPresent()) {
                item.error = ErrorOutput.partitioningFailed("DynamicPartitioning.MetadataExtractionFailed",
                        "partition key '" + key.getKey() + "': " + problem.get());
                return;
            }
            partition.put("q:" + key.getKey(), value.get());
        }
        for (String name : lambdaKeys) {
            String value = item.lambda.get(name);
            Optional<String> problem = value == null ? Optional.of("the transform returned no value") : unsafe(value);
            if (problem.isPresent()) {
                item.error = ErrorOutput.partitioningFailed("DynamicPartitioning.PartitionKeyMissing",
                        "partition key '" + name + "' from the transform: " + problem.get());
                return;
            }
            partition.put("l:" + name, value);
        }
        if (spec.formatConversion().isPresent()) {
            ObjectNode row = Json.mapper().createObjectNode();
            Optional<String> problem = ParquetEncoder.normalise(spec.formatConversion().get(), item.data, row);
            if (problem.isPresent()) {
                item.error = ErrorOutput.conversionFailed(problem.get());
                return;
            }
            item.row = row;
        }
        item.partition = partition;
        StringBuilder identity = new StringBuilder("data");
        partition.forEach((k, v) -> identity.append('|').append(k).append('=').append(v));
        item.identity = identity.toString();
    }

    private void perRecord(Item item, JsonNode json, Map<String, Location> journalled) {
        PerRecordSpec pr = spec.perRecord().orElseThrow();
        Location base;
        if (pr.routeField().isPresent()) {
            Optional<String> value = Template.scalarAt(json, pr.routeField().get());
            Optional<Location> route = value.map(pr.routes()::get).or(pr::defaultRoute);
            if (route.isEmpty()) {
                item.error = ErrorOutput.partitioningFailed("PerRecord.NoRoute", "route field '" + pr.routeField().get() + "' "
                        + value.map(v -> "value '" + v + "' has no route").orElse("is missing") + " and there is no default-route");
                return;
            }
            base = route.get();
        } else {
            try {
                base = new Location(spec.bucket(), prefix.render(values(item.arrival, Map.of(), Optional.empty())));
            } catch (RuntimeException e) {
                item.error = ErrorOutput.partitioningFailed("PerRecord.KeyTemplateFailed", "the prefix cannot be evaluated: " + e.getMessage());
                return;
            }
        }
        JsonNode record = json;
        String key;
        try {
            key = perRecordKey.orElseThrow().render(new Template.Values() {
                @Override
                public Instant timestamp() {
                    return Instant.ofEpochMilli(item.arrival);
                }

                @Override
                public Optional<String> field(String path) {
                    return Template.scalarAt(record, path).filter(v -> unsafe(v).isEmpty());
                }
            });
        } catch (Template.MissingValueException e) {
            item.error = ErrorOutput.partitioningFailed("PerRecord.KeyTemplateFailed", "key template '" + pr.key() + "': " + e.getMessage()
                    + " (or holds '/', '\\\\', a control character or only dots)");
            return;
        }
        Location location;
        try {
            location = new Location(base.bucket(), base.key() + key);
        } catch (TributaryException e) {
            item.error = ErrorOutput.partitioningFailed("PerRecord.KeyTemplateFailed", e.getMessage());
            return;
        }
        String identity = "record|" + location;
        // The first record of a batch to claim a key gets it, also when the batch is delivered again; a key
        // the journal names was claimed by this batch before a crash, so its object (if any) is ours.
        boolean exists = claimed.contains(identity) || (!journalled.containsKey(identity) && store.stat(location).isPresent());
        if (exists) {
            item.error = new ErrorOutput(DELIVERY_FAILED, "PerRecord.ObjectExists", location + " already exists; per-record delivery never "
                    + "overwrites an object");
            return;
        }
        claimed.add(identity);
        item.perRecordLocation = location;
        item.identity = identity;
    }

    /** Why a value cannot be a path segment of an object key, if it cannot. */
    static Optional<String> unsafe(String value) {
        if (value.isEmpty()) {
            return Optional.of("the value is empty");
        }
        if (value.length() > 512) {
            return Optional.of("the value is longer than 512 characters");
        }
        if (value.equals(".") || value.equals("..")) {
            return Optional.of("the value '" + value + "' is not a valid path segment");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
                return Optional.of("the value holds '/', '\\' or a control character");
            }
        }
        return Optional.empty();
    }

    private Template.Values values(long oldestArrival, Map<String, String> partition, Optional<String> errorType) {
        return new Template.Values() {
            @Override
            public Instant timestamp() {
                return Instant.ofEpochMilli(oldestArrival);
            }

            @Override
            public String randomString() {
                char[] c = new char[11];
                for (int i = 0; i < c.length; i++) {
                    c[i] = RANDOM_ALPHABET[random.nextInt(RANDOM_ALPHABET.length)];
                }
                return new String(c);
            }

            @Override
            public String errorOutputType() {
                return errorType.orElseThrow();
            }

            @Override
            public Optional<String> partitionKeyFromQuery(String name) {
                return Optional.ofNullable(partition.get("q:" + name));
            }

            @Override
            public Optional<String> partitionKeyFromLambda(String name) {
                return Optional.ofNullable(partition.get("l:" + name));
            }
        };
    }

    private Planned planned(String identity, List<Item> items, byte[] content, Map<String, Location> journalled) {
        long sourceBytes = 0;
        long oldest = Long.MAX_VALUE;
        for (Item i : items) {
            sourceBytes += i.data.length;
            oldest = Math.min(oldest, i.arrival);
        }
        Item first = items.get(0);
        boolean error = identity.startsWith("error|");
        Optional<String> errorType = error ? Optional.of(first.error.outputType()) : Optional.empty();
        Location location = journalled.get(identity);
        if (location == null) {
            if (first.perRecordLocation != null) {
                location = first.perRecordLocation;
            } else {
                String evaluated = (error ? errorPrefix : prefix).render(values(oldest, first.partition, errorType));
                location = new Location(spec.bucket(), evaluated + objectName(error));
            }
            journalled.put(identity, location);
        }
        return new Planned(identity, location, content, items.size(), sourceBytes, errorType, first.perRecordLocation != null);
    }

    /** Firehose's object name: {@code <stream>-<version>-<yyyy-MM-dd-HH-mm-ss>-<id>} and the format's extension. */
    private String objectName(boolean error) {
        String extension = spec.formatConversion().isPresent() && !error ? ".parquet" : spec.compression().extension();
        return spec.name() + "-1-" + NAME_TIME.format(clock.instant()) + "-" + UUID.randomUUID() + extension;
    }

    private byte[] encode(List<Item> items, boolean error) {
        Compression compression = spec.perRecord().isPresent() ? Compression.UNCOMPRESSED : spec.compression();
        long estimate = 0;
        for (Item i : items) {
            estimate += i.data.length + 1;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 16,
                compression == Compression.UNCOMPRESSED ? estimate + 16 : estimate / 4 + 1024));
        Instant now = clock.instant();
        try (OutputStream out = compression.encoding(bytes, spec.name() + ".json")) {
            for (Item i : items) {
                if (error) {
                    out.write(i.error.envelope(i.arrival, now, i.raw));
                } else {
                    spec.delimiter().write(out, i.data);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("encoding an object in memory failed", e);
        }
        return bytes.toByteArray();
    }

    /** The group as Parquet, or empty when DuckDB refused it (its records then go to the error output). */
    private Optional<byte[]> parquet(List<Item> items, List<Item> errors) {
        try {
            return Optional.of(parquet.encode(spec.formatConversion().orElseThrow(), items.stream().map(i -> i.row).toList()));
        } catch (TributaryException e) {
            LOG.warn("Delivery stream {}: {}; the records go to the error output", spec.name(), e.getMessage());
            for (Item i : items) {
                i.error = ErrorOutput.conversionFailed(e.getMessage());
                i.identity = "error|" + i.error.outputType();
                errors.add(i);
            }
            return Optional.empty();
        }
    }
}
