package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON tables read as the OpenX SerDe reads them: keys matched case-insensitively at every level, mapping.* properties, bad objects named. */
class JsonTablesTest {
    @TempDir
    static Path dir;

    static SqlStack stack;

    @BeforeAll
    static void start() {
        stack = new SqlStack(dir, "lake");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void nestedKeysMatchInAnyCase() {
        stack.put("s3://lake/nested/a.json", "{\"id\":1,\"Detail\":{\"InnerKey\":5,\"other\":\"x\"},\"Items\":[{\"SKU\":\"a\",\"Qty\":2},{\"sku\":\"b\"}],"
                + "\"m\":{\"Key\":1}}\n{\"id\":2,\"detail\":{\"innerkey\":6}}\n");
        stack.put("s3://lake/nested/b.json", "{\"id\":3,\"detail\":{\"innerkey\":7,\"other\":\"y\"},\"m\":{\"Key\":2}}\n");
        stack.ok("CREATE EXTERNAL TABLE nested (id int, detail struct<innerkey:int,other:string>, items array<struct<sku:string,qty:int>>, "
                + "m map<string,int>) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://lake/nested/'");
        assertThat(stack.table("SELECT id, detail.innerkey, detail.other, items[1].sku, items[1].qty, items[2].sku, m['Key'] FROM nested ORDER BY id"))
                .containsExactly(List.of("1", "5", "x", "a", "2", "b", "1"), Arrays.asList("2", "6", null, null, null, null, null),
                        Arrays.asList("3", "7", "y", null, null, null, "2"));
    }

    @Test
    void aKeySpelledDifferentlyAcrossLinesIsReadInEveryLine() {
        stack.put("s3://lake/mixed/a.json", "{\"Name\":\"a\",\"n\":1}\n{\"name\":\"b\",\"N\":2}\n\n{\"NAME\":\"c\"}\n");
        stack.ok("CREATE EXTERNAL TABLE mixed (name string, n int) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://lake/mixed/'");
        assertThat(stack.table("SELECT name, n FROM mixed ORDER BY name")).containsExactly(List.of("a", "1"), List.of("b", "2"),
                Arrays.asList("c", null));
    }

    @Test
    void mappingPropertiesNameTheKeyAColumnReads() {
        stack.put("s3://lake/logs/a.json", "{\"@timestamp\":\"2020-01-01 10:00:00\",\"user.name\":\"ann\",\"ts\":\"1999-01-01 00:00:00\"}\n"
                + "{\"@Timestamp\":\"2020-01-02 11:00:00\",\"USER.NAME\":\"bob\"}\n");
        stack.put("s3://lake/logs/b.json", "{\"ts\":\"1999-01-01 00:00:00\"}\n");
        stack.ok("CREATE EXTERNAL TABLE logs (ts timestamp, username string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' "
                + "WITH SERDEPROPERTIES ('mapping.ts'='@timestamp', 'mapping.username'='user.name') LOCATION 's3://lake/logs/'");
        assertThat(stack.table("SELECT ts, username FROM logs ORDER BY ts NULLS LAST")).containsExactly(List.of("2020-01-01 10:00:00.000", "ann"),
                List.of("2020-01-02 11:00:00.000", "bob"), Arrays.asList(null, null));
        stack.ok("INSERT INTO logs VALUES (TIMESTAMP '2021-05-05 05:05:05', 'cy')");
        assertThat(stack.table("SELECT username FROM logs WHERE ts = TIMESTAMP '2021-05-05 05:05:05'")).containsExactly(List.of("cy"));
    }

    @Test
    void dotsInKeysAndCaseSensitivityFollowTheSerDeProperties() {
        stack.put("s3://lake/dots/a.json", "{\"user.name\":\"ann\",\"Id\":1,\"geo\":{\"country.code\":\"FR\"}}\n{\"user.name\":\"bob\",\"id\":2}\n");
        stack.ok("CREATE EXTERNAL TABLE dots (user_name string, id int, geo struct<country_code:string>) ROW FORMAT SERDE "
                + "'org.openx.data.jsonserde.JsonSerDe' WITH SERDEPROPERTIES ('dots.in.keys'='true') LOCATION 's3://lake/dots/'");
        assertThat(stack.table("SELECT user_name, id, geo.country_code FROM dots ORDER BY user_name"))
                .containsExactly(List.of("ann", "1", "FR"), Arrays.asList("bob", "2", null));
        // Without dots.in.keys a dotted key fills no column; with case.insensitive false, "Id" does not fill id.
        stack.ok("CREATE EXTERNAL TABLE exact (user_name string, id int) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' "
                + "WITH SERDEPROPERTIES ('case.insensitive'='false') LOCATION 's3://lake/dots/'");
        assertThat(stack.table("SELECT user_name, id FROM exact ORDER BY id NULLS FIRST"))
                .containsExactly(Arrays.asList(null, null), Arrays.asList(null, "2"));
    }

    @Test
    void malformedLinesAreNamedByTheirOwnNumber() {
        stack.put("s3://lake/bad/a.json", "{\"id\": 1}\n{\"id\": 2, \"name\": \"two\"\n{\"id\": 3}\n");
        stack.ok("CREATE EXTERNAL TABLE bad (id int, name string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://lake/bad/'");
        assertThat(stack.failed("SELECT count(*) FROM bad").stateReason().orElseThrow()).startsWith("HIVE_BAD_DATA: Malformed JSON")
                .contains("s3://lake/bad/a.json").contains("in line 2:").doesNotContain("line 3");
        assertThat(stack.failed("SELECT json_parse('not json')").stateReason().orElseThrow()).doesNotContain("SERDEPROPERTIES");
    }

    @Test
    void corruptCompressedObjectsAreNamedWithWhatIsWrong() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("{\"id\": 1}\n{\"id\": 2}\n".repeat(100).getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = gz.toByteArray();
        stack.put("s3://lake/gz/ok.json.gz", whole);
        stack.put("s3://lake/gz/zz.json.gz", Arrays.copyOf(whole, whole.length / 2));
        stack.put("s3://lake/notgz/yy.json.gz", "{\"id\": 1}\n");
        stack.ok("CREATE EXTERNAL TABLE gz (id int) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' "
                + "WITH SERDEPROPERTIES ('ignore.malformed.json'='true') LOCATION 's3://lake/gz/'");
        QueryExecution truncated = stack.failed("SELECT count(*) FROM gz");
        assertThat(truncated.stateReason().orElseThrow()).isEqualTo("HIVE_BAD_DATA: s3://lake/gz/zz.json.gz cannot be read: its compressed "
                + "data ends too early (the object is truncated or was not written completely)");
        assertThat(truncated.errorCode()).contains("INVALID_ARGUMENT");
        stack.ok("CREATE EXTERNAL TABLE notgz (id int) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://lake/notgz/'");
        assertThat(stack.failed("SELECT count(*) FROM notgz").stateReason().orElseThrow())
                .isEqualTo("HIVE_BAD_DATA: s3://lake/notgz/yy.json.gz cannot be read: it is named as gzip-compressed (.gz) but is not gzip data");
    }
}
