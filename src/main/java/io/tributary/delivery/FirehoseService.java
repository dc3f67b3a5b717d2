package io.tributary.delivery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.auth.Authorizer;
import io.tributary.auth.Permission;
import io.tributary.auth.Permission.Action;
import io.tributary.aws.AwsErrors;
import io.tributary.aws.AwsJsonService;
import io.tributary.aws.AwsRequest;
import io.tributary.aws.TagPage;
import io.tributary.common.DataSize;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.lake.Compression;
import io.tributary.stream.AppendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Amazon Data Firehose API ({@code Firehose_20150804}) over the delivery streams:
 * CreateDeliveryStream, DescribeDeliveryStream, ListDeliveryStreams, DeleteDeliveryStream,
 * PutRecord, PutRecordBatch, and TagDeliveryStream, UntagDeliveryStream and ListTagsForDeliveryStream, with Firehose's limits (500 records and 4 MiB per batch, 1,000 KiB
 * per record), error names and per-record results. An {@code ExtendedS3DestinationConfiguration}
 * maps onto a {@link DeliveryStreamSpec}; a Lambda processor names a transform plug-in by the
 * function name in its ARN.
 *
 * <p>Thread-safe.
 */
public final class FirehoseService implements AwsJsonService {
    static final int MAX_BATCH_RECORDS = 500;
    static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;
    static final int MAX_RECORD_BYTES = 1000 * 1024;
    private static final Pattern JQ_FIELD = Pattern.compile("\\s*\"?([A-Za-z0-9_-]+)\"?\\s*:\\s*(\\.[A-Za-z0-9_@$.-]+)\\s*");

    private static final Pattern BUCKET_ARN = Pattern.compile("arn:.*:s3:::[\\w.\\-]{1,255}");

    private final DeliveryService delivery;
    private final Authorizer authorizer;
    private final String arnPrefix;

