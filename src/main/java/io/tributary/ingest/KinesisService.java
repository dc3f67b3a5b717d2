package io.tributary.ingest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.auth.Authorizer;
import io.tributary.auth.Permission;
import io.tributary.auth.Permission.Action;
import io.tributary.aws.AwsCodec;
import io.tributary.aws.AwsErrors;
import io.tributary.aws.AwsJsonService;
import io.tributary.aws.AwsRequest;
import io.tributary.aws.TagPage;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.stream.AppendRecord;
import io.tributary.stream.AppendResult;
import io.tributary.stream.ReadResult;
import io.tributary.stream.SequenceNumbers;
import io.tributary.stream.ShardDescription;
import io.tributary.stream.ShardIds;
import io.tributary.stream.StartPosition;
import io.tributary.stream.StoredRecord;
import io.tributary.stream.StreamDescription;
import io.tributary.stream.StreamLimits;
import io.tributary.stream.StreamLog;
import io.tributary.stream.StreamReaders;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The Kinesis Data Streams API ({@code Kinesis_20131202}) over the stream log: the operations
 * producers and consumers use, with Kinesis's limits, error names and response shapes.
 *
 * <p>Thread-safe.
 */
public final class KinesisService implements AwsJsonService {
    static final int MAX_PUT_RECORDS = 500;
    static final long MAX_PUT_RECORDS_BYTES = 5L * 1024 * 1024;
    static final int MAX_GET_RECORDS = 10_000;
    /** GetRecords returns at most 10 MiB, as Kinesis. */
    static final int MAX_GET_BYTES = 10 * 1024 * 1024;
    private static final int DEFAULT_SHARD_COUNT = 4;
    private static final String API = "kinesis";

    private final StreamLog log;
    private final StreamReaders readers;
    private final Authorizer authorizer;
    private final ShardIterators iterators;
    private final Clock clock;
    private final IngestMetrics metrics;
    private final String arnPrefix;

