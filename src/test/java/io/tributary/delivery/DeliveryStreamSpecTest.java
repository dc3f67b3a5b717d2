package io.tributary.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.common.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Declarations: what is accepted survives a round trip unchanged, what Firehose would refuse is refused with the part named. */
class DeliveryStreamSpecTest {
    private static DeliveryStreamSpec parse(String yaml) throws Exception {
        return DeliveryStreamSpec.fromJson(Json.yaml().readTree(yaml));
    }

    @Test
    void aFullDeclarationSurvivesTheRoundTripThroughItsJsonForm() throws Exception {
        DeliveryStreamSpec spec = parse("""
                name: full
                source: retail-trans
                destination: arn:aws:s3:::tributary-lake
                prefix: "data/c=!{partitionKeyFromQuery:country}/t=!{partitionKeyFromLambda:tag}/!{timestamp:yyyy/MM}/"
                error-output-prefix: "errors/!{firehose:error-output-type}/!{firehose:random-string}/"
                buffering: {size: 3MB, interval: 250ms}
                compression: Snappy
                append-newline: false
                deaggregate: false
                partition-keys: {country: .Country}
                processors:
                  - {type: hop-stamp, field: a.b}
                """);
        assertThat(spec.bucket()).isEqualTo("tributary-lake");
        assertThat(spec.buffering().interval().toMillis()).isEqualTo(250);
        assertThat(DeliveryStreamSpec.fromJson(spec.toJson())).isEqualTo(spec);
        DeliveryStreamSpec perRecord = parse("""
                name: archiver
                source: logs
                destination: s3://tributary-lake
                per-record:
                  key: "{CSP|lower}-{log_id}.json"
                  route-field: data_type
                  routes: {logs: "s3://archive/logs", metrics: "s3://metrics-lake/"}
                  default-route: s3://tributary-lake/other/
                """);
        assertThat(perRecord.perRecord().orElseThrow().routes().get("logs").toString()).isEqualTo("s3://archive/logs/");
        assertThat(DeliveryStreamSpec.fromJson(perRecord.toJson())).isEqualTo(perRecord);
        DeliveryStreamSpec parquet = parse("""
                name: parquet
                destination: tributary-lake
                format-conversion:
                  schema: [{name: Invoice, type: string}, {name: Price, type: "decimal(10, 2)"}]
                """);
        assertThat(parquet.directPut()).isTrue();
        assertThat(DeliveryStreamSpec.fromJson(parquet.toJson())).isEqualTo(parquet);
        assertThat(parquet.delimiter()).isEqualTo(RecordDelimiter.NEWLINE_WHERE_MISSING);
        DeliveryStreamSpec delimited = parse("""
                name: delimited
                source: retail-trans
                destination: tributary-lake
                record-delimiter: "|"
                starting-position: trim_horizon
                """);
        assertThat(delimited.delimiter()).isEqualTo(RecordDelimiter.always("|"));
        assertThat(delimited.startingPosition()).isEqualTo(StartingPosition.TRIM_HORIZON);
        assertThat(DeliveryStreamSpec.fromJson(delimited.toJson())).isEqualTo(delimited);
        assertThat(spec.delimiter()).isEqualTo(RecordDelimiter.NONE);
        assertThat(spec.startingPosition()).isEqualTo(StartingPosition.LATEST);
    }

