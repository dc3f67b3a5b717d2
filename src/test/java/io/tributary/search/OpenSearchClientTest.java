package io.tributary.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.server.TestingServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.core5.http.HttpHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.Refresh;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.aggregations.CalendarInterval;
import org.opensearch.client.opensearch._types.aggregations.DateHistogramBucket;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/** The real opensearch-java client against Tributary's search port: bulk index, search, date_histogram + sum. */
class OpenSearchClientTest {
    @TempDir
    Path dir;

    @Test
    void bulkSearchAndDateHistogramWithTheOpenSearchJavaClient() throws Exception {
        try (TestingServer server = TestingServer.start(dir)) {
            HttpHost host = new HttpHost("http", "127.0.0.1", server.searchUri().getPort());
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(new AuthScope(host), new UsernamePasswordCredentials(server.adminKey().accessKeyId(),
                    server.adminKey().secret().toCharArray()));
            var transport = ApacheHttpClient5TransportBuilder.builder(host).setMapper(new JacksonJsonpMapper())
                    .setHttpClientConfigCallback(b -> b.setDefaultCredentialsProvider(credentials)).build();
            try (transport) {
                OpenSearchClient client = new OpenSearchClient(transport);
                assertThat(client.info().version().number()).isEqualTo("3.6.0");
                // The create-if-missing bootstrap of log shippers and apps: exists() must answer false, not throw.
                assertThat(client.indices().exists(e -> e.index("retail")).value()).isFalse();
                client.indices().create(c -> c.index("retail").mappings(m -> m.properties("InvoiceDate", p -> p.date(d -> d))
                        .properties("Quantity", p -> p.integer(i -> i)).properties("Country", p -> p.keyword(k -> k))));

                String[][] rows = {
                        {"1", "WHITE HANGING HEART T-LIGHT HOLDER", "6", "2010-12-01T08:26:00Z", "United Kingdom"},
                        {"2", "RED HEART MUG", "8", "2010-12-01T09:02:00Z", "France"},
                        {"3", "BLUE POLKADOT BOWL", "3", "2010-12-02T10:00:00Z", "United Kingdom"},
                        {"4", "HEART OF WICKER SMALL", "12", "2010-12-04T11:30:00Z", "Germany"}};
                List<BulkOperation> ops = new java.util.ArrayList<>();
                Map<String, Long> expectedByDay = new TreeMap<>();
                for (String[] row : rows) {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("Description", row[1]);
                    doc.put("Quantity", Integer.parseInt(row[2]));
                    doc.put("InvoiceDate", row[3]);
                    doc.put("Country", row[4]);
                    ops.add(BulkOperation.of(o -> o.index(i -> i.index("retail").id(row[0]).document(doc))));
                    expectedByDay.merge(row[3].substring(0, 10), Long.parseLong(row[2]), Long::sum);
                }
                assertThat(client.indices().exists(e -> e.index("retail")).value()).isTrue();
                BulkResponse bulk = client.bulk(b -> b.operations(ops).refresh(Refresh.True));
                assertThat(bulk.errors()).isFalse();
                assertThat(bulk.items()).hasSize(4);

                SearchResponse<ObjectNode> hearts = client.search(s -> s.index("retail")
                        .query(q -> q.match(m -> m.field("Description").query(FieldValue.of("heart"))))
                        .sort(so -> so.field(f -> f.field("Quantity").order(SortOrder.Desc))), ObjectNode.class);
                assertThat(hearts.hits().total().value()).isEqualTo(3);
                assertThat(hearts.hits().hits()).extracting(h -> h.id()).containsExactly("4", "2", "1");
                assertThat(hearts.hits().hits().get(0).source().path("Country").asText()).isEqualTo("Germany");

                SearchResponse<Void> perDay = client.search(s -> s.index("retail").size(0)
                        .aggregations("per_day", a -> a.dateHistogram(d -> d.field("InvoiceDate").calendarInterval(CalendarInterval.Day)
                                .aggregations("quantity", sub -> sub.sum(sum -> sum.field("Quantity"))))), Void.class);
                Map<String, Long> actual = new TreeMap<>();
                for (DateHistogramBucket bucket : perDay.aggregations().get("per_day").dateHistogram().buckets().array()) {
                    long q = Math.round(bucket.aggregations().get("quantity").sum().value());
                    if (bucket.docCount() > 0) {
                        actual.put(bucket.keyAsString().substring(0, 10), q);
                    }
                }
                assertThat(actual).isEqualTo(expectedByDay);
                assertThat(perDay.aggregations().get("per_day").dateHistogram().buckets().array()).as("gaps filled as OpenSearch does").hasSize(4);

                // Paging with the client's scroll API: every document once, then the scroll is cleared.
                SearchResponse<ObjectNode> firstPage = client.search(s -> s.index("retail").size(3).scroll(t -> t.time("1m")), ObjectNode.class);
                java.util.Set<String> scrolled = new java.util.HashSet<>();
                firstPage.hits().hits().forEach(h -> scrolled.add(h.id()));
                String scrollId = firstPage.scrollId();
                assertThat(scrollId).isNotBlank();
                while (true) {
                    String current = scrollId;
                    var page = client.scroll(sc -> sc.scrollId(current).scroll(t -> t.time("1m")), ObjectNode.class);
                    if (page.hits().hits().isEmpty()) {
                        break;
                    }
                    page.hits().hits().forEach(h -> assertThat(scrolled.add(h.id())).isTrue());
                    scrollId = page.scrollId();
                }
                assertThat(scrolled).containsExactlyInAnyOrder("1", "2", "3", "4");
                String done = scrollId;
                assertThat(client.clearScroll(c -> c.scrollId(done)).numFreed()).isEqualTo(1);

                assertThatThrownBy(() -> client.search(s -> s.index("no-such-index"), Void.class))
                        .isInstanceOfSatisfying(OpenSearchException.class, e -> {
                            assertThat(e.status()).isEqualTo(404);
                            assertThat(e.error().type()).isEqualTo("index_not_found_exception");
                        });
            }
        }
    }
}
