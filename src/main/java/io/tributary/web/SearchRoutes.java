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
import io.tributary.search.BulkItem;
import io.tributary.search.BulkRequestParser;
import io.tributary.search.BulkResult;
import io.tributary.search.IndexInfo;
import io.tributary.search.Refresh;
import io.tributary.search.SearchEngine;
import io.tributary.search.SearchException;
import io.tributary.search.SearchOptions;
import io.tributary.search.WriteOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The OpenSearch-compatible REST API on the search listener ({@code server.search-port}): index
 * management, documents, {@code _bulk}, {@code _search}/{@code _msearch}/{@code _count},
 * aliases, templates and the cluster endpoints clients probe, in OpenSearch's request and
 * response shapes. Every request is authorized per index through the {@link Authorizer}: a
 * pattern is allowed only if every index it expands to is.
 */
public final class SearchRoutes implements Routes {
    private static final String OPENSEARCH_VERSION = "3.6.0";
    /** Where the main listener serves the read endpoints of this API, for the web UI (same origin as its pages). */
    static final String PASS_THROUGH = "/api/search";

    private final SearchEngine engine;
    private final Authorizer authorizer;
    private final String version;

    public SearchRoutes(SearchEngine engine, Authorizer authorizer, String version) {
        this.engine = requireNonNull(engine, "engine is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
        this.version = requireNonNull(version, "version is null");
    }

    @Override
    public void register(Javalin app) {
        app.get("/", this::info);
        app.head("/", ctx -> ctx.status(200));
        app.get("/_cluster/health", ctx -> cluster(ctx, engine.health("")));
        app.get("/_cluster/health/{index}", ctx -> {
            authorize(ctx, Action.READ, index(ctx));
            json(ctx, 200, engine.health(index(ctx)));
        });
        app.get("/_cat/indices", ctx -> catIndices(ctx, "_all"));
        app.get("/_cat/indices/{index}", ctx -> catIndices(ctx, index(ctx)));
        app.post("/_bulk", ctx -> bulk(ctx, Optional.empty()));
        app.put("/_bulk", ctx -> bulk(ctx, Optional.empty()));
        app.get("/_search", ctx -> search(ctx, "_all"));
        app.post("/_search", ctx -> search(ctx, "_all"));
        app.get("/_search/scroll", this::scroll);
        app.post("/_search/scroll", this::scroll);
        app.get("/_search/scroll/{id}", this::scroll);
        app.post("/_search/scroll/{id}", this::scroll);
        app.delete("/_search/scroll", this::clearScroll);
        app.delete("/_search/scroll/{id}", this::clearScroll);
        app.delete("/_search/point_in_time", ctx -> deletePits(ctx, Optional.empty()));
        app.delete("/_search/point_in_time/_all", ctx -> deletePits(ctx, Optional.of(List.of("_all"))));
        app.get("/_search/point_in_time/_all", ctx -> json(ctx, 200, engine.listPits(owner(ctx))));
        app.get("/_msearch", ctx -> msearch(ctx, Optional.empty()));
        app.post("/_msearch", ctx -> msearch(ctx, Optional.empty()));
        app.get("/_count", ctx -> count(ctx, "_all"));
        app.post("/_count", ctx -> count(ctx, "_all"));
        app.post("/_refresh", ctx -> refresh(ctx, "_all"));
        app.get("/_refresh", ctx -> refresh(ctx, "_all"));
        app.get("/_mapping", ctx -> read(ctx, "_all", () -> engine.getMapping(filtered(ctx, "_all"))));
        app.get("/_field_caps", ctx -> fieldCaps(ctx, "_all"));
        app.post("/_field_caps", ctx -> fieldCaps(ctx, "_all"));
        app.post("/_aliases", this::updateAliases);
        app.get("/_alias", ctx -> read(ctx, "_all", () -> engine.getAliases(filtered(ctx, "_all"), "*")));
        app.get("/_alias/{name}", ctx -> read(ctx, "_all", () -> engine.getAliases(filtered(ctx, "_all"), ctx.pathParam("name"))));
        app.get("/_aliases", ctx -> read(ctx, "_all", () -> engine.getAliases(filtered(ctx, "_all"), "*")));
        app.get("/_index_template", ctx -> {
            cluster(ctx, Action.READ);
            json(ctx, 200, engine.getTemplates("*"));
        });
        app.get("/_index_template/{name}", ctx -> {
            cluster(ctx, Action.READ);
            json(ctx, 200, engine.getTemplates(ctx.pathParam("name")));
        });
        app.put("/_index_template/{name}", ctx -> {
            cluster(ctx, Action.MANAGE);
            json(ctx, 200, engine.putTemplate(ctx.pathParam("name"), body(ctx).orElse(null)));
        });
        app.post("/_index_template/{name}", ctx -> {
            cluster(ctx, Action.MANAGE);
            json(ctx, 200, engine.putTemplate(ctx.pathParam("name"), body(ctx).orElse(null)));
        });
        app.delete("/_index_template/{name}", ctx -> {
            cluster(ctx, Action.MANAGE);
            json(ctx, 200, engine.deleteTemplate(ctx.pathParam("name")));
        });

        app.put("/{index}", this::createIndex);
        app.delete("/{index}", ctx -> {
            authorize(ctx, Action.MANAGE, index(ctx));
            json(ctx, 200, engine.deleteIndex(index(ctx)));
        });
        app.get("/{index}", ctx -> read(ctx, index(ctx), () -> engine.getIndex(filtered(ctx, index(ctx)))));
        app.head("/{index}", ctx -> {
            authorize(ctx, Action.READ, index(ctx));
            try {
                ctx.status(engine.resolve(index(ctx)).isEmpty() && !index(ctx).contains("*") ? 404 : 200);
            } catch (SearchException e) {
                ctx.status(404);
            }
        });
        app.get("/{index}/_mapping", ctx -> read(ctx, index(ctx), () -> engine.getMapping(filtered(ctx, index(ctx)))));
        app.put("/{index}/_mapping", this::putMapping);
        app.post("/{index}/_mapping", this::putMapping);
        app.get("/{index}/_settings", ctx -> read(ctx, index(ctx), () -> engine.getSettings(filtered(ctx, index(ctx)))));
        app.put("/{index}/_settings", ctx -> {
            authorize(ctx, Action.MANAGE, index(ctx));
            json(ctx, 200, engine.putSettings(index(ctx), body(ctx).orElse(null)));
        });
        app.post("/{index}/_bulk", ctx -> bulk(ctx, Optional.of(index(ctx))));
        app.put("/{index}/_bulk", ctx -> bulk(ctx, Optional.of(index(ctx))));
        app.get("/{index}/_search", ctx -> search(ctx, index(ctx)));
        app.post("/{index}/_search", ctx -> search(ctx, index(ctx)));
        app.post("/{index}/_search/point_in_time", this::createPit);
        app.get("/{index}/_msearch", ctx -> msearch(ctx, Optional.of(index(ctx))));
        app.post("/{index}/_msearch", ctx -> msearch(ctx, Optional.of(index(ctx))));
        app.get("/{index}/_count", ctx -> count(ctx, index(ctx)));
        app.post("/{index}/_count", ctx -> count(ctx, index(ctx)));
        app.post("/{index}/_refresh", ctx -> refresh(ctx, index(ctx)));
        app.get("/{index}/_refresh", ctx -> refresh(ctx, index(ctx)));
        app.get("/{index}/_field_caps", ctx -> fieldCaps(ctx, index(ctx)));
        app.post("/{index}/_field_caps", ctx -> fieldCaps(ctx, index(ctx)));
        app.get("/{index}/_alias", ctx -> read(ctx, index(ctx), () -> engine.getAliases(filtered(ctx, index(ctx)), "*")));
        app.get("/{index}/_alias/{name}", ctx -> read(ctx, index(ctx), () -> engine.getAliases(filtered(ctx, index(ctx)), ctx.pathParam("name"))));
        app.head("/_alias/{name}", ctx -> exists(ctx, "_all", () -> engine.getAliases(filtered(ctx, "_all"), ctx.pathParam("name"))));
        app.head("/{index}/_alias/{name}", ctx -> exists(ctx, index(ctx), () -> engine.getAliases(filtered(ctx, index(ctx)), ctx.pathParam("name"))));
        app.put("/{index}/_alias/{name}", ctx -> aliasAction(ctx, "add"));
        app.post("/{index}/_alias/{name}", ctx -> aliasAction(ctx, "add"));
        app.delete("/{index}/_alias/{name}", ctx -> aliasAction(ctx, "remove"));

        app.put("/{index}/_doc/{id}", ctx -> writeOne(ctx, opType(ctx), Optional.of(ctx.pathParam("id"))));
        app.post("/{index}/_doc/{id}", ctx -> writeOne(ctx, opType(ctx), Optional.of(ctx.pathParam("id"))));
        app.post("/{index}/_doc", ctx -> writeOne(ctx, BulkItem.OpType.INDEX, Optional.empty()));
        app.put("/{index}/_create/{id}", ctx -> writeOne(ctx, BulkItem.OpType.CREATE, Optional.of(ctx.pathParam("id"))));
        app.post("/{index}/_create/{id}", ctx -> writeOne(ctx, BulkItem.OpType.CREATE, Optional.of(ctx.pathParam("id"))));
        app.post("/{index}/_update/{id}", ctx -> writeOne(ctx, BulkItem.OpType.UPDATE, Optional.of(ctx.pathParam("id"))));
        app.delete("/{index}/_doc/{id}", ctx -> writeOne(ctx, BulkItem.OpType.DELETE, Optional.of(ctx.pathParam("id"))));
        app.get("/{index}/_doc/{id}", ctx -> getDocument(ctx, false));
        app.head("/{index}/_doc/{id}", ctx -> getDocument(ctx, false));
        app.get("/{index}/_source/{id}", ctx -> getDocument(ctx, true));
    }

    /**
     * The read endpoints the web UI needs, on the main listener under {@value #PASS_THROUGH}: a
     * page can only send its session cookie to its own origin, and the search API has its own port.
     * Same handlers, bodies and per-index authorization as on the search listener.
     */
    public Routes passThrough() {
        return app -> {
            String p = PASS_THROUGH;
            app.get(p + "/_mapping", ctx -> read(ctx, "_all", () -> engine.getMapping(filtered(ctx, "_all"))));
            app.get(p + "/_cat/indices", ctx -> catIndices(ctx, "_all"));
            app.get(p + "/_alias", ctx -> read(ctx, "_all", () -> engine.getAliases(filtered(ctx, "_all"), "*")));
            app.get(p + "/{index}/_search", ctx -> search(ctx, index(ctx)));
            app.post(p + "/{index}/_search", ctx -> search(ctx, index(ctx)));
            app.post(p + "/{index}/_count", ctx -> count(ctx, index(ctx)));
            app.get(p + "/{index}/_mapping", ctx -> read(ctx, index(ctx), () -> engine.getMapping(filtered(ctx, index(ctx)))));
            app.get(p + "/{index}/_doc/{id}", ctx -> getDocument(ctx, false));
        };
    }

    // ---- helpers ----

    private static String index(Context ctx) {
        return ctx.pathParam("index");
    }

    private static Optional<JsonNode> body(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0 || new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(Json.mapper().readTree(bytes));
        } catch (IOException e) {
            throw new SearchException(io.tributary.common.ErrorCode.MALFORMED_REQUEST, "parse_exception", 400,
                    "request body is not valid JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private static void json(Context ctx, int status, JsonNode body) {
        String text;
        try {
            text = ctx.queryParam("pretty") != null
                    ? Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(body) : Json.mapper().writeValueAsString(body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ctx.status(status).contentType("application/json; charset=UTF-8").result(text);
    }

    private interface JsonSupplier {
        JsonNode get();
    }

    private void read(Context ctx, String expression, JsonSupplier action) {
        authorize(ctx, Action.READ, expression);
        json(ctx, 200, action.get());
    }

    /** With {@code ignore_unavailable=true}, names that do not exist are dropped from the expression. */
    private String filtered(Context ctx, String expression) {
        if (!"true".equals(ctx.queryParam("ignore_unavailable"))) {
            return expression;
        }
        List<String> kept = new ArrayList<>();
        for (String part : expression.split(",")) {
            if (part.contains("*") || part.equals("_all") || part.startsWith("-") || engine.exists(part)) {
                kept.add(part);
            }
        }
        return kept.isEmpty() ? "-*" : String.join(",", kept);
    }

    private void cluster(Context ctx, Action action) {
        authorizer.check(Requests.principal(ctx), Permission.of(action, "cluster", "*"));
    }

    private void cluster(Context ctx, JsonNode body) {
        cluster(ctx, Action.READ);
        json(ctx, 200, body);
    }

    /**
     * Checks an action on every index an expression names. A plain name is checked as given (an
     * alias is allowed when the alias or each of its indexes is), so a name the principal may not
     * see gives 403 whether it exists or not; a pattern is checked on each index it expands to.
     */
    private void authorize(Context ctx, Action action, String expression) {
        Principal principal = Requests.principal(ctx);
        if (authorizer.allows(principal, Permission.of(action, "index", "*"))) {
            return;
        }
        for (String raw : expression.split(",")) {
            String part = raw.trim();
            if (part.isEmpty() || part.startsWith("-")) {
                continue;
            }
            if (part.equals("_all") || part.contains("*") || part.contains("?")) {
                for (String name : engine.resolve(part)) {
                    authorizer.check(principal, Permission.of(action, "index", name));
                }
                continue;
            }
            if (authorizer.allows(principal, Permission.of(action, "index", part))) {
                continue;
            }
            List<String> members;
            try {
                members = engine.exists(part) ? engine.resolve(part) : List.of();
            } catch (SearchException e) {
                members = List.of();
            }
            if (members.isEmpty() || members.contains(part)
                    || !members.stream().allMatch(m -> authorizer.allows(principal, Permission.of(action, "index", m)))) {
                throw Authorizer.denied(principal, Permission.of(action, "index", part));
            }
        }
    }

    private Optional<SearchException> writeDenied(Principal principal, String name) {
        boolean exists = engine.exists(name);
        Permission write = Permission.of(Action.WRITE, "index", engine.writeIndex(name).orElse(name));
        if (!authorizer.allows(principal, write) && !authorizer.allows(principal, Permission.of(Action.WRITE, "index", name))) {
            return Optional.of(denied(principal, Permission.of(Action.WRITE, "index", name)));
        }
        if (!exists && !authorizer.allows(principal, Permission.of(Action.CREATE, "index", name))) {
            return Optional.of(denied(principal, Permission.of(Action.CREATE, "index", name)));
        }
        return Optional.empty();
    }

    private static SearchException denied(Principal principal, Permission permission) {
        TributaryException e = Authorizer.denied(principal, permission);
        return new SearchException(e.code(), "security_exception", 403, e.getMessage());
    }

    // ---- handlers ----

    private void info(Context ctx) {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("name", "tributary").put("cluster_name", "tributary").put("cluster_uuid", "tributary-embedded");
        ObjectNode v = out.putObject("version");
        // Clients check the OpenSearch API level they talk to; Tributary's own version is beside it.
        v.put("distribution", "opensearch").put("number", OPENSEARCH_VERSION).put("build_type", "tributary").put("build_hash", version)
                .put("build_date", "2026-01-01T00:00:00Z").put("build_snapshot", false).put("lucene_version", org.apache.lucene.util.Version.LATEST.toString())
                .put("minimum_wire_compatibility_version", "2.19.0").put("minimum_index_compatibility_version", "2.0.0");
        out.put("tributary_version", version);
        out.put("tagline", "The OpenSearch Project: https://opensearch.org/");
        json(ctx, 200, out);
    }

    private void catIndices(Context ctx, String expression) {
        Principal principal = Requests.principal(ctx);
        List<IndexInfo> all = engine.indices(filtered(ctx, expression)).stream()
                .filter(i -> authorizer.allows(principal, Permission.of(Action.READ, "index", i.name()))).toList();
        boolean bytes = "b".equals(ctx.queryParam("bytes"));
        if ("json".equals(ctx.queryParam("format"))) {
            ArrayNode out = Json.mapper().createArrayNode();
            for (IndexInfo i : all) {
                String size = bytes ? Long.toString(i.sizeBytes()) : human(i.sizeBytes());
                out.addObject().put("health", "green").put("status", "open").put("index", i.name()).put("uuid", i.uuid()).put("pri", "1")
                        .put("rep", "0").put("docs.count", Long.toString(i.docs())).put("docs.deleted", Long.toString(i.deletedDocs()))
                        .put("store.size", size).put("pri.store.size", size);
            }
            json(ctx, 200, out);
            return;
        }
        StringBuilder sb = new StringBuilder();
        List<String[]> rows = new ArrayList<>();
        if (ctx.queryParam("v") != null) {
            rows.add(new String[] {"health", "status", "index", "uuid", "pri", "rep", "docs.count", "docs.deleted", "store.size", "pri.store.size"});
        }
        for (IndexInfo i : all) {
            String size = bytes ? Long.toString(i.sizeBytes()) : human(i.sizeBytes());
            rows.add(new String[] {"green", "open", i.name(), i.uuid(), "1", "0", Long.toString(i.docs()), Long.toString(i.deletedDocs()), size, size});
        }
        int[] widths = new int[10];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                widths[c] = Math.max(widths[c], r[c].length());
            }
        }
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                sb.append(String.format("%-" + widths[c] + "s", r[c])).append(c == r.length - 1 ? "\n" : " ");
            }
        }
        ctx.status(200).contentType("text/plain; charset=UTF-8").result(sb.toString());
    }

