package io.tributary.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tributary.auth.Authorizer;
import io.tributary.auth.Permission;
import io.tributary.auth.Permission.Action;
import io.tributary.common.Durations;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.lake.BucketSpec;
import io.tributary.lake.Compression;
import io.tributary.lake.Listing;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.lake.ObjectStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Browsing the lake under {@code /api/lake}: buckets, one level of a prefix, an object's metadata,
 * its raw bytes, and a decompressed preview of its first lines. Every location is an
 * {@code s3://bucket/key} query parameter, checked by {@link Location} (no {@code ..}, no
 * backslashes, no control characters), so no request can reach outside a bucket.
 */
public final class LakeRoutes implements Routes {
    static final int MAX_PREVIEW_LINES = 1000;

    private final ObjectStore lake;
    private final Authorizer authorizer;

    public LakeRoutes(ObjectStore lake, Authorizer authorizer) {
        this.lake = requireNonNull(lake, "lake is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/lake/buckets", this::buckets);
        app.get("/api/lake/list", this::list);
        app.get("/api/lake/stat", this::stat);
        app.get("/api/lake/object", this::object);
        app.get("/api/lake/preview", this::preview);
    }

    private Location location(Context ctx) {
        String value = Optional.ofNullable(ctx.queryParam("location")).filter(v -> !v.isBlank()).orElseThrow(() ->
                TributaryException.invalidArgument("query parameter 'location' is required, such as s3://tributary-lake/json-data/"));
        Location location = Location.parse(value.trim());
        authorizer.check(Requests.principal(ctx), Permission.of(Action.READ, "bucket", location.bucket()));
        if (lake.bucket(location.bucket()).isEmpty()) {
            throw TributaryException.notFound("bucket '%s' does not exist; `tributary lake ls` lists the buckets", location.bucket());
        }
        return location;
    }

    private void buckets(Context ctx) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (BucketSpec b : lake.buckets()) {
            if (authorizer.allows(Requests.principal(ctx), Permission.of(Action.READ, "bucket", b.name()))) {
                ObjectNode node = out.addObject().put("name", b.name()).put("location", "s3://" + b.name() + "/").put("immutable", b.immutable());
                if (b.immutable()) {
                    node.put("retention", Durations.format(b.retention()));
                }
                ArrayNode rules = node.putArray("lifecycle");
                b.lifecycle().forEach(r -> rules.addObject().put("prefix", r.prefix()).put("expireAfter", Durations.format(r.expireAfter())));
            }
        }
        ctx.contentType("application/json").result(out.toString());
    }

    private void list(Context ctx) {
        Location prefix = location(ctx);
        Listing listing = lake.listLevel(prefix);
        ObjectNode out = Json.mapper().createObjectNode().put("location", prefix.toString());
        ArrayNode prefixes = out.putArray("prefixes");
        listing.prefixes().forEach(p -> prefixes.add(p.toString()));
        ArrayNode objects = out.putArray("objects");
        listing.objects().forEach(o -> objects.add(info(o)));
        ctx.contentType("application/json").result(out.toString());
    }

    private void stat(Context ctx) {
        Location location = location(ctx);
        ObjectInfo info = lake.stat(location).orElseThrow(() -> TributaryException.notFound("object %s does not exist", location));
        ctx.contentType("application/json").result(info(info).toString());
    }

    private void object(Context ctx) {
        Location location = location(ctx);
        ObjectInfo info = lake.stat(location).orElseThrow(() -> TributaryException.notFound("object %s does not exist", location));
        ctx.header("Content-Length", Long.toString(info.size()));
        ctx.header("Content-Disposition", "attachment; filename=\"" + location.fileName().replace("\"", "") + "\"");
        ctx.contentType("application/octet-stream").result(lake.open(location));
    }

    private void preview(Context ctx) {
        Location location = location(ctx);
        int lines = Requests.intParam(ctx, "lines", 20, 1, MAX_PREVIEW_LINES);
        ObjectNode out = Json.mapper().createObjectNode().put("location", location.toString())
                .put("compression", Compression.forName(location.fileName()).firehoseName());
        ArrayNode array = out.putArray("lines");
        if (location.fileName().endsWith(".parquet")) {
            throw TributaryException.invalidArgument("%s is Parquet; preview shows text objects (query Parquet with SQL)", location);
        }
        try (InputStream raw = lake.open(location);
                BufferedReader reader = new BufferedReader(new InputStreamReader(Compression.decoding(raw, location.fileName()),
                        StandardCharsets.UTF_8))) {
            String line;
            while (array.size() < lines && (line = reader.readLine()) != null) {
                array.add(line.length() > 64 * 1024 ? line.substring(0, 64 * 1024) + "..." : line);
            }
            out.put("truncated", reader.readLine() != null);
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.INVALID_ARGUMENT, "cannot decompress " + location + " as "
                    + Compression.forName(location.fileName()).firehoseName() + ": " + e.getMessage());
        }
        ctx.contentType("application/json").result(out.toString());
    }

    private static ObjectNode info(ObjectInfo o) {
        return Json.mapper().createObjectNode().put("location", o.location().toString()).put("size", o.size())
                .put("lastModified", o.lastModified().toString());
    }
}
