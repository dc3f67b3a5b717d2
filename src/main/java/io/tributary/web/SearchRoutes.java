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

    /** The default limit of a decompressed request body, OpenSearch's {@code http.max_content_length}. */
    public static final long DEFAULT_MAX_BODY_BYTES = 100L * 1024 * 1024;

    private final SearchEngine engine;
    private final Authorizer authorizer;
    private final String version;
    private final long maxBodyBytes;

    public SearchRoutes(SearchEngine engine, Authorizer authorizer, String version) {
        this(engine, authorizer, version, DEFAULT_MAX_BODY_BYTES);
    }

    /** @param maxBodyBytes the largest request body after a {@code Content-Encoding} is undone ({@code server.max-request-size}) */
    public SearchRoutes(SearchEngine engine, Authorizer authorizer, String version, long maxBodyBytes) {
        this.engine = requireNonNull(engine, "engine is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
        this.version = requireNonNull(version, "version is null");
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, got " + maxBodyBytes);
        }
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void register(Javalin app) {
        SearchParameters parameters = new SearchParameters("");
        app.beforeMatched(parameters::check);
        app.get("/", this::info);
        app.head("/", ctx -> ctx.status(200));
        app.get("/_cluster/health", ctx -> {
            cluster(ctx, Action.READ);
            json(ctx, 200, health(ctx, "_all", engine.health("")));
        });
        app.get("/_cluster/health/{index}", ctx -> {
            authorize(ctx, Action.READ, index(ctx));
            indexHealth(ctx, index(ctx));
        });
        app.get("/_cat/indices", ctx -> catIndices(ctx, "_all"));
        app.get("/_cat/indices/{index}", ctx -> catIndices(ctx, index(ctx)));
        app.get("/_cat/health", this::catHealth);
        app.get("/_cat/count", ctx -> catCount(ctx, "_all"));
        app.get("/_cat/count/{index}", ctx -> catCount(ctx, index(ctx)));
        app.get("/_cat/aliases", ctx -> catAliases(ctx, "*"));
        app.get("/_cat/aliases/{name}", ctx -> catAliases(ctx, ctx.pathParam("name")));
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
        app.put("/_index_template/{name}", this::putTemplate);
        app.post("/_index_template/{name}", this::putTemplate);
        app.delete("/_index_template/{name}", ctx -> {
            cluster(ctx, Action.MANAGE);
            json(ctx, 200, engine.deleteTemplate(ctx.pathParam("name")));
        });

        app.get("/_mget", ctx -> mget(ctx, Optional.empty()));
        app.post("/_mget", ctx -> mget(ctx, Optional.empty()));
        app.get("/{index}/_mget", ctx -> mget(ctx, Optional.of(index(ctx))));
        app.post("/{index}/_mget", ctx -> mget(ctx, Optional.of(index(ctx))));
        app.post("/{index}/_delete_by_query", this::deleteByQuery);
        app.get("/_resolve/index/{name}", this::resolveIndex);
        app.get("/_nodes", this::nodes);
        app.get("/_nodes/{nodes}", this::nodes);
        app.get("/_nodes/{nodes}/{metrics}", this::nodes);

        app.put("/{index}", this::createIndex);
        app.delete("/{index}", ctx -> {
            indexName(ctx);
            authorize(ctx, Action.MANAGE, index(ctx));
            json(ctx, 200, engine.deleteIndex(index(ctx)));
        });
        app.get("/{index}", ctx -> {
            indexName(ctx);
            read(ctx, index(ctx), () -> flatSettings(ctx, engine.getIndex(filtered(ctx, index(ctx)))));
        });
        app.head("/{index}", ctx -> {
            indexName(ctx);
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
        app.get("/{index}/_settings", ctx -> read(ctx, index(ctx), () -> flatSettings(ctx, engine.getSettings(filtered(ctx, index(ctx))))));
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

        // Anything else is answered as OpenSearch answers a path it has no handler for.
        for (io.javalin.http.HandlerType type : List.of(io.javalin.http.HandlerType.GET, io.javalin.http.HandlerType.POST,
                io.javalin.http.HandlerType.PUT, io.javalin.http.HandlerType.DELETE, io.javalin.http.HandlerType.PATCH)) {
            app.addHttpHandler(type, "/<path>", SearchRoutes::noHandler);
        }
    }

    /**
     * {@code _mget}: several documents by index and id, each answered as a GET (with its own
     * {@code _source} filter), a missing index or a forbidden one as that document's error.
     */
    private void mget(Context ctx, Optional<String> defaultIndex) {
        JsonNode body = body(ctx).orElseThrow(() -> SearchException.parsing("[mget] needs a body with [docs] or [ids]"));
        List<ObjectNode> requests = new ArrayList<>();
        for (String key : (Iterable<String>) body::fieldNames) {
            if (!key.equals("docs") && !key.equals("ids")) {
                throw SearchException.parsing("[mget] unknown field [%s]; use docs or ids", key);
            }
        }
        if (body.has("ids")) {
            if (defaultIndex.isEmpty()) {
                throw SearchException.illegalArgument("[ids] in an mget needs an index in the URL");
            }
            body.get("ids").forEach(id -> requests.add(Json.mapper().createObjectNode().put("_id", id.asText())));
        }
        if (body.has("docs")) {
            body.get("docs").forEach(d -> {
                if (!(d instanceof ObjectNode o)) {
                    throw SearchException.parsing("each of [docs] must be an object with _index and _id");
                }
                requests.add(o);
            });
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            ObjectNode r = requests.get(i);
            for (String key : (Iterable<String>) r::fieldNames) {
                if (!Set.of("_index", "_id", "_source", "routing", "_routing", "stored_fields").contains(key)) {
                    throw SearchException.parsing("[mget] unknown field [%s] in docs", key);
                }
            }
            if (!r.hasNonNull("_id")) {
                problems.add("id is missing for doc " + i);
            }
            if (!r.hasNonNull("_index") && defaultIndex.isEmpty()) {
                problems.add("index is missing for doc " + i);
            }
        }
        if (!problems.isEmpty()) {
            throw new SearchException(io.tributary.common.ErrorCode.INVALID_ARGUMENT, "action_request_validation_exception", 400,
                    "Validation Failed: " + String.join("", java.util.stream.IntStream.range(0, problems.size())
                            .mapToObj(i -> (i + 1) + ": " + problems.get(i) + ";").toList()));
        }
        Optional<JsonNode> urlSource = sourceParams(ctx);
        ArrayNode docs = Json.mapper().createArrayNode();
        for (ObjectNode r : requests) {
            String index = r.hasNonNull("_index") ? r.get("_index").asText() : defaultIndex.orElseThrow();
            String id = r.get("_id").asText();
            Optional<JsonNode> source = r.has("_source") ? Optional.of(r.get("_source")) : urlSource;
            if (source.isEmpty() && (r.has("stored_fields") || ctx.queryParam("stored_fields") != null)) {
                source = Optional.of(Json.mapper().getNodeFactory().booleanNode(false));
            }
            try {
                authorize(ctx, Action.READ, index);
                Optional<ObjectNode> doc = engine.getDocument(index, id, source);
                docs.add(doc.orElseGet(() -> Json.mapper().createObjectNode().put("_index", index).put("_id", id).put("found", false)));
            } catch (TributaryException e) {
                ObjectNode failed = Json.mapper().createObjectNode().put("_index", index).put("_id", id);
                failed.set("error", OpenSearchErrors.error(e));
                docs.add(failed);
            }
        }
        ObjectNode out = Json.mapper().createObjectNode();
        out.set("docs", docs);
        json(ctx, 200, out);
    }

    /**
     * {@code _delete_by_query}: deletes the documents a query matches (through an alias, its
     * filter applies), one by one with version checks; {@code conflicts=proceed} counts a document
     * changed meanwhile instead of stopping.
     */
    private void deleteByQuery(Context ctx) {
        long start = System.nanoTime();
        String expression = index(ctx);
        authorize(ctx, Action.READ, expression);
        for (String name : engine.resolve(filtered(ctx, expression))) {
            authorize(ctx, Action.WRITE, name);
        }
        Optional<ObjectNode> urlQuery = uriQuery(ctx);
        JsonNode body = body(ctx).orElseGet(() -> urlQuery.map(q -> (JsonNode) Json.mapper().createObjectNode().set("query", q))
                .orElseThrow(() -> SearchException.parsing("[delete_by_query] needs a body with a [query], or q in the URL")));
        if (urlQuery.isPresent()) {
            ObjectNode withQuery = body.deepCopy();
            withQuery.set("query", urlQuery.get());
            body = withQuery;
        }
        for (String key : (Iterable<String>) body::fieldNames) {
            if (!key.equals("query") && !key.equals("max_docs")) {
                throw SearchException.parsing("[delete_by_query] unknown field [%s]; use query and max_docs", key);
            }
        }
        if (!body.has("query")) {
            throw new SearchException(io.tributary.common.ErrorCode.INVALID_ARGUMENT, "action_request_validation_exception", 400,
                    "Validation Failed: 1: query is missing;");
        }
        String conflicts = Optional.ofNullable(ctx.queryParam("conflicts")).orElse("abort");
        if (!conflicts.equals("abort") && !conflicts.equals("proceed")) {
            throw SearchException.illegalArgument("conflicts may only be \"proceed\" or \"abort\" but was [%s]", conflicts);
        }
        if (ctx.queryParam("wait_for_completion") != null && !flag(ctx.queryParam("wait_for_completion"), "wait_for_completion")) {
            throw SearchException.illegalArgument("[wait_for_completion=false] is not supported by Tributary; delete_by_query runs before it answers");
        }
        String slices = ctx.queryParam("slices");
        if (slices != null && !slices.equals("1") && !slices.equals("auto")) {
            throw SearchException.illegalArgument("[slices] %s is not supported by Tributary; one shard is deleted from in one pass", slices);
        }
        long maxDocs = Long.MAX_VALUE;
        String maxParam = ctx.queryParam("max_docs");
        try {
            if (maxParam != null) {
                maxDocs = Long.parseLong(maxParam);
            } else if (body.has("max_docs")) {
                maxDocs = body.get("max_docs").asLong();
            }
        } catch (NumberFormatException e) {
            throw SearchException.illegalArgument("Failed to parse long parameter [max_docs] with value [%s]", maxParam);
        }
        // Page through the matches with their versions, then delete each unless it changed meanwhile.
        List<BulkItem> deletes = new ArrayList<>();
        ObjectNode request = Json.mapper().createObjectNode();
        request.set("query", body.get("query"));
        request.put("size", 10000).put("_source", false).put("seq_no_primary_term", true);
        request.putArray("sort").add("_doc");
        String scrollOwner = owner(ctx);
        ObjectNode page = engine.search(filtered(ctx, expression), request,
                new SearchOptions(false, false, Optional.of(Duration.ofMinutes(5)), scrollOwner));
        String scrollId = page.path("_scroll_id").asText();
        long total = page.path("hits").path("total").path("value").asLong();
        try {
            while (page.path("hits").path("hits").size() > 0 && deletes.size() < maxDocs) {
                for (JsonNode hit : page.path("hits").path("hits")) {
                    if (deletes.size() >= maxDocs) {
                        break;
                    }
                    deletes.add(new BulkItem(BulkItem.OpType.DELETE, hit.path("_index").asText(), Optional.of(hit.path("_id").asText()),
                            Optional.empty(), Optional.empty(), deletes.size() + 1, new WriteOptions(java.util.OptionalLong.of(hit.path("_seq_no").asLong()),
                                    java.util.OptionalLong.of(WriteOptions.PRIMARY_TERM), java.util.OptionalLong.empty(), WriteOptions.VersionType.INTERNAL,
                                    false)));
                }
                page = engine.scroll(scrollId, Optional.of(Duration.ofMinutes(5)), new SearchOptions(false, false, Optional.empty(), scrollOwner));
            }
        } finally {
            engine.clearScroll(List.of(scrollId), scrollOwner);
        }
        long deleted = 0;
        long versionConflicts = 0;
        ArrayNode failures = Json.mapper().createArrayNode();
        List<BulkResult> results = deletes.isEmpty() ? List.of() : engine.bulk(deletes, Refresh.parse(ctx.queryParam("refresh")));
        for (BulkResult r : results) {
            if (r.error().isEmpty()) {
                deleted += r.status() == 200 ? 1 : 0;
                continue;
            }
            if (r.error().get().status() == 409) {
                versionConflicts++;
                if (conflicts.equals("proceed")) {
                    continue;
                }
            }
            ObjectNode failure = failures.addObject().put("index", r.index()).put("id", r.id());
            failure.set("cause", OpenSearchErrors.error(r.error().get()));
            failure.put("status", r.status());
        }
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("took", (System.nanoTime() - start) / 1_000_000).put("timed_out", false).put("total", Math.min(total, maxDocs))
                .put("deleted", deleted).put("batches", deletes.isEmpty() ? 0 : (deletes.size() + 9999) / 10000)
                .put("version_conflicts", versionConflicts).put("noops", 0);
        out.putObject("retries").put("bulk", 0).put("search", 0);
        out.put("throttled_millis", 0).put("requests_per_second", -1.0).put("throttled_until_millis", 0);
        out.set("failures", failures);
        json(ctx, failures.isEmpty() ? 200 : 409, out);
    }

    private static void noHandler(Context ctx) {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("error", "no handler found for uri [" + ctx.path() + "] and method [" + ctx.method().name() + "]");
        out.put("status", 400);
        json(ctx, 400, out);
    }

    /** A single name starting with '_' is an API Tributary does not have, which OpenSearch reads as an invalid index name. */
    private static void indexName(Context ctx) {
        String name = index(ctx);
        if (name.startsWith("_") && !name.equals("_all") && !name.contains(",") && !name.contains("*")) {
            throw new SearchException(io.tributary.common.ErrorCode.INVALID_ARGUMENT, "invalid_index_name_exception", 400,
                    "Invalid index name [" + name + "], must not start with '_'. (" + name + " is not an API Tributary serves; see docs/api.md)");
        }
    }

    /**
     * {@code _nodes}: the one node, with the address this request reached, so clients that sniff
     * the cluster find it.
     */
    /** What OpenSearch Dashboards asks while an index pattern is typed (see {@link SearchEngine#resolveIndex}). */
    private void resolveIndex(Context ctx) {
        String expression = ctx.pathParam("name");
        authorize(ctx, Action.READ, expression);
        json(ctx, 200, engine.resolveIndex(expression, !"none".equals(ctx.queryParam("expand_wildcards"))));
    }

    private void nodes(Context ctx) {
        cluster(ctx, Action.READ);
        String address = ctx.req().getLocalAddr();
        String host = address.contains(":") ? "[" + address + "]" : address;
        String publish = host + ":" + ctx.req().getLocalPort();
        ObjectNode out = Json.mapper().createObjectNode();
        out.putObject("_nodes").put("total", 1).put("successful", 1).put("failed", 0);
        out.put("cluster_name", "tributary");
        ObjectNode node = out.putObject("nodes").putObject("tributary-node");
        node.put("name", "tributary").put("transport_address", publish).put("host", address).put("ip", address).put("version", OPENSEARCH_VERSION)
                .put("build_type", "tributary").put("build_hash", version);
        node.putArray("roles").add("cluster_manager").add("data").add("ingest");
        node.putObject("attributes");
        ObjectNode http = node.putObject("http");
        http.putArray("bound_address").add(publish);
        http.put("publish_address", publish).put("max_content_length_in_bytes", maxBodyBytes);
        json(ctx, 200, out);
    }

    /**
     * The read endpoints the web UI needs, on the main listener under {@value #PASS_THROUGH}: a
     * page can only send its session cookie to its own origin, and the search API has its own port.
     * Same handlers, bodies and per-index authorization as on the search listener.
     */
    public Routes passThrough() {
        return app -> {
            String p = PASS_THROUGH;
            SearchParameters parameters = new SearchParameters(p);
            app.beforeMatched(parameters::check);
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

    private static final String DECODED = "tributary.search.body";

    /**
     * The request body, decompressed when it comes with {@code Content-Encoding: gzip} or
     * {@code deflate} (as Beats, Logstash, Fluent Bit and clients with compression send it), up to
     * the body limit after decompression.
     */
    private byte[] bodyBytes(Context ctx) {
        byte[] cached = ctx.attribute(DECODED);
        if (cached != null) {
            return cached;
        }
        byte[] raw = ctx.bodyAsBytes();
        String source = ctx.queryParam("source");
        if (raw.length == 0 && source != null) {
            // The body given in the URL, for clients that cannot send one with GET.
            String type = ctx.queryParam("source_content_type");
            if (type == null || !type.startsWith("application/json") && !type.startsWith("application/x-ndjson")) {
                throw SearchException.illegalArgument("[source] needs [source_content_type] application/json (or application/x-ndjson), got [%s]", type);
            }
            ctx.attribute(DECODED, source.getBytes(StandardCharsets.UTF_8));
            return source.getBytes(StandardCharsets.UTF_8);
        }
        String encoding = ctx.header("Content-Encoding");
        byte[] out = raw;
        if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("identity") && raw.length > 0) {
            String e = encoding.trim().toLowerCase(java.util.Locale.ROOT);
            try (java.io.InputStream in = switch (e) {
                case "gzip", "x-gzip" -> new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(raw));
                case "deflate" -> new java.util.zip.InflaterInputStream(new java.io.ByteArrayInputStream(raw));
                default -> throw SearchException.illegalArgument("Content-Encoding [%s] is not supported; send the body plain, gzip or deflate", encoding);
            }) {
                out = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            } catch (IOException ex) {
                throw new SearchException(io.tributary.common.ErrorCode.MALFORMED_REQUEST, "parse_exception", 400,
                        "the request body is not valid " + e + " data: " + ex.getMessage());
            }
            if (out.length > maxBodyBytes) {
                throw new SearchException(io.tributary.common.ErrorCode.PAYLOAD_TOO_LARGE, "content_too_long_exception", 413,
                        "the request body decompresses to more than " + maxBodyBytes + " bytes; send smaller batches");
            }
        }
        ctx.attribute(DECODED, out);
        return out;
    }

    private Optional<JsonNode> body(Context ctx) {
        byte[] bytes = bodyBytes(ctx);
        if (bytes.length == 0 || new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(Json.mapper().readTree(bytes));
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw new SearchException(io.tributary.common.ErrorCode.MALFORMED_REQUEST, "parse_exception", 400,
                    "the request body nests JSON objects and arrays too deeply (" + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                            + "); Tributary limits nesting against runaway requests: put clauses side by side in one bool rather than bools in bools");
        } catch (IOException e) {
            throw new SearchException(io.tributary.common.ErrorCode.MALFORMED_REQUEST, "parse_exception", 400,
                    "request body is not valid JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private static void json(Context ctx, int status, JsonNode response) {
        JsonNode body = status < 300 ? FilterPath.parse(ctx.queryParam("filter_path")).map(f -> f.apply(response)).orElse(response) : response;
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

    /**
     * The expression as the URL's index options shape it: with {@code ignore_unavailable=true}
     * names that do not exist are dropped; {@code expand_wildcards} without {@code open} (or
     * {@code all}) makes patterns match nothing, as there are no closed or hidden indexes; with
     * {@code allow_no_indices=false} an expression that matches no index is a 404.
     */
    private String filtered(Context ctx, String expression) {
        return filtered(expression, ctx.queryParam("ignore_unavailable"), ctx.queryParam("expand_wildcards"), ctx.queryParam("allow_no_indices"));
    }

    private String filtered(String expression, String ignoreUnavailableValue, String expand, String allowNoIndices) {
        boolean wildcards = true;
        if (expand != null) {
            Set<String> values = Set.of(expand.split(","));
            for (String v : values) {
                if (!Set.of("open", "closed", "hidden", "none", "all").contains(v)) {
                    throw SearchException.illegalArgument("No enum constant for [expand_wildcards]: [%s]; use open, closed, hidden, none or all", v);
                }
            }
            wildcards = values.contains("open") || values.contains("all");
        }
        boolean ignoreUnavailable = "true".equals(ignoreUnavailableValue);
        List<String> kept = new ArrayList<>();
        for (String part : expression.split(",")) {
            boolean pattern = part.contains("*") || part.contains("?") || part.equals("_all");
            if (pattern && !part.startsWith("-") && !wildcards) {
                continue;
            }
            if (pattern || part.startsWith("-") || !ignoreUnavailable || engine.exists(part)) {
                kept.add(part);
            }
        }
        String result = kept.isEmpty() ? "-*" : String.join(",", kept);
        if ("false".equals(allowNoIndices) && engine.resolve(result).isEmpty()) {
            throw SearchException.indexNotFound(expression);
        }
        return result;
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

    private static final List<CatTable.Column> INDEX_COLUMNS = List.of(
            new CatTable.Column("health", List.of("h"), true, false, "current health status"),
            new CatTable.Column("status", List.of("s"), true, false, "open/close status"),
            new CatTable.Column("index", List.of("i", "idx"), true, false, "index name"),
            new CatTable.Column("uuid", List.of("id"), true, false, "index uuid"),
            new CatTable.Column("pri", List.of("p", "shards.primary", "shardsPrimary"), true, true, "number of primary shards"),
            new CatTable.Column("rep", List.of("r", "shards.replica", "shardsReplica"), true, true, "number of replica shards"),
            new CatTable.Column("docs.count", List.of("dc", "docsCount"), true, true, "available docs"),
            new CatTable.Column("docs.deleted", List.of("dd", "docsDeleted"), true, true, "deleted docs"),
            new CatTable.Column("creation.date", List.of("cd"), false, true, "index creation date (millisecond value)"),
            new CatTable.Column("creation.date.string", List.of("cds"), false, false, "index creation date (as string)"),
            new CatTable.Column("store.size", List.of("ss", "storeSize"), true, true, "store size of primaries & replicas"),
            new CatTable.Column("pri.store.size", List.of(), true, true, "store size of primaries"));

    private void catIndices(Context ctx, String expression) {
        Principal principal = Requests.principal(ctx);
        List<IndexInfo> all = engine.indices(filtered(ctx, expression)).stream()
                .filter(i -> authorizer.allows(principal, Permission.of(Action.READ, "index", i.name()))).toList();
        String health = ctx.queryParam("health");
        if (health != null && !Set.of("green", "yellow", "red").contains(health)) {
            throw SearchException.illegalArgument("[health] must be green, yellow or red, got [%s]", health);
        }
        CatTable table = new CatTable(INDEX_COLUMNS);
        for (IndexInfo i : all) {
            if (health != null && !health.equals("green")) {
                continue;
            }
            CatTable.Cell size = new CatTable.Cell(size(ctx, i.sizeBytes()), i.sizeBytes());
            table.add(List.of(CatTable.Cell.of("green"), CatTable.Cell.of("open"), CatTable.Cell.of(i.name()), CatTable.Cell.of(i.uuid()),
                    CatTable.Cell.of(1), CatTable.Cell.of(0), CatTable.Cell.of(i.docs()), CatTable.Cell.of(i.deletedDocs()),
                    CatTable.Cell.of(i.createdMillis()), CatTable.Cell.of(java.time.Instant.ofEpochMilli(i.createdMillis()).toString()), size, size));
        }
        table.write(ctx);
    }

    /** A size as {@code bytes=} asks: a unit ({@code b}, {@code kb}, ...) or human-readable. */
    private static String size(Context ctx, long bytes) {
        String unit = ctx.queryParam("bytes");
        if (unit == null) {
            return human(bytes);
        }
        long divisor = switch (unit) {
            case "b" -> 1L;
            case "kb", "k" -> 1024L;
            case "mb", "m" -> 1024L * 1024;
            case "gb", "g" -> 1024L * 1024 * 1024;
            case "tb", "t" -> 1024L * 1024 * 1024 * 1024;
            case "pb", "p" -> 1024L * 1024 * 1024 * 1024 * 1024;
            default -> throw SearchException.illegalArgument("failed to parse [bytes] unit [%s]; use b, kb, mb, gb, tb or pb", unit);
        };
        return Long.toString(bytes / divisor);
    }

    private void catHealth(Context ctx) {
        cluster(ctx, Action.READ);
        JsonNode h = engine.health("");
        long now = System.currentTimeMillis();
        CatTable table = new CatTable(List.of(
                new CatTable.Column("epoch", List.of("t", "time"), true, true, "seconds since 1970-01-01 00:00:00"),
                new CatTable.Column("timestamp", List.of("ts", "hms", "hhmmss"), true, false, "time in HH:MM:SS"),
                new CatTable.Column("cluster", List.of("cl"), true, false, "cluster name"),
                new CatTable.Column("status", List.of("st"), true, false, "health status"),
                new CatTable.Column("node.total", List.of("nt", "nodeTotal"), true, true, "total number of nodes"),
                new CatTable.Column("node.data", List.of("nd", "nodeData"), true, true, "number of nodes that can store data"),
                new CatTable.Column("discovered_cluster_manager", List.of("dcm"), true, false, "cluster manager discovered"),
                new CatTable.Column("shards", List.of("t", "sh", "shards.total"), true, true, "total number of shards"),
                new CatTable.Column("pri", List.of("p", "shards.primary"), true, true, "number of primary shards"),
                new CatTable.Column("relo", List.of("r", "shards.relocating"), true, true, "number of relocating nodes"),
                new CatTable.Column("init", List.of("i", "shards.initializing"), true, true, "number of initializing nodes"),
                new CatTable.Column("unassign", List.of("u", "shards.unassigned"), true, true, "number of unassigned shards"),
                new CatTable.Column("pending_tasks", List.of("pt", "pendingTasks"), true, true, "number of pending tasks"),
                new CatTable.Column("max_task_wait_time", List.of("mtwt", "maxTaskWaitTime"), true, false, "wait time of longest task pending"),
                new CatTable.Column("active_shards_percent", List.of("asp", "activeShardsPercent"), true, false, "active number of shards in percent")));
        long shards = h.path("active_shards").asLong();
        table.add(List.of(CatTable.Cell.of(now / 1000), CatTable.Cell.of(java.time.LocalTime.ofSecondOfDay((now / 1000) % 86_400).toString()),
                CatTable.Cell.of(h.path("cluster_name").asText()), CatTable.Cell.of(h.path("status").asText()), CatTable.Cell.of(1), CatTable.Cell.of(1),
                CatTable.Cell.of("true"), CatTable.Cell.of(shards), CatTable.Cell.of(shards), CatTable.Cell.of(0), CatTable.Cell.of(0), CatTable.Cell.of(0),
                CatTable.Cell.of(0), CatTable.Cell.of("-"), CatTable.Cell.of("100.0%")));
        table.write(ctx);
    }

    private void catCount(Context ctx, String expression) {
        authorize(ctx, Action.READ, expression);
        long count = engine.count(filtered(ctx, expression), null).path("count").asLong();
        long now = System.currentTimeMillis();
        CatTable table = new CatTable(List.of(
                new CatTable.Column("epoch", List.of("t", "time"), true, true, "seconds since 1970-01-01 00:00:00"),
                new CatTable.Column("timestamp", List.of("ts", "hms", "hhmmss"), true, false, "time in HH:MM:SS"),
                new CatTable.Column("count", List.of("dc", "docs.count", "docsCount"), true, true, "the document count")));
        table.add(List.of(CatTable.Cell.of(now / 1000), CatTable.Cell.of(java.time.LocalTime.ofSecondOfDay((now / 1000) % 86_400).toString()),
                CatTable.Cell.of(count)));
        table.write(ctx);
    }

    private void catAliases(Context ctx, String aliasPattern) {
        Principal principal = Requests.principal(ctx);
        CatTable table = new CatTable(List.of(
                new CatTable.Column("alias", List.of("a"), true, false, "alias name"),
                new CatTable.Column("index", List.of("i", "idx"), true, false, "index alias points to"),
                new CatTable.Column("filter", List.of("f", "fi"), true, false, "filter"),
                new CatTable.Column("routing.index", List.of("ri", "routingIndex"), true, false, "index routing"),
                new CatTable.Column("routing.search", List.of("rs", "routingSearch"), true, false, "search routing"),
                new CatTable.Column("is_write_index", List.of("w", "isWriteIndex"), true, false, "write index")));
        ObjectNode aliases;
        try {
            aliases = engine.getAliases("_all", aliasPattern);
        } catch (SearchException e) {
            if (e.status() != 404) {
                throw e;
            }
            aliases = Json.mapper().createObjectNode();
        }
        aliases.fields().forEachRemaining(index -> {
            if (!authorizer.allows(principal, Permission.of(Action.READ, "index", index.getKey()))) {
                return;
            }
            index.getValue().path("aliases").fields().forEachRemaining(a -> table.add(List.of(CatTable.Cell.of(a.getKey()),
                    CatTable.Cell.of(index.getKey()), CatTable.Cell.of(a.getValue().has("filter") ? "*" : "-"), CatTable.Cell.of("-"),
                    CatTable.Cell.of("-"), CatTable.Cell.of(a.getValue().has("is_write_index") ? a.getValue().get("is_write_index").asText() : "-"))));
        });
        table.write(ctx);
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

    /** {@code flat_settings=true}: each index's {@code settings} as dotted keys ({@code "index.number_of_shards": "1"}). */
    private static ObjectNode flatSettings(Context ctx, ObjectNode byIndex) {
        if (ctx.queryParam("flat_settings") == null || !flag(ctx.queryParam("flat_settings"), "flat_settings")) {
            return byIndex;
        }
        byIndex.fields().forEachRemaining(e -> {
            if (e.getValue().get("settings") instanceof ObjectNode nested) {
                ObjectNode flat = Json.mapper().createObjectNode();
                flatten("", nested, flat);
                ((ObjectNode) e.getValue()).set("settings", flat);
            }
        });
        return byIndex;
    }

    private static void flatten(String prefix, JsonNode node, ObjectNode out) {
        node.fields().forEachRemaining(e -> {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().isObject()) {
                flatten(key, e.getValue(), out);
            } else {
                out.set(key, e.getValue());
            }
        });
    }

    /**
     * Health of named indexes. As in OpenSearch, a named index that does not exist yet is waited for
     * until {@code timeout} (30s by default) and then answered 408 with status red: scripts poll health
     * before another process creates the index.
     */
    private void indexHealth(Context ctx, String expression) throws InterruptedException {
        String timeout = ctx.queryParam("timeout");
        Duration wait = timeout == null ? Duration.ofSeconds(30) : keepAlive(timeout, "timeout");
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                json(ctx, 200, health(ctx, expression, engine.health(expression)));
                return;
            } catch (SearchException e) {
                if (e.status() != 404) {
                    throw e;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                break;
            }
            Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
        int missing = 0;
        for (String part : expression.split(",")) {
            boolean pattern = part.contains("*") || part.contains("?") || part.equals("_all") || part.startsWith("-");
            if (!pattern && !engine.exists(part)) {
                missing++;
            }
        }
        ObjectNode health = engine.health(filtered(expression, "true", null, null));
        int active = health.path("active_shards").asInt();
        health.put("status", "red").put("timed_out", true).put("unassigned_shards", missing)
                .put("active_shards_percent_as_number", active + missing == 0 ? 100.0 : 100.0 * active / (active + missing));
        json(ctx, 408, health);
    }

    /**
     * Cluster health, with {@code level=indices} each index's too. One green node answers every
     * {@code wait_for_*} at once.
     */
    private ObjectNode health(Context ctx, String expression, ObjectNode health) {
        String level = ctx.queryParam("level");
        if (level == null || level.equals("cluster")) {
            return health;
        }
        if (!level.equals("indices")) {
            throw SearchException.illegalArgument("[level] %s is not supported by Tributary; use cluster or indices", level);
        }
        Principal principal = Requests.principal(ctx);
        ObjectNode indices = health.putObject("indices");
        for (IndexInfo i : engine.indices(filtered(ctx, expression))) {
            if (authorizer.allows(principal, Permission.of(Action.READ, "index", i.name()))) {
                indices.putObject(i.name()).put("status", "green").put("number_of_shards", 1).put("number_of_replicas", 0)
                        .put("active_primary_shards", 1).put("active_shards", 1).put("relocating_shards", 0).put("initializing_shards", 0)
                        .put("unassigned_shards", 0);
            }
        }
        return health;
    }

    private void createIndex(Context ctx) {
        String name = index(ctx);
        if (name.startsWith("_")) {
            throw new SearchException(io.tributary.common.ErrorCode.INVALID_ARGUMENT, "invalid_index_name_exception", 400,
                    "Invalid index name [" + name + "], must not start with '_', '-', or '+'");
        }
        Principal principal = Requests.principal(ctx);
        if (!authorizer.allows(principal, Permission.of(Action.CREATE, "index", name))) {
            throw denied(principal, Permission.of(Action.CREATE, "index", name));
        }
        json(ctx, 200, engine.createIndex(name, body(ctx).orElse(null)));
    }

    private void putTemplate(Context ctx) {
        cluster(ctx, Action.MANAGE);
        String name = ctx.pathParam("name");
        if (ctx.queryParam("create") != null && flag(ctx.queryParam("create"), "create")) {
            try {
                engine.getTemplates(name);
                throw SearchException.illegalArgument("index template [%s] already exists", name);
            } catch (SearchException e) {
                if (e.status() != 404) {
                    throw e;
                }
            }
        }
        json(ctx, 200, engine.putTemplate(name, body(ctx).orElse(null)));
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
        boolean requireAlias = ctx.queryParam("require_alias") != null && flag(ctx.queryParam("require_alias"), "require_alias");
        for (BulkItem parsed : BulkRequestParser.parse(bodyBytes(ctx), defaultIndex)) {
            BulkItem item = !requireAlias || parsed.options().requireAlias() ? parsed : new BulkItem(parsed.opType(), parsed.index(), parsed.id(),
                    parsed.body(), parsed.error(), parsed.line(), new WriteOptions(parsed.options().ifSeqNo(), parsed.options().ifPrimaryTerm(),
                            parsed.options().version(), parsed.options().versionType(), true));
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
        ObjectNode result = doc.get();
        String versionType = ctx.queryParam("version_type");
        if (versionType != null && !versionType.equals("internal")) {
            throw SearchException.illegalArgument("[version_type] of a GET must be internal in Tributary, got [%s]", versionType);
        }
        String version = ctx.queryParam("version");
        if (version != null) {
            long wanted;
            try {
                wanted = Long.parseLong(version);
            } catch (NumberFormatException e) {
                throw SearchException.illegalArgument("Failed to parse long parameter [version] with value [%s]", version);
            }
            if (result.path("_version").asLong() != wanted) {
                throw SearchException.versionConflict("[%s]: version conflict, current version [%d] is different than the one provided [%d]", id,
                        result.path("_version").asLong(), wanted);
            }
        }
        if (ctx.method() == io.javalin.http.HandlerType.HEAD) {
            ctx.status(200);
            return;
        }
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
        for (String flag : List.of("version", "seq_no_primary_term", "track_scores")) {
            String v = ctx.queryParam(flag);
            if (v != null) {
                body.put(flag, flag(v, flag));
            }
        }
        for (String list : List.of("stored_fields", "docvalue_fields")) {
            String v = ctx.queryParam(list);
            if (v != null) {
                ArrayNode values = body.putArray(list);
                List.of(v.split(",")).forEach(values::add);
            }
        }
        String searchType = ctx.queryParam("search_type");
        if (searchType != null && !searchType.equals("query_then_fetch") && !searchType.equals("dfs_query_then_fetch")) {
            throw SearchException.illegalArgument("No search type for [%s]; use query_then_fetch or dfs_query_then_fetch (the same on one shard)",
                    searchType);
        }
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
            try {
                body.set("track_total_hits", track.equals("true") || track.equals("false")
                        ? Json.mapper().getNodeFactory().booleanNode(Boolean.parseBoolean(track))
                        : Json.mapper().getNodeFactory().numberNode(Integer.parseInt(track)));
            } catch (NumberFormatException e) {
                throw SearchException.illegalArgument("Failed to parse int parameter [track_total_hits] with value [%s]", track);
            }
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

    private static boolean flag(String value, String name) {
        return switch (value) {
            case "", "true" -> true;
            case "false" -> false;
            default -> throw SearchException.illegalArgument("Failed to parse value [%s] as only [true] or [false] are allowed (parameter [%s])",
                    value, name);
        };
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
        ObjectNode response = engine.search(filtered(ctx, expression), body, options(ctx));
        if (ctx.queryParam("allow_partial_search_results") != null && !flag(ctx.queryParam("allow_partial_search_results"),
                "allow_partial_search_results") && response.path("_shards").path("failed").asInt() > 0) {
            JsonNode failure = response.path("_shards").path("failures").get(0);
            throw new SearchException(io.tributary.common.ErrorCode.INVALID_ARGUMENT, failure.path("reason").path("type").asText(), 400,
                    "index [" + failure.path("index").asText() + "] could not run the search and allow_partial_search_results is false: "
                            + failure.path("reason").path("reason").asText());
        }
        json(ctx, 200, response);
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
        String[] lines = new String(bodyBytes(ctx), StandardCharsets.UTF_8).split("\n");
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
                JsonNode named = h.has("index") ? h.get("index") : h.get("indices");
                String expression = named != null ? (named.isArray() ? join(named) : named.asText()) : defaultIndex.orElse("_all");
                JsonNode b = Json.mapper().readTree(bodyLine);
                authorize(ctx, Action.READ, expression);
                SearchOptions o = options(ctx);
                boolean typedKeys = o.typedKeys() || h.path("typed_keys").asBoolean(false);
                String resolved = filtered(expression, h.has("ignore_unavailable") ? h.get("ignore_unavailable").asText() : null,
                        h.has("expand_wildcards") ? h.get("expand_wildcards").asText() : null,
                        h.has("allow_no_indices") ? h.get("allow_no_indices").asText() : null);
                ObjectNode r = engine.search(resolved, b, new SearchOptions(typedKeys, o.totalAsInt(), Optional.empty(), o.owner()));
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
