package io.tributary.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.server.TestingServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a search answers, over real HTTP, for the cases where answering differently from
 * OpenSearch would be silently wrong: alias filters, missing indexes, metadata fields, fields
 * mapped differently in the indexes searched. Expected counts are computed from the generated
 * rows in Java, not by the engine.
 */
class SearchSemanticsTest {
    @TempDir
    static Path dir;

    private static TestingServer server;
    private static SearchHttp http;
    private static final List<Row> ROWS = rows(240);

    /** One generated document. */
    record Row(String id, String country, long quantity, Instant date, boolean tagged, String note) {
        String json() {
            return "{\"country\":\"" + country + "\",\"quantity\":" + quantity + ",\"date\":\"" + date + "\",\"note\":\"" + note + "\""
                    + (tagged ? ",\"meta\":{\"tag\":\"t" + id + "\"}" : "") + "}";
        }

        boolean noteHas(String word) {
            return List.of(note.toLowerCase(java.util.Locale.ROOT).split(" ")).contains(word);
        }
    }

    static List<Row> rows(int n) {
        String[] countries = {"France", "Spain", "Germany", "United Kingdom", "Peru"};
        String[] notes = {"WHITE HEART HOLDER", "RED HEART MUG", "BLUE POLKA BOX", "WHITE BOX", "RED WHITE HEART"};
        List<Row> out = new ArrayList<>();
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        for (int i = 0; i < n; i++) {
            out.add(new Row(Integer.toString(i), countries[(i * 7 + i / 5) % countries.length], (i * 13L) % 50 - 3,
                    start.plus(Duration.ofMinutes(i * 317L)), i % 6 == 0, notes[(i * 3 + i / 7) % notes.length]));
        }
        return List.copyOf(out);
    }

    static long count(Predicate<Row> p) {
        return ROWS.stream().filter(p).count();
    }

