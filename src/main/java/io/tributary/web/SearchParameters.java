package io.tributary.web;

import io.javalin.http.Context;
import io.tributary.common.EditDistance;
import io.tributary.search.SearchException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The URL parameters each search-API route takes, as OpenSearch's REST handlers declare theirs: a
 * request with any other parameter is refused with 400 naming it ("contains unrecognized
 * parameter"), so a typo or an option Tributary does not implement is never silently ignored.
 * Parameters that change nothing on one embedded node ({@code timeout}, {@code preference},
 * {@code routing}, {@code wait_for_active_shards}, ...) are accepted; those Tributary does not
 * implement are left out and therefore refused.
 *
 * <p>Immutable and thread-safe.
 */
final class SearchParameters {
    /** Taken by every route: response formatting. */
    private static final Set<String> COMMON = Set.of("pretty", "human", "error_trace", "filter_path", "source", "source_content_type");
    // ignore_throttled: OpenSearch still reads it with the other index options, and older clients send it.
    private static final Set<String> INDICES = Set.of("ignore_unavailable", "allow_no_indices", "expand_wildcards", "ignore_throttled");
    private static final Set<String> MASTER = Set.of("timeout", "master_timeout", "cluster_manager_timeout");
    private static final Set<String> QUERY = Set.of("q", "df", "default_operator", "analyzer", "analyze_wildcard", "lenient");
    private static final Set<String> SEARCH = union(INDICES, QUERY, Set.of("size", "from", "sort", "_source", "_source_includes", "_source_excludes",
            "track_total_hits", "track_scores", "typed_keys", "rest_total_hits_as_int", "scroll", "search_type", "preference", "routing",
            "request_cache", "timeout", "batched_reduce_size", "pre_filter_shard_size", "max_concurrent_shard_requests", "ccs_minimize_roundtrips",
            "allow_partial_search_results", "version", "seq_no_primary_term", "stored_fields", "docvalue_fields", "stats",
            "cancel_after_time_interval"));
    private static final Set<String> WRITE = Set.of("refresh", "routing", "timeout", "wait_for_active_shards", "if_seq_no", "if_primary_term",
            "version", "version_type", "op_type", "pipeline", "require_alias");
    private static final Set<String> GET = Set.of("_source", "_source_includes", "_source_excludes", "stored_fields", "realtime", "refresh",
            "routing", "preference", "version", "version_type");
    private static final Set<String> CAT = Set.of("v", "format", "bytes", "h", "s", "help", "health", "expand_wildcards", "local", "master_timeout",
            "cluster_manager_timeout", "time");

    private final Map<String, Set<String>> byRoute = new HashMap<>();

    SearchParameters(String prefix) {
        put("GET", "/", Set.of());
        for (String method : List.of("GET", "POST")) {
            put(method, "/_mget", GET);
            put(method, "/{index}/_mget", GET);
        }
        put("POST", "/{index}/_delete_by_query", union(INDICES, QUERY, Set.of("refresh", "conflicts", "max_docs", "wait_for_completion", "slices",
                "timeout", "wait_for_active_shards", "scroll_size", "requests_per_second", "routing", "preference", "scroll", "search_type",
                "request_cache")));
        for (String path : List.of("/_nodes", "/_nodes/{nodes}", "/_nodes/{nodes}/{metrics}")) {
            put("GET", path, Set.of("timeout", "flat_settings"));
        }
        put("HEAD", "/", Set.of());
        put("GET", "/_resolve/index/{name}", Set.of("expand_wildcards"));
        Set<String> health = Set.of("wait_for_status", "timeout", "master_timeout", "cluster_manager_timeout", "local", "level",
                "wait_for_active_shards", "wait_for_nodes", "wait_for_events", "wait_for_no_relocating_shards", "wait_for_no_initializing_shards",
                "expand_wildcards");
        put("GET", "/_cluster/health", health);
        put("GET", "/_cluster/health/{index}", health);
        put("GET", "/_cat/indices", union(CAT, INDICES));
        put("GET", "/_cat/indices/{index}", union(CAT, INDICES));
        put("GET", "/_cat/health", union(CAT, Set.of("ts")));
        put("GET", "/_cat/count", union(CAT, INDICES));
        put("GET", "/_cat/count/{index}", union(CAT, INDICES));
        put("GET", "/_cat/aliases", CAT);
        put("GET", "/_cat/aliases/{name}", CAT);
        Set<String> bulk = Set.of("refresh", "routing", "timeout", "wait_for_active_shards", "require_alias");
        for (String method : List.of("POST", "PUT")) {
            put(method, "/_bulk", bulk);
            put(method, "/{index}/_bulk", bulk);
        }
        for (String method : List.of("GET", "POST")) {
            put(method, "/_search", SEARCH);
            put(method, "/{index}/_search", SEARCH);
            put(method, "/_search/scroll", Set.of("scroll", "scroll_id", "rest_total_hits_as_int"));
            put(method, "/_search/scroll/{id}", Set.of("scroll", "rest_total_hits_as_int"));
            Set<String> msearch = Set.of("typed_keys", "rest_total_hits_as_int", "max_concurrent_searches", "search_type", "pre_filter_shard_size",
                    "max_concurrent_shard_requests", "ccs_minimize_roundtrips");
            put(method, "/_msearch", msearch);
            put(method, "/{index}/_msearch", msearch);
            Set<String> count = union(INDICES, QUERY, Set.of("routing", "preference"));
            put(method, "/_count", count);
            put(method, "/{index}/_count", count);
            put(method, "/_refresh", INDICES);
            put(method, "/{index}/_refresh", INDICES);
            put(method, "/_field_caps", union(INDICES, Set.of("fields")));
            put(method, "/{index}/_field_caps", union(INDICES, Set.of("fields")));
        }
        put("DELETE", "/_search/scroll", Set.of());
        put("DELETE", "/_search/scroll/{id}", Set.of());
        put("POST", "/{index}/_search/point_in_time", union(INDICES, Set.of("keep_alive", "preference", "routing", "allow_partial_pit_creation")));
        put("DELETE", "/_search/point_in_time", Set.of());
        put("DELETE", "/_search/point_in_time/_all", Set.of());
        put("GET", "/_search/point_in_time/_all", Set.of());
        Set<String> readMeta = union(INDICES, Set.of("local", "master_timeout", "cluster_manager_timeout"));
        put("GET", "/_mapping", readMeta);
        put("GET", "/{index}/_mapping", readMeta);
        put("PUT", "/{index}/_mapping", union(INDICES, MASTER));
        put("POST", "/{index}/_mapping", union(INDICES, MASTER));
        put("GET", "/{index}/_settings", union(readMeta, Set.of("flat_settings")));
        put("PUT", "/{index}/_settings", union(INDICES, MASTER, Set.of("flat_settings")));
        put("POST", "/_aliases", MASTER);
        for (String path : List.of("/_alias", "/_alias/{name}", "/_aliases", "/{index}/_alias", "/{index}/_alias/{name}")) {
            put("GET", path, union(INDICES, Set.of("local")));
        }
        put("HEAD", "/_alias/{name}", union(INDICES, Set.of("local")));
        put("HEAD", "/{index}/_alias/{name}", union(INDICES, Set.of("local")));
        for (String method : List.of("PUT", "POST", "DELETE")) {
            put(method, "/{index}/_alias/{name}", MASTER);
        }
        put("GET", "/_index_template", Set.of("flat_settings", "local", "master_timeout", "cluster_manager_timeout"));
        put("GET", "/_index_template/{name}", Set.of("flat_settings", "local", "master_timeout", "cluster_manager_timeout"));
        put("PUT", "/_index_template/{name}", union(MASTER, Set.of("create", "cause")));
        put("POST", "/_index_template/{name}", union(MASTER, Set.of("create", "cause")));
        put("DELETE", "/_index_template/{name}", MASTER);
        put("PUT", "/{index}", union(MASTER, Set.of("wait_for_active_shards")));
        put("DELETE", "/{index}", union(INDICES, MASTER));
        put("GET", "/{index}", union(readMeta, Set.of("flat_settings")));
        put("HEAD", "/{index}", union(readMeta, Set.of("flat_settings")));
        put("PUT", "/{index}/_doc/{id}", WRITE);
        put("POST", "/{index}/_doc/{id}", WRITE);
        put("POST", "/{index}/_doc", WRITE);
        put("PUT", "/{index}/_create/{id}", WRITE);
        put("POST", "/{index}/_create/{id}", WRITE);
        put("POST", "/{index}/_update/{id}", Set.of("refresh", "routing", "timeout", "wait_for_active_shards", "if_seq_no", "if_primary_term",
                "retry_on_conflict", "_source", "_source_includes", "_source_excludes", "require_alias"));
        put("DELETE", "/{index}/_doc/{id}", Set.of("refresh", "routing", "timeout", "wait_for_active_shards", "if_seq_no", "if_primary_term",
                "version", "version_type"));
        put("GET", "/{index}/_doc/{id}", GET);
        put("HEAD", "/{index}/_doc/{id}", GET);
        put("GET", "/{index}/_source/{id}", GET);
        if (!prefix.isEmpty()) {
            Map<String, Set<String>> prefixed = new HashMap<>();
            byRoute.forEach((key, params) -> {
                int space = key.indexOf(' ');
                prefixed.put(key.substring(0, space) + " " + prefix + key.substring(space + 1), params);
            });
            byRoute.clear();
            byRoute.putAll(prefixed);
        }
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> out = new HashSet<>();
        for (Set<String> s : sets) {
            out.addAll(s);
        }
        return Set.copyOf(out);
    }

    private void put(String method, String path, Set<String> params) {
        byRoute.put(method + " " + path, union(COMMON, params));
    }

    /**
     * Refuses a request to a known route with a parameter the route does not take.
     *
     * @throws SearchException {@code illegal_argument_exception} naming the parameter
     */
    void check(Context ctx) {
        String route;
        try {
            route = ctx.endpointHandlerPath();
        } catch (IllegalStateException e) {
            return;
        }
        Set<String> allowed = byRoute.get(ctx.method().name() + " " + route);
        if (allowed == null) {
            return;
        }
        for (String name : ctx.queryParamMap().keySet()) {
            if (!allowed.contains(name)) {
                TreeSet<String> close = new TreeSet<>();
                for (String a : allowed) {
                    if (similar(name, a)) {
                        close.add(a);
                    }
                }
                throw SearchException.illegalArgument("request [%s] contains unrecognized parameter: [%s]%s", ctx.path(), name,
                        close.isEmpty() ? "; Tributary does not implement it for this request" : " -> did you mean " + (close.size() == 1
                                ? "[" + close.first() + "]" : "any of " + close) + "?");
            }
        }
    }

    /** Close enough to be a typo: one is the other with an s or an underscore more, or they differ in at most two letters. */
    private static boolean similar(String a, String b) {
        if (a.equals(b + "s") || b.equals(a + "s") || a.replace("_", "").equals(b.replace("_", ""))) {
            return true;
        }
        return Math.abs(a.length() - b.length()) <= 2 && EditDistance.between(a, b) <= 2;
    }
}
