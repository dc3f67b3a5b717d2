package io.tributary.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tributary.auth.Authorizer;
import io.tributary.auth.Permission;
import io.tributary.auth.Permission.Action;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.ingest.NdjsonIngest;
import io.tributary.stream.ReadResult;
import io.tributary.stream.SequenceNumbers;
import io.tributary.stream.ShardDescription;
import io.tributary.stream.ShardIds;
import io.tributary.stream.ShardStats;
import io.tributary.stream.StartPosition;
import io.tributary.stream.StoredRecord;
import io.tributary.stream.StreamDescription;
import io.tributary.stream.StreamLimits;
import io.tributary.stream.StreamLog;
import io.tributary.stream.StreamReaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The REST API for streams under {@code /api/streams} (used by the CLI and the UI) and the plain
 * NDJSON ingest endpoint {@code POST /streams/{name}/records}.
 */
public final class StreamRoutes implements Routes {
    private final StreamLog log;
    private final StreamReaders readers;
    private final NdjsonIngest ndjson;
    private final Authorizer authorizer;

    public StreamRoutes(StreamLog log, StreamReaders readers, NdjsonIngest ndjson, Authorizer authorizer) {
        this.log = requireNonNull(log, "log is null");
        this.readers = requireNonNull(readers, "readers is null");
        this.ndjson = requireNonNull(ndjson, "ndjson is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/streams", this::list);
        app.post("/api/streams", this::create);
        app.get("/api/streams/{name}", this::describe);
        app.delete("/api/streams/{name}", this::delete);
        app.put("/api/streams/{name}/shard-count", this::reshard);
        app.get("/api/streams/{name}/records", this::peek);
        app.post("/streams/{name}/records", this::ingest);
    }

    private String name(Context ctx, Action action) {
        String name = StreamLimits.validateUserStreamName(ctx.pathParam("name"));
        authorizer.check(Requests.principal(ctx), Permission.of(action, "stream", name));
        return name;
    }