    private static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + "b";
        }
        String[] units = {"kb", "mb", "gb", "tb"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f%s", v, units[u]);
    }

    private void createIndex(Context ctx) {
        String name = index(ctx);
        Principal principal = Requests.principal(ctx);
        if (!authorizer.allows(principal, Permission.of(Action.CREATE, "index", name))) {
            throw denied(principal, Permission.of(Action.CREATE, "index", name));
        }
        json(ctx, 200, engine.createIndex(name, body(ctx).orElse(null)));
    }

    private void putMapping(Context ctx) {
        authorize(ctx, Action.MANAGE, index(ctx));
        json(ctx, 200, engine.putMapping(index(ctx), body(ctx).orElseThrow(() -> SearchException.parsing("the mapping update needs a body"))));
    }

    private void updateAliases(Context ctx) {
        JsonNode body = body(ctx).orElseThrow(() -> SearchException.parsing("[aliases] needs a body with actions"));
        for (JsonNode action : body.path("actions")) {
            action.fields().forEachRemaining(e -> {
                JsonNode p = e.getValue();
                if (p.has("index")) {
                    authorize(ctx, Action.MANAGE, p.get("index").asText());
                }
                p.path("indices").forEach(i -> authorize(ctx, Action.MANAGE, i.asText()));
                if (p.has("alias")) {
                    authorizer.check(Requests.principal(ctx), Permission.of(Action.MANAGE, "index", p.get("alias").asText()));
                }
            });
        }
        json(ctx, 200, engine.updateAliases(body));
    }

    private void aliasAction(Context ctx, String action) {
        authorize(ctx, Action.MANAGE, index(ctx));
        authorizer.check(Requests.principal(ctx), Permission.of(Action.MANAGE, "index", ctx.pathParam("name")));
        ObjectNode body = Json.mapper().createObjectNode();
        ObjectNode spec = body.putArray("actions").addObject().putObject(action);
        if (action.equals("add")) {
            // PUT /{index}/_alias/{name} may carry the alias definition ({"filter": ..., "is_write_index": ...}).
            Optional<JsonNode> definition = body(ctx);
            if (definition.isPresent()) {
                if (!(definition.get() instanceof ObjectNode def)) {
                    throw SearchException.parsing("the alias definition must be a JSON object");
                }
                for (String key : List.of("index", "indices", "alias", "aliases")) {
                    if (def.has(key)) {
                        throw SearchException.parsing("[%s] is given by the URL of this request, not its body", key);
                    }
                }
                spec.setAll(def);
            }
        }
        spec.put("index", index(ctx)).put("alias", ctx.pathParam("name"));
        json(ctx, 200, engine.updateAliases(body));
    }

    /** HEAD: 200 when the read finds something, 404 (no body) when it answers not found. */
    private void exists(Context ctx, String expression, JsonSupplier read) {
        authorize(ctx, Action.READ, expression);
        try {
            read.get();
            ctx.status(200);
        } catch (SearchException e) {
            if (e.status() != 404) {
                throw e;
            }
            ctx.status(404);
        }
    }

    private void bulk(Context ctx, Optional<String> defaultIndex) {
        long start = System.nanoTime();
        Refresh refresh = Refresh.parse(ctx.queryParam("refresh"));
        Principal principal = Requests.principal(ctx);
        List<BulkItem> items = new ArrayList<>();
        for (BulkItem item : BulkRequestParser.parse(ctx.bodyAsBytes(), defaultIndex)) {
            Optional<SearchException> denied = item.error().isPresent() ? Optional.empty() : writeDenied(principal, item.index());
            items.add(denied.isPresent() ? BulkItem.failed(item.opType(), item.index(), item.id(), denied.get(), item.line()) : item);
        }
        if (items.isEmpty()) {
            throw new SearchException(io.tributary.common.ErrorCode.INVALID_ARGUMENT, "action_request_validation_exception", 400,
                    "Validation Failed: 1: no requests added;");
        }
        List<BulkResult> results = engine.bulk(items, refresh);
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("took", (System.nanoTime() - start) / 1_000_000);
        out.put("errors", results.stream().anyMatch(BulkResult::failed));
        ArrayNode array = out.putArray("items");
        for (BulkResult r : results) {
            array.addObject().set(r.opType().jsonName(), item(r));
        }
        json(ctx, 200, out);
    }

    private static ObjectNode item(BulkResult r) {
        ObjectNode item = Json.mapper().createObjectNode();
        item.put("_index", r.index()).put("_id", r.id());
        if (r.error().isPresent()) {
            item.put("status", r.status());
            ObjectNode error = Json.mapper().createObjectNode();
            error.put("type", r.error().get().type()).put("reason", r.error().get().getMessage()).put("index", r.index());
            item.set("error", error);
            return item;
        }
        item.put("_version", r.version()).put("result", r.result().orElse("noop"));
        item.putObject("_shards").put("total", 1).put("successful", 1).put("failed", 0);
        item.put("_seq_no", r.seqNo()).put("_primary_term", 1).put("status", r.status());
        return item;
    }

    private static BulkItem.OpType opType(Context ctx) {
        String opType = ctx.queryParam("op_type");
        if (opType == null || opType.equals("index")) {
            return BulkItem.OpType.INDEX;
        }
        if (opType.equals("create")) {
            return BulkItem.OpType.CREATE;
        }
        throw SearchException.illegalArgument("opType must be 'create' or 'index', found: [%s]", opType);
    }

    private void writeOne(Context ctx, BulkItem.OpType op, Optional<String> id) {
        String name = index(ctx);
        if (ctx.queryParam("pipeline") != null) {
            throw SearchException.illegalArgument("[pipeline] %s: ingest pipelines are not supported by Tributary", ctx.queryParam("pipeline"));
        }
        WriteOptions options = WriteOptions.parse(p -> Optional.ofNullable(ctx.queryParam(p)), op);
        if (id.isEmpty() && (options.ifSeqNo().isPresent() || options.version().isPresent())) {
            throw SearchException.illegalArgument("an id must be provided if version type or value are set");
        }
        Principal principal = Requests.principal(ctx);
        Optional<SearchException> denied = writeDenied(principal, name);
        if (denied.isPresent()) {
            throw denied.get();
        }
        Optional<com.fasterxml.jackson.databind.node.ObjectNode> doc = Optional.empty();
        if (op != BulkItem.OpType.DELETE) {
            JsonNode body = body(ctx).orElseThrow(() -> SearchException.parsing("request body is required"));
            if (!(body instanceof ObjectNode object)) {
                throw SearchException.mapperParsing("the document must be a JSON object");
            }
            doc = Optional.of(object);
        }
        BulkItem item = new BulkItem(op, name, id, doc, Optional.empty(), 1, options);
        BulkResult r = engine.bulk(List.of(item), Refresh.parse(ctx.queryParam("refresh"))).get(0);
        if (r.error().isPresent()) {
            throw r.error().get();
        }
        ObjectNode out = item(r);
        out.remove("status");
        Optional<JsonNode> source = sourceParams(ctx);
        if (op == BulkItem.OpType.UPDATE && source.isPresent() && r.source().isPresent()) {
            // _update?_source=...: the document after the update, as OpenSearch's "get".
            ObjectNode get = out.putObject("get").put("_seq_no", r.seqNo()).put("_primary_term", 1).put("found", true);
            engine.filterSource(r.source().get(), source.get()).ifPresent(s -> get.set("_source", s));
        }
        json(ctx, r.status(), out);
    }

    private void getDocument(Context ctx, boolean sourceOnly) {
        String name = index(ctx);
        authorize(ctx, Action.READ, name);
        String id = ctx.pathParam("id");
        Optional<JsonNode> source = sourceParams(ctx);
        if (source.isEmpty() && ctx.queryParam("stored_fields") != null) {
            // Tributary stores no field apart from _source, so asking for stored fields leaves nothing but the metadata, as in OpenSearch.
            source = Optional.of(Json.mapper().getNodeFactory().booleanNode(false));
        }
        if (sourceOnly && source.isPresent() && source.get().isBoolean() && !source.get().asBoolean()) {
            throw new SearchException(io.tributary.common.ErrorCode.INVALID_ARGUMENT, "action_request_validation_exception", 400,
                    "Validation Failed: 1: fetching source can not be disabled;");
        }
        Optional<ObjectNode> doc = engine.getDocument(name, id, source);
        if (doc.isEmpty()) {
            if (sourceOnly) {
                throw new SearchException(io.tributary.common.ErrorCode.NOT_FOUND, "resource_not_found_exception", 404,
                        "Document not found [" + name + "]/[" + id + "]");
            }
            ObjectNode out = Json.mapper().createObjectNode().put("_index", name).put("_id", id).put("found", false);
            json(ctx, 404, out);
            return;
        }
        if (ctx.method() == io.javalin.http.HandlerType.HEAD) {
            ctx.status(200);
            return;
        }
        ObjectNode result = doc.get();
        json(ctx, 200, sourceOnly ? result.get("_source") : result);
    }

    /**
     * The URL's source filtering as a search body's {@code _source}: {@code _source=false},
     * {@code _source=a,b} (includes), {@code _source_includes}, {@code _source_excludes}.
     */
    private static Optional<JsonNode> sourceParams(Context ctx) {
        String source = ctx.queryParam("_source");
        String includes = ctx.queryParam("_source_includes");
        String excludes = ctx.queryParam("_source_excludes");
        if (source == null && includes == null && excludes == null) {
            return Optional.empty();
        }
        if ("false".equals(source) && includes == null && excludes == null) {
            return Optional.of(Json.mapper().getNodeFactory().booleanNode(false));
        }
        ObjectNode filter = Json.mapper().createObjectNode();
        ArrayNode inc = filter.putArray("includes");
        if (includes != null) {
            List.of(includes.split(",")).forEach(inc::add);
        } else if (source != null && !source.equals("true") && !source.equals("false")) {
            List.of(source.split(",")).forEach(inc::add);
        }
        ArrayNode exc = filter.putArray("excludes");
        if (excludes != null) {
            List.of(excludes.split(",")).forEach(exc::add);
        }
        return Optional.of(filter);
    }

    private JsonNode searchBody(Context ctx) {
        ObjectNode body = body(ctx).map(b -> {
            if (!(b instanceof ObjectNode o)) {
                throw SearchException.parsing("the search request body must be a JSON object");
            }
            return o;
        }).orElseGet(() -> Json.mapper().createObjectNode());
        uriQuery(ctx).ifPresent(q -> body.set("query", q));
        for (String p : List.of("size", "from")) {
            String v = ctx.queryParam(p);
            if (v != null) {
                try {
                    body.put(p, Integer.parseInt(v));
                } catch (NumberFormatException e) {
                    throw SearchException.illegalArgument("Failed to parse int parameter [%s] with value [%s]", p, v);
                }
            }
        }
        String track = ctx.queryParam("track_total_hits");
        if (track != null) {
            body.set("track_total_hits", track.equals("true") || track.equals("false")
                    ? Json.mapper().getNodeFactory().booleanNode(Boolean.parseBoolean(track)) : Json.mapper().getNodeFactory().numberNode(Integer.parseInt(track)));
        }
        String sort = ctx.queryParam("sort");
        if (sort != null) {
            ArrayNode sorts = body.putArray("sort");
            for (String s : sort.split(",")) {
                sorts.add(s);
            }
        }
        sourceParams(ctx).ifPresent(source -> body.set("_source", source));
        return body;
    }

    /** The URL query ({@code q}) as a query_string query, with {@code df}, {@code default_operator}, {@code analyzer}, {@code lenient}, {@code analyze_wildcard}. */
    private static Optional<ObjectNode> uriQuery(Context ctx) {
        String q = ctx.queryParam("q");
        if (q == null) {
            return Optional.empty();
        }
        ObjectNode query = Json.mapper().createObjectNode();
        ObjectNode qs = query.putObject("query_string").put("query", q);
        if (ctx.queryParam("df") != null) {
            qs.put("default_field", ctx.queryParam("df"));
        }
        if (ctx.queryParam("default_operator") != null) {
            String op = ctx.queryParam("default_operator");
            if (!op.equalsIgnoreCase("and") && !op.equalsIgnoreCase("or")) {
                throw SearchException.illegalArgument("[default_operator] must be AND or OR, got [%s]", op);
            }
            qs.put("default_operator", op);
        }
        if (ctx.queryParam("analyzer") != null) {
            qs.put("analyzer", ctx.queryParam("analyzer"));
        }
        for (String flag : List.of("lenient", "analyze_wildcard")) {
            String v = ctx.queryParam(flag);
            if (v != null) {
                if (!v.equals("true") && !v.equals("false")) {
                    throw SearchException.illegalArgument("Failed to parse value [%s] as only [true] or [false] are allowed (parameter [%s])", v, flag);
                }
                qs.put(flag, Boolean.parseBoolean(v));
            }
        }
        return Optional.of(query);
    }

    private SearchOptions options(Context ctx) {
        Optional<Duration> scroll = Optional.ofNullable(ctx.queryParam("scroll")).map(v -> keepAlive(v, "scroll"));
        return new SearchOptions("true".equals(ctx.queryParam("typed_keys")), "true".equals(ctx.queryParam("rest_total_hits_as_int")), scroll,
                owner(ctx));
    }

    /** Who opens scrolls and points in time: only the same principal may continue or clear them. */
    private static String owner(Context ctx) {
        Principal p = Requests.principal(ctx);
        return p.kind() + ":" + p.name();
    }

    private static Duration keepAlive(String value, String parameter) {
        try {
            return io.tributary.common.Durations.parse(value);
        } catch (RuntimeException e) {
            throw SearchException.illegalArgument("failed to parse setting [%s] with value [%s] as a time value: unit is missing or unrecognized",
                    parameter, value);
        }
    }

    private void search(Context ctx, String expression) {
        JsonNode body = searchBody(ctx);
        if (body.has("pit")) {
            // A point in time names its indexes; the search is authorized by whoever opened it.
            if (!expression.equals("_all") || ctx.pathParamMap().containsKey("index")) {
                throw new SearchException(io.tributary.common.ErrorCode.INVALID_ARGUMENT, "action_request_validation_exception", 400,
                        "Validation Failed: 1: [indices] cannot be used with point in time;");
            }
            json(ctx, 200, engine.search("_all", body, options(ctx)));
            return;
        }
        authorize(ctx, Action.READ, expression);
        json(ctx, 200, engine.search(filtered(ctx, expression), body, options(ctx)));
    }

    /** {@code /_search/scroll}: the id and keep-alive from the URL, the path, or the body. */
    private void scroll(Context ctx) {
        Optional<JsonNode> body = body(ctx);
        String id = ctx.pathParamMap().containsKey("id") ? ctx.pathParam("id") : ctx.queryParam("scroll_id");
        String keep = ctx.queryParam("scroll");
        if (body.isPresent()) {
            for (String key : (Iterable<String>) body.get()::fieldNames) {
                if (!key.equals("scroll_id") && !key.equals("scroll")) {
                    throw SearchException.parsing("[search_scroll] unknown field [%s]; a scroll request has scroll_id and scroll", key);
                }
            }
            if (body.get().hasNonNull("scroll_id")) {
                id = body.get().get("scroll_id").asText();
            }
            if (body.get().hasNonNull("scroll")) {
                keep = body.get().get("scroll").asText();
            }
        }
        if (id == null || id.isEmpty()) {
            throw new SearchException(io.tributary.common.ErrorCode.INVALID_ARGUMENT, "action_request_validation_exception", 400,
                    "Validation Failed: 1: scrollId is missing;");
        }
        Optional<Duration> keepAlive = Optional.ofNullable(keep).map(v -> keepAlive(v, "scroll"));
        json(ctx, 200, engine.scroll(id, keepAlive, options(ctx)));
    }

    private void clearScroll(Context ctx) {
        List<String> ids = new ArrayList<>();
        if (ctx.pathParamMap().containsKey("id")) {
            ids.addAll(List.of(ctx.pathParam("id").split(",")));
        }
        body(ctx).ifPresent(b -> {
            JsonNode v = b.get("scroll_id");
            if (v != null && v.isArray()) {
                v.forEach(n -> ids.add(n.asText()));
            } else if (v != null) {
                ids.addAll(List.of(v.asText().split(",")));
            }
        });
        if (ids.isEmpty()) {
            throw new SearchException(io.tributary.common.ErrorCode.INVALID_ARGUMENT, "action_request_validation_exception", 400,
                    "Validation Failed: 1: no scroll ids specified;");
        }
        ObjectNode out = engine.clearScroll(ids, owner(ctx));
        // OpenSearch answers 404 when none of the ids was open.
        json(ctx, out.path("num_freed").asInt() == 0 && !ids.contains("_all") ? 404 : 200, out);
    }

    private void createPit(Context ctx) {
        authorize(ctx, Action.READ, index(ctx));
        String keep = ctx.queryParam("keep_alive");
        if (keep == null) {
            throw new SearchException(io.tributary.common.ErrorCode.INVALID_ARGUMENT, "action_request_validation_exception", 400,
                    "Validation Failed: 1: keep alive not specified;");
        }
        json(ctx, 200, engine.createPit(filtered(ctx, index(ctx)), keepAlive(keep, "keep_alive"), owner(ctx)));
    }

    private void deletePits(Context ctx, Optional<List<String>> all) {
        List<String> ids = new ArrayList<>();
        if (all.isPresent()) {
            ids.addAll(all.get());
        } else {
            body(ctx).ifPresent(b -> {
                JsonNode v = b.get("pit_id");
                if (v != null && v.isArray()) {
                    v.forEach(n -> ids.add(n.asText()));
                } else if (v != null) {
                    ids.add(v.asText());
                }
            });
        }
        if (ids.isEmpty()) {
            throw new SearchException(io.tributary.common.ErrorCode.INVALID_ARGUMENT, "action_request_validation_exception", 400,
                    "Validation Failed: 1: no pit ids specified;");
        }
        json(ctx, 200, engine.deletePits(ids, owner(ctx)));
    }

    private void count(Context ctx, String expression) {
        authorize(ctx, Action.READ, expression);
        JsonNode body = body(ctx).orElse(null);
        Optional<ObjectNode> q = uriQuery(ctx);
        if (q.isPresent()) {
            ObjectNode b = Json.mapper().createObjectNode();
            b.set("query", q.get());
            body = b;
        }
        json(ctx, 200, engine.count(filtered(ctx, expression), body));
    }

    private void refresh(Context ctx, String expression) {
        authorize(ctx, Action.READ, expression);
        json(ctx, 200, engine.refresh(filtered(ctx, expression)));
    }

    private void fieldCaps(Context ctx, String expression) {
        authorize(ctx, Action.READ, expression);
        String fields = ctx.queryParam("fields");
        if (fields == null) {
            fields = body(ctx).map(b -> {
                List<String> list = new ArrayList<>();
                b.path("fields").forEach(f -> list.add(f.asText()));
                return String.join(",", list);
            }).orElse("");
        }
        if (fields.isEmpty()) {
            throw new SearchException(io.tributary.common.ErrorCode.INVALID_ARGUMENT, "action_request_validation_exception", 400,
                    "Validation Failed: 1: specified fields can't be null or empty;");
        }
        json(ctx, 200, engine.fieldCaps(filtered(ctx, expression), List.of(fields.split(","))));
    }

    private void msearch(Context ctx, Optional<String> defaultIndex) {
        long start = System.nanoTime();
        String[] lines = new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8).split("\n");
        ArrayNode responses = Json.mapper().createArrayNode();
        Set<String> headerKeys = Set.of("index", "indices", "search_type", "preference", "routing", "request_cache", "ignore_unavailable",
                "allow_no_indices", "expand_wildcards", "typed_keys");
        int i = 0;
        while (i < lines.length) {
            if (lines[i].isBlank()) {
                i++;
                continue;
            }
            String header = lines[i++];
            String bodyLine = i < lines.length ? lines[i++] : "{}";
            try {
                JsonNode h = Json.mapper().readTree(header);
                if (h == null || !h.isObject()) {
                    throw SearchException.parsing("msearch header must be a JSON object");
                }
                for (String key : (Iterable<String>) h::fieldNames) {
                    if (!headerKeys.contains(key)) {
                        throw SearchException.parsing("key [%s] is not supported in the metadata section", key);
                    }
                }
                String expression = h.has("index") ? (h.get("index").isArray() ? join(h.get("index")) : h.get("index").asText())
                        : defaultIndex.orElse("_all");
                JsonNode b = Json.mapper().readTree(bodyLine);
                authorize(ctx, Action.READ, expression);
                SearchOptions o = options(ctx);
                ObjectNode r = engine.search(expression, b, new SearchOptions(o.typedKeys(), o.totalAsInt(), Optional.empty(), o.owner()));
                r.put("status", 200);
                responses.add(r);
            } catch (TributaryException e) {
                ObjectNode r = Json.mapper().createObjectNode();
                r.set("error", OpenSearchErrors.error(e));
                r.put("status", OpenSearchErrors.status(e));
                responses.add(r);
            } catch (IOException e) {
                ObjectNode r = Json.mapper().createObjectNode();
                r.set("error", OpenSearchErrors.error(SearchException.parsing("line is not valid JSON: %s",
                        String.valueOf(e.getMessage()).lines().findFirst().orElse(""))));
                r.put("status", 400);
                responses.add(r);
            }
        }
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("took", (System.nanoTime() - start) / 1_000_000);
        out.set("responses", responses);
        json(ctx, 200, out);
    }

    private static String join(JsonNode array) {
        List<String> parts = new ArrayList<>();
        array.forEach(n -> parts.add(n.asText()));
        return String.join(",", parts);
    }

}