    public FirehoseService(DeliveryService delivery, Authorizer authorizer, String region) {
        this.delivery = requireNonNull(delivery, "delivery is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
        this.arnPrefix = "arn:aws:firehose:" + requireNonNull(region, "region is null") + ":000000000000:deliverystream/";
    }

    @Override
    public String targetPrefix() {
        return "Firehose_20150804";
    }

    @Override
    public ObjectNode handle(AwsRequest request) {
        return switch (request.operation()) {
            case "CreateDeliveryStream" -> create(request);
            case "DescribeDeliveryStream" -> describe(request);
            case "ListDeliveryStreams" -> list(request);
            case "DeleteDeliveryStream" -> delete(request);
            case "PutRecord" -> putRecord(request);
            case "PutRecordBatch" -> putRecordBatch(request);
            case "TagDeliveryStream" -> tag(request);
            case "UntagDeliveryStream" -> untag(request);
            case "ListTagsForDeliveryStream" -> listTags(request);
            case "UpdateDestination" -> throw new TributaryException(ErrorCode.UNSUPPORTED, "Firehose operation 'UpdateDestination' is "
                    + "not supported by Tributary; delete the delivery stream and create it again with the new destination (a new one "
                    + "starts at LATEST, so nothing is delivered twice), or declare it in tributary.yaml, where a change is applied in place");
            default -> throw new TributaryException(ErrorCode.UNSUPPORTED, "Firehose operation '" + request.operation()
                    + "' is not supported by Tributary; docs/api.md lists the operations it has");
        };
    }

    @Override
    public String errorType(TributaryException e) {
        return switch (e.code()) {
            case INVALID_ARGUMENT, PAYLOAD_TOO_LARGE -> e.getMessage().startsWith("1 validation error") ? "ValidationException" : "InvalidArgumentException";
            case ALREADY_EXISTS, RESOURCE_IN_USE -> "ResourceInUseException";
            case THROTTLED, UNAVAILABLE, TIMEOUT -> "ServiceUnavailableException";
            default -> AwsErrors.defaultType(e);
        };
    }

    private String name(AwsRequest request) {
        return DeliveryStreamSpec.validateName(request.optionalString("DeliveryStreamName")
                .orElseThrow(() -> AwsRequest.missing("deliveryStreamName")));
    }

    private void check(AwsRequest request, Action action, String name) {
        authorizer.check(request.principal(), Permission.of(action, "delivery-stream", name));
    }

    private ObjectNode create(AwsRequest request) {
        String name = name(request);
        check(request, Action.MANAGE, name);
        String type = request.optionalString("DeliveryStreamType").orElse("DirectPut");
        Optional<String> source = switch (type) {
            case "DirectPut" -> Optional.empty();
            case "KinesisStreamAsSource" -> {
                JsonNode config = request.body().path("KinesisStreamSourceConfiguration");
                String arn = config.path("KinesisStreamARN").asText("");
                int slash = arn.lastIndexOf(":stream/");
                if (!arn.startsWith("arn:") || slash < 0) {
                    throw TributaryException.invalidArgument(
                            "KinesisStreamSourceConfiguration.KinesisStreamARN must be a Kinesis stream ARN such as "
                                    + "arn:aws:kinesis:us-east-1:000000000000:stream/retail-trans, got '%s'", arn);
                }
                yield Optional.of(arn.substring(slash + ":stream/".length()));
            }
            default -> throw TributaryException.invalidArgument(
                    "DeliveryStreamType '%s' is not supported; use DirectPut or KinesisStreamAsSource", type);
        };
        JsonNode s3 = request.body().get("ExtendedS3DestinationConfiguration");
        if (s3 == null || s3.isNull()) {
            s3 = request.body().get("S3DestinationConfiguration");
        }
        if (s3 == null || !s3.isObject()) {
            throw TributaryException.invalidArgument("CreateDeliveryStream needs an ExtendedS3DestinationConfiguration: Tributary delivers "
                    + "to the lake (local disk or S3) only");
        }
        String bucketArn = text(s3, "BucketARN").orElseThrow(() -> AwsRequest.missing("extendedS3DestinationConfiguration.bucketARN"));
        if (!BUCKET_ARN.matcher(bucketArn).matches()) {
            throw TributaryException.invalidArgument("1 validation error detected: Value '%s' at 'extendedS3DestinationConfiguration.bucketARN' "
                    + "failed to satisfy constraint: Member must satisfy regular expression pattern: arn:.*:s3:::[\\w\\.\\-]{1,255} "
                    + "(such as arn:aws:s3:::tributary-lake)", bucketArn.length() > 80 ? bucketArn.substring(0, 80) + "..." : bucketArn);
        }
        String bucket = DeliveryStreamSpecJson.bucket("arn:aws:s3:::" + bucketArn.substring(bucketArn.indexOf(":::") + 3),
                "delivery stream '" + name + "'");
        BufferingHints hints = BufferingHints.DEFAULT;
        JsonNode b = s3.get("BufferingHints");
        if (b != null && !b.isNull()) {
            if (!b.isObject()) {
                throw AwsRequest.serialization("ExtendedS3DestinationConfiguration.BufferingHints", "an object");
            }
            String path = "extendedS3DestinationConfiguration.bufferingHints.";
            // Range-checked before any arithmetic, so a huge number is a validation error rather than an overflow.
            long size = integer(b, "SizeInMBs", path + "sizeInMBs", 1, 128, 5);
            long interval = integer(b, "IntervalInSeconds", path + "intervalInSeconds", 0, 900, 300);
            hints = new BufferingHints(DataSize.ofMegabytes(size), Duration.ofSeconds(interval));
        }
        Compression compression = text(s3, "CompressionFormat").map(Compression::parse).orElse(Compression.UNCOMPRESSED);
        JsonNode conversion = s3.path("DataFormatConversionConfiguration");
        if (conversion.path("Enabled").asBoolean(false)) {
            throw new TributaryException(ErrorCode.UNSUPPORTED, "DataFormatConversionConfiguration reads its schema from AWS Glue, "
                    + "which Tributary does not have; declare format-conversion with a schema in tributary.yaml instead");
        }
        // Firehose writes records as they were sent; only AppendDelimiterToRecord adds a delimiter. It de-aggregates
        // KPL records read from a Kinesis stream, not direct puts.
        RecordDelimiter delimiter = RecordDelimiter.NONE;
        boolean deaggregate = source.isPresent();
        Map<String, String> partitionKeys = new LinkedHashMap<>();
        List<ProcessorSpec> processors = new ArrayList<>();
        JsonNode processing = s3.path("ProcessingConfiguration");
        if (processing.path("Enabled").asBoolean(false)) {
            for (JsonNode p : processing.path("Processors")) {
                Map<String, String> parameters = new LinkedHashMap<>();
                for (JsonNode param : p.path("Parameters")) {
                    parameters.put(param.path("ParameterName").asText(), param.path("ParameterValue").asText());
                }
                switch (p.path("Type").asText()) {
                    case "AppendDelimiterToRecord" -> delimiter = RecordDelimiter.always(
                            RecordDelimiter.unescape(parameters.getOrDefault("Delimiter", "\\n")));
                    case "RecordDeAggregation" -> throw TributaryException.invalidArgument("processor RecordDeAggregation "
                            + "(splitting JSON or delimited multi-record payloads) is not supported; records in the Kinesis Producer "
                            + "Library's aggregated format are de-aggregated without it when the source is a Kinesis stream");
                    case "MetadataExtraction" -> partitionKeys.putAll(jqKeys(parameters.getOrDefault("MetadataExtractionQuery", "")));
                    case "Lambda" -> {
                        String arn = parameters.getOrDefault("LambdaArn", "");
                        String function = arn.contains(":function:") ? arn.substring(arn.indexOf(":function:") + 10).split(":")[0] : arn;
                        processors.add(new ProcessorSpec(function, Map.of()));
                    }
                    default -> throw TributaryException.invalidArgument("processor type '%s' is not supported; use Lambda (naming a "
                            + "transform plug-in), MetadataExtraction, AppendDelimiterToRecord or RecordDeAggregation", p.path("Type").asText());
                }
            }
        }
        DeliveryStreamSpec spec = new DeliveryStreamSpec(name, source, bucket, text(s3, "Prefix").orElse(""),
                text(s3, "ErrorOutputPrefix").orElse(""), hints, compression, delimiter, deaggregate, partitionKeys, processors,
                Optional.empty(), Optional.empty(), StartingPosition.LATEST);
        FirehoseSettings settings = new FirehoseSettings(text(s3, "RoleARN"),
                source.isPresent() ? text(request.body().path("KinesisStreamSourceConfiguration"), "RoleARN") : Optional.empty(), Map.of())
                .withTags(tags(request.body().get("Tags"), "tags"));
        delivery.create(spec, settings);
        ObjectNode response = Json.mapper().createObjectNode();
        response.put("DeliveryStreamARN", arnPrefix + name);
        return response;
    }

    /** Firehose's tag list, {@code [{"Key": ..., "Value": ...}]}; a missing value is empty, as Firehose allows. */
    private static Map<String, String> tags(JsonNode list, String member) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (list == null || list.isNull()) {
            return tags;
        }
        if (!list.isArray()) {
            throw AwsRequest.serialization(member, "a list of {Key, Value}");
        }
        for (JsonNode tag : list) {
            JsonNode key = tag.get("Key");
            if (key == null || !key.isTextual()) {
                throw AwsRequest.missing(member + ".member.key");
            }
            tags.put(key.textValue(), tag.path("Value").asText(""));
        }
        return tags;
    }

