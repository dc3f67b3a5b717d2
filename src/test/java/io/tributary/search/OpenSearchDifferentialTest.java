package io.tributary.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import io.tributary.server.TestingServer;
import io.tributary.testing.OpenSearchNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same requests to Tributary and to a real OpenSearch 3.6 started by the test, over the same
 * 3,000 rows of the real Online Retail II sample (dates converted to ISO-8601 as the sink does):
 * totals, hit ids (in order where the request sorts), sources, aggregation results (numbers to a
 * relative 1e-9), dynamic mappings and bulk item statuses must agree.
 */
class OpenSearchDifferentialTest {
    private static final int ROWS = 3000;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    private static TestingServer tributary;
    private static OpenSearchNode opensearch;
    private static String auth;

    @BeforeAll
    static void start() throws Exception {
        opensearch = OpenSearchNode.start();
        tributary = TestingServer.start(dir);
        auth = "Basic " + Base64.getEncoder().encodeToString((tributary.adminKey().accessKeyId() + ":" + tributary.adminKey().secret())
                .getBytes(StandardCharsets.UTF_8));
        String mapping = """
                {"mappings":{"properties":{"row":{"type":"long"},"Invoice":{"type":"keyword"},"StockCode":{"type":"keyword"},
                 "Description":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}},"Quantity":{"type":"integer"},
                 "InvoiceDate":{"type":"date"},"Price":{"type":"double"},"Customer_ID":{"type":"keyword"},"Country":{"type":"keyword"}}}}""";
        String bulk = bulkBody();
        for (URI target : targets()) {
            assertThat(send(target, "PUT", "/diff", mapping).statusCode()).isEqualTo(200);
            assertThat(send(target, "PUT", "/diffdyn", null).statusCode()).isEqualTo(200);
            assertThat(Json.mapper().readTree(send(target, "POST", "/diff/_bulk?refresh=true", bulk).body()).path("errors").asBoolean()).isFalse();
            assertThat(Json.mapper().readTree(send(target, "POST", "/diffdyn/_bulk?refresh=true", bulk).body()).path("errors").asBoolean()).isFalse();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (tributary != null) {
            tributary.close();
        }
        if (opensearch != null) {
            opensearch.close();
        }
    }

    private static List<URI> targets() {
        return List.of(tributary.searchUri(), opensearch.uri());
    }

    private static String bulkBody() throws Exception {
        StringBuilder sb = new StringBuilder();
        DateTimeFormatter lab = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(Path.of("samples/online-retail-ii.ndjson.gz"))), StandardCharsets.UTF_8))) {
            for (int row = 0; row < ROWS; row++) {
                ObjectNode r = (ObjectNode) Json.mapper().readTree(reader.readLine());
                r.put("InvoiceDate", LocalDateTime.parse(r.get("InvoiceDate").asText(), lab).toInstant(ZoneOffset.UTC).toString());
                r.put("row", row);
                sb.append("{\"index\":{\"_id\":\"").append(row).append("\"}}\n").append(r).append('\n');
            }
        }
        return sb.toString();
    }

    private static HttpResponse<String> send(URI target, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (target.equals(tributary.searchUri())) {
            b.header("Authorization", auth);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode[] both(String method, String path, String body) throws Exception {
        HttpResponse<String> t = send(tributary.searchUri(), method, path, body);
        HttpResponse<String> o = send(opensearch.uri(), method, path, body);
        assertThat(t.statusCode()).as("status of %s %s %s (OpenSearch said %s; Tributary %s)", method, path, body,
                o.body().substring(0, Math.min(300, o.body().length())), t.body().substring(0, Math.min(300, t.body().length())))
                .isEqualTo(o.statusCode());
        return new JsonNode[] {Json.mapper().readTree(t.body()), Json.mapper().readTree(o.body())};
    }

    private static final List<String> SORTED_QUERIES = List.of(
            "{\"size\":20,\"sort\":[{\"row\":\"asc\"}]}",
            "{\"size\":50,\"query\":{\"term\":{\"Country\":\"France\"}},\"sort\":[\"row\"]}",
            "{\"size\":50,\"query\":{\"terms\":{\"StockCode\":[\"21844\",\"22071\",\"85123A\"]}},\"sort\":[{\"row\":\"desc\"}]}",
            "{\"size\":100,\"query\":{\"range\":{\"Quantity\":{\"gte\":10,\"lt\":20}}},\"sort\":[{\"Quantity\":\"desc\"},{\"row\":\"asc\"}]}",
            "{\"size\":100,\"query\":{\"range\":{\"InvoiceDate\":{\"gte\":\"2009-12-06T00:00:00Z\",\"lt\":\"2009-12-06||+1d\"}}},\"sort\":[\"row\"]}",
            "{\"size\":100,\"query\":{\"range\":{\"InvoiceDate\":{\"gt\":\"2009-12-06||/d\",\"lte\":\"2009-12-08||/d\"}}},\"sort\":[\"row\"]}",
            "{\"size\":100,\"query\":{\"match\":{\"Description\":\"heart\"}},\"sort\":[\"row\"]}",
            "{\"size\":100,\"query\":{\"match\":{\"Description\":{\"query\":\"retro spot mug\",\"operator\":\"and\"}}},\"sort\":[\"row\"]}",
            "{\"size\":100,\"query\":{\"match_phrase\":{\"Description\":\"retro spot\"}},\"sort\":[\"row\"]}",
            "{\"size\":100,\"query\":{\"multi_match\":{\"query\":\"heart\",\"fields\":[\"Description\",\"Country\"]}},\"sort\":[\"row\"]}",
            "{\"size\":100,\"query\":{\"bool\":{\"must\":[{\"match\":{\"Description\":\"bag\"}}],\"filter\":[{\"range\":{\"Price\":{\"lte\":2}}}],"
                    + "\"must_not\":[{\"term\":{\"Country\":\"United Kingdom\"}}]}},\"sort\":[\"row\"]}",
            "{\"size\":100,\"query\":{\"bool\":{\"should\":[{\"term\":{\"Country\":\"France\"}},{\"term\":{\"Country\":\"Germany\"}},"
                    + "{\"range\":{\"Quantity\":{\"gte\":100}}}],\"minimum_should_match\":1}},\"sort\":[\"row\"]}",
            "{\"size\":100,\"query\":{\"bool\":{\"must_not\":[{\"exists\":{\"field\":\"Description\"}}]}},\"sort\":[\"row\"]}",
            "{\"size\":100,\"query\":{\"prefix\":{\"StockCode\":\"8512\"}},\"sort\":[\"row\"]}",
            "{\"size\":100,\"query\":{\"wildcard\":{\"Description.keyword\":\"*LUNCH BAG*\"}},\"sort\":[\"row\"]}",
            "{\"size\":100,\"query\":{\"query_string\":{\"query\":\"Description:heart AND Quantity:[5 TO 12]\"}},\"sort\":[\"row\"]}",
            "{\"size\":100,\"query\":{\"query_string\":{\"query\":\"(lunch OR jumbo) AND NOT Country:\\\"United Kingdom\\\"\","
                    + "\"default_field\":\"Description\"}},\"sort\":[\"row\"]}",
            "{\"size\":10,\"sort\":[{\"Price\":\"desc\"},{\"row\":\"asc\"}],\"_source\":[\"Invoice\",\"Price\"]}",
            "{\"size\":10,\"sort\":[{\"Customer_ID\":{\"order\":\"asc\",\"missing\":\"_first\"}},{\"row\":\"asc\"}]}",
            "{\"size\":10,\"from\":30,\"sort\":[{\"InvoiceDate\":\"desc\"},{\"row\":\"desc\"}]}",
            "{\"size\":10,\"sort\":[{\"row\":\"asc\"}],\"search_after\":[2990]}",
            "{\"size\":5,\"track_total_hits\":100,\"sort\":[\"row\"]}",
            "{\"size\":5,\"track_total_hits\":false,\"sort\":[\"row\"]}",
            "{\"size\":12,\"sort\":[{\"_id\":\"desc\"}]}",
            "{\"size\":12,\"query\":{\"term\":{\"Country\":\"France\"}},\"sort\":[\"_id\"],\"search_after\":[\"1205\"]}");

    @Test
    void hitsTotalsAndSourcesAgree() throws Exception {
        for (String index : List.of("diff", "diffdyn")) {
            for (String query : SORTED_QUERIES) {
                String q = index.equals("diffdyn") ? query.replace("\"Country\"", "\"Country.keyword\"").replace("\"StockCode\"", "\"StockCode.keyword\"")
                        .replace("\"Customer_ID\"", "\"Customer_ID.keyword\"").replace("Country:", "Country.keyword:") : query;
                JsonNode[] r = both("POST", "/" + index + "/_search", q);
                String what = index + " " + q;
                assertThat(r[0].path("hits").path("total")).as("total of %s", what).isEqualTo(r[1].path("hits").path("total"));
                assertThat(ids(r[0])).as("hits of %s", what).isEqualTo(ids(r[1]));
                for (int i = 0; i < r[0].path("hits").path("hits").size(); i++) {
                    assertThat(r[0].path("hits").path("hits").get(i).path("_source")).as("source of %s", what)
                            .isEqualTo(r[1].path("hits").path("hits").get(i).path("_source"));
                    assertThat(r[0].path("hits").path("hits").get(i).path("sort").toString()).as("sort values of %s", what)
                            .isEqualTo(r[1].path("hits").path("hits").get(i).path("sort").toString());
                }
            }
        }
    }

    @Test
    void scoredMatchesAgreeOnTheTopHits() throws Exception {
        JsonNode[] r = both("POST", "/diff/_search", "{\"size\":10,\"query\":{\"match\":{\"Description\":\"red heart\"}}}");
        assertThat(r[0].path("hits").path("total")).isEqualTo(r[1].path("hits").path("total"));
        List<Double> ours = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        r[0].path("hits").path("hits").forEach(h -> ours.add(h.path("_score").asDouble()));
        r[1].path("hits").path("hits").forEach(h -> theirs.add(h.path("_score").asDouble()));
        assertThat(ours).hasSameSizeAs(theirs);
        for (int i = 0; i < ours.size(); i++) {
            assertThat(ours.get(i)).as("BM25 score %d", i).isCloseTo(theirs.get(i), org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    private static final List<String> AGGREGATIONS = List.of(
            "{\"per_day\":{\"date_histogram\":{\"field\":\"InvoiceDate\",\"calendar_interval\":\"day\"},\"aggs\":{\"q\":{\"sum\":{\"field\":\"Quantity\"}}}}}",
            "{\"h\":{\"date_histogram\":{\"field\":\"InvoiceDate\",\"fixed_interval\":\"12h\",\"time_zone\":\"+01:00\",\"min_doc_count\":1}}}",
            "{\"m\":{\"date_histogram\":{\"field\":\"InvoiceDate\",\"calendar_interval\":\"month\",\"extended_bounds\":{\"min\":\"2009-10-01T00:00:00Z\",\"max\":\"2010-03-01T00:00:00Z\"}}}}",
            "{\"w\":{\"date_histogram\":{\"field\":\"InvoiceDate\",\"calendar_interval\":\"week\",\"time_zone\":\"Europe/London\"},\"aggs\":{\"p\":{\"max\":{\"field\":\"Price\"}}}}}",
            "{\"c\":{\"terms\":{\"field\":\"Country\",\"size\":5},\"aggs\":{\"avg_price\":{\"avg\":{\"field\":\"Price\"}},\"q\":{\"sum\":{\"field\":\"Quantity\"}}}}}",
            "{\"c\":{\"terms\":{\"field\":\"Country\",\"order\":{\"_key\":\"asc\"},\"size\":50}}}",
            "{\"c\":{\"terms\":{\"field\":\"Country\",\"order\":{\"q\":\"desc\"},\"size\":3},\"aggs\":{\"q\":{\"sum\":{\"field\":\"Quantity\"}}}}}",
            "{\"q\":{\"terms\":{\"field\":\"Quantity\",\"size\":8}}}",
            "{\"p\":{\"histogram\":{\"field\":\"Price\",\"interval\":5}}}",
            "{\"p\":{\"histogram\":{\"field\":\"Quantity\",\"interval\":10,\"min_doc_count\":1}}}",
            "{\"r\":{\"range\":{\"field\":\"Quantity\",\"ranges\":[{\"to\":5},{\"from\":5,\"to\":20},{\"from\":20}]},\"aggs\":{\"s\":{\"stats\":{\"field\":\"Price\"}}}}}",
            "{\"f\":{\"filter\":{\"term\":{\"Country\":\"France\"}},\"aggs\":{\"s\":{\"stats\":{\"field\":\"Quantity\"}},\"v\":{\"value_count\":{\"field\":\"Invoice\"}}}}}",
            "{\"u\":{\"cardinality\":{\"field\":\"Invoice\"}},\"uc\":{\"cardinality\":{\"field\":\"Customer_ID\"}}}",
            "{\"first\":{\"min\":{\"field\":\"InvoiceDate\"}},\"last\":{\"max\":{\"field\":\"InvoiceDate\"}},\"total\":{\"sum\":{\"field\":\"Price\"}}}",
            "{\"none\":{\"avg\":{\"field\":\"missing_field\"}},\"nosum\":{\"sum\":{\"field\":\"missing_field\"}}}",
            "{\"d\":{\"stats\":{\"field\":\"InvoiceDate\"}},\"m\":{\"min\":{\"field\":\"InvoiceDate\",\"format\":\"yyyy-MM-dd\"}},"
                    + "\"p\":{\"max\":{\"field\":\"Price\",\"format\":\"0.00\"}},\"s\":{\"sum\":{\"field\":\"InvoiceDate\"}}}",
            "{\"q\":{\"terms\":{\"field\":\"Quantity\",\"format\":\"000\",\"size\":3}},\"d\":{\"terms\":{\"field\":\"InvoiceDate\",\"format\":\"yyyy-MM\",\"size\":2}},"
                    + "\"c\":{\"terms\":{\"field\":\"Country\",\"size\":2,\"show_term_doc_count_error\":true}}}",
            "{\"f\":{\"filters\":{\"filters\":{\"fr\":{\"term\":{\"Country\":\"France\"}},\"big\":{\"range\":{\"Quantity\":{\"gte\":20}}}},"
                    + "\"other_bucket_key\":\"rest\"},\"aggs\":{\"q\":{\"sum\":{\"field\":\"Quantity\"}}}},"
                    + "\"a\":{\"filters\":{\"filters\":[{\"match\":{\"Description\":\"heart\"}}],\"other_bucket\":true}}}",
            "{\"m\":{\"missing\":{\"field\":\"Customer_ID\"},\"aggs\":{\"c\":{\"terms\":{\"field\":\"Country\",\"size\":3}}}},"
                    + "\"e\":{\"extended_stats\":{\"field\":\"Quantity\"}},\"p\":{\"extended_stats\":{\"field\":\"Price\",\"sigma\":3}}}",
            "{\"i\":{\"terms\":{\"field\":\"Country\",\"include\":\"F.*|G.*\"}},\"x\":{\"terms\":{\"field\":\"Country\",\"exclude\":[\"United Kingdom\"],\"size\":3}},"
                    + "\"n\":{\"terms\":{\"field\":\"Quantity\",\"include\":[1,2,3,12]}}}",
            "{\"t\":{\"top_hits\":{\"size\":2,\"_source\":[\"Description\",\"Price\"]}},\"c\":{\"terms\":{\"field\":\"Country\",\"size\":3},"
                    + "\"aggs\":{\"l\":{\"top_hits\":{\"size\":2,\"sort\":[{\"InvoiceDate\":\"desc\"},{\"row\":\"asc\"}],\"_source\":{\"includes\":[\"row\"]}}}}},"
                    + "\"s\":{\"top_hits\":{\"size\":3,\"from\":1,\"sort\":[{\"Price\":\"desc\"},{\"row\":\"asc\"}],\"track_scores\":true,"
                    + "\"_source\":false,\"version\":true,\"docvalue_fields\":[{\"field\":\"InvoiceDate\",\"format\":\"yyyy-MM-dd\"}]}}}");

    @Test
    void aggregationResultsAgree() throws Exception {
        for (String index : List.of("diff", "diffdyn")) {
            for (String aggs : AGGREGATIONS) {
                String a = index.equals("diffdyn") ? aggs.replace("\"Country\"", "\"Country.keyword\"").replace("\"Invoice\"", "\"Invoice.keyword\"")
                        .replace("\"Customer_ID\"", "\"Customer_ID.keyword\"") : aggs;
                for (String query : List.of("{\"match_all\":{}}", "{\"match\":{\"Description\":\"bag\"}}")) {
                    String body = "{\"size\":0,\"query\":" + query + ",\"aggs\":" + a + "}";
                    JsonNode[] r = both("POST", "/" + index + "/_search?typed_keys=true", body);
                    assertThat(r[0].path("hits").path("total")).as("total of %s", body).isEqualTo(r[1].path("hits").path("total"));
                    assertSame(r[0].path("aggregations"), r[1].path("aggregations"), index + " " + body + " at aggregations");
                }
            }
        }
    }

    @Test
    void mappingsCountsAndBulkItemsAgree() throws Exception {
        JsonNode[] mappings = both("GET", "/diffdyn/_mapping", null);
        assertThat(mappings[0].path("diffdyn").path("mappings").path("properties"))
                .isEqualTo(mappings[1].path("diffdyn").path("mappings").path("properties"));
        JsonNode[] count = both("POST", "/diff/_count", "{\"query\":{\"match\":{\"Description\":\"heart\"}}}");
        assertThat(count[0].path("count")).isEqualTo(count[1].path("count"));
        String bulk = "{\"index\":{\"_index\":\"diffbulk\",\"_id\":\"a\"}}\n{\"n\":1}\n{\"index\":{\"_index\":\"diffbulk\",\"_id\":\"b\"}}\n{\"n\":\"x\"}\n"
                + "{\"create\":{\"_index\":\"diffbulk\",\"_id\":\"a\"}}\n{\"n\":2}\n{\"delete\":{\"_index\":\"diffbulk\",\"_id\":\"zz\"}}\n"
                + "{\"update\":{\"_index\":\"diffbulk\",\"_id\":\"a\"}}\n{\"doc\":{\"m\":3}}\n";
        JsonNode[] r = both("POST", "/_bulk?refresh=true", bulk);
        assertThat(r[0].path("errors")).isEqualTo(r[1].path("errors"));
        for (int i = 0; i < r[1].path("items").size(); i++) {
            JsonNode ours = r[0].path("items").get(i);
            JsonNode theirs = r[1].path("items").get(i);
            String op = theirs.fieldNames().next();
            assertThat(ours.path(op).path("status")).as("item %d status", i).isEqualTo(theirs.path(op).path("status"));
            assertThat(ours.path(op).path("result")).as("item %d result", i).isEqualTo(theirs.path(op).path("result"));
            assertThat(ours.path(op).path("error").path("type")).as("item %d error", i).isEqualTo(theirs.path(op).path("error").path("type"));
        }
        JsonNode[] doc = both("GET", "/diffbulk/_doc/a", null);
        assertThat(doc[0].path("_source")).isEqualTo(doc[1].path("_source"));
        assertThat(doc[0].path("_version")).isEqualTo(doc[1].path("_version"));
        JsonNode[] missing = both("GET", "/no-such-index/_search", null);
        assertThat(missing[0].path("error").path("type")).isEqualTo(missing[1].path("error").path("type"));
        JsonNode[] exists = both("PUT", "/diff", null);
        assertThat(exists[0].path("error").path("type")).isEqualTo(exists[1].path("error").path("type"));
    }

    @Test
    void resolveIndexAgrees() throws Exception {
        both("PUT", "/diffres-b", null);
        both("PUT", "/diffres-a", "{\"aliases\":{\"diffres-x\":{}}}");
        both("POST", "/_aliases", "{\"actions\":[{\"add\":{\"index\":\"diffres-b\",\"alias\":\"diffres-x\"}}]}");
        for (String path : List.of("/_resolve/index/diffres-*", "/_resolve/index/diffres-x", "/_resolve/index/diffres-a,diffres-x",
                "/_resolve/index/diffres-*,-diffres-b", "/_resolve/index/nothing-*", "/_resolve/index/diffres-none")) {
            JsonNode[] r = both("GET", path, null);
            assertThat(r[0]).as(path).isEqualTo(r[1]);
        }
    }

    @Test
    void aliasFiltersMixedMappingsAndMetadataFieldsAgree() throws Exception {
        both("POST", "/_aliases", "{\"actions\":[{\"add\":{\"index\":\"diff\",\"alias\":\"diff-fr\",\"filter\":{\"term\":{\"Country\":\"France\"}}}},"
                + "{\"add\":{\"index\":\"diffdyn\",\"alias\":\"diff-big\",\"filter\":{\"range\":{\"Quantity\":{\"gte\":24}}}}}]}");
        for (String path : List.of("/diff-fr/_count", "/diff-fr,diff-big/_count", "/diff-fr,diff/_count", "/diff-*/_count")) {
            JsonNode[] r = both("GET", path, null);
            assertThat(r[0].path("count")).as(path).isEqualTo(r[1].path("count"));
        }
        for (String body : List.of("{\"size\":0,\"aggs\":{\"c\":{\"terms\":{\"field\":\"Country\"}}}}",
                "{\"size\":0,\"aggs\":{\"c\":{\"terms\":{\"field\":\"Country\"}}}}",
                "{\"size\":10,\"query\":{\"range\":{\"Quantity\":{\"gte\":30}}},\"sort\":[{\"row\":\"asc\"}]}")) {
            JsonNode[] r = both("POST", "/diff-fr/_search", body);
            assertThat(r[0].path("hits").path("total")).as(body).isEqualTo(r[1].path("hits").path("total"));
            assertThat(ids(r[0])).as(body).isEqualTo(ids(r[1]));
            assertSame(r[0].path("aggregations"), r[1].path("aggregations"), "diff-fr " + body);
        }
        // Country is keyword in diff and text in diffdyn: diffdyn fails alone for sorts and aggregations, and queries run on both.
        for (String body : List.of("{\"size\":0,\"aggs\":{\"c\":{\"terms\":{\"field\":\"Country\",\"size\":50}}}}",
                "{\"size\":0,\"aggs\":{\"c\":{\"cardinality\":{\"field\":\"Country\"}}}}",
                "{\"size\":20,\"sort\":[{\"Country\":\"asc\"},{\"row\":\"asc\"}]}",
                "{\"size\":0,\"query\":{\"match\":{\"Country\":\"united kingdom\"}}}")) {
            JsonNode[] r = both("POST", "/diff,diffdyn/_search", body);
            assertThat(r[0].path("_shards").path("failed")).as(body).isEqualTo(r[1].path("_shards").path("failed"));
            assertThat(r[0].path("_shards").path("failures").path(0).path("index")).as(body)
                    .isEqualTo(r[1].path("_shards").path("failures").path(0).path("index"));
            assertThat(r[0].path("hits").path("total")).as(body).isEqualTo(r[1].path("hits").path("total"));
            assertThat(ids(r[0])).as(body).isEqualTo(ids(r[1]));
            assertSame(r[0].path("aggregations"), r[1].path("aggregations"), "diff,diffdyn " + body);
        }
        for (String query : List.of("{\"term\":{\"_id\":\"17\"}}", "{\"terms\":{\"_id\":[\"17\",\"18\",\"nope\"]}}",
                "{\"term\":{\"_index\":\"diffdyn\"}}", "{\"wildcard\":{\"_index\":\"diffd*\"}}",
                "{\"match\":{\"Description\":{\"query\":\"white heart\",\"minimum_should_match\":\"3\"}}}",
                "{\"bool\":{\"must\":[{\"term\":{\"Country\":\"France\"}}],\"minimum_should_match\":1}}")) {
            String body = "{\"size\":0,\"query\":" + query + "}";
            JsonNode[] r = both("POST", "/diff,diffdyn/_search", body);
            assertThat(r[0].path("hits").path("total")).as(body).isEqualTo(r[1].path("hits").path("total"));
        }
        JsonNode[] exists = both("POST", "/diff/_search", "{\"query\":{\"exists\":{\"field\":\"\"}}}");
        assertThat(exists[0].path("error").path("root_cause").path(0).path("type")).isEqualTo(exists[1].path("error").path("root_cause").path(0).path("type"));
        for (String path : List.of("/no-such-index", "/_alias/no-such-alias", "/diff/_alias/no-such-alias", "/_alias/diff-fr")) {
            assertThat(send(tributary.searchUri(), "HEAD", path, null).statusCode()).as("HEAD %s", path)
                    .isEqualTo(send(opensearch.uri(), "HEAD", path, null).statusCode());
        }
    }

    @Test
    void conditionalWritesAgree() throws Exception {
        String[][] steps = {
                {"PUT", "/diffocc/_doc/1", "{\"a\":1}"},
                {"PUT", "/diffocc/_doc/1?if_seq_no=0&if_primary_term=1", "{\"a\":2}"},
                {"PUT", "/diffocc/_doc/1?if_seq_no=0&if_primary_term=1", "{\"a\":3}"},
                {"POST", "/diffocc/_update/1?if_seq_no=1&if_primary_term=1", "{\"doc\":{\"b\":1}}"},
                {"DELETE", "/diffocc/_doc/1?if_seq_no=1&if_primary_term=1", null},
                {"PUT", "/diffocc/_doc/1?if_seq_no=1", "{\"a\":4}"},
                {"PUT", "/diffocc/_doc/e?version=5&version_type=external", "{\"a\":1}"},
                {"PUT", "/diffocc/_doc/e?version=5&version_type=external", "{\"a\":1}"},
                {"PUT", "/diffocc/_doc/e?version=5&version_type=external_gte", "{\"a\":2}"},
                {"DELETE", "/diffocc/_doc/e?version=9&version_type=external", null},
                {"PUT", "/diffocc/_doc/e?version=8&version_type=external", "{\"a\":3}"},
                {"PUT", "/diffocc/_doc/e?version=10&version_type=external", "{\"a\":3}"},
                {"PUT", "/diffocc/_doc/e?version=11", "{\"a\":3}"},
                {"PUT", "/diffocc/_create/f?version=11&version_type=external", "{\"a\":3}"},
                {"PUT", "/diffocc/_doc/e?op_type=bogus", "{\"a\":3}"}};
        for (String[] step : steps) {
            JsonNode[] r = both(step[0], step[1], step[2]);
            assertThat(r[0].path("result")).as("%s %s", step[0], step[1]).isEqualTo(r[1].path("result"));
            assertThat(r[0].path("_version")).as("%s %s", step[0], step[1]).isEqualTo(r[1].path("_version"));
            assertThat(r[0].path("error").path("type")).as("%s %s", step[0], step[1]).isEqualTo(r[1].path("error").path("type"));
        }
        JsonNode[] doc = both("GET", "/diffocc/_doc/e", null);
        assertThat(doc[0].path("_source")).isEqualTo(doc[1].path("_source"));
        JsonNode[] bulk = both("POST", "/diffocc/_bulk", "{\"index\":{\"_id\":\"e\",\"if_seq_no\":0,\"if_primary_term\":1}}\n{\"a\":5}\n"
                + "{\"index\":{\"_id\":\"g\",\"version\":4,\"version_type\":\"external\"}}\n{\"a\":5}\n"
                + "{\"index\":{\"_id\":\"g\",\"version\":3,\"version_type\":\"external\"}}\n{\"a\":5}\n"
                + "{\"update\":{\"_id\":\"g\",\"if_seq_no\":99,\"if_primary_term\":1}}\n{\"doc\":{\"a\":5}}\n"
                + "{\"index\":{\"_id\":\"h\",\"op_type\":\"create\"}}\n{\"a\":5}\n{\"index\":{\"_id\":\"h\",\"op_type\":\"create\"}}\n{\"a\":5}\n");
        assertThat(bulk[0].path("errors")).isEqualTo(bulk[1].path("errors"));
        for (int i = 0; i < bulk[1].path("items").size(); i++) {
            JsonNode theirs = bulk[1].path("items").get(i);
            String op = theirs.fieldNames().next();
            assertThat(bulk[0].path("items").get(i).path(op).path("status")).as("bulk item %d", i).isEqualTo(theirs.path(op).path("status"));
        }
    }

    @Test
    void dateBoundsRoundAndNumbersFollowTheFormat() throws Exception {
        for (String query : List.of("{\"range\":{\"InvoiceDate\":{\"gte\":\"2009-12-06\",\"lte\":\"2009-12-06\"}}}",
                "{\"range\":{\"InvoiceDate\":{\"gt\":\"2009-12-06\"}}}", "{\"range\":{\"InvoiceDate\":{\"gt\":\"2009-12-06T10\",\"lte\":\"2009-12-06T12\"}}}",
                "{\"range\":{\"InvoiceDate\":{\"lt\":\"2009-12-07\",\"gte\":\"2009-12\"}}}", "{\"range\":{\"InvoiceDate\":{\"lte\":\"2009-12-06T11:30:00\"}}}",
                "{\"term\":{\"InvoiceDate\":\"2009-12-06\"}}", "{\"query_string\":{\"query\":\"InvoiceDate:[2009-12-06 TO 2009-12-07]\"}}",
                "{\"range\":{\"InvoiceDate\":{\"gte\":\"2009-12-06\",\"lte\":\"2009-12-06\",\"time_zone\":\"+05:00\"}}}")) {
            String body = "{\"size\":0,\"query\":" + query + "}";
            JsonNode[] r = both("POST", "/diff/_search", body);
            assertThat(r[0].path("hits").path("total")).as(body).isEqualTo(r[1].path("hits").path("total"));
        }
        String mapping = "{\"mappings\":{\"properties\":{\"es\":{\"type\":\"date\",\"format\":\"epoch_second\"},\"d\":{\"type\":\"date\"}}}}";
        String docs = "{\"index\":{\"_id\":\"1\"}}\n{\"es\":1772705472,\"d\":\"2026-03-05T10:00:00.500Z\"}\n{\"index\":{\"_id\":\"2\"}}\n{\"es\":\"1772791872\",\"d\":2026}\n"
                + "{\"index\":{\"_id\":\"3\"}}\n{\"es\":1772841600.5,\"d\":1772705472000}\n";
        for (URI target : targets()) {
            assertThat(send(target, "PUT", "/diffdates", mapping).statusCode()).isEqualTo(200);
            assertThat(send(target, "POST", "/diffdates/_bulk?refresh=true", docs).statusCode()).isEqualTo(200);
        }
        for (String body : List.of("{\"size\":0,\"aggs\":{\"h\":{\"date_histogram\":{\"field\":\"es\",\"calendar_interval\":\"day\"}}}}",
                "{\"size\":0,\"aggs\":{\"t\":{\"terms\":{\"field\":\"es\"}},\"d\":{\"terms\":{\"field\":\"d\"}}}}",
                "{\"sort\":[{\"es\":\"asc\"}],\"_source\":false}", "{\"size\":0,\"query\":{\"range\":{\"es\":{\"gte\":\"1772705472\"}}}}",
                "{\"size\":0,\"query\":{\"range\":{\"es\":{\"lte\":1772705472}}}}", "{\"size\":0,\"query\":{\"term\":{\"es\":1772705472}}}",
                "{\"size\":0,\"query\":{\"range\":{\"d\":{\"lte\":\"2026-03-05T10:00:00Z\"}}}}", "{\"size\":0,\"query\":{\"term\":{\"d\":\"2026\"}}}",
                "{\"sort\":[{\"d\":\"asc\"}],\"search_after\":[\"2026-03-01T00:00:00Z\"],\"_source\":false}")) {
            JsonNode[] r = both("POST", "/diffdates/_search", body);
            assertThat(r[0].path("hits").path("total")).as(body).isEqualTo(r[1].path("hits").path("total"));
            assertThat(ids(r[0])).as(body).isEqualTo(ids(r[1]));
            assertSortValuesAgree(r, body);
            assertSame(r[0].path("aggregations"), r[1].path("aggregations"), "diffdates " + body);
        }
    }

    @Test
    void queryStringAgrees() throws Exception {
        List<String> queries = List.of("{\"query\":\"NOT Country:France\"}", "{\"query\":\"-Country:France\"}", "{\"query\":\"Quantity:>40\"}",
                "{\"query\":\"Quantity:>=40\"}", "{\"query\":\"Quantity:<3\"}", "{\"query\":\"Quantity:<=3\"}",
                "{\"query\":\"InvoiceDate:>=2009-12-06\"}", "{\"query\":\"InvoiceDate:>2009-12-06\"}", "{\"query\":\"InvoiceDate:2009-12-06\"}",
                "{\"query\":\"Customer_ID:*\"}", "{\"query\":\"_exists_:Customer_ID\"}", "{\"query\":\"NOT _exists_:Customer_ID\"}",
                "{\"query\":\"heart\",\"fields\":[\"Desc*\"]}", "{\"query\":\"Desc\\\\*:heart\"}", "{\"query\":\"10\"}",
                "{\"query\":\"10\",\"fields\":[\"Quantity\",\"Description\"]}", "{\"query\":\"*\"}", "{\"query\":\"*\",\"default_field\":\"Customer_ID\"}",
                "{\"query\":\"white heart red\",\"default_field\":\"Description\",\"minimum_should_match\":\"2\"}",
                "{\"query\":\"Description:HEART\",\"analyzer\":\"keyword\"}", "{\"query\":\"(NOT Country:France) AND Quantity:>40\"}",
                "{\"query\":\"heart OR france\",\"fields\":[\"Description^2\",\"Country\"]}", "{\"query\":\"heart lunch\",\"type\":\"most_fields\"}",
                "{\"query\":\"heart lunch\",\"tie_breaker\":0.3}", "{\"query\":\"InvoiceDate:2009-12-06\",\"time_zone\":\"+05:00\"}",
                "{\"query\":\"Quantity:abc\"}", "{\"query\":\"hart~ lunhc~1\",\"default_field\":\"Description\"}",
                "{\"query\":\"Description:ehart~\",\"fuzziness\":2,\"fuzzy_transpositions\":false,\"fuzzy_max_expansions\":3}");
        for (String qs : queries) {
            String body = "{\"size\":10,\"_source\":false,\"query\":{\"query_string\":" + qs + "}}";
            JsonNode[] r = both("POST", "/diff/_search", body);
            assertScoresAgree(r, body);
        }
        for (String uri : List.of("q=white%20heart&default_operator=AND", "q=france&df=Description", "q=Quantity:abc&lenient=false",
                "q=Description:HEART&analyzer=keyword", "q=heart&df=Country")) {
            JsonNode[] r = both("GET", "/diff/_search?size=0&" + uri, null);
            assertThat(r[0].path("hits").path("total")).as(uri).isEqualTo(r[1].path("hits").path("total"));
        }
        JsonNode[] count = both("GET", "/diff/_count?q=heart&df=Country", null);
        assertThat(count[0].path("count")).isEqualTo(count[1].path("count"));
    }

    @Test
    void sortModesMinDocCountZeroAndDocumentSourceFilteringAgree() throws Exception {
        String docs = "{\"index\":{\"_id\":\"1\"}}\n{\"n\":[1,10],\"f\":[1.5,2.5],\"k\":[\"b\",\"y\"],\"o\":{\"x\":1,\"y\":2}}\n"
                + "{\"index\":{\"_id\":\"2\"}}\n{\"n\":[4,5,6],\"f\":[3.0],\"k\":[\"a\",\"z\"]}\n"
                + "{\"index\":{\"_id\":\"3\"}}\n{\"n\":[2,3,100],\"f\":[0.5,9.5,1.25],\"k\":[\"c\"]}\n{\"index\":{\"_id\":\"4\"}}\n{\"x\":1}\n";
        for (URI target : targets()) {
            assertThat(send(target, "POST", "/diffmv/_bulk?refresh=true", docs).statusCode()).isEqualTo(200);
        }
        for (String sort : List.of("{\"n\":{\"order\":\"desc\",\"mode\":\"sum\"}}", "{\"n\":{\"order\":\"asc\",\"mode\":\"avg\"}}",
                "{\"n\":{\"order\":\"asc\",\"mode\":\"median\"}}", "{\"n\":{\"order\":\"asc\",\"mode\":\"max\"}}",
                "{\"f\":{\"order\":\"asc\",\"mode\":\"avg\"}}", "{\"f\":{\"order\":\"desc\",\"mode\":\"median\"}}",
                "{\"k.keyword\":{\"order\":\"desc\",\"mode\":\"min\"}}", "{\"n\":{\"order\":\"asc\",\"missing\":3}}")) {
            String body = "{\"sort\":[" + sort + "],\"_source\":false}";
            JsonNode[] r = both("POST", "/diffmv/_search", body);
            assertThat(ids(r[0])).as(body).isEqualTo(ids(r[1]));
            assertSortValuesAgree(r, body);
        }
        for (String aggs : List.of("{\"t\":{\"terms\":{\"field\":\"Country.keyword\",\"min_doc_count\":0,\"size\":100}}}",
                "{\"t\":{\"terms\":{\"field\":\"Quantity\",\"min_doc_count\":0,\"size\":5}}}",
                "{\"t\":{\"terms\":{\"field\":\"Country.keyword\",\"min_doc_count\":0,\"size\":10},\"aggs\":{\"s\":{\"sum\":{\"field\":\"Quantity\"}}}}}")) {
            String body = "{\"size\":0,\"query\":{\"term\":{\"Country.keyword\":\"France\"}},\"aggs\":" + aggs + "}";
            JsonNode[] r = both("POST", "/diffdyn/_search", body);
            assertSame(r[0].path("aggregations"), r[1].path("aggregations"), body);
        }
        for (String path : List.of("/diffmv/_doc/1?_source_includes=k", "/diffmv/_doc/1?_source=n,o.x", "/diffmv/_doc/1?_source_excludes=o",
                "/diffmv/_doc/1?stored_fields=n", "/diffmv/_source/1?_source_includes=f", "/diffmv/_source/1?_source=false")) {
            JsonNode[] r = both("GET", path, null);
            assertThat(r[0].has("error") ? r[0].path("error").path("type") : r[0].path("_source").isMissingNode() ? r[0].path("found") : r[0].path("_source"))
                    .as(path).isEqualTo(r[1].has("error") ? r[1].path("error").path("type")
                            : r[1].path("_source").isMissingNode() ? r[1].path("found") : r[1].path("_source"));
            if (path.contains("_source/")) {
                assertThat(r[0]).as(path).isEqualTo(r[1]);
            }
        }
        JsonNode[] update = both("POST", "/diffmv/_update/2?_source=true", "{\"doc\":{\"z\":1}}");
        assertThat(update[0].path("get").path("_source")).isEqualTo(update[1].path("get").path("_source"));
    }

    @Test
    void scoresOfKeywordTermsMatchOptionsAndFractionalHistogramsAgree() throws Exception {
        for (String query : List.of("{\"bool\":{\"should\":[{\"term\":{\"Country\":\"France\"}},{\"match\":{\"Description\":\"heart\"}}]}}",
                "{\"match\":{\"Country\":\"Germany\"}}", "{\"match\":{\"Description\":{\"query\":\"HEART holder\",\"analyzer\":\"whitespace\"}}}",
                "{\"match\":{\"Description\":{\"query\":\"\",\"zero_terms_query\":\"all\"}}}")) {
            String body = "{\"size\":10,\"_source\":false,\"query\":" + query + "}";
            JsonNode[] r = both("POST", "/diff/_search", body);
            assertScoresAgree(r, body);
        }
        // Sorted with track_scores, max_score is the best score of every match, not of the page.
        String sorted = "{\"size\":3,\"_source\":false,\"query\":{\"match\":{\"Description\":\"red heart\"}},\"sort\":[{\"row\":\"desc\"}],"
                + "\"track_scores\":true}";
        JsonNode[] s = both("POST", "/diff/_search", sorted);
        assertThat(s[0].at("/hits/max_score").asDouble()).as(sorted).isCloseTo(s[1].at("/hits/max_score").asDouble(), org.assertj.core.data.Offset.offset(1e-4));
        String body = "{\"size\":0,\"query\":{\"range\":{\"Price\":{\"lt\":3}}},\"aggs\":{\"h\":{\"histogram\":{\"field\":\"Price\",\"interval\":0.1}}}}";
        JsonNode[] r = both("POST", "/diff/_search", body);
        assertSame(r[0].path("aggregations"), r[1].path("aggregations"), body);
    }

    @Test
    void mappingParametersAndDynamicTemplatesAgree() throws Exception {
        String mapping = """
                {"mappings":{"dynamic_templates":[{"strings":{"match_mapping_type":"string","mapping":{"type":"keyword","ignore_above":1024}}},
                  {"ints":{"match":"*_i","match_mapping_type":"long","mapping":{"type":"integer"}}},
                  {"raw":{"path_match":"raw.*","match_mapping_type":"object","mapping":{"type":"object","enabled":false}}},
                  {"named":{"match":"n_*","mapping":{"type":"{dynamic_type}","meta":{"src":"{name}"}}}}],
                 "properties":{"a":{"type":"long","ignore_malformed":true},"k":{"type":"keyword","null_value":"NULL","copy_to":"all"},
                  "all":{"type":"text"},"ki":{"type":"keyword","index":false},"ni":{"type":"long","index":false},"t":{"type":"text","norms":false},
                  "o":{"type":"object","dynamic":"strict","properties":{"x":{"type":"long"}}},"c":{"type":"long","coerce":false},
                  "gone":{"type":"object","enabled":false}}}}""";
        String docs = """
                {"index":{"_id":"1"}}
                {"s":"Hello World","x_i":5,"raw":{"q":{"y":[1,"a"]}},"n_x":3.5,"a":"abc","k":null,"when":"2026/01/02","ki":"x","ni":5,"t":"hello","o":{"x":1},"gone":{"z":[1,"b"]}}
                {"index":{"_id":"2"}}
                {"k":"hello","ki":"y","ni":7,"t":"hello hello world and more","c":"5"}
                {"index":{"_id":"3"}}
                {"o":{"y":1}}
                {"index":{"_id":"4"}}
                {"c":4,"a":7}
                """;
        JsonNode[] bulk = new JsonNode[2];
        int i = 0;
        for (URI target : targets()) {
            assertThat(send(target, "PUT", "/diffmap", mapping).statusCode()).isEqualTo(200);
            bulk[i++] = Json.mapper().readTree(send(target, "POST", "/diffmap/_bulk?refresh=true", docs).body());
        }
        for (int item = 0; item < 4; item++) {
            assertThat(bulk[0].path("items").get(item).path("index").path("status")).as("item %d", item)
                    .isEqualTo(bulk[1].path("items").get(item).path("index").path("status"));
            assertThat(bulk[0].path("items").get(item).path("index").path("error").path("type")).as("item %d", item)
                    .isEqualTo(bulk[1].path("items").get(item).path("index").path("error").path("type"));
        }
        JsonNode[] m = both("GET", "/diffmap/_mapping", null);
        JsonNode theirs = m[1].path("diffmap").path("mappings").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) theirs.path("properties").path("when")).remove("print_format");
        assertThat(m[0].path("diffmap").path("mappings")).isEqualTo(theirs);
        for (String query : List.of("{\"term\":{\"k\":\"NULL\"}}", "{\"exists\":{\"field\":\"a\"}}", "{\"term\":{\"_ignored\":\"a\"}}",
                "{\"term\":{\"s\":\"Hello World\"}}", "{\"match\":{\"all\":\"hello\"}}", "{\"term\":{\"ki\":\"x\"}}",
                "{\"range\":{\"ni\":{\"gte\":6}}}", "{\"prefix\":{\"ki\":\"y\"}}", "{\"exists\":{\"field\":\"gone.z\"}}",
                "{\"range\":{\"when\":{\"gte\":\"2026/01/02\"}}}", "{\"match\":{\"t\":\"hello\"}}")) {
            String body = "{\"_source\":false,\"query\":" + query + "}";
            JsonNode[] r = both("POST", "/diffmap/_search", body);
            assertThat(r[0].path("hits").path("total")).as(body).isEqualTo(r[1].path("hits").path("total"));
            assertThat(ids(r[0])).as(body).isEqualTo(ids(r[1]));
            for (int h = 0; h < r[1].path("hits").path("hits").size(); h++) {
                assertThat(r[0].path("hits").path("hits").get(h).path("_ignored")).as(body).isEqualTo(r[1].path("hits").path("hits").get(h).path("_ignored"));
            }
        }
        JsonNode[] doc = both("GET", "/diffmap/_doc/1", null);
        assertThat(doc[0].path("_ignored")).isEqualTo(doc[1].path("_ignored"));
    }

    @Test
    void scrollsAndPointsInTimeAgree() throws Exception {
        JsonNode[] first = both("POST", "/diff/_search?scroll=1m", "{\"size\":700,\"sort\":[\"_doc\"],\"query\":{\"range\":{\"Quantity\":{\"gte\":2}}}}");
        String[] ids = {first[0].path("_scroll_id").asText(), first[1].path("_scroll_id").asText()};
        assertThat(first[0].path("hits").path("total")).isEqualTo(first[1].path("hits").path("total"));
        assertThat(ids(first[0])).isEqualTo(ids(first[1]));
        for (int page = 0; page < 5; page++) {
            JsonNode ours = Json.mapper().readTree(send(tributary.searchUri(), "POST", "/_search/scroll",
                    "{\"scroll\":\"1m\",\"scroll_id\":\"" + ids[0] + "\"}").body());
            JsonNode theirs = Json.mapper().readTree(send(opensearch.uri(), "POST", "/_search/scroll",
                    "{\"scroll\":\"1m\",\"scroll_id\":\"" + ids[1] + "\"}").body());
            assertThat(ids(ours)).as("page %d", page).isEqualTo(ids(theirs));
            assertThat(ours.path("hits").path("total")).isEqualTo(theirs.path("hits").path("total"));
        }
        for (int i = 0; i < 2; i++) {
            URI target = targets().get(i);
            assertThat(send(target, "DELETE", "/_search/scroll", "{\"scroll_id\":[\"" + ids[i] + "\"]}").statusCode()).isEqualTo(200);
            assertThat(send(target, "POST", "/_search/scroll", "{\"scroll\":\"1m\",\"scroll_id\":\"" + ids[i] + "\"}").statusCode())
                    .as("a cleared scroll at %s", target).isEqualTo(404);
        }
        for (String bad : List.of("{\"size\":0}", "{\"size\":5,\"from\":5}")) {
            JsonNode[] r = both("POST", "/diff/_search?scroll=1m", bad);
            assertThat(r[0].path("error").path("type")).isEqualTo(r[1].path("error").path("type"));
        }
        String[] pits = new String[2];
        for (int i = 0; i < 2; i++) {
            pits[i] = Json.mapper().readTree(send(targets().get(i), "POST", "/diff/_search/point_in_time?keep_alive=1m", null).body()).path("pit_id").asText();
        }
        JsonNode[] after = {null, null};
        for (int page = 0; page < 3; page++) {
            List<List<String>> pageIds = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String body = "{\"size\":100,\"pit\":{\"id\":\"" + pits[i] + "\",\"keep_alive\":\"1m\"},\"sort\":[{\"Country\":\"asc\"},{\"row\":\"asc\"}]"
                        + (after[i] == null ? "" : ",\"search_after\":" + after[i]) + "}";
                JsonNode r = Json.mapper().readTree(send(targets().get(i), "POST", "/_search", body).body());
                pageIds.add(ids(r));
                after[i] = r.path("hits").path("hits").get(r.path("hits").path("hits").size() - 1).path("sort");
            }
            assertThat(pageIds.get(0)).as("pit page %d", page).isEqualTo(pageIds.get(1));
        }
        for (int i = 0; i < 2; i++) {
            assertThat(Json.mapper().readTree(send(targets().get(i), "DELETE", "/_search/point_in_time", "{\"pit_id\":[\"" + pits[i] + "\"]}").body())
                    .at("/pits/0/successful").asBoolean()).isTrue();
        }
    }

    @Test
    void discoverFieldsAndNamedQueriesAgree() throws Exception {
        for (String body : List.of(
                "{\"size\":5,\"sort\":[\"row\"],\"stored_fields\":[\"*\"],\"script_fields\":{},\"version\":true,\"_source\":{\"excludes\":[]},"
                        + "\"docvalue_fields\":[{\"field\":\"InvoiceDate\",\"format\":\"date_time\"},\"Quantity\",\"Country\",\"Price\"]}",
                "{\"size\":5,\"sort\":[\"row\"],\"_source\":false,\"fields\":[\"Desc*\",\"InvoiceDate\",{\"field\":\"Quantity\"},\"Customer_ID\"]}",
                "{\"size\":5,\"sort\":[\"row\"],\"stored_fields\":[\"*\"]}",
                "{\"size\":5,\"sort\":[\"row\"],\"stored_fields\":\"_none_\"}",
                "{\"size\":5,\"sort\":[\"row\"],\"_source\":false,\"fields\":[{\"field\":\"InvoiceDate\",\"format\":\"epoch_millis\"}]}")) {
            JsonNode[] r = both("POST", "/diff/_search", body);
            for (int i = 0; i < r[1].path("hits").path("hits").size(); i++) {
                JsonNode ours = r[0].path("hits").path("hits").get(i);
                JsonNode theirs = r[1].path("hits").path("hits").get(i);
                assertThat(ours.path("_id")).as(body).isEqualTo(theirs.path("_id"));
                assertThat(ours.path("_source")).as(body).isEqualTo(theirs.path("_source"));
                assertThat(ours.path("_version")).as(body).isEqualTo(theirs.path("_version"));
                assertSame(ours.path("fields"), theirs.path("fields"), body + " fields of hit " + i);
            }
        }
        String named = "{\"size\":20,\"sort\":[\"row\"],\"_source\":false,\"query\":{\"bool\":{\"should\":["
                + "{\"match\":{\"Description\":{\"query\":\"heart\",\"_name\":\"heart\"}}},{\"term\":{\"Country\":{\"value\":\"France\",\"_name\":\"fr\"}}},"
                + "{\"range\":{\"Quantity\":{\"gte\":24,\"_name\":\"big\"}}}]}}}";
        JsonNode[] r = both("POST", "/diff/_search", named);
        for (int i = 0; i < r[1].path("hits").path("hits").size(); i++) {
            Set<String> ours = new HashSet<>();
            Set<String> theirs = new HashSet<>();
            r[0].path("hits").path("hits").get(i).path("matched_queries").forEach(n -> ours.add(n.asText()));
            r[1].path("hits").path("hits").get(i).path("matched_queries").forEach(n -> theirs.add(n.asText()));
            assertThat(ours).as("matched_queries of hit %d", i).isEqualTo(theirs);
        }
    }

    @Test
    void filterPathAgrees() throws Exception {
        String body = "{\"size\":3,\"sort\":[\"row\"],\"_source\":[\"Country\"],\"aggs\":{\"c\":{\"terms\":{\"field\":\"Country\",\"size\":3}}}}";
        for (String filter : List.of("hits.total.value", "hits.hits._id,hits.total", "-hits.hits._source,-_shards,-took", "aggregations.**.key",
                "hits.hits._sou*", "nothing", "hits.**._id", "aggregations.c.buckets.doc_count,-aggregations.c.buckets.key")) {
            JsonNode[] r = both("POST", "/diff/_search?filter_path=" + filter, body);
            ((com.fasterxml.jackson.databind.node.ObjectNode) r[0]).remove("took");
            ((com.fasterxml.jackson.databind.node.ObjectNode) r[1]).remove("took");
            assertThat(r[0]).as(filter).isEqualTo(r[1]);
        }
        JsonNode[] doc = both("GET", "/diff/_doc/5?filter_path=_source.Country,found", null);
        assertThat(doc[0]).isEqualTo(doc[1]);
    }

    @Test
    void simpleQueryStringPhrasePrefixFuzzinessAndDisMaxAgree() throws Exception {
        for (String query : List.of("{\"simple_query_string\":{\"query\":\"heart white\"}}",
                "{\"simple_query_string\":{\"query\":\"white +heart -red\",\"fields\":[\"Description\"]}}",
                "{\"simple_query_string\":{\"query\":\"\\\"white heart\\\"\",\"fields\":[\"Description\"]}}",
                "{\"simple_query_string\":{\"query\":\"hea*\",\"fields\":[\"Desc*^2\",\"Country\"]}}",
                "{\"simple_query_string\":{\"query\":\"France | Germany\",\"fields\":[\"Country\"]}}",
                "{\"simple_query_string\":{\"query\":\"10\"}}", "{\"match_phrase_prefix\":{\"Description\":\"white he\"}}",
                // Fewer "he" terms (6) than max_expansions: which terms a smaller limit keeps depends on each engine's segments.
                "{\"match_phrase_prefix\":{\"Description\":{\"query\":\"vintage he\",\"max_expansions\":6}}}",
                "{\"match\":{\"Description\":{\"query\":\"hart holdr\",\"fuzziness\":\"AUTO\"}}}",
                "{\"match\":{\"Description\":{\"query\":\"ehart lunhc\",\"fuzziness\":1,\"fuzzy_transpositions\":false,\"prefix_length\":1}}}",
                "{\"match\":{\"Country\":{\"query\":\"Frence\",\"fuzziness\":\"AUTO:2,4\"}}}", "{\"fuzzy\":{\"Description\":\"bg\"}}",
                "{\"fuzzy\":{\"Description\":{\"value\":\"mugg\",\"fuzziness\":2,\"max_expansions\":2}}}",
                "{\"multi_match\":{\"query\":\"hart frnce\",\"fields\":[\"Description\",\"Country\"],\"fuzziness\":\"AUTO\"}}",
                "{\"dis_max\":{\"queries\":[{\"match\":{\"Description\":\"heart\"}},{\"match\":{\"Description\":\"white\"}}],\"tie_breaker\":0.4}}")) {
            String body = "{\"size\":10,\"_source\":false,\"query\":" + query + "}";
            JsonNode[] r = both("POST", "/diff/_search", body);
            assertScoresAgree(r, body);
        }
    }

    @Test
    void lenientRequestFormsAndIndexAggregationAgree() throws Exception {
        JsonNode[] byIndex = both("POST", "/diff,diffdyn/_search", "{\"size\":0,\"query\":{\"range\":{\"Quantity\":{\"gte\":12}}},"
                + "\"aggs\":{\"i\":{\"terms\":{\"field\":\"_index\"},\"aggs\":{\"q\":{\"sum\":{\"field\":\"Quantity\"}}}}}}");
        assertSame(byIndex[0].path("aggregations"), byIndex[1].path("aggregations"), "terms on _index");
        for (String body : List.of("{\"size\":1.5,\"sort\":[\"row\"]}", "{\"size\":0,\"track_total_hits\":\"true\"}", "{\"size\":0,\"track_total_hits\":-1}")) {
            JsonNode[] r = both("POST", "/diff/_search", body);
            assertThat(r[0].path("hits").path("total")).as(body).isEqualTo(r[1].path("hits").path("total"));
            assertThat(ids(r[0])).as(body).isEqualTo(ids(r[1]));
        }
    }

    /** The same total, and each hit's score within 1e-4 of OpenSearch's. */
    private static void assertScoresAgree(JsonNode[] r, String body) {
        assertThat(r[0].path("hits").path("total")).as(body).isEqualTo(r[1].path("hits").path("total"));
        for (int i = 0; i < r[1].path("hits").path("hits").size(); i++) {
            assertThat(r[0].path("hits").path("hits").get(i).path("_score").asDouble()).as("score %d of %s", i, body)
                    .isCloseTo(r[1].path("hits").path("hits").get(i).path("_score").asDouble(), org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    /** Each hit's {@code sort} values, as OpenSearch writes them. */
    private static void assertSortValuesAgree(JsonNode[] r, String body) {
        for (int i = 0; i < r[1].path("hits").path("hits").size(); i++) {
            assertThat(r[0].path("hits").path("hits").get(i).path("sort").toString()).as(body)
                    .isEqualTo(r[1].path("hits").path("hits").get(i).path("sort").toString());
        }
    }

    private static List<String> ids(JsonNode response) {
        List<String> ids = new ArrayList<>();
        response.path("hits").path("hits").forEach(h -> ids.add(h.path("_id").asText()));
        return ids;
    }

    private static final Set<String> IGNORED = new HashSet<>(List.of("doc_count_error_upper_bound"));

    /** Structural equality with numbers compared to a relative 1e-9 (float sums differ only in the last bits). */
    static void assertSame(JsonNode ours, JsonNode theirs, String where) {
        if (theirs.isNumber() && ours.isNumber()) {
            double a = ours.asDouble();
            double b = theirs.asDouble();
            assertThat(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))).as("%s: %s vs OpenSearch %s", where, a, b).isTrue();
            return;
        }
        if (theirs.isObject()) {
            assertThat(ours.isObject()).as("%s: object expected, got %s", where, ours).isTrue();
            Set<String> keys = new HashSet<>();
            theirs.fieldNames().forEachRemaining(keys::add);
            Set<String> ourKeys = new HashSet<>();
            ours.fieldNames().forEachRemaining(ourKeys::add);
            keys.removeAll(IGNORED);
            ourKeys.removeAll(IGNORED);
            assertThat(ourKeys).as("%s: keys", where).isEqualTo(keys);
            for (Iterator<String> it = theirs.fieldNames(); it.hasNext();) {
                String k = it.next();
                if (!IGNORED.contains(k)) {
                    assertSame(ours.get(k), theirs.get(k), where + "." + k);
                }
            }
            return;
        }
        if (theirs.isArray()) {
            assertThat(ours.size()).as("%s: array size (ours %s, OpenSearch %s)", where, ours, theirs).isEqualTo(theirs.size());
            for (int i = 0; i < theirs.size(); i++) {
                assertSame(ours.get(i), theirs.get(i), where + "[" + i + "]");
            }
            return;
        }
        assertThat(ours).as(where).isEqualTo(theirs);
    }
}
