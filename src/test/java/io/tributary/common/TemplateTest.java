package io.tributary.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplateTest {
    private static final Set<Template.Kind> ALL = EnumSet.allOf(Template.Kind.class);

    @Test
    void theLabsPrefixesEvaluateWithTheOldestArrivalInUtc() {
        Template prefix = Template.parse("json-data/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/",
                ALL, "prefix");
        Template errors = Template.parse(
                "error-json/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/!{firehose:error-output-type}",
                ALL, "error prefix");
        Template.Values values = new Template.Values() {
            @Override
            public Instant timestamp() {
                return Instant.parse("2024-09-06T23:48:46.268925Z");
            }

            @Override
            public String errorOutputType() {
                return "processing-failed";
            }
        };
        assertThat(prefix.render(values)).isEqualTo("json-data/year=2024/month=09/day=06/hour=23/");
        assertThat(errors.render(values)).isEqualTo("error-json/year=2024/month=09/day=06/hour=23/processing-failed");
    }

    @Test
    void fieldTokensReadRecordsWithFilters() throws Exception {
        JsonNode record = Json.mapper().readTree("{\"CSP\":\"AWS\",\"log_id\":42,\"meta\":{\"region\":\" eu-west-1 \"}}");
        Template key = Template.parse("{CSP|lower}-{log_id}.json", EnumSet.of(Template.Kind.FIELD), "key");
        Template.Values values = new Template.Values() {
            @Override
            public Optional<String> field(String path) {
                return Template.scalarAt(record, path);
            }
        };
        assertThat(key.render(values)).isEqualTo("aws-42.json");
        assertThat(Template.parse("{meta.region|trim|upper}/", ALL, "t").render(values)).isEqualTo("EU-WEST-1/");
        assertThatThrownBy(() -> Template.parse("{missing}", ALL, "t").render(values)).isInstanceOf(Template.MissingValueException.class)
                .hasMessageContaining("missing");
        assertThat(Template.parse("!{partitionKeyFromQuery:customer}/", ALL, "t").render(new Template.Values() {
            @Override
            public Optional<String> partitionKeyFromQuery(String name) {
                return Optional.ofNullable(Map.of("customer", "c-1").get(name));
            }
        })).isEqualTo("c-1/");
    }

    @Test
    void plainBracesAreTextWhereRecordFieldsAreNotAllowed() {
        Template prefix = Template.parse("data/{raw}/a}b/{/!{timestamp:yyyy}/", EnumSet.of(Template.Kind.TIMESTAMP), "prefix");
        assertThat(prefix.uses(Template.Kind.TIMESTAMP)).isTrue();
        assertThat(prefix.render(new Template.Values() {
            @Override
            public java.time.Instant timestamp() {
                return java.time.Instant.parse("2026-11-25T14:00:00Z");
            }
        })).isEqualTo("data/{raw}/a}b/{/2026/");
        assertThat(Template.parse("data/{raw}/", EnumSet.of(Template.Kind.TIMESTAMP), "prefix").isLiteral()).isTrue();
        // Only "!{" opens an expression, and it still has to be one.
        assertThatThrownBy(() -> Template.parse("data/!{raw}/", EnumSet.of(Template.Kind.TIMESTAMP), "prefix"))
                .hasMessageContaining("!{raw}");
    }

    @Test
    void invalidTemplatesAreRejectedNamingTheToken() {
        Map<String, String> bad = Map.of(
                "data/!{timestamp:yyyy-QQQQQQ}/", "!{timestamp:yyyy-QQQQQQ}",
                "data/!{timestamp:}/", "!{timestamp:}",
                "data/!{firehose:random}/", "!{firehose:random}",
                "data/!{nosuch:x}/", "!{nosuch:x}",
                "data/!{timestamp:yyyy/", "!{timestamp:yyyy/",
                "data/!{partitionKeyFromQuery:a b}/", "!{partitionKeyFromQuery:a b}",
                "{CSP|shout}.json", "{CSP|shout}",
                "{}.json", "{}",
                "data/}", "'}'");
        bad.forEach((text, token) -> assertThatThrownBy(() -> Template.parse(text, ALL, "Delivery stream 'x': prefix")).as(text)
                .isInstanceOfSatisfying(TributaryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("Delivery stream 'x': prefix").contains(token);
                }));
        assertThatThrownBy(() -> Template.parse("data/!{firehose:error-output-type}/", EnumSet.of(Template.Kind.TIMESTAMP), "prefix"))
                .hasMessageContaining("!{firehose:error-output-type}").hasMessageContaining("not allowed here");
    }
}
