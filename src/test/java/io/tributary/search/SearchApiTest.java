package io.tributary.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.client.Credentials;
import io.tributary.common.Json;
import io.tributary.server.TestingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenSearch-compatible API over real HTTP: index lifecycle, bulk with bad lines, search and
 * aggregations, OpenSearch's error shape for hostile input, and authorization by index pattern.
 */
class SearchApiTest {
    @TempDir
    static Path dir;

    private static TestingServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestingServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Response(int status, JsonNode body, HttpResponse<String> raw) {}

    static Response call(String method, String path, String body) throws Exception {
        return call(method, path, body, server.adminKey());
    }

    static Response call(String method, String path, String body, Credentials credentials) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.searchUri() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (credentials != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (credentials.accessKeyId() + ":" + credentials.secret()).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = r.body().isEmpty() ? null : Json.mapper().readTree(r.body());
        } catch (Exception e) {
            // _cat answers text
        }
        return new Response(r.statusCode(), json, r);
    }

    /** A search against any testing server's search API with its admin key, refreshing first. */
    static JsonNode search(TestingServer target, String path, String body) throws Exception {
        Credentials c = target.adminKey();
        String auth = "Basic " + Base64.getEncoder().encodeToString((c.accessKeyId() + ":" + c.secret()).getBytes(StandardCharsets.UTF_8));
        String index = path.substring(1, path.indexOf('/', 1));
        HTTP.send(HttpRequest.newBuilder(URI.create(target.searchUri() + "/" + index + "/_refresh")).POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(target.searchUri() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("search " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return Json.mapper().readTree(r.body());
    }

    @Test
    void indexLifecycleBulkSearchAndAggregations() throws Exception {
        Response created = call("PUT", "/orders", """
                {"settings":{"number_of_shards":1},"mappings":{"properties":{"customer":{"type":"keyword"},"amount":{"type":"double"},
                "placed":{"type":"date"},"note":{"type":"text"}}}}""");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.body().path("acknowledged").asBoolean()).isTrue();
        assertThat(call("PUT", "/orders", "{}").body().path("error").path("type").asText()).isEqualTo("resource_already_exists_exception");

        String bulk = """
                {"index":{"_id":"1"}}
                {"customer":"ann","amount":10.5,"placed":"2026-11-01T10:00:00Z","note":"red mug and blue plate"}
                {"index":{"_id":"2"}}
                {"customer":"bob","amount":4,"placed":"2026-11-01T12:00:00Z","note":"blue mug"}
                this is not json
                {"create":{"_id":"3"}}
                {"customer":"ann","amount":"seven","placed":"2026-11-02T09:00:00Z"}
                {"create":{"_id":"4"}}
                {"customer":"cat","amount":1.25,"placed":"2026-11-03T09:00:00Z","note":"green plate"}
                {"delete":{"_id":"2"}}
                {"index":{"_id":"2"}}
                {"customer":"bob","amount":6,"placed":"2026-11-01T12:00:00Z","note":"blue mug"}
                """;
        Response b = call("POST", "/orders/_bulk?refresh=true", bulk);
        assertThat(b.status()).isEqualTo(200);
        assertThat(b.body().path("errors").asBoolean()).isTrue();
        JsonNode items = b.body().path("items");
        assertThat(items).hasSize(7);
        assertThat(items.get(0).path("index").path("status").asInt()).isEqualTo(201);
        assertThat(items.get(2).path("index").path("error").path("reason").asText()).contains("line [5]");
        assertThat(items.get(3).path("create").path("error").path("type").asText()).isEqualTo("mapper_parsing_exception");
        assertThat(items.get(3).path("create").path("error").path("reason").asText()).contains("amount");
        assertThat(items.get(5).path("delete").path("result").asText()).isEqualTo("deleted");
        assertThat(items.get(6).path("index").path("result").asText()).isEqualTo("created");

        Response search = call("POST", "/orders/_search", """
                {"query":{"bool":{"must":[{"match":{"note":"mug"}}],"filter":[{"range":{"amount":{"gte":5}}}]}},
                 "sort":[{"amount":"desc"}],"_source":["customer"]}""");
        assertThat(search.status()).isEqualTo(200);
        assertThat(search.body().path("hits").path("total").path("value").asLong()).isEqualTo(2);
        assertThat(search.body().path("hits").path("hits")).extracting(h -> h.path("_id").asText()).containsExactly("1", "2");
        assertThat(search.body().path("hits").path("hits").get(0).path("_source").has("amount")).isFalse();
        assertThat(search.body().path("hits").path("hits").get(0).path("sort").get(0).asDouble()).isEqualTo(10.5);

        Response aggs = call("POST", "/orders/_search?typed_keys=true", """
                {"size":0,"aggs":{"by_customer":{"terms":{"field":"customer"},"aggs":{"total":{"sum":{"field":"amount"}}}},
                 "per_day":{"date_histogram":{"field":"placed","calendar_interval":"day"}},
                 "st":{"stats":{"field":"amount"}},"uniq":{"cardinality":{"field":"customer"}}}}""");
        JsonNode a = aggs.body().path("aggregations");
        JsonNode customers = a.path("sterms#by_customer").path("buckets");
        assertThat(customers).extracting(x -> x.path("key").asText()).containsExactly("ann", "bob", "cat");
        assertThat(customers.get(1).path("sum#total").path("value").asDouble()).isEqualTo(6.0);
        assertThat(a.path("date_histogram#per_day").path("buckets")).extracting(x -> x.path("doc_count").asLong()).containsExactly(2L, 0L, 1L);
        assertThat(a.path("stats#st").path("sum").asDouble()).isEqualTo(10.5 + 6 + 1.25);
        assertThat(a.path("cardinality#uniq").path("value").asLong()).isEqualTo(3);

        assertThat(call("GET", "/orders/_count", null).body().path("count").asLong()).isEqualTo(3);
        assertThat(call("GET", "/orders/_doc/2", null).body().path("_version").asLong()).isEqualTo(3);
        assertThat(call("GET", "/orders/_doc/nope", null).status()).isEqualTo(404);
        assertThat(call("GET", "/ord*/_mapping", null).body().path("orders").path("mappings").path("properties").path("amount").path("type")
                .asText()).isEqualTo("double");
        Response cat = call("GET", "/_cat/indices?v", null);
        assertThat(cat.raw().body()).contains("docs.count").contains("orders");
        assertThat(call("GET", "/_cluster/health", null).body().path("status").asText()).isEqualTo("green");
        assertThat(call("GET", "/", null).body().path("version").path("number").asText()).isEqualTo("3.6.0");
        assertThat(call("GET", "/orders/_field_caps?fields=amount,customer", null).body().path("fields").path("amount").has("double")).isTrue();
        Response msearch = call("POST", "/_msearch", "{\"index\":\"orders\"}\n{\"query\":{\"term\":{\"customer\":\"ann\"}}}\n{\"index\":\"missing\"}\n{}\n");
        assertThat(msearch.body().path("responses").get(0).path("hits").path("total").path("value").asLong()).isEqualTo(1);
        assertThat(msearch.body().path("responses").get(1).path("status").asInt()).isEqualTo(404);
    }

    @Test
    void hostileInputGetsOpenSearchShapedClientErrors() throws Exception {
        call("PUT", "/hostile", "{\"mappings\":{\"properties\":{\"n\":{\"type\":\"long\"},\"k\":{\"type\":\"keyword\"}}}}");
        call("PUT", "/hostile/_doc/1?refresh=true", "{\"n\":1,\"k\":\"abc\"}");
        Response unknownQuery = call("POST", "/hostile/_search", "{\"query\":{\"match\":{\"k\":{\"query\":\"x\",\"bogus\":1}}}}");
        assertThat(unknownQuery.status()).isEqualTo(400);
        assertThat(unknownQuery.body().path("error").path("type").asText()).isEqualTo("parsing_exception");
        assertThat(unknownQuery.body().path("error").path("reason").asText()).contains("bogus");
        assertThat(unknownQuery.body().path("error").path("root_cause").get(0).path("type").asText()).isEqualTo("parsing_exception");
        assertThat(unknownQuery.body().path("status").asInt()).isEqualTo(400);
        assertThat(call("POST", "/hostile/_search", "{\"quary\":{}}").body().path("error").path("reason").asText()).contains("quary");
        Response conflict = call("PUT", "/hostile/_mapping", "{\"properties\":{\"n\":{\"type\":\"text\"}}}");
        assertThat(conflict.status()).isEqualTo(400);
        assertThat(conflict.body().path("error").path("reason").asText()).contains("cannot be changed from type [long] to [text]");
        Response badType = call("PUT", "/hostile/_doc/2", "{\"n\":\"not a number\"}");
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.body().path("error").path("type").asText()).isEqualTo("mapper_parsing_exception");
        String deep = "{\"query\":" + "{\"bool\":{\"must\":".repeat(150) + "{\"match_all\":{}}" + "}}".repeat(150) + "}";
        Response deepResponse = call("POST", "/hostile/_search", deep);
        assertThat(deepResponse.status()).isEqualTo(400);
        assertThat(deepResponse.body().path("error").path("reason").asText()).containsIgnoringCase("depth");
        Response regex = call("POST", "/hostile/_search", "{\"query\":{\"regexp\":{\"k\":\"(a|aa)*(b|bb)*((c|cc){10,100}){10,100}\"}}}");
        assertThat(regex.status()).isEqualTo(400);
        Response longWildcard = call("POST", "/hostile/_search", "{\"query\":{\"wildcard\":{\"k\":\"" + "*a".repeat(600) + "\"}}}");
        assertThat(longWildcard.status()).isEqualTo(400);
        assertThat(longWildcard.body().path("error").path("reason").asText()).contains("allowed maximum");
        Response huge = call("POST", "/hostile/_bulk", "{\"index\":{}}\n{\"k\":\"" + "x".repeat(17 * 1024 * 1024) + "\"}\n");
        assertThat(huge.status()).isEqualTo(413);
        Response tooManyBuckets = call("POST", "/hostile/_search",
                "{\"size\":0,\"aggs\":{\"h\":{\"histogram\":{\"field\":\"n\",\"interval\":1,\"extended_bounds\":{\"min\":0,\"max\":10000000}}}}}");
        assertThat(tooManyBuckets.status()).isEqualTo(400);
        assertThat(tooManyBuckets.body().path("error").path("type").asText()).isEqualTo("too_many_buckets_exception");
        assertThat(call("GET", "/nothere/_search", null).body().path("error").path("type").asText()).isEqualTo("index_not_found_exception");
        assertThat(call("PUT", "/Bad_Name", null).body().path("error").path("type").asText()).isEqualTo("invalid_index_name_exception");
        assertThat(call("POST", "/hostile/_search", "{\"size\":20000}").body().path("error").path("reason").asText()).contains("Result window is too large");
        // The index is still consistent and usable after all of that.
        assertThat(call("GET", "/hostile/_count", null).body().path("count").asLong()).isEqualTo(1);
    }

    @Test
    void authenticationAndIndexPermissions() throws Exception {
        Response anonymous = call("GET", "/_search", null, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(anonymous.body().path("error").path("type").asText()).isEqualTo("security_exception");

        call("PUT", "/retail", null);
        call("PUT", "/other-1", null);
        Response role = call("PUT", "/_plugins/_security/api/roles/other_only", """
                {"cluster_permissions":["cluster_monitor"],"index_permissions":[{"index_patterns":["other*"],"allowed_actions":["crud","create_index"]}]}""");
        assertThat(role.status()).isEqualTo(201);
        JsonNode key = server.client().post("/api/access-keys", Json.mapper().createObjectNode().put("description", "narrow"));
        Credentials narrow = new Credentials(key.path("id").asText(), key.path("secret").asText());
        assertThat(call("PUT", "/_plugins/_security/api/rolesmapping/other_only", "{\"access_keys\":[\"" + narrow.accessKeyId() + "\"]}").status())
                .isEqualTo(200);

        assertThat(call("POST", "/retail/_search", "{}", narrow).status()).isEqualTo(403);
        Response write = call("PUT", "/retail/_doc/1", "{\"a\":1}", narrow);
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.body().path("error").path("type").asText()).isEqualTo("security_exception");
        assertThat(call("POST", "/ret*/_search", "{}", narrow).status()).isEqualTo(403);
        assertThat(call("POST", "/_search", "{}", narrow).status()).as("_all includes retail").isEqualTo(403);
        JsonNode bulk = call("POST", "/_bulk", "{\"index\":{\"_index\":\"retail\"}}\n{\"a\":1}\n{\"index\":{\"_index\":\"other-1\"}}\n{\"a\":1}\n", narrow).body();
        assertThat(bulk.path("items").get(0).path("index").path("status").asInt()).isEqualTo(403);
        assertThat(bulk.path("items").get(1).path("index").path("status").asInt()).isEqualTo(201);
        assertThat(call("POST", "/other*/_search", "{}", narrow).status()).isEqualTo(200);
        assertThat(call("PUT", "/other-2/_doc/1", "{\"a\":1}", narrow).status()).as("create_index allows auto-creation").isEqualTo(201);
        assertThat(call("DELETE", "/other-1", null, narrow).status()).as("crud does not include manage").isEqualTo(403);
        assertThat(call("PUT", "/_plugins/_security/api/roles/mine", "{}", narrow).status()).isEqualTo(403);
        assertThat(call("GET", "/_plugins/_security/authinfo", null, narrow).body().path("roles").get(0).asText()).isEqualTo("other_only");
        // The admin's key still reaches everything.
        assertThat(call("POST", "/retail/_search", "{}").status()).isEqualTo(200);
    }
}