    @Test
    void delimitersAreWrittenAsDeclared() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (String record : new String[] {"a", "b\n", ""}) {
            RecordDelimiter.NEWLINE_WHERE_MISSING.write(out, record.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            RecordDelimiter.always("\r\n").write(out, record.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            RecordDelimiter.NONE.write(out, record.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("a\na\r\nab\nb\n\r\nb\n\n\r\n");
        assertThat(RecordDelimiter.unescape("\\n|\\t|\\\\|\\x|x\\")).isEqualTo("\n|\t|\\|\\x|x\\");
        assertThat(RecordDelimiter.unescape(RecordDelimiter.escape("\r\n\\"))).isEqualTo("\r\n\\");
    }

    @Test
    void whatFirehoseRefusesIsRefusedNamingThePart() {
        Map<String, String> bad = Map.ofEntries(
                Map.entry("{name: x, destination: s3://lake-a, prefix: 'p/!{timestamp:yyyy}/'}", "an error output prefix must be given"),
                Map.entry("{name: x, destination: s3://lake-a, prefix: 'p/!{partitionKeyFromQuery:c}/', error-output-prefix: e/}",
                        "'!{partitionKeyFromQuery:c}' names a key that is not declared"),
                Map.entry("{name: x, destination: s3://lake-a, partition-keys: {c: .c}}", "partition key 'c' is declared but the prefix does not use"),
                Map.entry("{name: x, destination: s3://lake-a, prefix: 'p/!{partitionKeyFromLambda:t}/', error-output-prefix: e/}",
                        "no processor is declared"),
                Map.entry("{name: x, destination: s3://lake-a, prefix: 'p/!{partitionKeyFromQuery:c}/', error-output-prefix: e/, "
                        + "partition-keys: {c: 'not a path!'}}", "must be a JSON field path"),
                Map.entry("{name: x, destination: s3://lake-a, compression: GZIP, format-conversion: {schema: [{name: a, type: int}]}}",
                        "set compression to UNCOMPRESSED"),
                Map.entry("{name: x, destination: s3://lake-a, format-conversion: {schema: [{name: a, type: blob}]}}", "unknown type 'blob'"),
                Map.entry("{name: x, destination: s3://lake-a, compression: LZ4}", "compression 'LZ4'"),
                Map.entry("{name: x, destination: s3://lake-a, buffering: {interval: 901s}}", "0s to 900s"),
                Map.entry("{name: x, destination: s3://lake-a, buffering: {size: 512KB}}", "1MB to 128MB"),
                Map.entry("{name: x, destination: s3://lake-a, buffering: {interval: soon}}", "'soon' is not a duration"),
                Map.entry("{name: x, destination: s3://lake-a/data}", "must name a bucket only"),
                Map.entry("{name: x}", "needs a destination"),
                Map.entry("{name: 'bad name', destination: s3://lake-a}", "delivery stream name 'bad name'"),
                Map.entry("{name: x, destination: s3://lake-a, error-output-prefix: 'e/!{partitionKeyFromQuery:c}/'}",
                        "'!{partitionKeyFromQuery:c}' is not allowed here"),
                Map.entry("{name: x, destination: s3://lake-a, prefix: 'p/!{firehose:error-output-type}/', error-output-prefix: e/}",
                        "'!{firehose:error-output-type}' is not allowed here"),
                Map.entry("{name: x, destination: s3://lake-a, per-record: {key: '{id}.json'}, compression: GZIP}", "per-record mode"),
                Map.entry("{name: x, destination: s3://lake-a, per-record: {key: 'logs/'}}", "must name an object"),
                Map.entry("{name: x, destination: s3://lake-a, per-record: {key: '{id}', routes: {a: 's3://lake-a/'}}}", "need a route-field"),
                Map.entry("{name: x, destination: s3://lake-a, processors: [{field: a}]}", "every processor needs a type"),
                Map.entry("{name: x, destination: s3://lake-a, prefixx: a/}", "unknown field 'prefixx'"),
                Map.entry("{name: x, source: s, destination: s3://lake-a, append-newline: true, record-delimiter: ','}", "not both"),
                Map.entry("{name: x, destination: s3://lake-a, starting-position: LATEST}", "reads a source stream"),
                Map.entry("{name: x, source: s, destination: s3://lake-a, starting-position: EARLIEST}", "LATEST or TRIM_HORIZON"));
        bad.forEach((yaml, message) -> assertThatThrownBy(() -> parse(yaml)).as(yaml).hasMessageContaining(message));
    }

    @Test
    void firehoseMetadataExtractionQueriesBecomePartitionKeys() {
        assertThat(FirehoseService.jqKeys("{customer_id: .customer_id, region: .meta.region}"))
                .containsExactly(Map.entry("customer_id", ".customer_id"), Map.entry("region", ".meta.region"));
        assertThatThrownBy(() -> FirehoseService.jqKeys("{c: .a | ascii_downcase}")).hasMessageContaining("not 'name: .field.path'");
        assertThatThrownBy(() -> FirehoseService.jqKeys(".a")).hasMessageContaining("must be a JQ object");
    }

    @Test
    void theHopStampFormatIsTheTelemetrysMicrosecondsWithOffset() {
        assertThat(HopStampTransformerFactory.FORMAT.format(java.time.Instant.parse("2024-09-06T14:48:46.268925Z")
                .atZone(java.time.ZoneOffset.UTC))).isEqualTo("2024-09-06T14:48:46.268925+00:00");
    }
}
