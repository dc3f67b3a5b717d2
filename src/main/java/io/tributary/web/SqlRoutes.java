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
import io.tributary.auth.Principal;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.lake.Location;
import io.tributary.sql.Compaction;
import io.tributary.sql.QueryExecution;
import io.tributary.sql.QuerySubmission;
import io.tributary.sql.ResultColumn;
import io.tributary.sql.ResultPage;
import io.tributary.sql.SqlService;
import io.tributary.sql.catalog.Catalog;
import io.tributary.sql.catalog.Column;
import io.tributary.sql.catalog.DatabaseInfo;
import io.tributary.sql.catalog.Partition;
import io.tributary.sql.catalog.SavedQuery;
import io.tributary.sql.catalog.TableDefinition;
import io.tributary.sql.catalog.TableName;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL REST API the web UI and the CLI use: queries ({@code /api/queries}: submit, state,
 * result pages, cancel, history), the catalog tree ({@code /api/databases}, {@code /api/tables}),
 * saved queries and on-demand compaction.
 */
public final class SqlRoutes implements Routes {
    private final SqlService sql;
    private final Compaction compaction;
    private final Authorizer authorizer;

    public SqlRoutes(SqlService sql, Compaction compaction, Authorizer authorizer) {
        this.sql = requireNonNull(sql, "sql is null");
        this.compaction = requireNonNull(compaction, "compaction is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
    }

    @Override
    public void register(Javalin app) {
        app.post("/api/queries", this::submit);
        app.get("/api/queries", this::list);
        app.get("/api/queries/{id}", ctx -> json(ctx, execution(sql.require(ctx.pathParam("id"), Requests.principal(ctx)))));
        app.get("/api/queries/{id}/results", this::results);
        app.delete("/api/queries/{id}", ctx -> json(ctx, execution(sql.cancel(ctx.pathParam("id"), Requests.principal(ctx)))));
        app.get("/api/databases", this::databases);
        app.get("/api/databases/{database}/tables", ctx -> tables(ctx, ctx.pathParam("database")));
        app.get("/api/tables", ctx -> tables(ctx, Optional.ofNullable(ctx.queryParam("database")).orElse(Catalog.DEFAULT_DATABASE)));
        app.get("/api/tables/{database}/{table}", this::table);
        app.get("/api/tables/{database}/{table}/partitions", this::partitions);
        app.get("/api/saved-queries", this::savedQueries);
        app.post("/api/saved-queries", this::save);
        app.delete("/api/saved-queries/{id}", ctx -> {
            authorizer.check(Requests.principal(ctx), Permission.of(Action.MANAGE, "saved-query", ctx.pathParam("id")));
            sql.catalog().deleteSavedQuery(ctx.pathParam("id"));
            ctx.status(204);
        });
        app.post("/api/sql/compact", this::compact);
    }

    private void submit(Context ctx) {
        JsonNode body = StreamRoutes.jsonBody(ctx);
        String query = body.path("query").asText("");
        if (query.isBlank()) {
            throw TributaryException.invalidArgument("the request needs a 'query'");
        }
        Optional<Location> output = body.hasNonNull("outputLocation") ? Optional.of(Location.parse(body.get("outputLocation").asText()))
                : Optional.empty();
        QueryExecution e = sql.submit(new QuerySubmission(query, body.path("database").asText(Catalog.DEFAULT_DATABASE), Requests.principal(ctx),
                output));
        if (body.path("wait").asBoolean(false)) {
            e = sql.await(e.id(), java.time.Duration.ofSeconds(Math.min(300, Math.max(1, body.path("waitSeconds").asInt(60)))));
        }
        ctx.status(e.state().done() ? 200 : 202);
        json(ctx, execution(e));
    }

    private void list(Context ctx) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (QueryExecution e : sql.list(Requests.principal(ctx), Requests.intParam(ctx, "limit", 50, 1, 1000))) {
            out.add(execution(e));
        }
        json(ctx, out);
    }

