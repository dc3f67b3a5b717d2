package io.tributary.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.server.TestingServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compressed request bodies, as log shippers send them, over real HTTP. */
class SearchCompressionTest {
    @TempDir
    Path dir;

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static byte[] deflate(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out)) {
            d.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void gzipAndDeflateBodiesAreDecodedUpToTheRequestSizeLimit() throws Exception {
        try (TestingServer server = TestingServer.start(dir, Map.of("server.max-request-size", "1MB"))) {
            SearchHttp http = new SearchHttp(server.searchUri(), server.adminKey());
            StringBuilder bulk = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                bulk.append("{\"index\":{\"_id\":\"").append(i).append("\"}}\n{\"n\":").append(i).append(",\"msg\":\"line ").append(i).append("\"}\n");
            }
            SearchHttp.Response gz = http.send("POST", "/logs/_bulk?refresh=true", gzip(bulk.toString()), "application/x-ndjson", "gzip");
            assertThat(gz.status()).isEqualTo(200);
            assertThat(gz.body().path("errors").asBoolean()).isFalse();
            assertThat(gz.body().path("items")).hasSize(500);
            SearchHttp.Response search = http.send("POST", "/logs/_search", gzip("{\"size\":0,\"query\":{\"range\":{\"n\":{\"lt\":100}}}}"),
                    "application/json", "gzip");
            assertThat(search.number("/hits/total/value")).isEqualTo(100);
            SearchHttp.Response deflated = http.send("PUT", "/logs/_doc/x?refresh=true", deflate("{\"n\":-1}"), "application/json", "deflate");
            assertThat(deflated.status()).isEqualTo(201);
            assertThat(http.call("GET", "/logs/_count", null).number("/count")).isEqualTo(501);

            SearchHttp.Response garbage = http.send("POST", "/logs/_bulk", "not gzip at all".getBytes(StandardCharsets.UTF_8), "application/x-ndjson", "gzip");
            assertThat(garbage.status()).isEqualTo(400);
            assertThat(garbage.text()).contains("gzip");
            SearchHttp.Response brotli = http.send("POST", "/logs/_search", "{}".getBytes(StandardCharsets.UTF_8), "application/json", "br");
            assertThat(brotli.status()).isEqualTo(400);
            assertThat(brotli.text()).contains("Content-Encoding [br]");
            // A small body that inflates beyond the limit is refused, not unpacked into memory.
            SearchHttp.Response bomb = http.send("POST", "/logs/_bulk", gzip("{\"index\":{}}\n{\"a\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}\n"),
                    "application/x-ndjson", "gzip");
            assertThat(bomb.status()).isEqualTo(413);
            assertThat(bomb.errorType()).isEqualTo("content_too_long_exception");
        }
    }
}
