package io.tributary.delivery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.common.Template;
import io.tributary.common.TributaryException;
import io.tributary.lake.Compression;
import io.tributary.lake.Location;
import io.tributary.stream.StreamLimits;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A delivery stream, declared under {@code pipeline.delivery-streams} or created through the
 * Firehose API: where records come from, how they are buffered, transformed and named, and where
 * they land. Checked as a whole at construction, so an invalid declaration fails at configuration
 * time with the offending part named.
 *
 * @param source the stream read through a named consumer; empty for direct puts through the
 *     Firehose API
 * @param bucket the destination bucket
 * @param prefix Firehose's prefix template as given; see {@link #effectivePrefix} for how it is evaluated
 * @param errorOutputPrefix prefix of failed records as given; see {@link #effectiveErrorOutputPrefix}
 * @param delimiter what is written after each record: nothing through the Firehose API (as Firehose) unless an
 *     AppendDelimiterToRecord processor is given; a newline where missing for declared delivery streams
 * @param deaggregate unpack records in the Kinesis Producer Library's aggregated format
 * @param partitionKeys dynamic partitioning: key name to the JSON field (a dotted path, a leading
 *     '.' as in Firehose's JQ expressions allowed) used by {@code !{partitionKeyFromQuery:name}}
 * @param startingPosition where a new delivery stream starts reading its source (LATEST, as
 *     Firehose); meaningless for direct puts
 */
public record DeliveryStreamSpec(
        String name,
        Optional<String> source,
        String bucket,
        String prefix,
        String errorOutputPrefix,
        BufferingHints buffering,
        Compression compression,
        RecordDelimiter delimiter,
        boolean deaggregate,
        Map<String, String> partitionKeys,
        List<ProcessorSpec> processors,
        Optional<ParquetSchema> formatConversion,
        Optional<PerRecordSpec> perRecord,
        StartingPosition startingPosition) {
    public static final String DEFAULT_PREFIX = "!{timestamp:yyyy/MM/dd/HH}/";
    /** What Firehose appends to a prefix without a timestamp expression. */
    static final String TIME_FOLDERS = "!{timestamp:yyyy/MM/dd/HH/}";
    /** Firehose's longest prefix, after evaluation. */
    static final int MAX_EVALUATED_PREFIX = 512;
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,64}");
    private static final Pattern FIELD_PATH = Pattern.compile("\\.?[A-Za-z0-9_@$-]+(\\.[A-Za-z0-9_@$-]+)*");
    static final EnumSet<Template.Kind> PREFIX_TOKENS = EnumSet.of(Template.Kind.TIMESTAMP, Template.Kind.RANDOM_STRING,
            Template.Kind.PARTITION_KEY_FROM_QUERY, Template.Kind.PARTITION_KEY_FROM_LAMBDA);
    static final EnumSet<Template.Kind> ERROR_PREFIX_TOKENS = EnumSet.of(Template.Kind.TIMESTAMP, Template.Kind.RANDOM_STRING,
            Template.Kind.ERROR_OUTPUT_TYPE);

    public DeliveryStreamSpec {
        requireNonNull(name, "every delivery stream needs a name");
        requireNonNull(source, "source is null");
        requireNonNull(bucket, "every delivery stream needs a destination bucket");
        requireNonNull(prefix, "prefix is null");
        requireNonNull(errorOutputPrefix, "errorOutputPrefix is null");
        requireNonNull(buffering, "buffering is null");
        requireNonNull(compression, "compression is null");
        requireNonNull(delimiter, "delimiter is null");
        requireNonNull(formatConversion, "formatConversion is null");
        requireNonNull(perRecord, "perRecord is null");
        requireNonNull(startingPosition, "startingPosition is null");
        partitionKeys = java.util.Collections.unmodifiableMap(new TreeMap<>(partitionKeys));
        processors = List.copyOf(processors);
        validateName(name);
        source.ifPresent(StreamLimits::validateNewStreamName);
        Location.validateBucket(bucket);
        String what = "Delivery stream '" + name + "'";
        Template p = Template.parse(prefix, PREFIX_TOKENS, what + ": prefix");
        Template e = Template.parse(errorOutputPrefix, ERROR_PREFIX_TOKENS, what + ": error output prefix");
        if (!p.isLiteral() && errorOutputPrefix.isEmpty()) {
            throw TributaryException.invalidArgument(
                    "%s: the prefix '%s' contains expressions, so an error output prefix must be given too (as Firehose requires)", what, prefix);
        }
        if (!e.isLiteral() && !e.uses(Template.Kind.ERROR_OUTPUT_TYPE)) {
            throw TributaryException.invalidArgument("%s: the error output prefix '%s' contains expressions, so it must contain "
                    + "!{firehose:error-output-type} at least once (as Firehose requires)", what, errorOutputPrefix);
        }
        Set<String> used = new HashSet<>(p.arguments(Template.Kind.PARTITION_KEY_FROM_QUERY));
        for (String key : used) {
            if (!partitionKeys.containsKey(key)) {
                throw TributaryException.invalidArgument("%s: prefix token '!{partitionKeyFromQuery:%s}' names a key that is not declared "
                        + "under partition-keys", what, key);
            }
        }
        for (Map.Entry<String, String> key : partitionKeys.entrySet()) {
            if (!used.contains(key.getKey())) {
                throw TributaryException.invalidArgument("%s: partition key '%s' is declared but the prefix does not use "
                        + "!{partitionKeyFromQuery:%s}", what, key.getKey(), key.getKey());
            }
            if (!FIELD_PATH.matcher(key.getValue()).matches()) {
                throw TributaryException.invalidArgument("%s: partition key '%s' must be a JSON field path such as .customer_id or "
                        + "meta.region, got '%s'", what, key.getKey(), key.getValue());
            }
        }
        if (p.uses(Template.Kind.PARTITION_KEY_FROM_LAMBDA) && processors.isEmpty()) {
            throw TributaryException.invalidArgument("%s: prefix uses !{partitionKeyFromLambda:...} but no processor is declared "
                    + "to return partition keys", what);
        }
        if (formatConversion.isPresent() && compression != Compression.UNCOMPRESSED) {
            throw TributaryException.invalidArgument("%s: with format conversion the objects are Parquet with Snappy inside; "
                    + "set compression to UNCOMPRESSED (as Firehose requires)", what);
        }
        if (perRecord.isPresent()) {
            if (formatConversion.isPresent() || compression != Compression.UNCOMPRESSED || !partitionKeys.isEmpty()) {
                throw TributaryException.invalidArgument("%s: per-record mode writes each record as it is under its key template; "
                        + "it cannot be combined with format conversion, compression or partition keys", what);
            }
        }
    }

    public static String validateName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw TributaryException.invalidArgument(
                    "delivery stream name '%s' is invalid: use 1 to 64 characters from a-z, A-Z, 0-9, '_', '.' and '-'",
                    name == null ? "" : name.length() > 80 ? name.substring(0, 80) + "..." : name);
        }
        return name;
    }

    /** A minimal spec: direct puts or a source stream into a bucket with Firehose's defaults. */
    public static DeliveryStreamSpec of(String name, Optional<String> source, String bucket) {
        return new DeliveryStreamSpec(name, source, bucket, "", "", BufferingHints.DEFAULT, Compression.UNCOMPRESSED,
                RecordDelimiter.NEWLINE_WHERE_MISSING, true,
                Map.of(), List.of(), Optional.empty(), Optional.empty(),
                StartingPosition.LATEST);
    }

    public boolean directPut() {
        return source.isEmpty();
    }

    /**
     * The prefix as Firehose evaluates it: without a prefix, {@code yyyy/MM/dd/HH/}; a prefix without
     * a timestamp expression gets {@code !{timestamp:yyyy/MM/dd/HH/}} appended (so {@code logs/} gives
     * {@code logs/2026/11/25/14/}, and {@code logs} gives {@code logs2026/11/25/14/}). Not with dynamic
     * partitioning, whose keys make the folders, nor in per-record mode, Tributary's own.
     */
    public String effectivePrefix() {
        if (prefix.isEmpty()) {
            return DEFAULT_PREFIX;
        }
        Template p = Template.parse(prefix, PREFIX_TOKENS, "prefix");
        boolean dynamic = p.uses(Template.Kind.PARTITION_KEY_FROM_QUERY) || p.uses(Template.Kind.PARTITION_KEY_FROM_LAMBDA);
        return p.uses(Template.Kind.TIMESTAMP) || dynamic || perRecord.isPresent() ? prefix : prefix + TIME_FOLDERS;
    }

    /**
     * The error output prefix as Firehose evaluates it: as given, or without one (allowed only when
     * the prefix has no expressions) {@code <prefix><error-output-type>/yyyy/MM/dd/HH/}, so failed
     * records stay under the delivery stream's prefix.
     */
    public String effectiveErrorOutputPrefix() {
        return errorOutputPrefix.isEmpty() ? prefix + "!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/" : errorOutputPrefix;
    }

    public Template prefixTemplate() {
        return Template.parse(effectivePrefix(), PREFIX_TOKENS, "prefix");
    }

    public Template errorPrefixTemplate() {
        return Template.parse(effectiveErrorOutputPrefix(), ERROR_PREFIX_TOKENS, "error output prefix");
    }

    public DeliveryStreamSpec withBuffering(BufferingHints hints) {
        return new DeliveryStreamSpec(name, source, bucket, prefix, errorOutputPrefix, hints, compression, delimiter, deaggregate,
                partitionKeys, processors, formatConversion, perRecord, startingPosition);
    }

    public DeliveryStreamSpec withCompression(Compression c) {
        return new DeliveryStreamSpec(name, source, bucket, prefix, errorOutputPrefix, buffering, c, delimiter, deaggregate,
                partitionKeys, processors, formatConversion, perRecord, startingPosition);
    }

    public DeliveryStreamSpec withStartingPosition(StartingPosition position) {
        return new DeliveryStreamSpec(name, source, bucket, prefix, errorOutputPrefix, buffering, compression, delimiter, deaggregate,
                partitionKeys, processors, formatConversion, perRecord, position);
    }

    public DeliveryStreamSpec withPrefixes(String newPrefix, String newErrorPrefix) {
        return new DeliveryStreamSpec(name, source, bucket, newPrefix, newErrorPrefix, buffering, compression, delimiter, deaggregate,
                partitionKeys, processors, formatConversion, perRecord, startingPosition);
    }

    /** Reads the YAML/JSON declaration (see docs/configuration.md), naming unknown or invalid fields. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static DeliveryStreamSpec fromJson(JsonNode node) {
        return DeliveryStreamSpecJson.read(node);
    }

    /** The declaration form, as {@link #fromJson} reads it. */
    @JsonValue
    public JsonNode toJson() {
        return DeliveryStreamSpecJson.write(this);
    }
}
