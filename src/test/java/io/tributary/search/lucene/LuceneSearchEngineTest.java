package io.tributary.search.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import io.tributary.search.BulkItem;
import io.tributary.search.BulkResult;
import io.tributary.search.Refresh;
import io.tributary.search.SearchConfig;
import io.tributary.search.SearchException;
import io.tributary.search.SearchOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneSearchEngineTest {
    @TempDir
    Path dir;

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) Json.mapper().readTree(text);
    }

    private static BulkItem doc(String index, String id, String source) throws Exception {
        return BulkItem.index(index, Optional.of(id), json(source));
    }

    @Test
    void indexesSearchesAndAggregatesAcrossRestarts() throws Exception {
        try (LuceneSearchEngine engine = new LuceneSearchEngine(SearchConfig.defaults(dir), Clock.systemUTC())) {
            List<BulkResult> results = engine.bulk(List.of(
                    doc("retail", "1", "{\"Invoice\":\"536365\",\"Description\":\"WHITE HANGING HEART\",\"Quantity\":6,\"InvoiceDate\":\"2010-12-01T08:26:00Z\",\"Price\":2.55}"),
                    doc("retail", "2", "{\"Invoice\":\"536366\",\"Description\":\"RED HEART MUG\",\"Quantity\":4,\"InvoiceDate\":\"2010-12-01T09:00:00Z\",\"Price\":1.5}"),
                    doc("retail", "3", "{\"Invoice\":\"536367\",\"Description\":\"BLUE BOX\",\"Quantity\":10,\"InvoiceDate\":\"2010-12-02T10:00:00Z\",\"Price\":3}")),
                    Refresh.IMMEDIATE);
            assertThat(results).extracting(BulkResult::status).containsExactly(201, 201, 201);
            JsonNode mapping = engine.getMapping("retail").path("retail").path("mappings").path("properties");
            assertThat(mapping.path("Quantity").path("type").asText()).isEqualTo("long");
            assertThat(mapping.path("Price").path("type").asText()).isEqualTo("float");
            assertThat(mapping.path("InvoiceDate").path("type").asText()).isEqualTo("date");
            assertThat(mapping.path("Description").path("fields").path("keyword").path("type").asText()).isEqualTo("keyword");

            JsonNode r = engine.search("retail", json("""
                    {"query":{"match":{"Description":"heart"}},"aggs":{"days":{"date_histogram":{"field":"InvoiceDate","calendar_interval":"day"},
                      "aggs":{"q":{"sum":{"field":"Quantity"}}}}}}"""), SearchOptions.DEFAULT);
            assertThat(r.path("hits").path("total").path("value").asLong()).isEqualTo(2);
            JsonNode buckets = r.path("aggregations").path("days").path("buckets");
            assertThat(buckets).hasSize(1);
            assertThat(buckets.get(0).path("q").path("value").asDouble()).isEqualTo(10.0);

            JsonNode all = engine.search("retail", json("""
                    {"size":0,"aggs":{"days":{"date_histogram":{"field":"InvoiceDate","fixed_interval":"12h"},"aggs":{"q":{"sum":{"field":"Quantity"}}}}}}"""),
                    SearchOptions.DEFAULT);
            assertThat(all.path("aggregations").path("days").path("buckets")).extracting(b -> b.path("doc_count").asLong())
                    .containsExactly(2L, 0L, 1L);

            JsonNode sorted = engine.search("retail", json("{\"sort\":[{\"Quantity\":\"desc\"}],\"size\":2}"), SearchOptions.DEFAULT);
            assertThat(sorted.path("hits").path("hits")).extracting(h -> h.path("_id").asText()).containsExactly("3", "1");

            assertThatThrownBy(() -> engine.bulk(List.of(doc("retail", "4", "{\"Quantity\":\"many\"}")), Refresh.NONE).get(0).error().ifPresent(e -> {
                throw e;
            })).isInstanceOf(SearchException.class).hasMessageContaining("Quantity");
        }
        try (LuceneSearchEngine engine = new LuceneSearchEngine(SearchConfig.defaults(dir), Clock.systemUTC())) {
            assertThat(engine.count("retail", null).path("count").asLong()).isEqualTo(3);
            assertThat(engine.getDocument("retail", "2").orElseThrow().path("_source").path("Quantity").asInt()).isEqualTo(4);
        }
    }

    @Test
    void searchAfterPagesThroughEveryDocumentOnce() throws Exception {
        try (LuceneSearchEngine engine = new LuceneSearchEngine(SearchConfig.defaults(dir), Clock.systemUTC())) {
            java.util.Set<String> expected = new java.util.HashSet<>();
            for (int batch = 0; batch < 4; batch++) {
                java.util.List<io.tributary.search.SinkDocument> docs = new java.util.ArrayList<>();
                for (int i = 0; i < 3000; i++) {
                    String rid = "i" + batch + "c" + (i % 2) + "-" + i;
                    expected.add(rid);
                    ObjectNode d = json("{\"rid\":\"" + rid + "\"}");
                    docs.add(new io.tributary.search.SinkDocument("id" + batch + "-" + i, d, LuceneIndex.bytes(d)));
                }
                engine.indexDocuments("p", docs);
                engine.refresh("p");
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            JsonNode after = null;
            int pages = 0;
            while (true) {
                ObjectNode body = json("{\"size\":5000,\"sort\":[\"rid.keyword\"]}");
                if (after != null) {
                    body.set("search_after", after);
                }
                JsonNode hits = engine.search("p", body, SearchOptions.DEFAULT).path("hits").path("hits");
                if (hits.isEmpty()) {
                    break;
                }
                pages++;
                for (JsonNode h : hits) {
                    assertThat(seen.add(h.path("_source").path("rid").asText())).isTrue();
                }
                after = hits.get(hits.size() - 1).path("sort");
            }
            assertThat(seen).isEqualTo(expected);
            assertThat(pages).isEqualTo(3);
        }
    }

    @Test
    void mappingParametersAndAliasFiltersSurviveARestart() throws Exception {
        String mapping = """
                {"mappings":{"dynamic":"true","numeric_detection":true,"dynamic_date_formats":["dd.MM.yyyy"],
                  "dynamic_templates":[{"ids":{"match":"*_id","match_mapping_type":"string","mapping":{"type":"keyword"}}}],
                  "properties":{"k":{"type":"keyword","null_value":"NULL","copy_to":"all","index":false},"all":{"type":"text","norms":false},
                  "n":{"type":"long","ignore_malformed":true,"coerce":false},"o":{"type":"object","dynamic":"strict","properties":{"x":{"type":"long"}}},
                  "gone":{"type":"object","enabled":false},"t":{"type":"text","search_analyzer":"whitespace","index_options":"freqs","meta":{"unit":"none"}}}}}""";
        JsonNode before;
        try (LuceneSearchEngine engine = new LuceneSearchEngine(SearchConfig.defaults(dir), Clock.systemUTC())) {
            engine.createIndex("m", json(mapping));
            engine.updateAliases(json("{\"actions\":[{\"add\":{\"index\":\"m\",\"alias\":\"m-null\",\"filter\":{\"term\":{\"k\":\"NULL\"}}}}]}"));
            engine.bulk(List.of(doc("m", "1", "{\"k\":null,\"n\":\"x\",\"user_id\":\"u1\"}"), doc("m", "2", "{\"k\":\"a\",\"n\":2}")), Refresh.IMMEDIATE);
            before = engine.getMapping("m");
        }
        try (LuceneSearchEngine engine = new LuceneSearchEngine(SearchConfig.defaults(dir), Clock.systemUTC())) {
            assertThat(engine.getMapping("m")).isEqualTo(before);
            assertThat(before.at("/m/mappings/properties/user_id/type").asText()).isEqualTo("keyword");
            assertThat(engine.count("m-null", null).path("count").asLong()).as("the alias filter and null_value after a restart").isEqualTo(1);
            assertThat(engine.count("m", json("{\"query\":{\"term\":{\"_ignored\":\"n\"}}}")).path("count").asLong()).isEqualTo(1);
            BulkResult strict = engine.bulk(List.of(doc("m", "3", "{\"o\":{\"y\":1}}")), Refresh.NONE).get(0);
            assertThat(strict.error()).hasValueSatisfying(e -> assertThat(e.type()).isEqualTo("strict_dynamic_mapping_exception"));
            BulkResult coerce = engine.bulk(List.of(doc("m", "4", "{\"n\":\"5\"}")), Refresh.NONE).get(0);
            assertThat(coerce.error()).as("coerce: false is still in force; the string is malformed and ignored").isEmpty();
            assertThat(engine.getDocument("m", "4").orElseThrow().path("_ignored").get(0).asText()).isEqualTo("n");
        }
    }

    @Test
    void scrollsAndPointsInTimeSeeOneMomentUntilClearedOrExpired() throws Exception {
        io.tributary.common.TestingClock clock = new io.tributary.common.TestingClock();
        try (LuceneSearchEngine engine = new LuceneSearchEngine(SearchConfig.defaults(dir), clock)) {
            List<BulkItem> docs = new java.util.ArrayList<>();
            for (int i = 0; i < 2345; i++) {
                docs.add(doc("sc", Integer.toString(i), "{\"n\":" + i + ",\"even\":" + (i % 2 == 0) + "}"));
            }
            engine.bulk(docs, Refresh.IMMEDIATE);
            SearchOptions alice = new SearchOptions(false, false, Optional.of(java.time.Duration.ofMinutes(1)), "alice");
            JsonNode first = engine.search("sc", json("{\"size\":1000,\"query\":{\"term\":{\"even\":true}}}"), alice);
            String id = first.path("_scroll_id").asText();
            assertThat(first.path("hits").path("total").path("value").asLong()).isEqualTo(1173);
            // Writes after the scroll opened are not in it.
            engine.bulk(List.of(doc("sc", "new", "{\"n\":-1,\"even\":true}")), Refresh.IMMEDIATE);
            java.util.Set<String> seen = new java.util.HashSet<>();
            first.path("hits").path("hits").forEach(h -> assertThat(seen.add(h.path("_id").asText())).isTrue());
            JsonNode page = engine.scroll(id, Optional.empty(), alice);
            while (!page.path("hits").path("hits").isEmpty()) {
                page.path("hits").path("hits").forEach(h -> assertThat(seen.add(h.path("_id").asText())).isTrue());
                assertThat(page.path("hits").path("total").path("value").asLong()).isEqualTo(1173);
                page = engine.scroll(id, Optional.of(java.time.Duration.ofMinutes(1)), alice);
            }
            assertThat(seen).hasSize(1173).doesNotContain("new");
            assertThat(seen).allMatch(x -> Integer.parseInt(x) % 2 == 0);
            SearchOptions bob = new SearchOptions(false, false, Optional.empty(), "bob");
            assertThatThrownBy(() -> engine.scroll(id, Optional.empty(), bob)).isInstanceOfSatisfying(SearchException.class,
                    e -> assertThat(e.type()).isEqualTo("search_context_missing_exception"));
            // The keep-alive runs from the last use.
            clock.advance(java.time.Duration.ofSeconds(59));
            engine.scroll(id, Optional.of(java.time.Duration.ofSeconds(30)), alice);
            clock.advance(java.time.Duration.ofSeconds(31));
            assertThatThrownBy(() -> engine.scroll(id, Optional.empty(), alice)).isInstanceOfSatisfying(SearchException.class,
                    e -> assertThat(e.status()).isEqualTo(404));

            String other = engine.search("sc", json("{\"size\":10}"), alice).path("_scroll_id").asText();
            assertThat(engine.clearScroll(List.of(other), "bob").path("num_freed").asInt()).as("only the owner clears").isZero();
            assertThat(engine.clearScroll(List.of(other), "alice").path("num_freed").asInt()).isEqualTo(1);
            assertThatThrownBy(() -> engine.search("sc", json("{\"size\":0}"), alice)).hasMessageContaining("[size] cannot be [0]");

            // Points in time: search_after with the document order as the tie-breaker pages without skipping or repeating.
            String pit = engine.createPit("sc", java.time.Duration.ofMinutes(1), "alice").path("pit_id").asText();
            engine.bulk(List.of(doc("sc", "later", "{\"n\":5,\"even\":false}")), Refresh.IMMEDIATE);
            java.util.Set<String> pitSeen = new java.util.HashSet<>();
            JsonNode after = null;
            while (true) {
                ObjectNode body = json("{\"size\":700,\"pit\":{\"id\":\"" + pit + "\"},\"sort\":[{\"even\":\"asc\"},{\"_shard_doc\":\"asc\"}]}");
                if (after != null) {
                    body.set("search_after", after);
                }
                JsonNode hits = engine.search("_all", body, SearchOptions.DEFAULT.withOwner("alice")).path("hits").path("hits");
                if (hits.isEmpty()) {
                    break;
                }
                hits.forEach(h -> assertThat(pitSeen.add(h.path("_id").asText())).isTrue());
                after = hits.get(hits.size() - 1).path("sort");
            }
            assertThat(pitSeen).hasSize(2346).contains("new").doesNotContain("later");
            assertThat(engine.listPits("alice").path("pits")).hasSize(1);
            assertThat(engine.listPits("bob").path("pits")).isEmpty();
            clock.advance(java.time.Duration.ofMinutes(2));
            assertThatThrownBy(() -> engine.search("_all", json("{\"pit\":{\"id\":\"" + pit + "\"}}"), SearchOptions.DEFAULT.withOwner("alice")))
                    .isInstanceOfSatisfying(SearchException.class, e -> assertThat(e.status()).isEqualTo(404));
        }
    }

    @Test
    void openSearchContextsAreBounded() throws Exception {
        try (LuceneSearchEngine engine = new LuceneSearchEngine(SearchConfig.defaults(dir), Clock.systemUTC())) {
            engine.bulk(List.of(doc("b", "1", "{\"a\":1}")), Refresh.IMMEDIATE);
            SearchOptions scroll = new SearchOptions(false, false, Optional.of(java.time.Duration.ofMinutes(5)), "x");
            for (int i = 0; i < SearchContexts.MAX_CONTEXTS; i++) {
                engine.search("b", null, scroll);
            }
            assertThatThrownBy(() -> engine.search("b", null, scroll)).isInstanceOfSatisfying(SearchException.class,
                    e -> assertThat(e.status()).isEqualTo(429));
            assertThat(engine.clearScroll(List.of("_all"), "x").path("num_freed").asInt()).isEqualTo(SearchContexts.MAX_CONTEXTS);
            assertThat(engine.search("b", null, scroll).has("_scroll_id")).isTrue();
        }
    }

    @Test
    void sinkCheckpointsAreCommittedWithTheDocuments() throws Exception {
        try (LuceneSearchEngine engine = new LuceneSearchEngine(SearchConfig.defaults(dir), Clock.systemUTC())) {
            ObjectNode d = json("{\"a\":1}");
            engine.indexDocuments("s", List.of(new io.tributary.search.SinkDocument("x", d, LuceneIndex.bytes(d))));
            engine.commit("s", Map.of("tributary.sink.s", "{\"0\":5}"));
            ObjectNode e = json("{\"a\":2}");
            engine.indexDocuments("s", List.of(new io.tributary.search.SinkDocument("y", e, LuceneIndex.bytes(e))));
        }
        try (LuceneSearchEngine engine = new LuceneSearchEngine(SearchConfig.defaults(dir), Clock.systemUTC())) {
            assertThat(engine.checkpoint("s", "tributary.sink.")).containsEntry("tributary.sink.s", "{\"0\":5}");
            assertThat(engine.count("s", null).path("count").asLong()).as("uncommitted document is gone, as after a crash").isEqualTo(1);
        }
    }
}
