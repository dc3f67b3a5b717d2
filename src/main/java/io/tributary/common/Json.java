package io.tributary.common;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The product's shared Jackson mappers. Mappers are thread-safe once configured; never change
 * them after start-up. Nesting depth is capped so hostile documents cannot exhaust the stack.
 */
public final class Json {
    /** Deeper documents are rejected; real records and requests are far shallower. */
    public static final int MAX_NESTING_DEPTH = 100;

    private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxStringLength(64 * 1024 * 1024)
            .maxNumberLength(1000)
            .build();

    private static final ObjectMapper JSON = configure(new ObjectMapper());
    private static final ObjectMapper CBOR = configure(cborMapper());
    private static final ObjectMapper YAML = configure(new YAMLMapper(yamlFactory()));

    private Json() {}

    public static ObjectMapper mapper() {
        return JSON;
    }

    public static ObjectMapper cbor() {
        return CBOR;
    }

    public static ObjectMapper yaml() {
        return YAML;
    }

    private static ObjectMapper cborMapper() {
        CBORFactory factory = new CBORFactory();
        factory.setStreamReadConstraints(CONSTRAINTS);
        return new CBORMapper(factory);
    }

    private static YAMLFactory yamlFactory() {
        YAMLFactory factory = new YAMLFactory();
        factory.setStreamReadConstraints(CONSTRAINTS);
        return factory;
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(CONSTRAINTS);
        mapper.registerModule(new JavaTimeModule());
        mapper.registerModule(new Jdk8Module());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        return mapper;
    }
}
