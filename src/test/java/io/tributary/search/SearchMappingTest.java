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
 * Mapping parameters over real HTTP: each one Tributary accepts changes what is indexed and
 * found the way OpenSearch's does, and each one it does not implement is refused naming it.
 */
class SearchMappingTest {
    @TempDir
    static Path dir;

    private static TestingServer server;
    private static SearchHttp http;

    @BeforeAll
    static void start() {
        server = TestingServer.start(dir);
        http = new SearchHttp(server.searchUri(), server.adminKey());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long hits(String index, String query) throws Exception {
        return http.call("POST", "/" + index + "/_search", "{\"size\":0,\"query\":" + query + "}").number("/hits/total/value");
    }

    @Test
    void dynamicTemplatesMapNewFieldsTheWayLogShippersExpect() throws Exception {
        http.ok("PUT", "/logs", """
                {"mappings":{"dynamic_templates":[
                  {"message_field":{"path_match":"message","match_mapping_type":"string","mapping":{"type":"text","norms":false}}},
                  {"string_fields":{"match":"*","match_mapping_type":"string","mapping":{"type":"text","norms":false,
                    "fields":{"keyword":{"type":"keyword","ignore_above":256}}}}},
                  {"ids":{"match":"*_id","match_mapping_type":"string","mapping":{"type":"keyword"}}},
                  {"ints":{"match":"^n_\\\\d+$","match_pattern":"regex","match_mapping_type":"long","mapping":{"type":"integer"}}},
                  {"raw":{"path_match":"raw.*","match_mapping_type":"object","mapping":{"type":"object","enabled":false}}},
                  {"named":{"match":"m_*","mapping":{"type":"{dynamic_type}","meta":{"from":"{name}"}}}}]}}""");
        http.ok("PUT", "/logs/_doc/1?refresh=true", """
                {"message":"Disk full on host-7","host":{"name":"host-7","user_id":"u-1"},"n_1":5,"n_x":6,"raw":{"payload":{"a":[1,"b",{"c":2}]}},
                 "m_size":2.5}""");
        JsonNode props = http.ok("GET", "/logs/_mapping", null).path("logs").path("mappings");
        assertThat(props.path("dynamic_templates")).hasSize(6);
        assertThat(props.path("dynamic_templates").get(0).has("message_field")).isTrue();
        JsonNode p = props.path("properties");
        assertThat(p.path("message").path("type").asText()).isEqualTo("text");
        assertThat(p.path("message").path("norms").asBoolean(true)).isFalse();
        assertThat(p.path("message").has("fields")).as("the first template that matches wins").isFalse();
        // user_id matches string_fields first (templates are tried in order), like OpenSearch.
        assertThat(p.path("host").path("properties").path("user_id").path("type").asText()).isEqualTo("text");
        assertThat(p.path("host").path("properties").path("name").path("fields").path("keyword").path("type").asText()).isEqualTo("keyword");
        assertThat(p.path("n_1").path("type").asText()).isEqualTo("integer");
        assertThat(p.path("n_x").path("type").asText()).as("the regex does not match n_x").isEqualTo("long");
        assertThat(p.path("raw").path("properties").path("payload").path("enabled").asBoolean(true)).isFalse();
        assertThat(p.path("m_size").path("type").asText()).isEqualTo("float");
        assertThat(p.path("m_size").path("meta").path("from").asText()).isEqualTo("m_size");
        assertThat(hits("logs", "{\"term\":{\"host.name.keyword\":\"host-7\"}}")).isEqualTo(1);
        assertThat(hits("logs", "{\"match\":{\"message\":\"disk\"}}")).isEqualTo(1);
        assertThat(hits("logs", "{\"exists\":{\"field\":\"raw.payload.a\"}}")).as("disabled objects are not indexed").isZero();
        assertThat(http.ok("GET", "/logs/_doc/1", null).at("/_source/raw/payload/a/2/c").asInt()).as("but kept in _source").isEqualTo(2);

        SearchHttp.Response bad = http.call("PUT", "/logs-bad", "{\"mappings\":{\"dynamic_templates\":[{\"x\":{\"match\":\"*\",\"mapping\":{\"type\":\"nosuchtype\"}}}]}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("nosuchtype");
        assertThat(http.call("PUT", "/logs-bad", "{\"mappings\":{\"dynamic_templates\":[{\"x\":{\"unmatchh\":\"*\",\"mapping\":{}}}]}}").text())
                .contains("unmatchh");
        // Through an index template, as Logstash and Beats install them.
        http.ok("PUT", "/_index_template/shipper", """
                {"index_patterns":["shipper-*"],"template":{"mappings":{"dynamic_templates":[
                  {"strings":{"match_mapping_type":"string","mapping":{"type":"keyword"}}}]}}}""");
        http.ok("PUT", "/shipper-1/_doc/1?refresh=true", "{\"level\":\"ERROR\"}");
        assertThat(http.ok("GET", "/shipper-1/_mapping", null).at("/shipper-1/mappings/properties/level/type").asText()).isEqualTo("keyword");
    }

    @Test
    void nullValueIgnoreMalformedCoerceAndCopyToChangeWhatIsIndexed() throws Exception {
        http.ok("PUT", "/params", """
                {"mappings":{"properties":{"k":{"type":"keyword","null_value":"NULL","copy_to":"all"},"n":{"type":"long","ignore_malformed":true},
                 "strict_n":{"type":"long","coerce":false},"loose_n":{"type":"integer"},"d":{"type":"date","ignore_malformed":true,"null_value":"2026-01-01"},
                 "b":{"type":"keyword","copy_to":["all","elsewhere"]},"all":{"type":"text"}}}}""");
        JsonNode bulk = http.ok("POST", "/params/_bulk?refresh=true", """
                {"index":{"_id":"1"}}
                {"k":null,"n":"abc","d":null,"b":"world","strict_n":5,"loose_n":"7.9"}
                {"index":{"_id":"2"}}
                {"k":"hello","n":4,"d":"not a date","strict_n":"5"}
                {"index":{"_id":"3"}}
                {"strict_n":5.5}
                """);
        assertThat(bulk.path("items")).extracting(i -> i.path("index").path("status").asInt()).containsExactly(201, 400, 400);
        assertThat(bulk.at("/items/1/index/error/reason").asText()).contains("strict_n").contains("coerce");
        http.ok("PUT", "/params/_doc/2?refresh=true", "{\"k\":\"hello\",\"n\":4,\"d\":\"not a date\"}");
        assertThat(hits("params", "{\"term\":{\"k\":\"NULL\"}}")).as("null_value is indexed for null").isEqualTo(1);
        assertThat(hits("params", "{\"range\":{\"d\":{\"gte\":\"2026-01-01\",\"lte\":\"2026-01-01\"}}}")).isEqualTo(1);
        assertThat(hits("params", "{\"exists\":{\"field\":\"n\"}}")).as("the malformed value is left out").isEqualTo(1);
        assertThat(hits("params", "{\"term\":{\"_ignored\":\"n\"}}")).isEqualTo(1);
        assertThat(hits("params", "{\"term\":{\"_ignored\":\"d\"}}")).isEqualTo(1);
        assertThat(http.ok("GET", "/params/_doc/1", null).path("_ignored")).extracting(JsonNode::asText).containsExactly("n");
        assertThat(hits("params", "{\"term\":{\"loose_n\":7}}")).as("coerce truncates 7.9 into an integer").isEqualTo(1);
        assertThat(hits("params", "{\"match\":{\"all\":\"world\"}}")).as("copy_to").isEqualTo(1);
        assertThat(hits("params", "{\"match\":{\"all\":\"NULL\"}}")).as("a null_value is not copied, as in OpenSearch").isZero();
        assertThat(hits("params", "{\"match\":{\"all\":\"hello\"}}")).isEqualTo(1);
        assertThat(hits("params", "{\"match\":{\"elsewhere\":\"world\"}}")).as("an unmapped copy_to target is mapped dynamically").isEqualTo(1);
        JsonNode mapping = http.ok("GET", "/params/_mapping", null).at("/params/mappings/properties");
        assertThat(mapping.path("k").path("null_value").asText()).isEqualTo("NULL");
        assertThat(mapping.path("k").path("copy_to").get(0).asText()).isEqualTo("all");
        assertThat(mapping.path("n").path("ignore_malformed").asBoolean()).isTrue();
        assertThat(mapping.path("strict_n").path("coerce").asBoolean(true)).isFalse();
        assertThat(http.call("PUT", "/params-bad", "{\"mappings\":{\"properties\":{\"a\":{\"type\":\"long\",\"null_value\":\"x\"}}}}").status()).isEqualTo(400);
        assertThat(http.call("PUT", "/params-bad", "{\"mappings\":{\"properties\":{\"a\":{\"type\":\"long\",\"copy_to\":\"o\"},\"o\":{\"type\":\"object\"}}}}")
                .text()).contains("Cannot copy to field [o]");
    }

    @Test
    void indexFalseEnabledFalseNormsAndObjectDynamicApply() throws Exception {
        http.ok("PUT", "/shape", """
                {"mappings":{"properties":{"k":{"type":"keyword","index":false},"n":{"type":"long","index":false},"f":{"type":"double","index":false},
                 "t":{"type":"text","norms":false},"p":{"type":"text","index_options":"freqs"},"gone":{"type":"object","enabled":false},
                 "o":{"type":"object","dynamic":"strict","properties":{"x":{"type":"long"}}},"loose":{"type":"object","dynamic":false}}}}""");
        http.ok("POST", "/shape/_bulk?refresh=true", """
                {"index":{"_id":"1"}}
                {"k":"x","n":5,"f":1.5,"t":"hello","p":"hello world","gone":{"a":[1,"b",{"c":[2]}]},"o":{"x":1},"loose":{"new":1}}
                {"index":{"_id":"2"}}
                {"k":"y","n":7,"f":2.5,"t":"hello hello world and more words"}
                """);
        // index: false is still searched, through doc values, as OpenSearch does.
        assertThat(hits("shape", "{\"term\":{\"k\":\"x\"}}")).isEqualTo(1);
        assertThat(hits("shape", "{\"terms\":{\"k\":[\"x\",\"y\"]}}")).isEqualTo(2);
        assertThat(hits("shape", "{\"prefix\":{\"k\":\"y\"}}")).isEqualTo(1);
        assertThat(hits("shape", "{\"range\":{\"n\":{\"gte\":6}}}")).isEqualTo(1);
        assertThat(hits("shape", "{\"term\":{\"n\":5}}")).isEqualTo(1);
        assertThat(hits("shape", "{\"range\":{\"f\":{\"lt\":2}}}")).isEqualTo(1);
        // norms: false scores both documents alike whatever their length.
        JsonNode scored = http.ok("POST", "/shape/_search", "{\"query\":{\"match\":{\"t\":\"hello\"}}}").at("/hits/hits");
        assertThat(scored).hasSize(2);
        assertThat(scored.get(0).path("_id").asText()).as("two occurrences beat one, length does not count").isEqualTo("2");
        SearchHttp.Response phrase = http.call("POST", "/shape/_search", "{\"query\":{\"match_phrase\":{\"p\":\"hello world\"}}}");
        assertThat(phrase.status()).isEqualTo(400);
        assertThat(phrase.text()).contains("without position data");
        assertThat(hits("shape", "{\"exists\":{\"field\":\"gone.a\"}}")).isZero();
        assertThat(http.ok("GET", "/shape/_mapping", null).at("/shape/mappings/properties/loose/properties").has("new")).isFalse();
        SearchHttp.Response strict = http.call("PUT", "/shape/_doc/3", "{\"o\":{\"y\":1}}");
        assertThat(strict.status()).isEqualTo(400);
        assertThat(strict.errorType()).isEqualTo("strict_dynamic_mapping_exception");
        assertThat(strict.text()).contains("[y] within [o]");
        assertThat(http.call("PUT", "/shape/_doc/4", "{\"other\":{\"y\":1}}").status()).as("strict only inside o").isEqualTo(201);
    }

    @Test
    void dateAndNumericDetectionFollowTheMapping() throws Exception {
        http.ok("PUT", "/detect/_doc/1", "{\"slash\":\"2026/01/02\",\"slash_time\":\"2026/01/02 10:00:00\",\"iso\":\"2026-01-02T10:00:00Z\",\"num\":\"5\","
                + "\"year\":\"2026\",\"month\":\"2026-03\"}");
        JsonNode p = http.ok("GET", "/detect/_mapping", null).at("/detect/mappings/properties");
        assertThat(p.path("slash").path("type").asText()).isEqualTo("date");
        assertThat(p.path("slash").path("format").asText()).isEqualTo("yyyy/MM/dd HH:mm:ss||yyyy/MM/dd||epoch_millis");
        assertThat(p.path("slash_time").path("type").asText()).isEqualTo("date");
        assertThat(p.path("iso").has("format")).isFalse();
        assertThat(p.path("num").path("type").asText()).isEqualTo("text");
        assertThat(p.path("year").path("type").asText()).as("a number is never detected as a date").isEqualTo("text");
        assertThat(p.path("month").path("type").asText()).isEqualTo("date");
        http.ok("PUT", "/detect2", "{\"mappings\":{\"numeric_detection\":true,\"date_detection\":false}}");
        http.ok("PUT", "/detect2/_doc/1", "{\"n\":\"5\",\"f\":\"1.5\",\"d\":\"2026-01-02\"}");
        JsonNode m = http.ok("GET", "/detect2/_mapping", null).at("/detect2/mappings");
        assertThat(m.path("numeric_detection").asBoolean()).isTrue();
        assertThat(m.path("date_detection").asBoolean(true)).isFalse();
        assertThat(m.at("/properties/n/type").asText()).isEqualTo("long");
        assertThat(m.at("/properties/f/type").asText()).isEqualTo("float");
        assertThat(m.at("/properties/d/type").asText()).isEqualTo("text");
        http.ok("PUT", "/detect3", "{\"mappings\":{\"dynamic_date_formats\":[\"dd.MM.yyyy\"]}}");
        http.ok("PUT", "/detect3/_doc/1", "{\"d\":\"02.01.2026\",\"iso\":\"2026-01-02\"}");
        JsonNode d = http.ok("GET", "/detect3/_mapping", null).at("/detect3/mappings");
        assertThat(d.at("/properties/d/type").asText()).isEqualTo("date");
        assertThat(d.at("/properties/d/format").asText()).isEqualTo("dd.MM.yyyy");
        assertThat(d.at("/properties/iso/type").asText()).as("only the given formats are detected").isEqualTo("text");
    }

    @Test
    void parametersTributaryDoesNotImplementAreRefusedByName() throws Exception {
        for (List<String> c : List.of(
                List.of("{\"properties\":{\"a\":{\"type\":\"keyword\",\"store\":true}}}", "store"),
                List.of("{\"properties\":{\"a\":{\"type\":\"text\",\"similarity\":\"boolean\"}}}", "similarity"),
                List.of("{\"properties\":{\"a\":{\"type\":\"nested\"}}}", "nested"),
                List.of("{\"_source\":{\"enabled\":false}}", "_source"),
                List.of("{\"_routing\":{\"required\":true}}", "_routing"),
                List.of("{\"properties\":{\"a\":{\"type\":\"keyword\",\"analyzer\":\"standard\"}}}", "analyzer"),
                List.of("{\"properties\":{\"a\":{\"type\":\"long\",\"ignore_above\":5}}}", "ignore_above"),
                List.of("{\"properties\":{\"a\":{\"type\":\"text\",\"null_value\":\"x\"}}}", "null_value"),
                List.of("{\"properties\":{\"a\":{\"type\":\"boolean\",\"ignore_malformed\":true}}}", "ignore_malformed"),
                List.of("{\"properties\":{\"a\":{\"type\":\"text\",\"analyzer\":\"my_custom\"}}}", "my_custom"),
                List.of("{\"properties\":{\"a\":{\"type\":\"text\",\"boost\":2}}}", "boost"),
                List.of("{\"properties\":{\"a\":{\"type\":\"date\",\"locale\":\"de\"}}}", "locale"),
                List.of("{\"properties\":{\"a\":{\"type\":\"object\",\"include_in_parent\":true}}}", "include_in_parent"),
                List.of("{\"properties\":{\"a\":{\"type\":\"text\",\"doc_values\":true}}}", "doc_values"))) {
            SearchHttp.Response r = http.call("PUT", "/refused", "{\"mappings\":" + c.get(0) + "}");
            assertThat(r.status()).as(c.get(0)).isEqualTo(400);
            assertThat(r.text()).as(c.get(0)).contains(c.get(1));
            assertThat(http.call("HEAD", "/refused", null).status()).as("nothing was created for %s", c.get(0)).isEqualTo(404);
        }
    }
}