    @BeforeAll
    static void start() throws Exception {
        server = TestingServer.start(dir);
        http = new SearchHttp(server.searchUri(), server.adminKey());
        http.ok("PUT", "/events", "{\"mappings\":{\"properties\":{\"country\":{\"type\":\"keyword\"},\"quantity\":{\"type\":\"long\"},"
                + "\"date\":{\"type\":\"date\"}}}}");
        StringBuilder bulk = new StringBuilder();
        for (Row r : ROWS) {
            bulk.append("{\"index\":{\"_id\":\"").append(r.id()).append("\"}}\n").append(r.json()).append('\n');
        }
        JsonNode result = http.ok("POST", "/events/_bulk?refresh=true", bulk.toString());
        assertThat(result.path("errors").asBoolean()).isFalse();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aliasFiltersApplyToSearchesCountsAndAggregationsThroughTheAlias() throws Exception {
        http.ok("POST", "/_aliases", """
                {"actions":[{"add":{"index":"events","alias":"fr","filter":{"term":{"country":"France"}}}},
                            {"add":{"index":"events","alias":"es","filter":{"term":{"country":"Spain"}}}},
                            {"add":{"index":"events","alias":"everything"}}]}""");
        long france = count(r -> r.country().equals("France"));
        long spain = count(r -> r.country().equals("Spain"));
        assertThat(france).isPositive();
        assertThat(http.ok("GET", "/fr/_count", null).path("count").asLong()).isEqualTo(france);
        assertThat(http.call("POST", "/fr/_search", "{\"size\":0}").number("/hits/total/value")).isEqualTo(france);
        JsonNode buckets = http.ok("POST", "/fr/_search", "{\"size\":0,\"aggs\":{\"c\":{\"terms\":{\"field\":\"country\"}}}}")
                .path("aggregations").path("c").path("buckets");
        assertThat(buckets).hasSize(1);
        assertThat(buckets.get(0).path("key").asText()).isEqualTo("France");
        assertThat(buckets.get(0).path("doc_count").asLong()).isEqualTo(france);
        // The query and the filter both apply.
        long frenchBig = count(r -> r.country().equals("France") && r.quantity() >= 20);
        assertThat(http.call("POST", "/fr/_search", "{\"size\":0,\"query\":{\"range\":{\"quantity\":{\"gte\":20}}}}")
                .number("/hits/total/value")).isEqualTo(frenchBig);
        // Two filtered aliases: either filter; the index named directly, or an alias without a filter: everything.
        assertThat(http.ok("GET", "/fr,es/_count", null).path("count").asLong()).isEqualTo(france + spain);
        assertThat(http.ok("GET", "/fr,events/_count", null).path("count").asLong()).isEqualTo(ROWS.size());
        assertThat(http.ok("GET", "/fr,everything/_count", null).path("count").asLong()).isEqualTo(ROWS.size());
        assertThat(http.ok("GET", "/fr*/_count", null).path("count").asLong()).as("a pattern matching only the alias").isEqualTo(france);
        JsonNode msearch = http.ok("POST", "/_msearch", "{\"index\":\"fr\"}\n{\"size\":0}\n");
        assertThat(msearch.path("responses").get(0).path("hits").path("total").path("value").asLong()).isEqualTo(france);
        assertThat(http.ok("GET", "/_alias/fr", null).path("events").path("aliases").path("fr").path("filter").path("term")
                .path("country").asText()).isEqualTo("France");

        http.ok("PUT", "/events/_alias/de", "{\"filter\":{\"term\":{\"country\":\"Germany\"}}}");
        assertThat(http.ok("GET", "/de/_count", null).path("count").asLong()).isEqualTo(count(r -> r.country().equals("Germany")));

        SearchHttp.Response routing = http.call("POST", "/_aliases", "{\"actions\":[{\"add\":{\"index\":\"events\",\"alias\":\"r1\",\"routing\":\"1\"}}]}");
        assertThat(routing.status()).isEqualTo(400);
        assertThat(routing.text()).contains("[routing]").contains("filter");
        SearchHttp.Response badFilter = http.call("POST", "/_aliases",
                "{\"actions\":[{\"add\":{\"index\":\"events\",\"alias\":\"bad\",\"filter\":{\"bogus\":{}}}}]}");
        assertThat(badFilter.status()).isEqualTo(400);
        assertThat(badFilter.text()).contains("failed to parse filter for alias [bad]").contains("bogus");
        assertThat(http.call("HEAD", "/bad", null).status()).isEqualTo(404);
        assertThat(http.call("POST", "/_aliases", "{\"actions\":[{\"remove\":{\"index\":\"events\",\"alias\":\"nope\",\"must_exist\":false}}]}")
                .status()).isEqualTo(200);
        assertThat(http.call("POST", "/_aliases", "{\"actions\":[{\"remove\":{\"index\":\"events\",\"alias\":\"nope\"}}]}").status())
                .isEqualTo(404);
    }

    @Test
    void headAndDeleteAnswer404ForWhatDoesNotExistWithoutCreatingIt() throws Exception {
        assertThat(http.call("HEAD", "/no-such-index", null).status()).isEqualTo(404);
        assertThat(http.call("HEAD", "/events", null).status()).isEqualTo(200);
        http.ok("POST", "/_aliases", "{\"actions\":[{\"add\":{\"index\":\"events\",\"alias\":\"present\"}}]}");
        assertThat(http.call("HEAD", "/_alias/present", null).status()).isEqualTo(200);
        assertThat(http.call("HEAD", "/_alias/absent", null).status()).isEqualTo(404);
        assertThat(http.call("HEAD", "/events/_alias/absent", null).status()).isEqualTo(404);

        SearchHttp.Response delete = http.call("DELETE", "/never-created/_doc/1", null);
        assertThat(delete.status()).isEqualTo(404);
        assertThat(delete.errorType()).isEqualTo("index_not_found_exception");
        JsonNode bulk = http.ok("POST", "/_bulk", "{\"delete\":{\"_index\":\"never-created-2\",\"_id\":\"1\"}}\n");
        assertThat(bulk.path("items").get(0).path("delete").path("status").asInt()).isEqualTo(404);
        assertThat(http.call("HEAD", "/never-created", null).status()).isEqualTo(404);
        assertThat(http.call("HEAD", "/never-created-2", null).status()).isEqualTo(404);
    }

    @Test
    void indexesWhereAFieldHasAnotherTypeFailAloneAndTheOthersAnswer() throws Exception {
        http.ok("PUT", "/drift-kw", "{\"mappings\":{\"properties\":{\"country\":{\"type\":\"keyword\"}}}}");
        http.ok("PUT", "/drift-tx", "{\"mappings\":{\"properties\":{\"country\":{\"type\":\"text\"}}}}");
        http.ok("POST", "/_bulk?refresh=true", """
                {"index":{"_index":"drift-kw","_id":"1"}}
                {"country":"France"}
                {"index":{"_index":"drift-kw","_id":"2"}}
                {"country":"Peru"}
                {"index":{"_index":"drift-tx","_id":"3"}}
                {"country":"Spain"}
                """);
        for (String body : List.of("{\"size\":0,\"aggs\":{\"c\":{\"terms\":{\"field\":\"country\"}}}}",
                "{\"size\":0,\"aggs\":{\"c\":{\"cardinality\":{\"field\":\"country\"}}}}", "{\"sort\":[{\"country\":\"asc\"}]}")) {
            SearchHttp.Response r = http.call("POST", "/drift-*/_search", body);
            assertThat(r.status()).as(body).isEqualTo(200);
            assertThat(r.number("/_shards/total")).isEqualTo(2);
            assertThat(r.number("/_shards/failed")).isEqualTo(1);
            assertThat(r.body().at("/_shards/failures/0/index").asText()).isEqualTo("drift-tx");
            assertThat(r.body().at("/_shards/failures/0/reason/reason").asText()).contains("Text fields are not optimised");
            assertThat(r.number("/hits/total/value")).as("the documents of the answering index").isEqualTo(2);
        }
        JsonNode terms = http.ok("POST", "/drift-*/_search", "{\"size\":0,\"aggs\":{\"c\":{\"terms\":{\"field\":\"country\"}}}}");
        assertThat(terms.at("/aggregations/c/buckets")).extracting(b -> b.path("key").asText()).containsExactly("France", "Peru");
        JsonNode sorted = http.ok("POST", "/drift-*/_search", "{\"sort\":[{\"country\":\"desc\"}]}");
        assertThat(sorted.at("/hits/hits")).extracting(h -> h.path("_id").asText()).containsExactly("2", "1");
        // Queries are built per index: a match on the text field and an exact term on the keyword field both find their documents.
        assertThat(http.call("POST", "/drift-*/_search", "{\"query\":{\"match\":{\"country\":\"spain\"}}}").number("/hits/total/value"))
                .isEqualTo(1);
        SearchHttp.Response allFail = http.call("POST", "/drift-tx/_search", "{\"sort\":[{\"country\":\"asc\"}]}");
        assertThat(allFail.status()).isEqualTo(400);
        assertThat(allFail.text()).contains("Text fields are not optimised");
    }

    @Test
    void metadataFieldsAreQueryable() throws Exception {
        assertThat(http.call("POST", "/events/_search", "{\"query\":{\"term\":{\"_id\":\"5\"}}}").number("/hits/total/value")).isEqualTo(1);
        assertThat(http.call("POST", "/events/_search", "{\"query\":{\"terms\":{\"_id\":[\"5\",\"6\",\"nope\"]}}}").number("/hits/total/value"))
                .isEqualTo(2);
        assertThat(http.call("POST", "/events/_search", "{\"query\":{\"match\":{\"_id\":\"7\"}}}").number("/hits/total/value")).isEqualTo(1);
        http.ok("PUT", "/meta-other/_doc/1?refresh=true", "{\"country\":\"France\"}");
        assertThat(http.call("POST", "/events,meta-other/_search", "{\"query\":{\"term\":{\"_index\":\"meta-other\"}}}")
                .number("/hits/total/value")).isEqualTo(1);
        assertThat(http.call("POST", "/events,meta-other/_search", "{\"query\":{\"wildcard\":{\"_index\":\"ev*\"}}}")
                .number("/hits/total/value")).isEqualTo(ROWS.size());
        assertThat(http.call("POST", "/events,meta-other/_search", "{\"query\":{\"bool\":{\"must_not\":[{\"terms\":{\"_index\":[\"events\"]}}]}}}")
                .number("/hits/total/value")).isEqualTo(1);
        assertThat(http.call("POST", "/events/_search", "{\"query\":{\"prefix\":{\"_id\":\"1\"}}}").status()).isEqualTo(400);
        assertThat(http.call("POST", "/events/_search", "{\"query\":{\"range\":{\"_id\":{\"gte\":\"1\"}}}}").status()).isEqualTo(400);

        assertThat(http.call("POST", "/events/_search", "{\"query\":{\"exists\":{\"field\":\"meta.*\"}}}").number("/hits/total/value"))
                .isEqualTo(count(Row::tagged));
        SearchHttp.Response empty = http.call("POST", "/events/_search", "{\"query\":{\"exists\":{\"field\":\"\"}}}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.text()).contains("field name is null or empty");
    }

    @Test
    void minimumShouldMatchAboveTheOptionalClausesMatchesNothing() throws Exception {
        assertThat(http.call("POST", "/events/_search", """
                {"query":{"bool":{"should":[{"term":{"country":"France"}},{"term":{"country":"Spain"}}],"minimum_should_match":3}}}""")
                .number("/hits/total/value")).isZero();
        assertThat(http.call("POST", "/events/_search", """
                {"query":{"bool":{"must":[{"term":{"country":"France"}}],"minimum_should_match":1}}}""").number("/hits/total/value")).isZero();
        assertThat(http.call("POST", "/events/_search", """
                {"query":{"bool":{"should":[{"term":{"country":"France"}},{"term":{"country":"Spain"}}],"minimum_should_match":1}}}""")
                .number("/hits/total/value")).isEqualTo(count(r -> r.country().equals("France") || r.country().equals("Spain")));
    }

    @Test
    void conditionalWritesAreEnforcedForSingleDocumentsAndInBulk() throws Exception {
        JsonNode created = http.ok("PUT", "/occ/_doc/1", "{\"a\":\"x\"}");
        long seq = created.path("_seq_no").asLong();
        JsonNode updated = http.ok("PUT", "/occ/_doc/1?if_seq_no=" + seq + "&if_primary_term=1", "{\"a\":\"y\"}");
        assertThat(updated.path("_version").asLong()).isEqualTo(2);
        // A second writer that read the same version loses instead of overwriting.
        SearchHttp.Response lost = http.call("PUT", "/occ/_doc/1?if_seq_no=" + seq + "&if_primary_term=1", "{\"a\":\"z\"}");
        assertThat(lost.status()).isEqualTo(409);
        assertThat(lost.errorType()).isEqualTo("version_conflict_engine_exception");
        assertThat(lost.text()).contains("required seqNo [" + seq + "]").contains("current document has seqNo [" + updated.path("_seq_no").asLong() + "]");
        assertThat(http.ok("GET", "/occ/_doc/1", null).path("_source").path("a").asText()).isEqualTo("y");
        assertThat(http.call("POST", "/occ/_update/1?if_seq_no=" + seq + "&if_primary_term=1", "{\"doc\":{\"b\":1}}").status()).isEqualTo(409);
        assertThat(http.call("DELETE", "/occ/_doc/1?if_seq_no=" + seq + "&if_primary_term=1", null).status()).isEqualTo(409);
        assertThat(http.call("PUT", "/occ/_doc/absent?if_seq_no=0&if_primary_term=1", "{}").text()).contains("no document was found");
        assertThat(http.call("PUT", "/occ/_doc/1?if_seq_no=" + updated.path("_seq_no").asLong() + "&if_primary_term=2", "{}").status()).isEqualTo(409);
        assertThat(http.call("PUT", "/occ/_doc/1?if_seq_no=1", "{}").errorType()).isEqualTo("action_request_validation_exception");
        assertThat(http.call("PUT", "/occ/_doc/1?if_seq_no=x&if_primary_term=1", "{}").text()).contains("[if_seq_no]");

        // External versions: the caller's version is kept and may only grow, also across a delete.
        assertThat(http.ok("PUT", "/occ/_doc/ext?version=5&version_type=external", "{}").path("_version").asLong()).isEqualTo(5);
        assertThat(http.call("PUT", "/occ/_doc/ext?version=3&version_type=external", "{}").text()).contains("current version [5] is higher or equal");
        assertThat(http.call("PUT", "/occ/_doc/ext?version=5&version_type=external", "{}").status()).isEqualTo(409);
        assertThat(http.call("PUT", "/occ/_doc/ext?version=5&version_type=external_gte", "{}").status()).isEqualTo(200);
        assertThat(http.call("DELETE", "/occ/_doc/ext?version=4&version_type=external", null).status()).isEqualTo(409);
        assertThat(http.ok("DELETE", "/occ/_doc/ext?version=7&version_type=external&refresh=true", null).path("_version").asLong()).isEqualTo(7);
        assertThat(http.call("PUT", "/occ/_doc/ext?version=6&version_type=external", "{}").status()).as("the tombstone remembers 7").isEqualTo(409);
        assertThat(http.call("PUT", "/occ/_doc/ext?version=5", "{}").text()).contains("internal versioning can not be used");
        assertThat(http.call("PUT", "/occ/_create/c?version=5&version_type=external", "{}").text()).contains("create operations only support internal");
        assertThat(http.call("PUT", "/occ/_doc/1?op_type=bogus", "{}").text()).contains("opType must be 'create' or 'index'");
        assertThat(http.call("PUT", "/occ/_doc/1?pipeline=p1", "{}").status()).isEqualTo(400);
        assertThat(http.call("PUT", "/occ/_doc/1?require_alias=true", "{}").status()).isEqualTo(404);

        JsonNode current = http.ok("GET", "/occ/_doc/1", null);
        JsonNode bulk = http.ok("POST", "/occ/_bulk", "{\"index\":{\"_id\":\"1\",\"if_seq_no\":" + seq + ",\"if_primary_term\":1}}\n{\"a\":5}\n"
                + "{\"index\":{\"_id\":\"1\",\"if_seq_no\":" + current.path("_seq_no").asLong() + ",\"if_primary_term\":1}}\n{\"a\":6}\n"
                + "{\"index\":{\"_id\":\"b\",\"version\":4,\"version_type\":\"external\"}}\n{\"a\":5}\n"
                + "{\"index\":{\"_id\":\"b\",\"version\":3,\"version_type\":\"external\"}}\n{\"a\":5}\n"
                + "{\"index\":{\"_id\":\"c\",\"op_type\":\"create\"}}\n{\"a\":5}\n"
                + "{\"index\":{\"_id\":\"c\",\"op_type\":\"create\"}}\n{\"a\":5}\n"
                + "{\"delete\":{\"_id\":\"b\",\"if_seq_no\":999,\"if_primary_term\":1}}\n");
        assertThat(bulk.path("errors").asBoolean()).isTrue();
        assertThat(bulk.path("items")).extracting(i -> i.elements().next().path("status").asInt()).containsExactly(409, 200, 201, 409, 201, 409, 409);
        assertThat(http.ok("GET", "/occ/_doc/1", null).path("_source").path("a").asInt()).isEqualTo(6);
    }

    @Test
    void dateBoundsWithoutATimeRoundToTheWholeUnitAsInOpenSearch() throws Exception {
        Instant day = Instant.parse("2026-03-05T00:00:00Z");
        Instant next = Instant.parse("2026-03-06T00:00:00Z");
        long onTheDay = count(r -> !r.date().isBefore(day) && r.date().isBefore(next));
        long after = count(r -> !r.date().isBefore(next));
        assertThat(onTheDay).isPositive();
        assertThat(total("{\"range\":{\"date\":{\"gte\":\"2026-03-05\",\"lte\":\"2026-03-05\"}}}")).isEqualTo(onTheDay);
        assertThat(total("{\"range\":{\"date\":{\"gt\":\"2026-03-05\"}}}")).as("gt leaves out the whole day").isEqualTo(after);
        assertThat(total("{\"range\":{\"date\":{\"gte\":\"2026-03-05\",\"lt\":\"2026-03-06\"}}}")).isEqualTo(onTheDay);
        assertThat(total("{\"term\":{\"date\":\"2026-03-05\"}}")).as("a term on a date is its whole day").isEqualTo(onTheDay);
        assertThat(total("{\"query_string\":{\"query\":\"date:[2026-03-05 TO 2026-03-05]\"}}")).isEqualTo(onTheDay);
        Instant ten = Instant.parse("2026-03-05T10:00:00Z");
        Instant thirteen = Instant.parse("2026-03-05T13:00:00Z");
        assertThat(total("{\"range\":{\"date\":{\"gt\":\"2026-03-05T10\",\"lte\":\"2026-03-05T12\"}}}"))
                .isEqualTo(count(r -> !r.date().isBefore(ten.plusSeconds(3600)) && r.date().isBefore(thirteen)));
        // With time_zone the day is the local one.
        Instant localDay = Instant.parse("2026-03-04T19:00:00Z");
        assertThat(total("{\"range\":{\"date\":{\"gte\":\"2026-03-05\",\"lte\":\"2026-03-05\",\"time_zone\":\"+05:00\"}}}"))
                .isEqualTo(count(r -> !r.date().isBefore(localDay) && r.date().isBefore(localDay.plusSeconds(86_400))));

        SearchHttp.Response overflow = http.call("POST", "/events/_search", "{\"query\":{\"range\":{\"date\":{\"gte\":\"now+999999999y\"}}}}");
        assertThat(overflow.status()).isEqualTo(400);
        assertThat(overflow.text()).contains("now+999999999y").contains("out of range");
        assertThat(http.call("POST", "/events/_search", "{\"query\":{\"range\":{\"date\":{\"gte\":\"yesterday\"}}}}").errorType())
                .isEqualTo("parse_exception");
    }

    @Test
    void numbersInDateFieldsAreReadThroughTheFieldsFormat() throws Exception {
        http.ok("PUT", "/epochs", "{\"mappings\":{\"properties\":{\"s\":{\"type\":\"date\",\"format\":\"epoch_second\"}}}}");
        long[] seconds = {1772705472L, 1772791872L, 1772841600L};
        http.ok("POST", "/epochs/_bulk?refresh=true", "{\"index\":{\"_id\":\"1\"}}\n{\"s\":" + seconds[0] + "}\n"
                + "{\"index\":{\"_id\":\"2\"}}\n{\"s\":\"" + seconds[1] + "\"}\n{\"index\":{\"_id\":\"3\"}}\n{\"s\":" + seconds[2] + ".5}\n");
        JsonNode sorted = http.ok("POST", "/epochs/_search", "{\"sort\":[{\"s\":\"asc\"}],\"_source\":false}");
        assertThat(sorted.at("/hits/hits")).extracting(h -> h.path("sort").get(0).asLong())
                .containsExactly(seconds[0] * 1000, seconds[1] * 1000, seconds[2] * 1000 + 500);
        JsonNode days = http.ok("POST", "/epochs/_search", "{\"size\":0,\"aggs\":{\"d\":{\"date_histogram\":{\"field\":\"s\",\"calendar_interval\":\"day\"}}}}");
        assertThat(days.at("/aggregations/d/buckets")).extracting(b -> b.path("key").asLong())
                .containsExactly(1772668800000L, 1772755200000L, 1772841600000L);
        assertThat(days.at("/aggregations/d/buckets/0/key_as_string").asText()).isEqualTo("1772668800");
        JsonNode terms = http.ok("POST", "/epochs/_search", "{\"size\":0,\"aggs\":{\"t\":{\"terms\":{\"field\":\"s\",\"order\":{\"_key\":\"asc\"}}}}}");
        assertThat(terms.at("/aggregations/t/buckets/2/key_as_string").asText()).isEqualTo("1772841600.5");
        assertThat(http.call("POST", "/epochs/_search", "{\"query\":{\"range\":{\"s\":{\"gte\":" + seconds[0] + "}}}}").number("/hits/total/value"))
                .isEqualTo(3);
        assertThat(http.call("POST", "/epochs/_search", "{\"query\":{\"range\":{\"s\":{\"lte\":" + seconds[0] + "}}}}").number("/hits/total/value"))
                .isEqualTo(1);
        assertThat(http.call("POST", "/epochs/_search", "{\"query\":{\"term\":{\"s\":" + seconds[1] + "}}}").number("/hits/total/value"))
                .isEqualTo(1);
    }

    @Test
    void queryStringUnderstandsTheDashboardsQueryBarSyntax() throws Exception {
        Instant day = Instant.parse("2026-03-05T00:00:00Z");
        Map<String, Long> expected = new java.util.LinkedHashMap<>();
        expected.put("NOT country:France", count(r -> !r.country().equals("France")));
        expected.put("-country:France", count(r -> !r.country().equals("France")));
        expected.put("quantity:>40", count(r -> r.quantity() > 40));
        expected.put("quantity:>=40", count(r -> r.quantity() >= 40));
        expected.put("quantity:<3", count(r -> r.quantity() < 3));
        expected.put("quantity:<=3", count(r -> r.quantity() <= 3));
        expected.put("date:>=2026-03-05", count(r -> !r.date().isBefore(day)));
        expected.put("date:>2026-03-05", count(r -> !r.date().isBefore(day.plusSeconds(86_400))));
        expected.put("meta.tag:*", count(Row::tagged));
        expected.put("_exists_:meta", count(Row::tagged));
        expected.put("NOT _exists_:meta", count(r -> !r.tagged()));
        expected.put("(NOT country:France) AND quantity:>40", count(r -> !r.country().equals("France") && r.quantity() > 40));
        expected.put("note:heart AND NOT note:red", count(r -> r.noteHas("heart") && !r.noteHas("red")));
        expected.put("10", count(r -> r.quantity() == 10));
        expected.put("*", (long) ROWS.size());
        expected.put("Spain", count(r -> r.country().equals("Spain")));
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            assertThat(total("{\"query_string\":{\"query\":\"" + e.getKey() + "\"}}")).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(expected.get("quantity:>40")).isPositive();
        assertThat(total("{\"query_string\":{\"query\":\"heart\",\"fields\":[\"no*\"]}}")).isEqualTo(count(r -> r.noteHas("heart")));
        assertThat(total("{\"query_string\":{\"query\":\"no\\\\*:heart\"}}")).as("an escaped field pattern").isEqualTo(count(r -> r.noteHas("heart")));
        assertThat(total("{\"query_string\":{\"query\":\"10\",\"fields\":[\"quantity\",\"note\"]}}")).isEqualTo(count(r -> r.quantity() == 10));
        assertThat(total("{\"query_string\":{\"query\":\"white heart red\",\"default_field\":\"note\",\"minimum_should_match\":\"2\"}}"))
                .isEqualTo(count(r -> (r.noteHas("white") ? 1 : 0) + (r.noteHas("heart") ? 1 : 0) + (r.noteHas("red") ? 1 : 0) >= 2));
        assertThat(total("{\"query_string\":{\"query\":\"note:HEART\",\"analyzer\":\"keyword\"}}")).isZero();
        // The URL form: q with df, default_operator, analyzer and lenient.
        assertThat(http.call("GET", "/events/_search?size=0&q=white%20heart&default_operator=AND&df=note", null).number("/hits/total/value"))
                .isEqualTo(count(r -> r.noteHas("white") && r.noteHas("heart")));
        assertThat(http.call("GET", "/events/_search?size=0&q=France&df=note", null).number("/hits/total/value")).isZero();
        assertThat(http.call("GET", "/events/_count?q=France&df=country", null).number("/count")).isEqualTo(count(r -> r.country().equals("France")));
        assertThat(http.call("GET", "/events/_search?size=0&q=note:HEART&analyzer=keyword", null).number("/hits/total/value")).isZero();
        assertThat(http.call("GET", "/events/_search?size=0&q=quantity:abc", null).number("/hits/total/value")).isZero();
        SearchHttp.Response strict = http.call("GET", "/events/_search?size=0&q=quantity:abc&lenient=false", null);
        assertThat(strict.status()).isEqualTo(400);
        assertThat(strict.text()).contains("abc");
        assertThat(http.call("GET", "/events/_search?q=x&default_operator=maybe", null).status()).isEqualTo(400);
    }

    @Test
    void sortModesReduceEachDocumentsValues() throws Exception {
        long[][] values = {{1, 10}, {4, 5, 6}, {2, 3, 100}, {7}};
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            bulk.append("{\"index\":{\"_id\":\"").append(i).append("\"}}\n{\"n\":").append(java.util.Arrays.toString(values[i]))
                    .append(",\"k\":[\"").append((char) ('a' + i)).append("\",\"").append((char) ('z' - i)).append("\"]}\n");
        }
        bulk.append("{\"index\":{\"_id\":\"none\"}}\n{\"other\":1}\n");
        http.ok("POST", "/multi/_bulk?refresh=true", bulk.toString());
        Map<String, java.util.function.ToDoubleFunction<long[]>> modes = new java.util.LinkedHashMap<>();
        modes.put("min", v -> java.util.Arrays.stream(v).min().orElseThrow());
        modes.put("max", v -> java.util.Arrays.stream(v).max().orElseThrow());
        modes.put("sum", v -> java.util.Arrays.stream(v).sum());
        modes.put("avg", v -> Math.round(java.util.Arrays.stream(v).average().orElseThrow()));
        modes.put("median", v -> v.length % 2 == 1 ? v[v.length / 2] : Math.round((v[v.length / 2 - 1] + v[v.length / 2]) / 2.0));
        for (String order : List.of("asc", "desc")) {
            for (Map.Entry<String, java.util.function.ToDoubleFunction<long[]>> mode : modes.entrySet()) {
                List<String> expected = new ArrayList<>();
                java.util.stream.IntStream.range(0, values.length).boxed()
                        .sorted((a, b) -> (order.equals("asc") ? 1 : -1) * Double.compare(mode.getValue().applyAsDouble(values[a]),
                                mode.getValue().applyAsDouble(values[b])))
                        .forEach(i -> expected.add(Integer.toString(i)));
                expected.add("none");
                JsonNode r = http.ok("POST", "/multi/_search", "{\"sort\":[{\"n\":{\"order\":\"" + order + "\",\"mode\":\"" + mode.getKey() + "\"}}]}");
                assertThat(r.at("/hits/hits")).as("%s %s", mode.getKey(), order).extracting(h -> h.path("_id").asText())
                        .containsExactlyElementsOf(expected);
                assertThat(r.at("/hits/hits/0/sort/0").asLong()).as("%s %s", mode.getKey(), order)
                        .isEqualTo(Math.round(mode.getValue().applyAsDouble(values[Integer.parseInt(expected.get(0))])));
            }
        }
        // Keywords: desc with min sorts by each document's smallest value, largest first.
        JsonNode k = http.ok("POST", "/multi/_search", "{\"sort\":[{\"k.keyword\":{\"order\":\"desc\",\"mode\":\"min\"}}]}");
        assertThat(k.at("/hits/hits")).extracting(h -> h.path("_id").asText()).containsExactly("3", "2", "1", "0", "none");
        assertThat(http.call("POST", "/multi/_search", "{\"sort\":[{\"k.keyword\":{\"mode\":\"avg\"}}]}").status()).isEqualTo(400);
        // A missing value puts documents without one where it sorts.
        JsonNode missing = http.ok("POST", "/multi/_search", "{\"sort\":[{\"n\":{\"order\":\"asc\",\"missing\":3}}]}");
        assertThat(missing.at("/hits/hits")).extracting(h -> h.path("_id").asText()).containsExactly("0", "2", "none", "1", "3");
    }

    @Test
    void termsWithMinDocCountZeroListTermsNoMatchingDocumentHas() throws Exception {
        JsonNode r = http.ok("POST", "/events/_search", """
                {"size":0,"query":{"term":{"country":"Peru"}},"aggs":{"c":{"terms":{"field":"country","min_doc_count":0,"size":10}}}}""");
        Map<String, Long> buckets = new java.util.TreeMap<>();
        r.at("/aggregations/c/buckets").forEach(b -> buckets.put(b.path("key").asText(), b.path("doc_count").asLong()));
        assertThat(buckets).containsEntry("Peru", count(x -> x.country().equals("Peru")))
                .containsEntry("France", 0L).containsEntry("Spain", 0L).containsEntry("Germany", 0L).containsEntry("United Kingdom", 0L).hasSize(5);
        assertThat(r.at("/aggregations/c/buckets/0/key").asText()).isEqualTo("Peru");
        assertThat(r.at("/aggregations/c/buckets/1/key").asText()).as("zero buckets by key").isEqualTo("France");
    }

    @Test
    void documentGetsFilterTheSourceAsAsked() throws Exception {
        http.ok("PUT", "/filtered/_doc/1?refresh=true", "{\"a\":\"y\",\"n\":2,\"o\":{\"x\":1,\"y\":2}}");
        assertThat(http.ok("GET", "/filtered/_doc/1?_source_includes=a", null).path("_source").toString()).isEqualTo("{\"a\":\"y\"}");
        assertThat(http.ok("GET", "/filtered/_doc/1?_source=a,o.x", null).path("_source").toString()).isEqualTo("{\"a\":\"y\",\"o\":{\"x\":1}}");
        assertThat(http.ok("GET", "/filtered/_doc/1?_source_excludes=o", null).path("_source").toString()).isEqualTo("{\"a\":\"y\",\"n\":2}");
        assertThat(http.ok("GET", "/filtered/_doc/1?_source=false", null).has("_source")).isFalse();
        assertThat(http.ok("GET", "/filtered/_doc/1?stored_fields=a", null).has("_source")).isFalse();
        assertThat(http.ok("GET", "/filtered/_source/1?_source_includes=n", null).toString()).isEqualTo("{\"n\":2}");
        assertThat(http.call("GET", "/filtered/_source/1?_source=false", null).status()).isEqualTo(400);
        JsonNode update = http.ok("POST", "/filtered/_update/1?_source_includes=z", "{\"doc\":{\"z\":3}}");
        assertThat(update.path("get").path("_source").toString()).isEqualTo("{\"z\":3}");
        assertThat(update.path("get").path("found").asBoolean()).isTrue();
        assertThat(http.ok("POST", "/filtered/_update/1", "{\"doc\":{\"z\":4}}").has("get")).isFalse();
    }

    @Test
    void fractionalHistogramsFillEveryGapAndHugeBoundsAreRefused() throws Exception {
        StringBuilder bulk = new StringBuilder();
        double[] values = {0.0, 0.05, 0.3, 1.0, 2.0, 2.04};
        for (double v : values) {
            bulk.append("{\"index\":{}}\n{\"v\":").append(v).append("}\n");
        }
        http.ok("POST", "/fractions/_bulk?refresh=true", bulk.toString());
        JsonNode buckets = http.ok("POST", "/fractions/_search", "{\"size\":0,\"aggs\":{\"h\":{\"histogram\":{\"field\":\"v\",\"interval\":0.1}}}}")
                .at("/aggregations/h/buckets");
        // Keys 0.0, 0.1, ..., 2.0: 21 buckets, the empty ones too.
        assertThat(buckets).hasSize(21);
        long[] counts = new long[21];
        for (double v : values) {
            counts[(int) Math.floor(v / 0.1 + 1e-9)]++;
        }
        for (int i = 0; i < 21; i++) {
            assertThat(buckets.get(i).path("key").asDouble()).isCloseTo(i * 0.1, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(buckets.get(i).path("doc_count").asLong()).as("bucket %d", i).isEqualTo(counts[i]);
        }
        SearchHttp.Response huge = http.call("POST", "/fractions/_search",
                "{\"size\":0,\"aggs\":{\"h\":{\"histogram\":{\"field\":\"v\",\"interval\":1,\"extended_bounds\":{\"min\":-1e18,\"max\":1e18}}}}}");
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.errorType()).isEqualTo("too_many_buckets_exception");
        assertThat(http.call("POST", "/fractions/_search", "{\"size\":0,\"aggs\":{\"h\":{\"histogram\":{\"field\":\"v\",\"interval\":\"NaN\"}}}}")
                .status()).isEqualTo(400);
    }

    @Test
    void matchOptionsApply() throws Exception {
        assertThat(total("{\"match\":{\"note\":{\"query\":\"\",\"zero_terms_query\":\"all\"}}}")).isEqualTo(ROWS.size());
        assertThat(total("{\"match\":{\"note\":{\"query\":\"\"}}}")).isZero();
        assertThat(total("{\"match\":{\"meta\":\"x\"}}")).as("an object field matches nothing").isZero();
        assertThat(total("{\"match\":{\"note\":{\"query\":\"HEART\",\"analyzer\":\"whitespace\"}}}")).as("not lower-cased").isZero();
        assertThat(total("{\"match\":{\"note\":{\"query\":\"HEART\"}}}")).isEqualTo(count(r -> r.noteHas("heart")));
        // An exact keyword match scores 1, whatever the term's frequency.
        JsonNode hit = http.ok("POST", "/events/_search", "{\"size\":1,\"query\":{\"term\":{\"country\":\"France\"}}}").at("/hits/hits/0");
        assertThat(hit.path("_score").asDouble()).isEqualTo(1.0);
        // Fuzziness: "hart" is one edit from "heart", "boz" one from "box" (AUTO allows one edit from 3 letters).
        assertThat(total("{\"match\":{\"note\":{\"query\":\"hart\",\"fuzziness\":\"AUTO\"}}}")).isEqualTo(count(r -> r.noteHas("heart")));
        assertThat(total("{\"match\":{\"note\":{\"query\":\"hart\",\"fuzziness\":0}}}")).isZero();
        assertThat(total("{\"fuzzy\":{\"note\":{\"value\":\"boz\"}}}")).isEqualTo(count(r -> r.noteHas("box")));
        assertThat(total("{\"fuzzy\":{\"country\":{\"value\":\"Frence\",\"fuzziness\":1}}}")).isEqualTo(count(r -> r.country().equals("France")));
        assertThat(http.call("POST", "/events/_search", "{\"query\":{\"match\":{\"quantity\":{\"query\":5,\"fuzziness\":1}}}}").text())
                .contains("Can only use fuzzy queries on keyword and text fields");
        assertThat(http.call("POST", "/events/_search", "{\"query\":{\"match\":{\"note\":{\"query\":\"x\",\"fuzziness\":\"lots\"}}}}").status())
                .isEqualTo(400);
        // dis_max matches what any of its clauses matches.
        assertThat(total("{\"dis_max\":{\"queries\":[{\"term\":{\"country\":\"Peru\"}},{\"match\":{\"note\":\"mug\"}}]}}"))
                .isEqualTo(count(r -> r.country().equals("Peru") || r.noteHas("mug")));
    }

    @Test
    void discoverRequestShapesAreAnswered() throws Exception {
        Row first = ROWS.stream().filter(Row::tagged).findFirst().orElseThrow();
        JsonNode hit = http.ok("POST", "/events/_search", """
                {"size":1,"version":true,"query":{"ids":{"values":["%s"]}},"stored_fields":["*"],"script_fields":{},"profile":false,"explain":false,
                 "docvalue_fields":[{"field":"date","format":"date_time"},"quantity","country"],"fields":["note*","meta.*"],"_source":{"excludes":[]}}"""
                .formatted(first.id())).at("/hits/hits/0");
        assertThat(hit.path("_version").asLong()).isEqualTo(1);
        assertThat(hit.path("_source").path("country").asText()).isEqualTo(first.country());
        JsonNode fields = hit.path("fields");
        assertThat(fields.path("date").get(0).asText()).isEqualTo(first.date().toString().replace("Z", ".000Z"));
        assertThat(fields.path("quantity").get(0).asLong()).isEqualTo(first.quantity());
        assertThat(fields.path("country").get(0).asText()).isEqualTo(first.country());
        assertThat(fields.path("note").get(0).asText()).isEqualTo(first.note());
        assertThat(fields.path("note.keyword").get(0).asText()).isEqualTo(first.note());
        assertThat(fields.path("meta.tag").get(0).asText()).isEqualTo("t" + first.id());
        JsonNode bare = http.ok("POST", "/events/_search", "{\"size\":1,\"stored_fields\":[\"*\"]}").at("/hits/hits/0");
        assertThat(bare.has("_source")).as("stored_fields without _source leaves it out").isFalse();
        JsonNode none = http.ok("POST", "/events/_search", "{\"size\":1,\"stored_fields\":\"_none_\"}").at("/hits/hits/0");
        assertThat(none.has("_id")).isFalse();
        assertThat(http.call("POST", "/events/_search", "{\"docvalue_fields\":[\"note\"]}").text()).contains("Text fields are not optimised");
        for (String refused : List.of("{\"script_fields\":{\"x\":{\"script\":\"1\"}}}", "{\"profile\":true}", "{\"explain\":true}",
                "{\"highlight\":{\"fields\":{\"note\":{}}}}", "{\"terminate_after\":5}", "{\"min_score\":1}", "{\"ext\":{\"x\":{}}}")) {
            SearchHttp.Response r = http.call("POST", "/events/_search", refused);
            assertThat(r.status()).as(refused).isEqualTo(400);
            assertThat(r.text()).as(refused).contains(refused.substring(2, refused.indexOf('"', 2)));
        }
    }

    @Test
    void namedQueriesRegexpFlagsAndPureNegativesApply() throws Exception {
        JsonNode hits = http.ok("POST", "/events/_search", """
                {"size":300,"_source":false,"query":{"bool":{"should":[{"term":{"country":{"value":"France","_name":"fr"}}},
                 {"range":{"quantity":{"gte":40,"_name":"big"}}}]}}}""").at("/hits/hits");
        assertThat(hits).hasSize((int) count(r -> r.country().equals("France") || r.quantity() >= 40));
        for (JsonNode h : hits) {
            Row r = ROWS.get(Integer.parseInt(h.path("_id").asText()));
            List<String> expected = new ArrayList<>();
            if (r.country().equals("France")) {
                expected.add("fr");
            }
            if (r.quantity() >= 40) {
                expected.add("big");
            }
            assertThat(h.path("matched_queries")).extracting(JsonNode::asText).as("hit %s", r.id()).containsExactlyElementsOf(expected);
        }
        assertThat(total("{\"bool\":{\"must_not\":[{\"term\":{\"country\":\"France\"}}],\"adjust_pure_negative\":false}}")).isZero();
        assertThat(total("{\"bool\":{\"must_not\":[{\"term\":{\"country\":\"France\"}}]}}")).isEqualTo(count(r -> !r.country().equals("France")));
        assertThat(total("{\"regexp\":{\"country\":{\"value\":\"~(France)\",\"flags\":\"COMPLEMENT\"}}}"))
                .isEqualTo(count(r -> !r.country().equals("France")));
        assertThat(total("{\"regexp\":{\"country\":{\"value\":\"~(France)\",\"flags\":\"NONE\"}}}")).as("~ is a plain character").isZero();
        assertThat(http.call("POST", "/events/_search", "{\"query\":{\"regexp\":{\"country\":{\"value\":\"x\",\"flags\":\"BOGUS\"}}}}").status())
                .isEqualTo(400);
        assertThat(http.call("POST", "/events/_search", "{\"query\":{\"prefix\":{\"country\":{\"value\":\"F\",\"rewrite\":\"top_terms_10\"}}}}").status())
                .isEqualTo(400);
    }

    @Test
    void simpleQueryStringAndMatchPhrasePrefixMatch() throws Exception {
        assertThat(total("{\"simple_query_string\":{\"query\":\"heart\"}}")).isEqualTo(count(r -> r.noteHas("heart")));
        assertThat(total("{\"simple_query_string\":{\"query\":\"white +heart\",\"fields\":[\"note\"]}}")).as("+ is AND in this syntax")
                .isEqualTo(count(r -> r.noteHas("white") && r.noteHas("heart")));
        assertThat(total("{\"simple_query_string\":{\"query\":\"heart -white\",\"default_operator\":\"and\",\"fields\":[\"note\"]}}"))
                .isEqualTo(count(r -> r.noteHas("heart") && !r.noteHas("white")));
        assertThat(total("{\"simple_query_string\":{\"query\":\"\\\"red heart\\\"\",\"fields\":[\"note\"]}}"))
                .isEqualTo(count(r -> r.note().contains("RED HEART")));
        assertThat(total("{\"simple_query_string\":{\"query\":\"hea*\",\"fields\":[\"no*\"]}}")).isEqualTo(count(r -> r.noteHas("heart")));
        assertThat(total("{\"simple_query_string\":{\"query\":\"-France\",\"fields\":[\"country\"]}}"))
                .isEqualTo(count(r -> !r.country().equals("France")));
        assertThat(total("{\"simple_query_string\":{\"query\":\"10\"}}")).as("every field, leniently").isEqualTo(count(r -> r.quantity() == 10));
        assertThat(http.call("POST", "/events/_search", "{\"query\":{\"simple_query_string\":{\"query\":\"abc\",\"fields\":[\"quantity\"]}}}")
                .status()).isEqualTo(400);
        assertThat(total("{\"match_phrase_prefix\":{\"note\":\"white he\"}}")).isEqualTo(count(r -> r.note().contains("WHITE HE")));
        assertThat(total("{\"match_phrase_prefix\":{\"note\":\"hold\"}}")).isEqualTo(count(r -> r.noteHas("holder")));
        assertThat(http.call("POST", "/events/_search", "{\"query\":{\"match_phrase_prefix\":{\"country\":\"Fr\"}}}").status()).isEqualTo(400);
    }

    @Test
    void mgetAndDeleteByQuery() throws Exception {
        JsonNode docs = http.ok("POST", "/_mget", "{\"docs\":[{\"_index\":\"events\",\"_id\":\"3\",\"_source\":[\"country\"]},"
                + "{\"_index\":\"events\",\"_id\":\"nope\"},{\"_index\":\"no-such-index\",\"_id\":\"1\"}]}").path("docs");
        assertThat(docs.get(0).path("_source").toString()).isEqualTo("{\"country\":\"" + ROWS.get(3).country() + "\"}");
        assertThat(docs.get(1).path("found").asBoolean(true)).isFalse();
        assertThat(docs.get(2).path("error").path("type").asText()).isEqualTo("index_not_found_exception");
        JsonNode byIds = http.ok("GET", "/events/_mget?_source_includes=quantity", "{\"ids\":[\"1\",\"2\"]}").path("docs");
        assertThat(byIds.get(1).path("_source").path("quantity").asLong()).isEqualTo(ROWS.get(2).quantity());
        assertThat(http.call("POST", "/_mget", "{\"docs\":[{\"_id\":\"1\"}]}").text()).contains("index is missing for doc 0");

        StringBuilder bulk = new StringBuilder();
        for (Row r : ROWS) {
            bulk.append("{\"index\":{\"_id\":\"").append(r.id()).append("\"}}\n").append(r.json()).append('\n');
        }
        http.ok("POST", "/doomed/_bulk?refresh=true", bulk.toString());
        long spanish = count(r -> r.country().equals("Spain"));
        JsonNode deleted = http.ok("POST", "/doomed/_delete_by_query?refresh=true", "{\"query\":{\"match\":{\"country\":\"Spain\"}}}");
        assertThat(deleted.path("deleted").asLong()).isEqualTo(spanish);
        assertThat(deleted.path("total").asLong()).isEqualTo(spanish);
        assertThat(deleted.path("failures")).isEmpty();
        assertThat(http.ok("GET", "/doomed/_count", null).path("count").asLong()).isEqualTo(ROWS.size() - spanish);
        JsonNode limited = http.ok("POST", "/doomed/_delete_by_query?refresh=true&max_docs=3&q=country:France", null);
        assertThat(limited.path("deleted").asLong()).isEqualTo(3);
        assertThat(http.call("POST", "/doomed/_delete_by_query?wait_for_completion=false", "{\"query\":{\"match_all\":{}}}").status()).isEqualTo(400);
    }

    @Test
    void filtersMissingExtendedStatsAndIncludeExcludeAggregate() throws Exception {
        JsonNode a = http.ok("POST", "/events/_search", """
                {"size":0,"aggs":{"f":{"filters":{"filters":{"fr":{"term":{"country":"France"}},"big":{"range":{"quantity":{"gte":40}}}},"other_bucket":true}},
                 "m":{"missing":{"field":"meta.tag.keyword"}},"e":{"extended_stats":{"field":"quantity"}},
                 "i":{"terms":{"field":"country","include":"F.*|S.*"}},"x":{"terms":{"field":"country","exclude":["France","Spain"],"size":10}}}}""")
                .path("aggregations");
        assertThat(a.at("/f/buckets/fr/doc_count").asLong()).isEqualTo(count(r -> r.country().equals("France")));
        assertThat(a.at("/f/buckets/big/doc_count").asLong()).isEqualTo(count(r -> r.quantity() >= 40));
        assertThat(a.at("/f/buckets/_other_/doc_count").asLong()).isEqualTo(count(r -> !r.country().equals("France") && r.quantity() < 40));
        assertThat(a.at("/m/doc_count").asLong()).isEqualTo(count(r -> !r.tagged()));
        double mean = ROWS.stream().mapToLong(Row::quantity).average().orElseThrow();
        double variance = ROWS.stream().mapToDouble(r -> (r.quantity() - mean) * (r.quantity() - mean)).sum() / ROWS.size();
        assertThat(a.at("/e/variance").asDouble()).isCloseTo(variance, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(a.at("/e/std_deviation_bounds/upper").asDouble()).isCloseTo(mean + 2 * Math.sqrt(variance), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(a.at("/e/sum_of_squares").asDouble()).isEqualTo((double) ROWS.stream().mapToLong(r -> r.quantity() * r.quantity()).sum());
        assertThat(a.at("/i/buckets")).extracting(b -> b.path("key").asText()).containsExactlyInAnyOrder("France", "Spain");
        assertThat(a.at("/x/buckets")).extracting(b -> b.path("key").asText()).containsExactlyInAnyOrder("Germany", "United Kingdom", "Peru");
        assertThat(http.call("POST", "/events/_search", "{\"aggs\":{\"t\":{\"terms\":{\"field\":\"quantity\",\"include\":\"1.*\"}}}}").status())
                .isEqualTo(400);
    }

    @Test
    void topHitsKeepTheBestDocumentsOfEachBucket() throws Exception {
        JsonNode a = http.ok("POST", "/events/_search", """
                {"size":0,"aggs":{"c":{"terms":{"field":"country","size":5},
                 "aggs":{"latest":{"top_hits":{"size":2,"sort":[{"date":"desc"}],"_source":["quantity"]}}}}}}""").path("aggregations");
        assertThat(a.at("/c/buckets")).hasSize(5);
        for (JsonNode bucket : a.at("/c/buckets")) {
            String country = bucket.path("key").asText();
            List<Row> latest = ROWS.stream().filter(r -> r.country().equals(country))
                    .sorted(java.util.Comparator.comparing(Row::date).reversed()).limit(2).toList();
            JsonNode hits = bucket.at("/latest/hits");
            assertThat(hits.at("/total/value").asLong()).isEqualTo(count(r -> r.country().equals(country)));
            assertThat(hits.path("hits")).extracting(h -> h.path("_id").asText()).containsExactly(latest.stream().map(Row::id).toArray(String[]::new));
            assertThat(hits.at("/hits/0/_source/quantity").asLong()).isEqualTo(latest.get(0).quantity());
            assertThat(hits.at("/hits/0/_source").has("country")).isFalse();
            assertThat(hits.at("/hits/0/sort/0").asLong()).isEqualTo(latest.get(0).date().toEpochMilli());
            assertThat(hits.path("max_score").isNull()).isTrue();
        }
        // By score (the default): the best hit of the only bucket is the search's best hit, with the query's score.
        JsonNode scored = http.ok("POST", "/events/_search", """
                {"size":1,"query":{"match":{"note":"white heart"}},"aggs":{"t":{"top_hits":{"size":1}}}}""");
        assertThat(scored.at("/aggregations/t/hits/hits/0/_score").asDouble()).isEqualTo(scored.at("/hits/hits/0/_score").asDouble());
        assertThat(scored.at("/aggregations/t/hits/max_score").asDouble()).isEqualTo(scored.at("/hits/max_score").asDouble());
        assertThat(scored.at("/aggregations/t/hits/total/value").asLong()).isEqualTo(count(r -> r.noteHas("white") || r.noteHas("heart")));

        SearchHttp.Response window = http.call("POST", "/events/_search", "{\"aggs\":{\"t\":{\"top_hits\":{\"from\":95,\"size\":6}}}}");
        assertThat(window.status()).isEqualTo(400);
        assertThat(window.text()).contains("index.max_inner_result_window");
        SearchHttp.Response highlight = http.call("POST", "/events/_search", "{\"aggs\":{\"t\":{\"top_hits\":{\"highlight\":{\"fields\":{\"note\":{}}}}}}}");
        assertThat(highlight.status()).isEqualTo(400);
        assertThat(highlight.text()).contains("[highlight]");

        // Every bucket's collector holds its window, so the hits kept over all buckets are bounded.
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i <= 10_000; i++) {
            bulk.append("{\"index\":{}}\n{\"k\":\"v").append(i).append("\"}\n");
        }
        assertThat(http.ok("POST", "/distinct/_bulk?refresh=true", bulk.toString()).path("errors").asBoolean()).isFalse();
        String perValue = "{\"size\":0,\"aggs\":{\"k\":{\"terms\":{\"field\":\"k.keyword\",\"size\":20000},\"aggs\":{\"t\":{\"top_hits\":{\"size\":%d}}}}}}";
        SearchHttp.Response tooMany = http.call("POST", "/distinct/_search", perValue.formatted(100));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.text()).contains("would keep more than 1000000 hits");
        assertThat(http.ok("POST", "/distinct/_search", perValue.formatted(99)).at("/aggregations/k/buckets")).hasSize(10_001);
    }

    @Test
    void sortingOnIdOrdersIdsAsStringsAcrossSegmentsAndUpdates() throws Exception {
        http.ok("POST", "/ids/_bulk?refresh=true", "{\"index\":{\"_id\":\"b\"}}\n{\"v\":1}\n{\"index\":{\"_id\":\"10\"}}\n{\"v\":1}\n");
        http.ok("POST", "/ids/_bulk?refresh=true", "{\"index\":{\"_id\":\"9\"}}\n{\"v\":1}\n{\"index\":{\"_id\":\"B\"}}\n{\"v\":1}\n");
        // A new version of "b" leaves the old one deleted in the first segment.
        http.ok("PUT", "/ids/_doc/b?refresh=true", "{\"v\":2}");
        List<String> expected = new ArrayList<>(List.of("b", "10", "9", "B"));
        java.util.Collections.sort(expected);
        JsonNode asc = http.ok("POST", "/ids/_search", "{\"sort\":[\"_id\"]}");
        assertThat(asc.at("/hits/hits")).extracting(h -> h.path("_id").asText()).containsExactlyElementsOf(expected);
        assertThat(asc.at("/hits/hits/0/sort/0").asText()).isEqualTo(expected.get(0));
        JsonNode after = http.ok("POST", "/ids/_search", "{\"sort\":[{\"_id\":\"desc\"}],\"search_after\":[\"" + expected.get(2) + "\"]}");
        assertThat(after.at("/hits/hits")).extracting(h -> h.path("_id").asText()).containsExactly(expected.get(1), expected.get(0));
    }

    private static long total(String query) throws Exception {
        return http.call("POST", "/events/_search", "{\"size\":0,\"query\":" + query + "}").number("/hits/total/value");
    }

    @Test
    void restTotalHitsAsIntCountsExactly() throws Exception {
        StringBuilder bulk = new StringBuilder();
        int n = 10_437;
        for (int i = 0; i < n; i++) {
            bulk.append("{\"index\":{}}\n{\"n\":").append(i).append("}\n");
        }
        assertThat(http.ok("POST", "/many/_bulk?refresh=true", bulk.toString()).path("errors").asBoolean()).isFalse();
        assertThat(http.call("POST", "/many/_search", "{\"size\":0}").number("/hits/total/value")).isEqualTo(10_000);
        assertThat(http.call("POST", "/many/_search?rest_total_hits_as_int=true", "{\"size\":0}").number("/hits/total")).isEqualTo(n);
        assertThat(http.call("POST", "/many/_search?rest_total_hits_as_int=true", "{\"size\":0,\"track_total_hits\":false}")
                .number("/hits/total")).isEqualTo(-1);
        SearchHttp.Response inexact = http.call("POST", "/many/_search?rest_total_hits_as_int=true", "{\"size\":0,\"track_total_hits\":100}");
        assertThat(inexact.status()).isEqualTo(400);
        assertThat(inexact.text()).contains("rest_total_hits_as_int");
    }
}