    /** @param readers the server's own readers of streams, which make DeleteStream refuse a stream they read */
    public KinesisService(StreamLog log, StreamReaders readers, Authorizer authorizer, IngestMetrics metrics, Clock clock,
            Duration iteratorTtl, String region) {
        this.log = requireNonNull(log, "log is null");
        this.readers = requireNonNull(readers, "readers is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.iterators = new ShardIterators(clock, iteratorTtl);
        this.arnPrefix = "arn:aws:kinesis:" + requireNonNull(region, "region is null") + ":000000000000:stream/";
    }

    @Override
    public String targetPrefix() {
        return "Kinesis_20131202";
    }

    @Override
    public ObjectNode handle(AwsRequest request) {
        return switch (request.operation()) {
            case "CreateStream" -> createStream(request);
            case "DeleteStream" -> deleteStream(request);
            case "ListStreams" -> listStreams(request);
            case "DescribeStream" -> describeStream(request);
            case "DescribeStreamSummary" -> describeStreamSummary(request);
            case "ListShards" -> listShards(request);
            case "UpdateShardCount" -> updateShardCount(request);
            case "PutRecord" -> putRecord(request);
            case "PutRecords" -> putRecords(request);
            case "GetShardIterator" -> getShardIterator(request);
            case "GetRecords" -> getRecords(request);
            case "AddTagsToStream" -> addTags(request, streamName(request));
            case "RemoveTagsFromStream" -> removeTags(request, streamName(request));
            case "ListTagsForStream" -> listTags(request);
            case "TagResource" -> addTags(request, resourceStream(request));
            case "UntagResource" -> removeTags(request, resourceStream(request));
            case "ListTagsForResource" -> listTagsForResource(request);
            case "IncreaseStreamRetentionPeriod" -> retention(request, true);
            case "DecreaseStreamRetentionPeriod" -> retention(request, false);
            case "DescribeLimits" -> describeLimits(request);
            case "ListStreamConsumers" -> listConsumers(request);
            case "DescribeStreamConsumer", "DeregisterStreamConsumer" -> noSuchConsumer(request);
            case "RegisterStreamConsumer", "SubscribeToShard" -> throw new TributaryException(ErrorCode.UNSUPPORTED, "Kinesis operation '"
                    + request.operation() + "' is not supported by Tributary: there is no enhanced fan-out; consumers read with "
                    + "GetShardIterator and GetRecords (for the KCL 2.x, configure polling: RetrievalConfig with PollingConfig)");
            case "SplitShard", "MergeShards" -> throw new TributaryException(ErrorCode.UNSUPPORTED, "Kinesis operation '"
                    + request.operation() + "' is not supported by Tributary; reshard with UpdateShardCount (uniform scaling), which "
                    + "splits and merges shards as needed");
            default -> throw new TributaryException(ErrorCode.UNSUPPORTED, "Kinesis operation '" + request.operation()
                    + "' is not supported by Tributary; docs/api.md lists the operations it has");
        };
    }

    @Override
    public String errorType(TributaryException e) {
        return switch (e.code()) {
            case INVALID_ARGUMENT -> e.getMessage().startsWith("1 validation error") ? "ValidationException" : "InvalidArgumentException";
            case THROTTLED -> "ProvisionedThroughputExceededException";
            case ALREADY_EXISTS -> "ResourceInUseException";
            default -> AwsErrors.defaultType(e);
        };
    }

    /** The stream a call names; the server's internal buffers do not exist for Kinesis clients. */
    private String streamName(AwsRequest request) {
        return StreamLimits.validateUserStreamName(validName(requestedName(request)));
    }

    /** Kinesis's constraints on a stream name, reported as its ValidationException does. */
    private static String validName(String name) {
        if (name.isEmpty()) {
            throw validation(name, "streamName", "have length greater than or equal to 1");
        }
        if (name.length() > StreamLimits.MAX_STREAM_NAME_LENGTH) {
            throw validation(name, "streamName", "have length less than or equal to " + StreamLimits.MAX_STREAM_NAME_LENGTH);
        }
        if (!name.matches(StreamLimits.STREAM_NAME_PATTERN)) {
            throw validation(name, "streamName", "satisfy regular expression pattern: " + StreamLimits.STREAM_NAME_PATTERN);
        }
        return name;
    }

    /** AWS's form for a member that breaks a constraint; Kinesis answers it as a ValidationException. */
    static TributaryException validation(String value, String member, String constraint) {
        return TributaryException.invalidArgument("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must %s",
                ShardIds.truncate(value), member, constraint);
    }

    private static String requestedName(AwsRequest request) {
        Optional<String> name = request.optionalString("StreamName");
        if (name.isEmpty()) {
            Optional<String> arn = request.optionalString("StreamARN");
            if (arn.isEmpty()) {
                throw AwsRequest.missing("streamName");
            }
            int slash = arn.get().lastIndexOf(":stream/");
            if (!arn.get().startsWith("arn:") || slash < 0) {
                throw TributaryException.invalidArgument("StreamARN '%s' is not a Kinesis stream ARN", arn.get());
            }
            name = Optional.of(arn.get().substring(slash + ":stream/".length()));
        }
        return name.get();
    }

    private void check(AwsRequest request, Action action, String stream) {
        authorizer.check(request.principal(), Permission.of(action, "stream", stream));
    }

    private ObjectNode createStream(AwsRequest request) {
        String name = StreamLimits.validateNewStreamName(validName(requestedName(request)));
        check(request, Action.MANAGE, name);
        int shards = request.optionalInt("ShardCount").orElse(DEFAULT_SHARD_COUNT);
        shardCount(shards, "shardCount");
        if (log.findStream(name).isPresent()) {
            throw new TributaryException(ErrorCode.ALREADY_EXISTS, "Stream " + name + " under account 000000000000 already exists.");
        }
        log.createStream(name, shards, tagMap(request.body().get("Tags"), "Tags"));
        return Json.mapper().createObjectNode();
    }

    /** A shard count below 1 breaks the member's constraint; above Tributary's per-stream limit it is a limit, as Kinesis's shard quota. */
    private static void shardCount(int count, String member) {
        if (count < 1) {
            throw validation(Integer.toString(count), member, "have value greater than or equal to 1");
        }
        if (count > StreamLimits.MAX_SHARDS_PER_STREAM) {
            throw new TributaryException(ErrorCode.LIMIT_EXCEEDED, String.format("%s %d exceeds the limit of %d shards per stream",
                    member, count, StreamLimits.MAX_SHARDS_PER_STREAM));
        }
    }

    private ObjectNode deleteStream(AwsRequest request) {
        String name = streamName(request);
        check(request, Action.MANAGE, name);
        log.describeStream(name);
        // As Kinesis refuses a stream with registered consumers unless EnforceConsumerDeletion is set.
        readers.checkDeletable(name, request.optionalBoolean("EnforceConsumerDeletion").orElse(false),
                Optional.of("EnforceConsumerDeletion=true"));
        log.deleteStream(name);
        return Json.mapper().createObjectNode();
    }

    // ---- tags ----

    private static final int MAX_TAGS = 50;
    private static final java.util.regex.Pattern TAG_KEY = java.util.regex.Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");
    private static final java.util.regex.Pattern TAG_VALUE = java.util.regex.Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}");

