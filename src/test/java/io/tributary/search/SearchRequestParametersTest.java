package io.tributary.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.server.TestingServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * URL parameters over real HTTP: each route takes the parameters OpenSearch's does that
 * Tributary implements, refuses the others by name, and the _cat APIs shape their tables as asked.
 */
class SearchRequestParametersTest {
    @TempDir
    static Path dir;

    private static TestingServer server;
    private static SearchHttp http;

    @BeforeAll
    static void start() throws Exception {
        server = TestingServer.start(dir);
        http = new SearchHttp(server.searchUri(), server.adminKey());
        http.ok("POST", "/_bulk?refresh=true", """
                {"index":{"_index":"alpha","_id":"1"}}
                {"n":1}
                {"index":{"_index":"alpha","_id":"2"}}
                {"n":2}
                {"index":{"_index":"beta","_id":"1"}}
                {"n":3}
                """);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void unknownParametersAreRefusedByName() throws Exception {
        SearchHttp.Response bogus = http.call("GET", "/alpha/_search?bogus_param=1", null);
        assertThat(bogus.status()).isEqualTo(400);
        assertThat(bogus.errorType()).isEqualTo("illegal_argument_exception");
        assertThat(bogus.text()).contains("contains unrecognized parameter: [bogus_param]");
        assertThat(http.call("GET", "/alpha/_search?sizee=1", null).text()).contains("did you mean [size]");
        assertThat(http.call("GET", "/alpha/_doc/1?_source_include=n", null).text()).contains("[_source_include]").contains("_source_includes");
        assertThat(http.call("PUT", "/alpha/_doc/9?refreshh=true", "{}").status()).isEqualTo(400);
        assertThat(http.call("GET", "/alpha/_search?terminate_after=5", null).status()).as("a parameter Tributary lacks is refused").isEqualTo(400);
        // Parameters that change nothing on one node are accepted.
        assertThat(http.call("GET", "/alpha/_search?timeout=1s&preference=_local&request_cache=true&search_type=dfs_query_then_fetch", null).status())
                .isEqualTo(200);
        // Index options OpenSearch reads on every search, including one older clients still send.
        assertThat(http.call("GET", "/alpha/_search?ignore_unavailable=true&ignore_throttled=false&expand_wildcards=open", null).status())
                .isEqualTo(200);
        assertThat(http.call("GET", "/alpha/_search?search_type=scan", null).status()).isEqualTo(400);
    }

    @Test
    void resolveIndexListsMatchingIndexesAndAliases() throws Exception {
        // Names of their own: other tests of this class make indexes on the same server.
        http.ok("PUT", "/rz-alpha", "{}");
        http.ok("PUT", "/rz-beta", "{}");
        http.ok("PUT", "/rz-gamma", "{\"aliases\":{\"rz-greek\":{}}}");
        http.ok("POST", "/_aliases", "{\"actions\":[{\"add\":{\"index\":\"rz-alpha\",\"alias\":\"rz-greek\"}}]}");
        JsonNode all = http.ok("GET", "/_resolve/index/rz-*", null);
        assertThat(all.findValuesAsText("name")).containsExactly("rz-alpha", "rz-beta", "rz-gamma", "rz-greek");
        assertThat(all.at("/indices/0/aliases").toString()).isEqualTo("[\"rz-greek\"]");
        assertThat(all.at("/indices/1").has("aliases")).isFalse();
        assertThat(all.at("/indices/1/attributes").toString()).isEqualTo("[\"open\"]");
        assertThat(all.at("/aliases/0/indices").toString()).isEqualTo("[\"rz-alpha\",\"rz-gamma\"]");
        assertThat(all.path("data_streams").isArray()).isTrue();
        // Patterns, exclusions and names; an alias is listed as an alias, not as the indexes behind it.
        assertThat(http.ok("GET", "/_resolve/index/rz-a*,rz-g*,-rz-gamma", null).findValuesAsText("name")).containsExactly("rz-alpha", "rz-greek");
        JsonNode alias = http.ok("GET", "/_resolve/index/rz-greek", null);
        assertThat(alias.path("indices").isEmpty()).isTrue();
        assertThat(alias.at("/aliases/0/name").asText()).isEqualTo("rz-greek");
        assertThat(http.ok("GET", "/_resolve/index/zz*", null).path("indices").isEmpty()).isTrue();
        JsonNode missing = http.ok("GET", "/_resolve/index/nope", null);
        assertThat(missing.path("indices").isEmpty() && missing.path("aliases").isEmpty()).as("no such name: nothing, not a 404").isTrue();
        assertThat(http.call("GET", "/_resolve/index/*?bogus=1", null).status()).isEqualTo(400);
        for (String index : List.of("rz-alpha", "rz-beta", "rz-gamma")) {
            http.ok("DELETE", "/" + index, null);
        }
    }

    @Test
    void urlSearchOptionsApply() throws Exception {
        JsonNode hit = http.ok("GET", "/alpha/_search?q=n:1&version=true&seq_no_primary_term=true", null).at("/hits/hits/0");
        assertThat(hit.path("_version").asLong()).isEqualTo(1);
        assertThat(hit.has("_seq_no")).isTrue();
        assertThat(http.call("GET", "/alpha/_search?track_total_hits=abc", null).text()).contains("[track_total_hits]");
        assertThat(http.call("GET", "/al*/_search?expand_wildcards=none", null).number("/hits/total/value")).isZero();
        assertThat(http.call("GET", "/al*/_search?expand_wildcards=open", null).number("/hits/total/value")).isEqualTo(2);
        SearchHttp.Response none = http.call("GET", "/nothing*/_search?allow_no_indices=false", null);
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.errorType()).isEqualTo("index_not_found_exception");
        assertThat(http.call("GET", "/nothing*/_search", null).number("/hits/total/value")).isZero();
        assertThat(http.ok("GET", "/alpha/_settings?flat_settings=true", null).at("/alpha/settings").has("index.number_of_shards")).isTrue();
        assertThat(http.call("GET", "/alpha/_doc/1?version=1", null).status()).isEqualTo(200);
        assertThat(http.call("GET", "/alpha/_doc/1?version=2", null).status()).isEqualTo(409);
        JsonNode health = http.ok("GET", "/_cluster/health?level=indices&wait_for_status=yellow&timeout=1s", null);
        assertThat(health.at("/indices/alpha/status").asText()).isEqualTo("green");
        assertThat(http.call("GET", "/_cluster/health?level=shards", null).status()).isEqualTo(400);
        http.ok("PUT", "/_index_template/t1", "{\"index_patterns\":[\"t1-*\"]}");
        assertThat(http.call("PUT", "/_index_template/t1?create=true", "{\"index_patterns\":[\"t1-*\"]}").text()).contains("already exists");
        JsonNode bulk = http.ok("POST", "/_bulk?require_alias=true", "{\"index\":{\"_index\":\"alpha\"}}\n{\"n\":9}\n");
        assertThat(bulk.at("/items/0/index/status").asInt()).as("alpha is an index, not an alias").isEqualTo(404);
    }

