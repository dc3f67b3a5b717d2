package io.tributary.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tributary.auth.Authorizer;
import io.tributary.auth.Permission;
import io.tributary.auth.Permission.Action;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectStore;
import io.tributary.sql.ParquetPreview;
import java.util.Optional;

/**
 * {@code GET /api/lake/rows?location=s3://…/x.parquet&limit=20}: the first rows of a Parquet
 * object as columns and rows, for the lake browser ({@code /api/lake/preview} shows text objects).
 */
public final class LakeRowsRoutes implements Routes {
    private final ObjectStore lake;
    private final ParquetPreview preview;
    private final Authorizer authorizer;

    public LakeRowsRoutes(ObjectStore lake, ParquetPreview preview, Authorizer authorizer) {
        this.lake = requireNonNull(lake, "lake is null");
        this.preview = requireNonNull(preview, "preview is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/lake/rows", this::rows);
    }

    private void rows(Context ctx) {
        String value = Optional.ofNullable(ctx.queryParam("location")).filter(v -> !v.isBlank()).orElseThrow(() ->
                TributaryException.invalidArgument("query parameter 'location' is required, such as s3://tributary-lake/parquet-retail-trans/x.parquet"));
        Location location = Location.parse(value.trim());
        authorizer.check(Requests.principal(ctx), Permission.of(Action.READ, "bucket", location.bucket()));
        if (lake.bucket(location.bucket()).isEmpty()) {
            throw TributaryException.notFound("bucket '%s' does not exist; `tributary lake ls` lists the buckets", location.bucket());
        }
        if (!location.fileName().endsWith(".parquet")) {
            throw TributaryException.invalidArgument("%s is not a .parquet object; GET /api/lake/preview shows text objects", location);
        }
        int limit = Requests.intParam(ctx, "limit", 20, 1, LakeRoutes.MAX_PREVIEW_LINES);
        ParquetPreview.Rows rows = preview.read(location, limit);
        ObjectNode out = Json.mapper().createObjectNode().put("location", location.toString()).put("format", "parquet");
        ArrayNode columns = out.putArray("columns");
        rows.columns().forEach(c -> columns.addObject().put("name", c.name()).put("type", c.type()));
        ArrayNode data = out.putArray("rows");
        for (var row : rows.rows()) {
            ObjectNode node = data.addObject();
            for (int i = 0; i < row.size(); i++) {
                node.set(rows.columns().get(i).name(), Json.mapper().valueToTree(row.get(i)));
            }
        }
        out.put("truncated", rows.truncated());
        ctx.contentType("application/json").result(out.toString());
    }
}