    private ObjectNode tag(AwsRequest request) {
        String name = name(request);
        check(request, Action.MANAGE, name);
        JsonNode list = request.body().get("Tags");
        if (list == null || list.isNull()) {
            throw AwsRequest.missing("tags");
        }
        Map<String, String> added = tags(list, "tags");
        if (added.isEmpty()) {
            throw TributaryException.invalidArgument("1 validation error detected: Value '[]' at 'tags' failed to satisfy constraint: "
                    + "Member must have length greater than or equal to 1");
        }
        delivery.updateFirehoseSettings(name, s -> s.withTags(added));
        return Json.mapper().createObjectNode();
    }

    private ObjectNode untag(AwsRequest request) {
        String name = name(request);
        check(request, Action.MANAGE, name);
        JsonNode keys = request.requiredList("TagKeys", "a list of strings");
        java.util.Set<String> removed = new java.util.HashSet<>();
        keys.forEach(k -> removed.add(k.asText()));
        delivery.updateFirehoseSettings(name, s -> s.withoutTags(removed));
        return Json.mapper().createObjectNode();
    }

    private ObjectNode listTags(AwsRequest request) {
        String name = name(request);
        check(request, Action.READ, name);
        int limit = request.optionalInt("Limit").orElse(50);
        if (limit < 1 || limit > 50) {
            throw TributaryException.invalidArgument("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: "
                    + "Member must have value between 1 and 50", limit);
        }
        return TagPage.of(delivery.firehoseSettings(name).tags(), request.optionalString("ExclusiveStartTagKey"), limit);
    }