    @Test
    void catApisShapeTheirTables() throws Exception {
        assertThat(http.call("GET", "/_cat/indices/alpha,beta?h=index,docs.count&s=index", null).text()).isEqualTo("alpha 2\nbeta  1\n");
        assertThat(http.call("GET", "/_cat/indices/alpha,beta?h=i,dc&s=dc:desc", null).text()).isEqualTo("alpha 2\nbeta  1\n");
        assertThat(http.call("GET", "/_cat/indices/alpha,beta?h=index&s=docs.count", null).text()).isEqualTo("beta\nalpha\n");
        JsonNode json = http.ok("GET", "/_cat/indices/alpha?format=json&h=index,docs.count", null);
        assertThat(json).hasSize(1);
        assertThat(json.get(0).path("docs.count").asText()).isEqualTo("2");
        assertThat(json.get(0).size()).isEqualTo(2);
        assertThat(http.call("GET", "/_cat/indices?h=index&health=yellow", null).text()).isEmpty();
        assertThat(http.call("GET", "/_cat/indices?h=nosuchcolumn", null).status()).isEqualTo(400);
        assertThat(http.call("GET", "/_cat/count/alpha?h=count", null).text().trim()).isEqualTo("2");
        assertThat(http.call("GET", "/_cat/count/alpha,beta?h=count", null).text().trim()).isEqualTo("3");
        assertThat(http.call("GET", "/_cat/health?h=status,node.total", null).text()).isEqualTo("green 1\n");
        http.ok("POST", "/_aliases", "{\"actions\":[{\"add\":{\"index\":\"alpha\",\"alias\":\"a1\",\"filter\":{\"term\":{\"n\":1}}}}]}");
        assertThat(http.call("GET", "/_cat/aliases?v&h=alias,index,filter", null).text()).isEqualTo("alias index filter\na1    alpha *\n");
    }

