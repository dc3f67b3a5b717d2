package io.tributary.sql.duckdb;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.trino.sql.tree.Expression;
import io.trino.sql.tree.StringLiteral;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The Trino functions Tributary runs, each with its DuckDB translation. Every entry has a test
 * comparing its result with Trino's documented result ({@code FunctionTranslationTest}); a
 * function that is not listed is refused by name rather than passed through to DuckDB, where the
 * same name may mean something else (or read files).
 *
 * <p>Immutable and thread-safe.
 */
final class Functions {
    enum Kind {
        SCALAR, AGGREGATE, WINDOW
    }

    /** A call being translated: its DuckDB argument texts and Trino argument nodes. */
    record Call(String name, List<String> args, List<Expression> nodes) {
        String arg(int i) {
            return args.get(i);
        }

        /** A string literal argument's value (patterns and units must be literals to be translated). */
        String literal(int i) {
            if (nodes.get(i) instanceof StringLiteral s) {
                return s.getValue();
            }
            throw new TributaryException(ErrorCode.UNSUPPORTED, "argument " + (i + 1) + " of " + name
                    + "() must be a string literal in Tributary");
        }

        String joined() {
            return String.join(", ", args);
        }
    }

    record Fn(String name, Kind kind, int minArgs, int maxArgs, Function<Call, String> emit) {}

    private static final Map<String, Fn> FUNCTIONS = new TreeMap<>();

    static void scalar(String name, int min, int max, Function<Call, String> emit) {
        FUNCTIONS.put(name, new Fn(name, Kind.SCALAR, min, max, emit));
    }

    static void rename(String name, int min, int max, String duck) {
        scalar(name, min, max, c -> duck + "(" + c.joined() + ")");
    }

    static void aggregate(String name, int min, int max, String duck) {
        FUNCTIONS.put(name, new Fn(name, Kind.AGGREGATE, min, max, c -> duck));
    }

    private static void window(String name, int min, int max) {
        FUNCTIONS.put(name, new Fn(name, Kind.WINDOW, min, max, c -> name));
    }