    /** Firehose's MetadataExtractionQuery is a JQ object such as {@code {customer_id: .customer_id}}; simple field paths are supported. */
    static Map<String, String> jqKeys(String query) {
        String q = query.trim();
        if (!q.startsWith("{") || !q.endsWith("}")) {
            throw TributaryException.invalidArgument("MetadataExtractionQuery '%s' must be a JQ object such as {customer_id: .customer_id}",
                    query);
        }
        Map<String, String> keys = new LinkedHashMap<>();
        String body = q.substring(1, q.length() - 1);
        for (String pair : body.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            Matcher m = JQ_FIELD.matcher(pair);
            if (!m.matches()) {
                throw TributaryException.invalidArgument("MetadataExtractionQuery part '%s' is not 'name: .field.path'; Tributary supports "
                        + "field paths, not full JQ", pair.trim());
            }
            keys.put(m.group(1), m.group(2));
        }
        return keys;
    }

    private ObjectNode describe(AwsRequest request) {
        String name = name(request);
        check(request, Action.READ, name);
        DeliveryStatus status = delivery.status(name);
        DeliveryStreamSpec spec = status.spec();
        ObjectNode response = Json.mapper().createObjectNode();
        ObjectNode d = response.putObject("DeliveryStreamDescription");
        d.put("DeliveryStreamName", name).put("DeliveryStreamARN", arnPrefix + name).put("DeliveryStreamStatus", "ACTIVE")
                .put("DeliveryStreamType", spec.directPut() ? "DirectPut" : "KinesisStreamAsSource").put("VersionId", "1");
        request.codec().putTimestamp(d, "CreateTimestamp", status.created());
        FirehoseSettings settings = delivery.firehoseSettings(name);
        spec.source().ifPresent(stream -> {
            ObjectNode k = d.putObject("Source").putObject("KinesisStreamSourceDescription");
            k.put("KinesisStreamARN", arnPrefix.replace(":firehose:", ":kinesis:").replace(":deliverystream/", ":stream/") + stream);
            settings.sourceRoleArn().ifPresent(r -> k.put("RoleARN", r));
            request.codec().putTimestamp(k, "DeliveryStartTimestamp", status.created());
        });
        ObjectNode destination = d.putArray("Destinations").addObject();
        destination.put("DestinationId", "destinationId-000000000001");
        ObjectNode s3 = destination.putObject("ExtendedS3DestinationDescription");
        s3.put("BucketARN", "arn:aws:s3:::" + spec.bucket());
        settings.roleArn().ifPresent(r -> s3.put("RoleARN", r));
        // As given; Firehose leaves out what was not set.
        if (!spec.prefix().isEmpty()) {
            s3.put("Prefix", spec.prefix());
        }
        if (!spec.errorOutputPrefix().isEmpty()) {
            s3.put("ErrorOutputPrefix", spec.errorOutputPrefix());
        }
        s3.putObject("BufferingHints").put("SizeInMBs", Math.max(1, spec.buffering().size().bytes() / (1024 * 1024)))
                .put("IntervalInSeconds", spec.buffering().interval().toSeconds());
        s3.put("CompressionFormat", spec.compression().firehoseName());
        s3.putObject("EncryptionConfiguration").put("NoEncryptionConfig", "NoEncryption");
        s3.put("S3BackupMode", "Disabled");
        ObjectNode processing = s3.putObject("ProcessingConfiguration");
        processing.put("Enabled", !spec.processors().isEmpty() || !spec.partitionKeys().isEmpty() || !spec.delimiter().isNone());
        ArrayNode processors = processing.putArray("Processors");
        for (ProcessorSpec p : spec.processors()) {
            ObjectNode o = processors.addObject().put("Type", "Lambda");
            o.putArray("Parameters").addObject().put("ParameterName", "LambdaArn")
                    .put("ParameterValue", "arn:aws:lambda:us-east-1:000000000000:function:" + p.type());
        }
        if (!spec.delimiter().isNone()) {
            processors.addObject().put("Type", "AppendDelimiterToRecord").putArray("Parameters").addObject()
                    .put("ParameterName", "Delimiter").put("ParameterValue", RecordDelimiter.escape(spec.delimiter().text()));
        }
        if (!spec.partitionKeys().isEmpty()) {
            StringBuilder jq = new StringBuilder("{");
            spec.partitionKeys().forEach((k, v) -> jq.append(jq.length() > 1 ? "," : "").append(k).append(":")
                    .append(v.startsWith(".") ? v : "." + v));
            ObjectNode o = processors.addObject().put("Type", "MetadataExtraction");
            ArrayNode params = o.putArray("Parameters");
            params.addObject().put("ParameterName", "MetadataExtractionQuery").put("ParameterValue", jq.append("}").toString());
            params.addObject().put("ParameterName", "JsonParsingEngine").put("ParameterValue", "JQ-1.6");
        }
        s3.putObject("DynamicPartitioningConfiguration").put("Enabled", !spec.partitionKeys().isEmpty());
        // Firehose describes an extended destination in the plain S3 form too.
        ObjectNode plain = destination.putObject("S3DestinationDescription");
        for (String member : List.of("RoleARN", "BucketARN", "Prefix", "ErrorOutputPrefix", "BufferingHints", "CompressionFormat",
                "EncryptionConfiguration")) {
            if (s3.has(member)) {
                plain.set(member, s3.get(member).deepCopy());
            }
        }
        d.put("HasMoreDestinations", false);
        return response;
    }