    @Test
    void indexSettingsApplyOrAreRefused() throws Exception {
        StringBuilder doc = new StringBuilder("{");
        for (int i = 0; i < 1100; i++) {
            doc.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":").append(i);
        }
        doc.append('}');
        assertThat(http.call("PUT", "/narrow/_doc/1", doc.toString()).text()).contains("Limit of total fields [1000]");
        http.ok("PUT", "/wide", "{\"settings\":{\"index.mapping.total_fields.limit\":1200}}");
        assertThat(http.call("PUT", "/wide/_doc/1", doc.toString()).status()).isEqualTo(201);
        http.ok("PUT", "/wide/_settings", "{\"index.mapping.total_fields.limit\":1000}");
        assertThat(http.call("PUT", "/wide/_doc/2", "{\"another\":1}").text()).contains("Limit of total fields [1000]");
        for (String setting : java.util.List.of("\"index.hidden\":true", "\"index.codec\":\"best_compression\"", "\"index.mapping.depth.limit\":30",
                "\"index.max_regex_length\":5000")) {
            SearchHttp.Response r = http.call("PUT", "/refused-settings", "{\"settings\":{" + setting + "}}");
            assertThat(r.status()).as(setting).isEqualTo(400);
            assertThat(r.text()).as(setting).contains(setting.substring(1, setting.indexOf('"', 1)));
        }
        assertThat(http.call("PUT", "/replicas", "{\"settings\":{\"index.auto_expand_replicas\":\"0-1\",\"index.hidden\":false}}").status())
                .isEqualTo(200);
    }

    @Test
    void unknownEndpointsAndNodesAnswerAsOpenSearchDoes() throws Exception {
        SearchHttp.Response unknown = http.call("POST", "/alpha/_bogus", "{}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().path("error").asText()).isEqualTo("no handler found for uri [/alpha/_bogus] and method [POST]");
        assertThat(http.call("GET", "/a/b/c/d", null).status()).isEqualTo(400);
        SearchHttp.Response license = http.call("GET", "/_license", null);
        assertThat(license.status()).isEqualTo(400);
        assertThat(license.errorType()).isEqualTo("invalid_index_name_exception");
        assertThat(http.call("PUT", "/_foo", null).errorType()).isEqualTo("invalid_index_name_exception");
        assertThat(http.call("GET", "/_all", null).body().has("alpha")).isTrue();
        JsonNode nodes = http.ok("GET", "/_nodes/_local/http", null);
        assertThat(nodes.at("/_nodes/total").asInt()).isEqualTo(1);
        JsonNode node = nodes.path("nodes").elements().next();
        assertThat(node.at("/http/publish_address").asText()).isEqualTo("127.0.0.1:" + server.searchUri().getPort());
        assertThat(node.path("version").asText()).isEqualTo("3.6.0");
    }

    @Test
    void filterPathAndSourceParametersApply() throws Exception {
        assertThat(http.call("GET", "/alpha/_search?filter_path=hits.total.value", null).text()).isEqualTo("{\"hits\":{\"total\":{\"value\":2}}}");
        assertThat(http.call("GET", "/alpha/_search?filter_path=hits.hits._id&sort=n", null).text())
                .isEqualTo("{\"hits\":{\"hits\":[{\"_id\":\"1\"},{\"_id\":\"2\"}]}}");
        assertThat(http.call("GET", "/alpha/_search?filter_path=-hits,-_shards,-took,-timed_out", null).text()).isEqualTo("{}");
        String query = java.net.URLEncoder.encode("{\"query\":{\"term\":{\"n\":2}}}", java.nio.charset.StandardCharsets.UTF_8);
        assertThat(http.call("GET", "/alpha/_search?source_content_type=application/json&source=" + query, null).number("/hits/total/value"))
                .isEqualTo(1);
        assertThat(http.call("GET", "/alpha/_search?source=" + query, null).status()).isEqualTo(400);
    }

    @Test
    void requestsOpenSearchAcceptsAreAcceptedAndClearErrorsNameTheProblem() throws Exception {
        assertThat(http.call("POST", "/alpha/_search", "{\"size\":1.5}").body().at("/hits/hits")).as("1.5 is read as 1").hasSize(1);
        assertThat(http.call("POST", "/alpha/_search", "{\"track_total_hits\":\"true\"}").number("/hits/total/value")).isEqualTo(2);
        assertThat(http.ok("POST", "/alpha/_search", "{\"track_total_hits\":-1}").at("/hits").has("total")).isFalse();
        JsonNode byIndex = http.ok("POST", "/alpha,beta/_search", "{\"size\":0,\"aggs\":{\"i\":{\"terms\":{\"field\":\"_index\"}}}}");
        assertThat(byIndex.at("/aggregations/i/buckets/0/key").asText()).isEqualTo("alpha");
        assertThat(byIndex.at("/aggregations/i/buckets/0/doc_count").asLong()).isEqualTo(2);
        assertThat(byIndex.at("/aggregations/i/buckets/1/key").asText()).isEqualTo("beta");
        assertThat(http.call("POST", "/alpha/_search", "{\"aggs\":{\"c\":{\"cardinality\":{\"field\":\"_id\"}}}}").text()).contains("[_id]");
        SearchHttp.Response analyzer = http.call("PUT", "/custom", """
                {"settings":{"analysis":{"analyzer":{"my":{"type":"custom","tokenizer":"standard","filter":["lowercase"]}}}}}""");
        assertThat(analyzer.status()).isEqualTo(400);
        assertThat(analyzer.text()).contains("custom analyzers");
        String deep = "{\"query\":" + "{\"bool\":{\"must\":".repeat(60) + "{\"match_all\":{}}" + "}}".repeat(60) + "}";
        assertThat(http.call("POST", "/alpha/_search", deep).text()).contains("nests JSON objects and arrays too deeply");
        http.ok("PUT", "/_index_template/same-1", "{\"index_patterns\":[\"logs-*\"],\"priority\":5}");
        SearchHttp.Response ambiguous = http.call("PUT", "/_index_template/same-2", "{\"index_patterns\":[\"logs-app-*\"],\"priority\":5}");
        assertThat(ambiguous.status()).isEqualTo(400);
        assertThat(ambiguous.text()).contains("same priority [5]");
        assertThat(http.call("PUT", "/_index_template/same-3", "{\"index_patterns\":[\"logs-app-*\"],\"priority\":6}").status()).isEqualTo(200);
        assertThat(http.call("PUT", "/_index_template/same-4", "{\"index_patterns\":[\"metrics-*\"],\"priority\":5}").status()).isEqualTo(200);
    }

    @Test
    void healthWaitsForANamedIndexThenAnswersRed() throws Exception {
        SearchHttp.Response red = http.call("GET", "/_cluster/health/not-yet,alpha?timeout=200ms", null);
        assertThat(red.status()).isEqualTo(408);
        assertThat(red.body().path("status").asText()).isEqualTo("red");
        assertThat(red.body().path("timed_out").asBoolean()).isTrue();
        assertThat(red.body().path("active_shards").asInt()).isEqualTo(1);
        assertThat(red.body().path("unassigned_shards").asInt()).isEqualTo(1);
        assertThat(http.call("GET", "/_cluster/health/not-yet*?timeout=200ms", null).status()).as("a pattern may match nothing").isEqualTo(200);
        assertThat(http.call("GET", "/_cluster/health/not-yet?timeout=abc", null).text()).contains("[timeout]");

        var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return http.call("GET", "/_cluster/health/created-later?timeout=20s&wait_for_status=yellow", null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertThat(waiting).isNotDone();
        http.ok("PUT", "/created-later", null);
        SearchHttp.Response green = waiting.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(green.status()).isEqualTo(200);
        assertThat(green.body().path("status").asText()).isEqualTo("green");
    }

    @Test
    void msearchHeadersApply() throws Exception {
        JsonNode r = http.ok("POST", "/_msearch", "{\"index\":\"alpha,nope\",\"ignore_unavailable\":true}\n{\"size\":0}\n"
                + "{\"index\":\"al*\",\"expand_wildcards\":\"none\"}\n{\"size\":0}\n{\"index\":\"zz*\",\"allow_no_indices\":false}\n{}\n"
                + "{\"index\":\"alpha\",\"typed_keys\":true}\n{\"size\":0,\"aggs\":{\"s\":{\"sum\":{\"field\":\"n\"}}}}\n"
                + "{\"indices\":[\"nope\"]}\n{}\n");
        assertThat(r.at("/responses/0/hits/total/value").asLong()).isEqualTo(2);
        assertThat(r.at("/responses/1/hits/total/value").asLong()).isZero();
        assertThat(r.at("/responses/2/status").asInt()).isEqualTo(404);
        assertThat(r.at("/responses/3/aggregations").has("sum#s")).isTrue();
        assertThat(r.at("/responses/4/status").asInt()).isEqualTo(404);
    }

    @Test
    void partialResultsCanBeRefused() throws Exception {
        http.ok("PUT", "/kw", "{\"mappings\":{\"properties\":{\"c\":{\"type\":\"keyword\"}}}}");
        http.ok("PUT", "/tx", "{\"mappings\":{\"properties\":{\"c\":{\"type\":\"text\"}}}}");
        String body = "{\"sort\":[{\"c\":\"asc\"}]}";
        assertThat(http.call("POST", "/kw,tx/_search", body).status()).isEqualTo(200);
        SearchHttp.Response strict = http.call("POST", "/kw,tx/_search?allow_partial_search_results=false", body);
        assertThat(strict.status()).isEqualTo(400);
        assertThat(strict.text()).contains("[tx]");
    }
}