    private void results(Context ctx) {
        String format = Optional.ofNullable(ctx.queryParam("format")).orElse("json");
        if (format.equals("csv")) {
            String id = ctx.pathParam("id");
            ctx.contentType("text/csv; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"" + id.replaceAll("[^A-Za-z0-9_-]", "_") + ".csv\"")
                    .result(sql.openResultCsv(id, Requests.principal(ctx)));
            return;
        }
        if (!format.equals("json")) {
            throw TributaryException.invalidArgument("format '%s' is not one of json, csv", format.length() > 40 ? format.substring(0, 40) : format);
        }
        long offset;
        try {
            offset = Optional.ofNullable(ctx.queryParam("nextToken")).map(Long::parseLong).orElse(0L);
        } catch (NumberFormatException e) {
            throw TributaryException.invalidArgument("nextToken '%s' is not a token this API returned", ctx.queryParam("nextToken"));
        }
        ResultPage page = sql.results(ctx.pathParam("id"), Requests.principal(ctx), offset,
                Requests.intParam(ctx, "maxResults", SqlService.MAX_PAGE, 1, SqlService.MAX_PAGE));
        ObjectNode out = Json.mapper().createObjectNode();
        ArrayNode columns = out.putArray("columns");
        for (ResultColumn c : page.columns()) {
            columns.addObject().put("name", c.name()).put("type", c.type());
        }
        ArrayNode rows = out.putArray("rows");
        for (String[] row : page.rows()) {
            ArrayNode r = rows.addArray();
            for (String v : row) {
                if (v == null) {
                    r.addNull();
                } else {
                    r.add(v);
                }
            }
        }
        page.nextToken().ifPresent(t -> out.put("nextToken", t));
        json(ctx, out);
    }