    private ObjectNode list(AwsRequest request) {
        int limit = request.optionalInt("Limit").orElse(10);
        if (limit < 1 || limit > 10_000) {
            throw TributaryException.invalidArgument("Limit must be between 1 and 10000, got %d", limit);
        }
        Optional<String> type = request.optionalString("DeliveryStreamType");
        Optional<String> after = request.optionalString("ExclusiveStartDeliveryStreamName");
        List<String> names = delivery.names().stream()
                .filter(n -> after.isEmpty() || n.compareTo(after.get()) > 0)
                .filter(n -> type.isEmpty() || delivery.spec(n).map(s -> (s.directPut() ? "DirectPut" : "KinesisStreamAsSource")
                        .equals(type.get())).orElse(false))
                .filter(n -> authorizer.allows(request.principal(), Permission.of(Action.READ, "delivery-stream", n)))
                .toList();
        ObjectNode response = Json.mapper().createObjectNode();
        ArrayNode array = response.putArray("DeliveryStreamNames");
        names.stream().limit(limit).forEach(array::add);
        response.put("HasMoreDeliveryStreams", names.size() > limit);
        return response;
    }

    private ObjectNode delete(AwsRequest request) {
        String name = name(request);
        check(request, Action.MANAGE, name);
        delivery.delete(name);
        return Json.mapper().createObjectNode();
    }