    /** A Tags member in Kinesis's map form, {@code {"team": "data"}}, checked against Kinesis's rules. */
    private static Map<String, String> tagMap(JsonNode node, String member) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw AwsRequest.serialization(member, "a map of tag keys to values");
        }
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isTextual() && !field.getValue().isNull()) {
                throw AwsRequest.serialization(member + "." + field.getKey(), "a string");
            }
            String value = field.getValue().isNull() ? "" : field.getValue().textValue();
            if (!TAG_KEY.matcher(field.getKey()).matches() || field.getKey().startsWith("aws:")) {
                throw TributaryException.invalidArgument("tag key '%s' is invalid: use 1 to 128 letters, digits, spaces and _ . : / = + - @, "
                        + "not starting with aws:", ShardIds.truncate(field.getKey()));
            }
            if (!TAG_VALUE.matcher(value).matches()) {
                throw TributaryException.invalidArgument("the value of tag '%s' is invalid: use up to 256 letters, digits, spaces and "
                        + "_ . : / = + - @", ShardIds.truncate(field.getKey()));
            }
            tags.put(field.getKey(), value);
        }
        if (tags.size() > MAX_TAGS) {
            throw TributaryException.invalidArgument("%d tags given; at most %d can be added in one call", tags.size(), MAX_TAGS);
        }
        return tags;
    }

    private static java.util.Set<String> tagKeys(AwsRequest request) {
        JsonNode keys = request.requiredList("TagKeys", "a list of strings");
        if (keys.isEmpty() || keys.size() > MAX_TAGS) {
            throw validation(Integer.toString(keys.size()), "tagKeys", "have length between 1 and " + MAX_TAGS);
        }
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        keys.forEach(k -> out.add(k.asText()));
        return out;
    }

    private void updateTags(String name, Map<String, String> added, java.util.Set<String> removed) {
        Map<String, String> current = log.describeStream(name).tags();
        long total = java.util.stream.Stream.concat(current.keySet().stream().filter(k -> !removed.contains(k)), added.keySet().stream())
                .distinct().count();
        if (total > MAX_TAGS) {
            throw TributaryException.invalidArgument("Failed to add tags to stream %s because a given stream may have at most %d tags; "
                    + "it would have %d", name, MAX_TAGS, total);
        }
        log.updateTags(name, added, removed);
    }

    /** AddTagsToStream (the stream by StreamName or StreamARN) and TagResource (by ResourceARN). */
    private ObjectNode addTags(AwsRequest request, String name) {
        check(request, Action.MANAGE, name);
        JsonNode tags = request.body().get("Tags");
        if (tags == null || tags.isNull()) {
            throw AwsRequest.missing("tags");
        }
        updateTags(name, tagMap(tags, "Tags"), java.util.Set.of());
        return Json.mapper().createObjectNode();
    }

    /** RemoveTagsFromStream and UntagResource. */
    private ObjectNode removeTags(AwsRequest request, String name) {
        check(request, Action.MANAGE, name);
        log.updateTags(name, Map.of(), tagKeys(request));
        return Json.mapper().createObjectNode();
    }

    private ObjectNode listTags(AwsRequest request) {
        String name = streamName(request);
        check(request, Action.READ, name);
        int limit = request.optionalInt("Limit").orElse(MAX_TAGS);
        if (limit < 1 || limit > MAX_TAGS) {
            throw validation(Integer.toString(limit), "limit", "have value between 1 and " + MAX_TAGS);
        }
        return TagPage.of(log.describeStream(name).tags(), request.optionalString("ExclusiveStartTagKey"), limit);
    }

    /** The stream a ResourceARN names (TagResource and friends); consumers have none here. */
    private String resourceStream(AwsRequest request) {
        String arn = request.requiredString("ResourceARN");
        int slash = arn.lastIndexOf(":stream/");
        if (!arn.startsWith("arn:") || slash < 0 || arn.contains("/consumer/")) {
            throw TributaryException.invalidArgument("ResourceARN '%s' is not a Kinesis stream ARN such as %sorders",
                    ShardIds.truncate(arn), arnPrefix);
        }
        return StreamLimits.validateUserStreamName(validName(arn.substring(slash + ":stream/".length())));
    }

    private ObjectNode listTagsForResource(AwsRequest request) {
        String name = resourceStream(request);
        check(request, Action.READ, name);
        ObjectNode response = Json.mapper().createObjectNode();
        ArrayNode out = response.putArray("Tags");
        log.describeStream(name).tags().forEach((k, v) -> out.addObject().put("Key", k).put("Value", v));
        return response;
    }

    // ---- retention, limits, consumers ----

    private static final int MIN_RETENTION_HOURS = 24;
    private static final int MAX_RETENTION_HOURS = 8760;

    /** Kinesis's IncreaseStreamRetentionPeriod and DecreaseStreamRetentionPeriod, on the log's retention of the stream. */
    private ObjectNode retention(AwsRequest request, boolean increase) {
        String name = streamName(request);
        check(request, Action.MANAGE, name);
        int hours = request.optionalInt("RetentionPeriodHours").orElseThrow(() -> AwsRequest.missing("retentionPeriodHours"));
        if (hours < MIN_RETENTION_HOURS) {
            throw TributaryException.invalidArgument("Minimum allowed retention period is %d hours. Requested retention period (%d hours) "
                    + "is too short.", MIN_RETENTION_HOURS, hours);
        }
        if (hours > MAX_RETENTION_HOURS) {
            throw TributaryException.invalidArgument("Maximum allowed retention period is %d hours. Requested retention period (%d hours) "
                    + "is too long.", MAX_RETENTION_HOURS, hours);
        }
        long current = log.describeStream(name).retention().toHours();
        if (increase && hours < current) {
            throw TributaryException.invalidArgument("Requested retention period (%d hours) for stream %s can not be shorter than "
                    + "existing retention period (%d hours). Use DecreaseStreamRetentionPeriod API.", hours, name, current);
        }
        if (!increase && hours > current) {
            throw TributaryException.invalidArgument("Requested retention period (%d hours) for stream %s can not be longer than "
                    + "existing retention period (%d hours). Use IncreaseStreamRetentionPeriod API.", hours, name, current);
        }
        log.updateRetention(name, Duration.ofHours(hours));
        return Json.mapper().createObjectNode();
    }

    /** Tributary's limit is per stream (Kinesis's is per account); the open shards are those of the streams the caller may read. */
    private ObjectNode describeLimits(AwsRequest request) {
        int open = 0;
        for (String name : log.listStreams()) {
            if (!StreamLimits.isInternal(name) && authorizer.allows(request.principal(), Permission.of(Action.READ, "stream", name))) {
                open += log.findStream(name).map(d -> d.openShards().size()).orElse(0);
            }
        }
        ObjectNode response = Json.mapper().createObjectNode();
        response.put("ShardLimit", StreamLimits.MAX_SHARDS_PER_STREAM).put("OpenShardCount", open)
                .put("OnDemandStreamCount", 0).put("OnDemandStreamCountLimit", 0);
        return response;
    }

    /** The stream of a consumer call, which names it by StreamARN (or inside a ConsumerARN). */
    private String consumerStream(AwsRequest request) {
        Optional<String> arn = request.optionalString("StreamARN");
        if (arn.isEmpty()) {
            arn = request.optionalString("ConsumerARN").map(c -> c.contains("/consumer/") ? c.substring(0, c.indexOf("/consumer/")) : c);
        }
        String streamArn = arn.orElseThrow(() -> AwsRequest.missing("streamARN"));
        int slash = streamArn.lastIndexOf(":stream/");
        if (!streamArn.startsWith("arn:") || slash < 0) {
            throw TributaryException.invalidArgument("StreamARN '%s' is not a Kinesis stream ARN", ShardIds.truncate(streamArn));
        }
        String name = StreamLimits.validateUserStreamName(validName(streamArn.substring(slash + ":stream/".length())));
        check(request, Action.READ, name);
        log.describeStream(name);
        return name;
    }

    /** Enhanced fan-out does not exist here, so a stream never has registered consumers. */
    private ObjectNode listConsumers(AwsRequest request) {
        consumerStream(request);
        ObjectNode response = Json.mapper().createObjectNode();
        response.putArray("Consumers");
        return response;
    }

    private ObjectNode noSuchConsumer(AwsRequest request) {
        String stream = consumerStream(request);
        String consumer = request.optionalString("ConsumerName").or(() -> request.optionalString("ConsumerARN")).orElse("");
        throw TributaryException.notFound("Consumer %s under stream %s not found: Tributary has no enhanced fan-out consumers; read with "
                + "GetShardIterator and GetRecords", ShardIds.truncate(consumer), stream);
    }

    /** The page size of ListStreams and DescribeStream: 100 unless Limit says otherwise, from 1 to 10,000. */
    private static int pageLimit(AwsRequest request) {
        int limit = request.optionalInt("Limit").orElse(100);
        if (limit < 1 || limit > 10_000) {
            throw TributaryException.invalidArgument("Limit must be between 1 and 10000, got %d", limit);
        }
        return limit;
    }

    private ObjectNode listStreams(AwsRequest request) {
        int limit = pageLimit(request);
        Optional<String> start = request.optionalString("ExclusiveStartStreamName");
        Optional<String> token = request.optionalString("NextToken").map(KinesisService::decodeToken);
        Optional<String> after = token.isPresent() ? token : start;
        List<String> names = log.listStreams().stream()
                .filter(n -> after.isEmpty() || n.compareTo(after.get()) > 0)
                .filter(n -> !StreamLimits.isInternal(n))
                .filter(n -> authorizer.allows(request.principal(), Permission.of(Action.READ, "stream", n)))
                .toList();
        List<String> page = names.subList(0, Math.min(limit, names.size()));
        ObjectNode response = Json.mapper().createObjectNode();
        ArrayNode streamNames = response.putArray("StreamNames");
        ArrayNode summaries = response.putArray("StreamSummaries");
        for (String name : page) {
            streamNames.add(name);
            log.findStream(name).ifPresent(d -> {
                ObjectNode s = summaries.addObject();
                s.put("StreamName", name).put("StreamARN", arnPrefix + name).put("StreamStatus", d.status().name());
                s.putObject("StreamModeDetails").put("StreamMode", "PROVISIONED");
                request.codec().putTimestamp(s, "StreamCreationTimestamp", d.created());
            });
        }
        boolean more = names.size() > page.size();
        response.put("HasMoreStreams", more);
        if (more) {
            response.put("NextToken", encodeToken(page.get(page.size() - 1)));
        }
        return response;
    }

    private ObjectNode describeStream(AwsRequest request) {
        String name = streamName(request);
        check(request, Action.READ, name);
        StreamDescription d = log.describeStream(name);
        int limit = pageLimit(request);
        Optional<Integer> after = request.optionalString("ExclusiveStartShardId").map(ShardIds::parse);
        List<ShardDescription> shards = d.shards().stream()
                .filter(s -> after.isEmpty() || s.shard() > after.get()).toList();
        ObjectNode response = Json.mapper().createObjectNode();
        ObjectNode desc = response.putObject("StreamDescription");
        summary(desc, d, request.codec());
        ArrayNode array = desc.putArray("Shards");
        shards.stream().limit(limit).forEach(s -> shard(array.addObject(), s));
        desc.put("HasMoreShards", shards.size() > limit);
        return response;
    }

    private ObjectNode describeStreamSummary(AwsRequest request) {
        String name = streamName(request);
        check(request, Action.READ, name);
        StreamDescription d = log.describeStream(name);
        ObjectNode response = Json.mapper().createObjectNode();
        ObjectNode desc = response.putObject("StreamDescriptionSummary");
        summary(desc, d, request.codec());
        desc.put("OpenShardCount", d.openShards().size());
        desc.put("ConsumerCount", 0);
        return response;
    }

    private void summary(ObjectNode desc, StreamDescription d, AwsCodec codec) {
        desc.put("StreamName", d.name()).put("StreamARN", arnPrefix + d.name()).put("StreamStatus", d.status().name());
        desc.putObject("StreamModeDetails").put("StreamMode", "PROVISIONED");
        desc.put("RetentionPeriodHours", Math.max(1, d.retention().toHours()));
        codec.putTimestamp(desc, "StreamCreationTimestamp", d.created());
        desc.putArray("EnhancedMonitoring").addObject().putArray("ShardLevelMetrics");
        desc.put("EncryptionType", "NONE");
    }

    private static void shard(ObjectNode node, ShardDescription s) {
        node.put("ShardId", s.shardId());
        s.parentShardId().ifPresent(p -> node.put("ParentShardId", p));
        s.adjacentParentShardId().ifPresent(p -> node.put("AdjacentParentShardId", p));
        node.putObject("HashKeyRange")
                .put("StartingHashKey", s.hashKeyRange().startingHashKey().toString())
                .put("EndingHashKey", s.hashKeyRange().endingHashKey().toString());
        ObjectNode range = node.putObject("SequenceNumberRange")
                .put("StartingSequenceNumber", SequenceNumbers.format(s.shard(), s.startingOffset()));
        s.endingOffset().ifPresent(end -> range.put("EndingSequenceNumber",
                SequenceNumbers.format(s.shard(), Math.max(s.startingOffset(), end - 1))));
    }

    private ObjectNode listShards(AwsRequest request) {
        Optional<String> token = request.optionalString("NextToken");
        String name;
        Optional<Integer> after;
        Optional<JsonNode> filterNode;
        if (token.isPresent()) {
            if (request.optionalString("StreamName").isPresent() || request.optionalString("StreamARN").isPresent()) {
                throw TributaryException.invalidArgument("NextToken and StreamName cannot be provided together.");
            }
            // The token carries the stream, the last shard listed and the filter, so every page filters alike.
            JsonNode decoded = decodeListToken(token.get());
            name = StreamLimits.validateUserStreamName(decoded.path("stream").asText());
            after = Optional.of(ShardIds.parse(decoded.path("after").asText()));
            filterNode = Optional.ofNullable(decoded.get("filter"));
        } else {
            name = streamName(request);
            after = request.optionalString("ExclusiveStartShardId").map(ShardIds::parse);
            filterNode = Optional.ofNullable(request.body().get("ShardFilter")).filter(f -> !f.isNull());
        }
        check(request, Action.READ, name);
        int max = request.optionalInt("MaxResults").orElse(1000);
        if (max < 1 || max > 10_000) {
            throw TributaryException.invalidArgument(
                    "1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: "
                            + "Member must have value between 1 and 10000", max);
        }
        StreamDescription d = log.describeStream(name);
        java.util.function.Predicate<ShardDescription> filter = filterNode.isPresent()
                ? shardFilter(filterNode.get(), d, request.codec()) : s -> true;
        List<ShardDescription> shards = d.shards().stream()
                .filter(s -> after.isEmpty() || s.shard() > after.get())
                .filter(filter)
                .toList();
        ObjectNode response = Json.mapper().createObjectNode();
        ArrayNode array = response.putArray("Shards");
        shards.stream().limit(max).forEach(s -> shard(array.addObject(), s));
        if (shards.size() > max) {
            ObjectNode next = Json.mapper().createObjectNode().put("stream", name).put("after", shards.get(max - 1).shardId());
            filterNode.ifPresent(f -> next.set("filter", f));
            response.put("NextToken", encodeToken(next.toString()));
        }
        return response;
    }

    /** Kinesis's ShardFilter types: which shards a consumer starting at a position needs. */
    private java.util.function.Predicate<ShardDescription> shardFilter(JsonNode filter, StreamDescription d, AwsCodec codec) {
        if (!filter.isObject()) {
            throw AwsRequest.serialization("ShardFilter", "an object");
        }
        JsonNode typeNode = filter.get("Type");
        if (typeNode == null || typeNode.isNull()) {
            throw AwsRequest.missing("shardFilter.type");
        }
        String type = typeNode.asText();
        return switch (type) {
            case "AFTER_SHARD_ID" -> {
                JsonNode id = filter.get("ShardId");
                if (id == null || id.isNull()) {
                    throw TributaryException.invalidArgument("ShardId must be given with a ShardFilter of type AFTER_SHARD_ID");
                }
                int shard = ShardIds.parse(id.asText());
                yield s -> s.shard() > shard;
            }
            case "AT_LATEST" -> ShardDescription::isOpen;
            case "AT_TIMESTAMP" -> {
                Instant at = filterTimestamp(filter, type, codec);
                yield s -> s.wasOpenAt(at);
            }
            case "FROM_TIMESTAMP" -> {
                Instant from = filterTimestamp(filter, type, codec);
                yield s -> s.isOpen() || s.closed().map(c -> !c.isBefore(from)).orElse(true);
            }
            case "AT_TRIM_HORIZON" -> {
                // The shards open when the oldest data the stream may still retain arrived (its creation, if younger).
                Instant horizon = clock.instant().minus(d.retention());
                Instant at = horizon.isBefore(d.created()) ? d.created() : horizon;
                yield s -> s.wasOpenAt(at);
            }
            case "FROM_TRIM_HORIZON" -> {
                Instant horizon = clock.instant().minus(d.retention());
                yield s -> s.isOpen() || s.closed().map(c -> !c.isBefore(horizon)).orElse(true);
            }
            default -> throw TributaryException.invalidArgument("1 validation error detected: Value '%s' at 'shardFilter.type' failed to "
                    + "satisfy constraint: Member must satisfy enum value set: [AFTER_SHARD_ID, AT_TRIM_HORIZON, FROM_TRIM_HORIZON, "
                    + "AT_LATEST, AT_TIMESTAMP, FROM_TIMESTAMP]", ShardIds.truncate(type));
        };
    }

    private static Instant filterTimestamp(JsonNode filter, String type, AwsCodec codec) {
        JsonNode timestamp = filter.get("Timestamp");
        if (timestamp == null || timestamp.isNull()) {
            throw TributaryException.invalidArgument("Timestamp must be given with a ShardFilter of type %s", type);
        }
        return codec.timestamp(timestamp, "ShardFilter.Timestamp");
    }

    private static JsonNode decodeListToken(String token) {
        String decoded = decodeToken(token);
        try {
            JsonNode node = Json.mapper().readTree(decoded);
            if (node != null && node.isObject() && node.path("stream").isTextual() && node.path("after").isTextual()) {
                return node;
            }
        } catch (java.io.IOException e) {
            // fall through: not a token of ours
        }
        throw TributaryException.invalidArgument("NextToken is not valid; repeat the call without it");
    }

    private ObjectNode updateShardCount(AwsRequest request) {
        String name = streamName(request);
        check(request, Action.MANAGE, name);
        int target = request.optionalInt("TargetShardCount").orElseThrow(() -> AwsRequest.missing("targetShardCount"));
        String scaling = request.optionalString("ScalingType").orElse("UNIFORM_SCALING");
        if (!scaling.equals("UNIFORM_SCALING")) {
            throw TributaryException.invalidArgument("ScalingType must be UNIFORM_SCALING");
        }
        shardCount(target, "targetShardCount");
        int current = log.describeStream(name).openShards().size();
        // Kinesis's limits per call; larger changes take several calls (the REST API and the CLI reshard in one).
        if (target > 2 * current) {
            throw new TributaryException(ErrorCode.LIMIT_EXCEEDED, String.format("UpdateShardCount cannot scale up over double your "
                    + "current open shard count. Current open shard count: %d, Target shard count: %d", current, target));
        }
        if (2 * target < current) {
            throw new TributaryException(ErrorCode.LIMIT_EXCEEDED, String.format("UpdateShardCount cannot scale down below half your "
                    + "current open shard count. Current open shard count: %d, Target shard count: %d", current, target));
        }
        log.updateShardCount(name, target);
        ObjectNode response = Json.mapper().createObjectNode();
        response.put("StreamName", name).put("StreamARN", arnPrefix + name)
                .put("CurrentShardCount", current).put("TargetShardCount", target);
        return response;
    }

    private ObjectNode putRecord(AwsRequest request) {
        String name = streamName(request);
        check(request, Action.WRITE, name);
        AppendRecord record = record(request, request.body(), "");
        List<AppendResult> results = await(name, List.of(record));
        metrics.accepted(name, API, 1, record.data().length);
        ObjectNode response = Json.mapper().createObjectNode();
        response.put("ShardId", results.get(0).shardId()).put("SequenceNumber", results.get(0).sequenceNumber())
                .put("EncryptionType", "NONE");
        return response;
    }

    private ObjectNode putRecords(AwsRequest request) {
        String name = streamName(request);
        check(request, Action.WRITE, name);
        JsonNode records = request.requiredList("Records", "a list");
        if (records.isEmpty() || records.size() > MAX_PUT_RECORDS) {
            throw TributaryException.invalidArgument(
                    "1 validation error detected: Value at 'records' failed to satisfy constraint: "
                            + "Member must have length between 1 and %d, got %d", MAX_PUT_RECORDS, records.size());
        }
        List<AppendRecord> batch = new ArrayList<>(records.size());
        long bytes = 0;
        for (int i = 0; i < records.size(); i++) {
            JsonNode entry = records.get(i);
            if (!entry.isObject()) {
                throw AwsRequest.serialization("Records." + (i + 1), "an object");
            }
            AppendRecord record = record(request, entry, "records." + (i + 1) + ".member.");
            bytes += record.data().length + StreamLimits.utf8Length(record.partitionKey());
            batch.add(record);
        }
        if (bytes > MAX_PUT_RECORDS_BYTES) {
            throw new TributaryException(ErrorCode.INVALID_ARGUMENT, String.format(
                    "Records size exceeds 5 MB limit: the request carries %d bytes of data and partition keys", bytes));
        }
        ObjectNode response = Json.mapper().createObjectNode();
        ArrayNode out = response.putArray("Records");
        List<AppendResult> results;
        try {
            results = await(name, batch);
        } catch (TributaryException e) {
            if (e.code() != ErrorCode.THROTTLED) {
                throw e;
            }
            // Kinesis reports throttling per record so the SDKs retry just those records.
            metrics.refused(name, API, "throttled", batch.size());
            for (int i = 0; i < batch.size(); i++) {
                out.addObject().put("ErrorCode", "ProvisionedThroughputExceededException").put("ErrorMessage", e.getMessage());
            }
            response.put("FailedRecordCount", batch.size());
            response.put("EncryptionType", "NONE");
            return response;
        }
        metrics.accepted(name, API, batch.size(), bytes);
        for (AppendResult r : results) {
            out.addObject().put("SequenceNumber", r.sequenceNumber()).put("ShardId", r.shardId());
        }
        response.put("FailedRecordCount", 0);
        response.put("EncryptionType", "NONE");
        return response;
    }

    private AppendRecord record(AwsRequest request, JsonNode node, String path) {
        JsonNode key = node.get("PartitionKey");
        if (key == null || key.isNull()) {
            throw AwsRequest.missing(path + "partitionKey");
        }
        if (!key.isTextual()) {
            throw AwsRequest.serialization(path + "PartitionKey", "a string");
        }
        String partitionKey = key.textValue();
        int keyLength = partitionKey.codePointCount(0, partitionKey.length());
        if (keyLength < 1) {
            throw validation(partitionKey, path + "partitionKey", "have length greater than or equal to 1");
        }
        if (keyLength > StreamLimits.MAX_PARTITION_KEY_LENGTH) {
            throw validation(partitionKey, path + "partitionKey", "have length less than or equal to " + StreamLimits.MAX_PARTITION_KEY_LENGTH);
        }
        byte[] data = request.requiredBlob(node, "Data", path + "data");
        long size = (long) data.length + StreamLimits.utf8Length(partitionKey);
        if (size > StreamLimits.MAX_RECORD_BYTES) {
            throw TributaryException.invalidArgument("1 validation error detected: Value at '%sdata' failed to satisfy constraint: Member "
                    + "must have length less than or equal to %d, counting the data and the partition key's UTF-8 bytes together; "
                    + "this record has %d", path, StreamLimits.MAX_RECORD_BYTES, size);
        }
        JsonNode hash = node.get("ExplicitHashKey");
        Optional<BigInteger> explicit = Optional.empty();
        if (hash != null && !hash.isNull()) {
            if (!hash.isTextual()) {
                throw AwsRequest.serialization(path + "ExplicitHashKey", "a string");
            }
            explicit = Optional.of(StreamLimits.parseExplicitHashKey(hash.textValue()));
        }
        AppendRecord record = new AppendRecord(partitionKey, explicit, data);
        StreamLimits.validate(record);
        return record;
    }

    private List<AppendResult> await(String stream, List<AppendRecord> batch) {
        try {
            return log.append(stream, batch).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TributaryException(ErrorCode.INTERNAL, "interrupted while waiting for the write to become durable");
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof TributaryException t) {
                throw t;
            }
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "the write failed: " + e.getCause(), e.getCause());
        }
    }

    private ObjectNode getShardIterator(AwsRequest request) {
        String name = streamName(request);
        check(request, Action.READ, name);
        int shard = ShardIds.parse(request.requiredString("ShardId"));
        String type = request.requiredString("ShardIteratorType");
        StreamDescription d = log.describeStream(name);
        d.shard(shard);
        StartPosition position = switch (type) {
            case "TRIM_HORIZON" -> StartPosition.trimHorizon();
            case "LATEST" -> StartPosition.latest();
            case "AT_SEQUENCE_NUMBER" -> new StartPosition.AtOffset(
                    SequenceNumbers.parseOffset(request.requiredString("StartingSequenceNumber"), shard));
            case "AFTER_SEQUENCE_NUMBER" -> new StartPosition.AfterOffset(
                    SequenceNumbers.parseOffset(request.requiredString("StartingSequenceNumber"), shard));
            case "AT_TIMESTAMP" -> new StartPosition.AtTimestamp(request.optionalTimestamp("Timestamp")
                    .orElseThrow(() -> TributaryException.invalidArgument("Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.")));
            default -> throw validation(type, "shardIteratorType",
                    "satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP]");
        };
        long offset = log.resolve(name, shard, position);
        ObjectNode response = Json.mapper().createObjectNode();
        response.put("ShardIterator", iterators.encode(
                new ShardIterators.Position(name, d.created().toEpochMilli(), shard, offset)));
        return response;
    }

    private ObjectNode getRecords(AwsRequest request) {
        ShardIterators.Position position = iterators.decode(request.requiredString("ShardIterator"));
        StreamLimits.validateUserStreamName(position.stream());
        check(request, Action.READ, position.stream());
        int limit = request.optionalInt("Limit").orElse(MAX_GET_RECORDS);
        if (limit < 1 || limit > MAX_GET_RECORDS) {
            throw TributaryException.invalidArgument(
                    "1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and %d",
                    limit, MAX_GET_RECORDS);
        }
        StreamDescription d = log.findStream(position.stream())
                .filter(s -> s.created().toEpochMilli() == position.streamCreatedMillis())
                .orElseThrow(() -> TributaryException.notFound(
                        "Stream %s under account 000000000000 not found (it was deleted since the iterator was issued).",
                        position.stream()));
        ReadResult result = log.read(position.stream(), position.shard(), position.offset(), limit, MAX_GET_BYTES);
        ObjectNode response = Json.mapper().createObjectNode();
        ArrayNode records = response.putArray("Records");
        for (StoredRecord r : result.records()) {
            ObjectNode node = records.addObject();
            node.put("SequenceNumber", r.sequenceNumber());
            request.codec().putTimestamp(node, "ApproximateArrivalTimestamp", Instant.ofEpochMilli(r.arrivalTimeMillis()));
            node.put("Data", r.data());
            node.put("PartitionKey", r.partitionKey());
        }
        response.put("MillisBehindLatest", result.millisBehindLatest());
        if (result.shardEnded()) {
            ArrayNode children = response.putArray("ChildShards");
            for (ShardDescription child : d.shards()) {
                boolean isChild = child.parent().orElse(-1) == position.shard() || child.adjacentParent().orElse(-1) == position.shard();
                if (isChild) {
                    ObjectNode c = children.addObject();
                    c.put("ShardId", child.shardId());
                    ArrayNode parents = c.putArray("ParentShards");
                    child.parentShardId().ifPresent(parents::add);
                    child.adjacentParentShardId().ifPresent(parents::add);
                    c.putObject("HashKeyRange")
                            .put("StartingHashKey", child.hashKeyRange().startingHashKey().toString())
                            .put("EndingHashKey", child.hashKeyRange().endingHashKey().toString());
                }
            }
        } else {
            response.put("NextShardIterator", iterators.encode(new ShardIterators.Position(
                    position.stream(), position.streamCreatedMillis(), position.shard(), result.nextOffset())));
        }
        return response;
    }

    private static String encodeToken(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw TributaryException.invalidArgument("NextToken is not valid; repeat the call without it");
        }
    }
}