    static ObjectNode execution(QueryExecution e) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("id", e.id()).put("query", e.query()).put("database", e.database()).put("principal", e.principal())
                .put("statementType", e.statementType()).put("substatementType", e.substatementType()).put("state", e.state().name());
        e.stateReason().ifPresent(r -> node.put("stateReason", r));
        e.errorCode().ifPresent(c -> node.put("errorCode", c));
        node.put("submitted", e.submitted().toString());
        e.completed().ifPresent(t -> node.put("completed", t.toString()));
        node.put("engineMillis", e.engineMillis()).put("queueMillis", e.queueMillis()).put("bytesScanned", e.bytesScanned()).put("rows", e.rows());
        e.output().ifPresent(o -> node.put("outputLocation", o.toString()));
        ArrayNode columns = node.putArray("columns");
        e.columns().forEach(c -> columns.addObject().put("name", c.name()).put("type", c.type()));
        return node;
    }

    private void databases(Context ctx) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (DatabaseInfo d : sql.catalog().databases()) {
            ObjectNode n = out.addObject().put("name", d.name());
            d.comment().ifPresent(c -> n.put("comment", c));
            d.location().ifPresent(l -> n.put("location", l));
        }
        json(ctx, out);
    }

    private void tables(Context ctx, String database) {
        Principal principal = Requests.principal(ctx);
        ArrayNode out = Json.mapper().createArrayNode();
        for (Catalog.Relation r : sql.catalog().relations(database)) {
            if (!authorizer.allows(principal, Permission.of(Action.READ, "table", r.name().toString()))) {
                continue;
            }
            ObjectNode n = out.addObject().put("database", r.name().database()).put("name", r.name().table());
            switch (r) {
                case Catalog.TableRelation t -> {
                    n.put("kind", "TABLE").put("location", t.table().location().toString()).put("format", t.table().storage().format().name());
                    n.set("columns", columns(t.table().columns()));
                    n.set("partitionKeys", columns(t.table().partitionKeys()));
                }
                case Catalog.ViewRelation v -> n.put("kind", "VIEW").put("sql", v.view().sql());
            }
        }
        json(ctx, out);
    }

    private TableName tableName(Context ctx) {
        TableName name = new TableName(ctx.pathParam("database"), ctx.pathParam("table"));
        authorizer.check(Requests.principal(ctx), Permission.of(Action.READ, "table", name.toString()));
        return name;
    }

    private void table(Context ctx) {
        TableName name = tableName(ctx);
        Catalog.Relation r = sql.catalog().relation(name).orElseThrow(() -> Catalog.notFoundTable(name));
        ObjectNode n = Json.mapper().createObjectNode().put("database", name.database()).put("name", name.table());
        switch (r) {
            case Catalog.TableRelation tr -> {
                TableDefinition t = tr.table();
                n.put("kind", "TABLE").put("location", t.location().toString()).put("format", t.storage().format().name())
                        .put("serde", t.storage().serde()).put("inputFormat", t.storage().inputFormat()).put("outputFormat", t.storage().outputFormat());
                t.comment().ifPresent(c -> n.put("comment", c));
                n.set("columns", columns(t.columns()));
                n.set("partitionKeys", columns(t.partitionKeys()));
                n.set("serdeProperties", Json.mapper().valueToTree(t.storage().serdeProperties()));
                n.set("properties", Json.mapper().valueToTree(t.properties()));
                n.put("partitions", t.partitioned() ? sql.catalog().partitions(name).size() : 0);
                ArrayNode links = n.putArray("deliveryStreams");
                sql.catalog().links().forEach((stream, tables) -> {
                    if (tables.contains(name)) {
                        links.add(stream);
                    }
                });
                n.put("createdAt", t.createdAt().toString());
            }
            case Catalog.ViewRelation v -> n.put("kind", "VIEW").put("sql", v.view().sql()).put("createdAt", v.view().createdAt().toString());
        }
        json(ctx, n);
    }

    private void partitions(Context ctx) {
        TableName name = tableName(ctx);
        TableDefinition t = sql.catalog().requireTable(name);
        ArrayNode out = Json.mapper().createArrayNode();
        for (Partition p : sql.catalog().partitions(name)) {
            ObjectNode n = out.addObject().put("name", p.name(t.partitionKeys())).put("location", p.location().toString());
            ArrayNode values = n.putArray("values");
            p.values().forEach(values::add);
        }
        json(ctx, out);
    }

    private static ArrayNode columns(List<Column> columns) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (Column c : columns) {
            ObjectNode n = out.addObject().put("name", c.name()).put("type", c.type().text());
            c.comment().ifPresent(cm -> n.put("comment", cm));
        }
        return out;
    }

    private void savedQueries(Context ctx) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (SavedQuery q : sql.catalog().savedQueries()) {
            if (authorizer.allows(Requests.principal(ctx), Permission.of(Action.READ, "saved-query", q.id()))) {
                ObjectNode n = out.addObject().put("id", q.id()).put("name", q.name()).put("database", q.database()).put("query", q.sql())
                        .put("createdAt", q.createdAt().toString());
                q.description().ifPresent(d -> n.put("description", d));
            }
        }
        json(ctx, out);
    }

    private void save(Context ctx) {
        authorizer.check(Requests.principal(ctx), Permission.of(Action.MANAGE, "saved-query", "*"));
        JsonNode body = StreamRoutes.jsonBody(ctx);
        SavedQuery q;
        try {
            q = new SavedQuery(UUID.randomUUID().toString(), body.path("name").asText(""),
                    body.hasNonNull("description") ? Optional.of(body.get("description").asText()) : Optional.empty(),
                    body.path("database").asText(Catalog.DEFAULT_DATABASE), body.path("query").asText(""), Instant.now());
        } catch (IllegalArgumentException e) {
            throw TributaryException.invalidArgument("%s", e.getMessage());
        }
        if (q.sql().isBlank()) {
            throw TributaryException.invalidArgument("a saved query needs a 'query'");
        }
        sql.catalog().save(q);
        ctx.status(201);
        json(ctx, Json.mapper().createObjectNode().put("id", q.id()).put("name", q.name()));
    }

    private void compact(Context ctx) {
        JsonNode body = StreamRoutes.jsonBody(ctx);
        TableName source = TableName.parse(body.path("source").asText(""), Catalog.DEFAULT_DATABASE);
        TableName target = TableName.parse(body.path("target").asText(""), Catalog.DEFAULT_DATABASE);
        authorizer.check(Requests.principal(ctx), Permission.of(Action.READ, "table", source.toString()));
        authorizer.check(Requests.principal(ctx), Permission.of(Action.MANAGE, "table", target.toString()));
        Instant hour;
        try {
            hour = LocalDateTime.parse(body.path("hour").asText("")).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                hour = LocalDateTime.parse(body.path("hour").asText("") + ":00").toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw TributaryException.invalidArgument("hour '%s' is not an hour such as 2026-11-25T10", body.path("hour").asText(""));
            }
        }
        Compaction.Result r = compaction.compactHour(source, target, hour);
        json(ctx, Json.mapper().createObjectNode().put("source", r.source().toString()).put("target", r.target().toString())
                .put("hour", r.hour().toString()).put("rows", r.rows()).put("bytesScanned", r.bytesScanned()).put("bytesWritten", r.bytesWritten())
                .put("files", r.files()).put("millis", r.millis()).put("replacedObjects", r.replacedObjects()).put("summary", r.summary()));
    }

    private static void json(Context ctx, JsonNode node) {
        ctx.contentType("application/json").result(node.toString());
    }
}