    private ObjectNode putRecord(AwsRequest request) {
        String name = name(request);
        check(request, Action.WRITE, name);
        JsonNode record = request.body().get("Record");
        if (record == null || record.isNull()) {
            throw AwsRequest.missing("record");
        }
        if (!record.isObject()) {
            throw AwsRequest.serialization("Record", "an object");
        }
        byte[] data = data(request, record, "record.data");
        AppendResult result = delivery.put(name, List.of(data)).get(0);
        ObjectNode response = Json.mapper().createObjectNode();
        response.put("RecordId", result.sequenceNumber()).put("Encrypted", false);
        return response;
    }

    private ObjectNode putRecordBatch(AwsRequest request) {
        String name = name(request);
        check(request, Action.WRITE, name);
        JsonNode records = request.requiredList("Records", "a list");
        if (records.isEmpty() || records.size() > MAX_BATCH_RECORDS) {
            throw TributaryException.invalidArgument("1 validation error detected: Value at 'records' failed to satisfy constraint: "
                    + "Member must have length between 1 and %d, got %d", MAX_BATCH_RECORDS, records.size());
        }
        List<byte[]> batch = new ArrayList<>(records.size());
        long bytes = 0;
        for (int i = 0; i < records.size(); i++) {
            JsonNode entry = records.get(i);
            if (!entry.isObject()) {
                throw AwsRequest.serialization("Records." + (i + 1), "an object");
            }
            byte[] data = data(request, entry, "records." + (i + 1) + ".member.data");
            bytes += data.length;
            batch.add(data);
        }
        if (bytes > MAX_BATCH_BYTES) {
            throw TributaryException.invalidArgument("PutRecordBatch carries %d bytes of data; the limit is 4 MiB (%d bytes) per call",
                    bytes, MAX_BATCH_BYTES);
        }
        ObjectNode response = Json.mapper().createObjectNode();
        ArrayNode out = response.putArray("RequestResponses");
        List<AppendResult> results;
        try {
            results = delivery.put(name, batch);
        } catch (TributaryException e) {
            if (e.code() != ErrorCode.THROTTLED && e.code() != ErrorCode.UNAVAILABLE) {
                throw e;
            }
            // Per record, as Firehose reports it, so SDKs and agents retry just those records.
            for (int i = 0; i < batch.size(); i++) {
                out.addObject().put("ErrorCode", "ServiceUnavailableException").put("ErrorMessage", e.getMessage());
            }
            response.put("FailedPutCount", batch.size()).put("Encrypted", false);
            return response;
        }
        for (AppendResult r : results) {
            out.addObject().put("RecordId", r.sequenceNumber());
        }
        response.put("FailedPutCount", 0).put("Encrypted", false);
        return response;
    }

    private static byte[] data(AwsRequest request, JsonNode record, String path) {
        byte[] data = request.requiredBlob(record, "Data", path);
        if (data.length > MAX_RECORD_BYTES) {
            throw TributaryException.invalidArgument("1 validation error detected: Value at '%s' failed to satisfy constraint: "
                    + "Member must have length less than or equal to %d (1,000 KiB), got %d bytes", path, MAX_RECORD_BYTES, data.length);
        }
        return data;
    }

    /** An integer member within AWS's range: SerializationException for another type, ValidationException out of range. */
    private static long integer(JsonNode parent, String member, String path, long min, long max, long defaultValue) {
        JsonNode node = parent.get(member);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isIntegralNumber()) {
            throw AwsRequest.serialization(path, "an integer");
        }
        if (!node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            throw TributaryException.invalidArgument("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: "
                    + "Member must have value between %d and %d", node.asText(), path, min, max);
        }
        return node.longValue();
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }
}
