package io.tributary.search.lucene;

import io.tributary.search.FieldType;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.DelegatingAnalyzerWrapper;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.core.SimpleAnalyzer;
import org.apache.lucene.analysis.core.StopAnalyzer;
import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;

/**
 * The built-in analyzers by their OpenSearch names ({@code standard} has no stop words, as in
 * OpenSearch), and an analyzer that picks each field's analyzer from the current mapping.
 *
 * <p>Thread-safe: Lucene analyzers hand each thread its own token streams.
 */
final class Analyzers {
    private static final Map<String, Analyzer> BY_NAME = Map.of(
            "standard", new StandardAnalyzer(),
            "simple", new SimpleAnalyzer(),
            "whitespace", new WhitespaceAnalyzer(),
            "keyword", new KeywordAnalyzer(),
            "stop", new StopAnalyzer(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET),
            "english", new EnglishAnalyzer());

    private Analyzers() {}

    static Analyzer named(String name) {
        Analyzer a = BY_NAME.get(name);
        return a == null ? BY_NAME.get("standard") : a;
    }

    /** Text fields with the named analyzer (a query's {@code analyzer}), other fields as they are indexed. */
    static Analyzer forced(String name, Supplier<IndexMapping> mapping) {
        Analyzer forced = named(name);
        return byField(mapping, f -> forced, forced);
    }

    /** Analyzes query text for each field with its search_analyzer (its analyzer when it has none). */
    static Analyzer forSearch(Supplier<IndexMapping> mapping) {
        return byField(mapping, f -> named(f.searchAnalyzer()), named("standard"));
    }

    /** Analyzes each field as its mapping says; unmapped fields with the standard analyzer. */
    static Analyzer perField(Supplier<IndexMapping> mapping) {
        return byField(mapping, f -> named(f.analyzer()), named("standard"));
    }

    /** By the current mapping: text fields with the analyzer {@code text} picks, other fields as keywords, unmapped ones with {@code unmapped}. */
    private static Analyzer byField(Supplier<IndexMapping> mapping, Function<IndexMapping.Field, Analyzer> text, Analyzer unmapped) {
        return new DelegatingAnalyzerWrapper(Analyzer.PER_FIELD_REUSE_STRATEGY) {
            @Override
            protected Analyzer getWrappedAnalyzer(String fieldName) {
                return mapping.get().field(fieldName).map(f -> f.type() == FieldType.TEXT ? text.apply(f) : named("keyword")).orElse(unmapped);
            }
        };
    }
}