    private void list(Context ctx) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (String name : log.listStreams()) {
            if (!StreamLimits.isInternal(name) && authorizer.allows(Requests.principal(ctx), Permission.of(Action.READ, "stream", name))) {
                log.findStream(name).ifPresent(d -> out.add(summary(d, log.stats(name))));
            }
        }
        ctx.contentType("application/json").result(out.toString());
    }

    private void create(Context ctx) {
        JsonNode body = jsonBody(ctx);
        String name = StreamLimits.validateNewStreamName(body.path("name").asText(null));
        authorizer.check(Requests.principal(ctx), Permission.of(Action.MANAGE, "stream", name));
        JsonNode shards = body.path("shards");
        if (!shards.isMissingNode() && !shards.canConvertToInt()) {
            throw TributaryException.invalidArgument("'shards' must be a whole number");
        }
        int count = StreamLimits.validateShardCount(shards.isMissingNode() ? 1 : shards.intValue());
        StreamDescription d = log.createStream(name, count);
        ctx.status(201).contentType("application/json").result(describe(d, log.stats(name)).toString());
    }

    private void describe(Context ctx) {
        String name = name(ctx, Action.READ);
        StreamDescription d = log.describeStream(name);
        ctx.contentType("application/json").result(describe(d, log.stats(name)).toString());
    }

    private void delete(Context ctx) {
        String name = name(ctx, Action.MANAGE);
        log.describeStream(name);
        readers.checkDeletable(name, "true".equals(ctx.queryParam("force")), 
                Optional.of("`tributary streams delete " + name + " --force`"));
        log.deleteStream(name);
        ctx.status(204);
    }

    private void reshard(Context ctx) {
        String name = name(ctx, Action.MANAGE);
        JsonNode shards = jsonBody(ctx).path("shards");
        if (!shards.canConvertToInt()) {
            throw TributaryException.invalidArgument("body must be {\"shards\": <count>}");
        }
        StreamDescription d = log.updateShardCount(name, StreamLimits.validateShardCount(shards.intValue()));
        ctx.contentType("application/json").result(describe(d, log.stats(name)).toString());
    }

    private void peek(Context ctx) {
        String name = name(ctx, Action.READ);
        int shard = ShardIds.parse(Optional.ofNullable(ctx.queryParam("shard")).orElse("0"));
        log.describeStream(name).shard(shard);
        int limit = Requests.intParam(ctx, "limit", 100, 1, 10_000);
        String from = Optional.ofNullable(ctx.queryParam("from")).orElse("TRIM_HORIZON");
        StartPosition position = switch (from.toUpperCase(Locale.ROOT)) {
            case "TRIM_HORIZON" -> StartPosition.trimHorizon();
            case "LATEST" -> StartPosition.latest();
            default -> {
                if (from.matches("\\d{1,18}")) {
                    yield new StartPosition.AtOffset(Long.parseLong(from));
                }
                if (from.matches("\\d{32}")) {
                    yield new StartPosition.AtOffset(SequenceNumbers.parseOffset(from, shard));
                }
                try {
                    yield new StartPosition.AtTimestamp(Instant.parse(from));
                } catch (RuntimeException e) {
                    throw TributaryException.invalidArgument(
                            "'from' must be TRIM_HORIZON, LATEST, an offset, a sequence number or an ISO-8601 instant, got '%s'", from);
                }
            }
        };
        long offset = log.resolve(name, shard, position);
        ReadResult result = log.read(name, shard, offset, limit, 4 * 1024 * 1024);
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("stream", name).put("shardId", ShardIds.format(shard)).put("nextOffset", result.nextOffset())
                .put("millisBehindLatest", result.millisBehindLatest()).put("shardEnded", result.shardEnded());
        ArrayNode records = out.putArray("records");
        for (StoredRecord r : result.records()) {
            ObjectNode node = records.addObject();
            node.put("offset", r.offset()).put("sequenceNumber", r.sequenceNumber()).put("partitionKey", r.partitionKey())
                    .put("arrival", Instant.ofEpochMilli(r.arrivalTimeMillis()).toString());
            String text = new String(r.data(), StandardCharsets.UTF_8);
            if (text.getBytes(StandardCharsets.UTF_8).length == r.data().length && !text.contains("\uFFFD")) {
                node.put("data", text);
            } else {
                node.put("dataBase64", java.util.Base64.getEncoder().encodeToString(r.data()));
            }
        }
        ctx.contentType("application/json").result(out.toString());
    }

    private void ingest(Context ctx) {
        String name = StreamLimits.validateUserStreamName(ctx.pathParam("name"));
        NdjsonIngest.Result result = ndjson.ingest(Requests.principal(ctx), name, ctx.bodyAsBytes(),
                Optional.ofNullable(ctx.queryParam("partitionKeyField")));
        ctx.contentType("application/json").result(Json.mapper().valueToTree(result).toString());
    }

    static ObjectNode summary(StreamDescription d, List<ShardStats> stats) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("name", d.name()).put("status", d.status().name()).put("created", d.created().toString())
                .put("retention", io.tributary.common.Durations.format(d.retention()))
                .put("openShards", d.openShards().size()).put("shards", d.shards().size());
        long records = 0;
        long bytes = 0;
        long last = 0;
        for (ShardStats s : stats) {
            records += s.endOffset() - s.startOffset();
            bytes += s.sizeBytes();
            last = Math.max(last, s.lastArrivalTimeMillis());
        }
        node.put("retainedRecords", records).put("sizeBytes", bytes);
        if (last > 0) {
            node.put("lastArrival", Instant.ofEpochMilli(last).toString());
        }
        return node;
    }

    static ObjectNode describe(StreamDescription d, List<ShardStats> stats) {
        ObjectNode node = summary(d, stats);
        ArrayNode shards = node.putArray("shardList");
        for (ShardDescription s : d.shards()) {
            ObjectNode shard = shards.addObject();
            shard.put("shardId", s.shardId()).put("open", s.isOpen())
                    .put("startingHashKey", s.hashKeyRange().startingHashKey().toString())
                    .put("endingHashKey", s.hashKeyRange().endingHashKey().toString());
            s.parentShardId().ifPresent(p -> shard.put("parentShardId", p));
            s.adjacentParentShardId().ifPresent(p -> shard.put("adjacentParentShardId", p));
            stats.stream().filter(st -> st.shard() == s.shard()).findFirst().ifPresent(st -> shard
                    .put("startOffset", st.startOffset()).put("endOffset", st.endOffset()).put("sizeBytes", st.sizeBytes()));
        }
        return node;
    }

    static JsonNode jsonBody(Context ctx) {
        try {
            JsonNode node = Json.mapper().readTree(ctx.bodyAsBytes());
            if (node == null || !node.isObject()) {
                throw new TributaryException(ErrorCode.MALFORMED_REQUEST, "the request body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.MALFORMED_REQUEST, "the request body is not valid JSON: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }
}