    static {
        // Aggregates: the emitter gives the DuckDB name; DISTINCT, FILTER, ORDER BY and OVER are added around it.
        aggregate("count", 0, 1, "count");
        aggregate("sum", 1, 1, "sum");
        aggregate("avg", 1, 1, "avg");
        aggregate("min", 1, 1, "min");
        aggregate("max", 1, 1, "max");
        aggregate("count_if", 1, 1, "count_if");
        aggregate("arbitrary", 1, 1, "any_value");
        aggregate("any_value", 1, 1, "any_value");
        aggregate("approx_distinct", 1, 1, "approx_count_distinct");
        aggregate("approx_percentile", 2, 2, "approx_quantile");
        aggregate("array_agg", 1, 1, "array_agg");
        aggregate("bool_and", 1, 1, "bool_and");
        aggregate("every", 1, 1, "bool_and");
        aggregate("bool_or", 1, 1, "bool_or");
        aggregate("max_by", 2, 2, "arg_max");
        aggregate("min_by", 2, 2, "arg_min");
        aggregate("stddev", 1, 1, "stddev_samp");
        aggregate("stddev_samp", 1, 1, "stddev_samp");
        aggregate("stddev_pop", 1, 1, "stddev_pop");
        aggregate("variance", 1, 1, "var_samp");
        aggregate("var_samp", 1, 1, "var_samp");
        aggregate("var_pop", 1, 1, "var_pop");
        aggregate("corr", 2, 2, "corr");
        aggregate("covar_samp", 2, 2, "covar_samp");
        aggregate("covar_pop", 2, 2, "covar_pop");
        aggregate("regr_slope", 2, 2, "regr_slope");
        aggregate("regr_intercept", 2, 2, "regr_intercept");
        aggregate("geometric_mean", 1, 1, "geomean");
        aggregate("histogram", 1, 1, "histogram");
        aggregate("listagg", 2, 5, "string_agg");

        window("row_number", 0, 0);
        window("rank", 0, 0);
        window("dense_rank", 0, 0);
        window("percent_rank", 0, 0);
        window("cume_dist", 0, 0);
        window("ntile", 1, 1);
        window("lag", 1, 3);
        window("lead", 1, 3);
        window("first_value", 1, 1);
        window("last_value", 1, 1);
        window("nth_value", 2, 2);

        // Mathematics.
        rename("abs", 1, 1, "abs");
        rename("ceil", 1, 1, "ceil");
        rename("ceiling", 1, 1, "ceil");
        rename("floor", 1, 1, "floor");
        rename("sqrt", 1, 1, "sqrt");
        // One Newton step after DuckDB's cbrt gives the correctly rounded root Java's (and Trino's) cbrt gives: cbrt(27) is 3.0.
        scalar("cbrt", 1, 1, c -> "CASE WHEN CAST(" + c.arg(0) + " AS DOUBLE) = 0 THEN CAST(0 AS DOUBLE) ELSE cbrt(" + c.arg(0) + ") - (pow(cbrt("
                + c.arg(0) + "), 3) - " + c.arg(0) + ") / (3 * pow(cbrt(" + c.arg(0) + "), 2)) END");
        rename("exp", 1, 1, "exp");
        rename("ln", 1, 1, "ln");
        rename("log2", 1, 1, "log2");
        rename("log10", 1, 1, "log10");
        rename("log", 2, 2, "log");
        rename("power", 2, 2, "pow");
        rename("pow", 2, 2, "pow");
        rename("sign", 1, 1, "sign");
        rename("round", 1, 2, "round");
        rename("radians", 1, 1, "radians");
        rename("degrees", 1, 1, "degrees");
        rename("sin", 1, 1, "sin");
        rename("cos", 1, 1, "cos");
        rename("tan", 1, 1, "tan");
        rename("asin", 1, 1, "asin");
        rename("acos", 1, 1, "acos");
        rename("atan", 1, 1, "atan");
        rename("atan2", 2, 2, "atan2");
        // Trino's greatest and least are NULL when any argument is (AbstractGreatestLeast); DuckDB's skip NULLs.
        scalar("greatest", 1, 100, c -> nullIfAnyNull(c, "greatest(" + c.joined() + ")"));
        scalar("least", 1, 100, c -> nullIfAnyNull(c, "least(" + c.joined() + ")"));
        rename("is_nan", 1, 1, "isnan");
        rename("is_finite", 1, 1, "isfinite");
        rename("is_infinite", 1, 1, "isinf");
        scalar("mod", 2, 2, c -> "(" + c.arg(0) + " % " + c.arg(1) + ")");
        scalar("pi", 0, 0, c -> "pi()");
        scalar("e", 0, 0, c -> "exp(1)");
        scalar("nan", 0, 0, c -> "CAST('NaN' AS DOUBLE)");
        scalar("infinity", 0, 0, c -> "CAST('Infinity' AS DOUBLE)");

        // Strings.
        rename("length", 1, 1, "length");
        rename("lower", 1, 1, "lower");
        // Trino upper-cases code point by code point (Character.toUpperCase), which leaves ß alone; DuckDB writes ẞ.
        scalar("upper", 1, 1, c -> "replace(upper(replace(" + c.arg(0) + ", 'ß', chr(57344))), chr(57344), 'ß')");
        rename("trim", 1, 2, "trim");
        rename("ltrim", 1, 2, "ltrim");
        rename("rtrim", 1, 2, "rtrim");
        rename("lpad", 3, 3, "lpad");
        rename("rpad", 3, 3, "rpad");
        rename("starts_with", 2, 2, "starts_with");
        rename("chr", 1, 1, "chr");
        rename("codepoint", 1, 1, "unicode");
        rename("translate", 3, 3, "translate");
        rename("levenshtein_distance", 2, 2, "levenshtein");
        rename("hamming_distance", 2, 2, "hamming");
        rename("to_utf8", 1, 1, "encode");
        rename("from_utf8", 1, 1, "decode");
        rename("to_hex", 1, 1, "hex");
        rename("from_hex", 1, 1, "unhex");
        scalar("substr", 2, 3, c -> "trino.substr(" + c.joined() + ")");
        scalar("substring", 2, 3, c -> "trino.substr(" + c.joined() + ")");
        scalar("replace", 2, 3, c -> "replace(" + c.arg(0) + ", " + c.arg(1) + ", " + (c.args().size() == 3 ? c.arg(2) : "''") + ")");
        // Trino's concat is NULL when any argument is; DuckDB's concat skips NULLs, its || does not.
        scalar("concat", 1, 254, c -> "(" + String.join(" || ", c.args()) + ")");
        scalar("split", 2, 3, c -> "trino.split(" + c.arg(0) + ", " + c.arg(1) + (c.args().size() == 3 ? ", " + c.arg(2) : ", NULL") + ")");
        // Trino's split_part is NULL past the last field; DuckDB's answers ''.
        scalar("split_part", 3, 3, c -> "trino.split_part(" + c.joined() + ")");
        scalar("regexp_like", 2, 2, c -> "regexp_matches(" + c.joined() + ")");
        // Trino answers NULL when nothing matches; DuckDB answers ''.
        scalar("regexp_extract", 2, 3, c -> "CASE WHEN regexp_matches(" + c.arg(0) + ", " + c.arg(1) + ") THEN regexp_extract(" + c.joined()
                + ") END");
        rename("regexp_extract_all", 2, 3, "regexp_extract_all");
        scalar("regexp_count", 2, 2, c -> "len(regexp_extract_all(" + c.joined() + "))");
        scalar("regexp_split", 2, 2, c -> "regexp_split_to_array(" + c.joined() + ")");
        // Trino replaces every match and writes groups as $1; DuckDB needs 'g' and \1.
        scalar("regexp_replace", 2, 3, c -> "regexp_replace(" + c.arg(0) + ", " + c.arg(1) + ", "
                + (c.args().size() == 3 ? TrinoToDuckDb.string(c.literal(2).replaceAll("\\$(\\d)", "\\\\$1")) : "''") + ", 'g')");

        JsonFunctions.register();

        // Arrays.
        // cardinality and subscripts work on arrays and maps alike.
        rename("cardinality", 1, 1, "cardinality");
        scalar("element_at", 2, 2, c -> "trino.element_at(" + c.joined() + ")");
        scalar("contains", 2, 2, c -> "trino.contains(" + c.joined() + ")");
        scalar("array_join", 2, 3, c -> "array_to_string(list_transform(" + c.arg(0) + ", lambda \"trino$e\": "
                + (c.args().size() == 3 ? "coalesce(trino.to_varchar(\"trino$e\"), " + c.arg(2) + ")" : "trino.to_varchar(\"trino$e\")") + "), "
                + c.arg(1) + ")");
        scalar("array_max", 1, 1, c -> "trino.array_max(" + c.arg(0) + ")");
        scalar("array_min", 1, 1, c -> "trino.array_min(" + c.arg(0) + ")");
        rename("flatten", 1, 1, "flatten");
        scalar("array_position", 2, 2, c -> "CASE WHEN " + c.arg(1) + " IS NOT NULL THEN coalesce(list_position(" + c.joined() + "), 0) END");
        scalar("slice", 3, 3, c -> "list_slice(" + c.arg(0) + ", " + c.arg(1) + ", " + c.arg(1) + " + " + c.arg(2) + " - 1)");
        scalar("sequence", 2, 3, c -> "trino.sequence(" + c.arg(0) + ", " + c.arg(1) + ", " + (c.args().size() == 3 ? c.arg(2) : "NULL") + ")");

        CollectionFunctions.register();
        TextFunctions.register();
        DateTimeFunctions.register();

        // Other.
        scalar("uuid", 0, 0, c -> "uuid()");
    }

    /** Trino's NULL convention for a function that DuckDB computes over the non-NULL arguments. */
    private static String nullIfAnyNull(Call c, String call) {
        return "CASE WHEN " + c.args().stream().map(a -> a + " IS NULL").collect(java.util.stream.Collectors.joining(" OR ")) + " THEN NULL ELSE "
                + call + " END";
    }

    private Functions() {}

    static Optional<Fn> find(String name) {
        return Optional.ofNullable(FUNCTIONS.get(name));
    }

    /** Every supported function name, for documentation and for the test that checks each has a test. */
    static java.util.Set<String> names() {
        return FUNCTIONS.keySet();
    }
}
