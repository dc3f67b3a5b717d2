package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.search.SearchException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.BytesRefHash;

/**
 * The metric aggregations: {@code sum}, {@code avg}, {@code min}, {@code max},
 * {@code value_count}, {@code cardinality}, {@code stats} and {@code percentiles}. Sums use
 * Kahan compensation as OpenSearch does, so sums of many floats agree with it. Cardinality is
 * exact (OpenSearch is exact below its precision threshold of 3,000 and approximate above);
 * percentiles are exact with linear interpolation between closest ranks (OpenSearch estimates
 * them with a t-digest, so its figures can differ slightly on small or skewed sets).
 */
final class MetricAggregator extends Aggregator {
    enum Type {
        SUM,
        AVG,
        MIN,
        MAX,
        VALUE_COUNT,
        CARDINALITY,
        STATS,
        EXTENDED_STATS,
        PERCENTILES,
    }

    private static final double[] DEFAULT_PERCENTS = {1, 5, 25, 50, 75, 95, 99};

    private final Type type;
    private final Optional<ValueSource> source;
    private final double[] percents;
    private final boolean keyed;
    private final Optional<String> format;
    private double[] sums = new double[1];
    private double[] compensations = new double[1];
    private double[] squares = new double[1];
    private double[] squareCompensations = new double[1];
    private final double sigma;
    private double[] mins = {Double.POSITIVE_INFINITY};
    private double[] maxs = {Double.NEGATIVE_INFINITY};
    private long[] counts = new long[1];
    private final List<Set<Long>> distinct = new ArrayList<>();
    private final List<double[]> samples = new ArrayList<>();
    private final List<int[]> sampleSizes = new ArrayList<>();
    private final BytesRefHash terms = new BytesRefHash();

    private MetricAggregator(String name, Type type, Optional<ValueSource> source, double[] percents, boolean keyed, Optional<String> format,
            double sigma, Optional<JsonNode> meta) {
        super(name, List.of(), meta);
        this.sigma = sigma;
        this.format = format;
        this.type = type;
        this.source = source;
        this.percents = percents;
        this.keyed = keyed;
    }

    static MetricAggregator create(String name, String typeName, JsonNode p, Context context, Optional<JsonNode> meta) {
        Type type = Type.valueOf(typeName.toUpperCase(Locale.ROOT));
        Set<String> allowed = switch (type) {
            case PERCENTILES -> Set.of("field", "percents", "keyed", "tdigest", "missing", "format");
            case CARDINALITY -> Set.of("field", "precision_threshold", "missing");
            case EXTENDED_STATS -> Set.of("field", "missing", "format", "sigma");
            default -> Set.of("field", "missing", "format");
        };
        params(p, typeName, allowed);
        if (p.has("missing")) {
            throw SearchException.parsing("[%s] missing is not supported by Tributary", typeName);
        }
        Optional<ValueSource> source = ValueSource.of(context.mapping(), p.path("field").asText(null), name);
        if (source.isPresent() && !source.get().numeric() && type != Type.VALUE_COUNT && type != Type.CARDINALITY) {
            throw SearchException.illegalArgument("Field [%s] of type [keyword] is not supported for aggregation [%s]",
                    source.get().field().path(), typeName);
        }
        double[] percents = DEFAULT_PERCENTS;
        if (p.has("percents")) {
            JsonNode list = p.get("percents");
            percents = new double[list.size()];
            for (int i = 0; i < list.size(); i++) {
                percents[i] = list.get(i).asDouble();
                if (percents[i] < 0 || percents[i] > 100 || !list.get(i).isNumber()) {
                    throw SearchException.illegalArgument("percent must be in [0,100], got [%s]", list.get(i).asText());
                }
            }
        }
        Optional<String> format = Optional.ofNullable(p.get("format")).map(JsonNode::asText);
        source.ifPresent(src -> src.checkFormat(format));
        double sigma = p.path("sigma").asDouble(2.0);
        if (!(sigma >= 0) || !Double.isFinite(sigma)) {
            throw SearchException.illegalArgument("[sigma] must be greater than or equal to 0. Found [%s] in [%s]", p.path("sigma").asText(), name);
        }
        return new MetricAggregator(name, type, source, percents, p.path("keyed").asBoolean(true), format, sigma, meta);
    }

    @Override
    String typeName() {
        return type == Type.PERCENTILES ? "tdigest_percentiles" : type.name().toLowerCase(Locale.ROOT);
    }

    @Override
    LeafCollector leaf(LeafReaderContext context) throws IOException {
        if (source.isEmpty()) {
            return LeafCollector.NONE;
        }
        ValueSource src = source.get();
        if (!src.numeric()) {
            SortedSetDocValues ords = src.ordinals(context);
            long[] global = new long[(int) Math.min(Integer.MAX_VALUE - 8, ords.getValueCount())];
            Arrays.fill(global, -1);
            return (doc, owner) -> {
                if (!ords.advanceExact(doc)) {
                    return;
                }
                int n = ords.docValueCount();
                ensure(owner);
                counts[(int) owner] += n;
                if (type == Type.CARDINALITY) {
                    Set<Long> set = distinct(owner);
                    for (int i = 0; i < n; i++) {
                        long ord = ords.nextOrd();
                        if (global[(int) ord] < 0) {
                            BytesRef term = ords.lookupOrd(ord);
                            int id = terms.add(term);
                            global[(int) ord] = id < 0 ? -id - 1 : id;
                        }
                        set.add(global[(int) ord]);
                    }
                }
            };
        }
        SortedNumericDocValues values = src.numeric(context);
        return (doc, owner) -> {
            if (!values.advanceExact(doc)) {
                return;
            }
            ensure(owner);
            int o = (int) owner;
            int n = values.docValueCount();
            for (int i = 0; i < n; i++) {
                long raw = values.nextValue();
                double v = src.decode(raw);
                counts[o]++;
                switch (type) {
                    case SUM, AVG, STATS, EXTENDED_STATS -> {
                        add(o, v);
                        if (type == Type.STATS || type == Type.EXTENDED_STATS) {
                            mins[o] = Math.min(mins[o], v);
                            maxs[o] = Math.max(maxs[o], v);
                        }
                        if (type == Type.EXTENDED_STATS) {
                            addSquare(o, v * v);
                        }
                    }
                    case MIN -> mins[o] = Math.min(mins[o], v);
                    case MAX -> maxs[o] = Math.max(maxs[o], v);
                    case CARDINALITY -> distinct(owner).add(raw);
                    case PERCENTILES -> sample(o, v);
                    case VALUE_COUNT -> {
                        // counted above
                    }
                }
            }
        };
    }

    private void ensure(long owner) {
        sums = grow(sums, owner, 0);
        compensations = grow(compensations, owner, 0);
        squares = grow(squares, owner, 0);
        squareCompensations = grow(squareCompensations, owner, 0);
        mins = grow(mins, owner, Double.POSITIVE_INFINITY);
        maxs = grow(maxs, owner, Double.NEGATIVE_INFINITY);
        counts = grow(counts, owner);
    }

    /** Kahan summation, as OpenSearch's CompensatedSum. */
    private void add(int o, double value) {
        if (!Double.isFinite(value) || !Double.isFinite(sums[o])) {
            sums[o] += value;
            return;
        }
        double corrected = value - compensations[o];
        double next = sums[o] + corrected;
        compensations[o] = (next - sums[o]) - corrected;
        sums[o] = next;
    }

    private void addSquare(int o, double value) {
        if (!Double.isFinite(value) || !Double.isFinite(squares[o])) {
            squares[o] += value;
            return;
        }
        double corrected = value - squareCompensations[o];
        double next = squares[o] + corrected;
        squareCompensations[o] = (next - squares[o]) - corrected;
        squares[o] = next;
    }

    private Set<Long> distinct(long owner) {
        while (distinct.size() <= owner) {
            distinct.add(new HashSet<>());
        }
        return distinct.get((int) owner);
    }

    private void sample(int owner, double v) {
        while (samples.size() <= owner) {
            samples.add(new double[16]);
            sampleSizes.add(new int[1]);
        }
        double[] s = samples.get(owner);
        int[] size = sampleSizes.get(owner);
        if (size[0] == s.length) {
            s = Arrays.copyOf(s, s.length * 2);
            samples.set(owner, s);
        }
        s[size[0]++] = v;
    }

    private long count(long owner) {
        return owner >= 0 && owner < counts.length ? counts[(int) owner] : 0;
    }

    @Override
    double sortValue(long owner, String metric) {
        long n = count(owner);
        int o = (int) owner;
        return switch (type) {
            case SUM -> n == 0 ? 0 : sums[o];
            case AVG -> n == 0 ? Double.NaN : sums[o] / n;
            case MIN -> n == 0 ? Double.POSITIVE_INFINITY : mins[o];
            case MAX -> n == 0 ? Double.NEGATIVE_INFINITY : maxs[o];
            case VALUE_COUNT -> n;
            case CARDINALITY -> owner < distinct.size() ? distinct.get(o).size() : 0;
            case STATS, EXTENDED_STATS -> switch (metric == null ? "" : metric) {
                case "sum_of_squares" -> n == 0 ? 0 : squares[o];
                case "variance", "variance_population" -> n == 0 ? Double.NaN : variance(o, n, false);
                case "variance_sampling" -> n < 2 ? Double.NaN : variance(o, n, true);
                case "std_deviation", "std_deviation_population" -> n == 0 ? Double.NaN : Math.sqrt(variance(o, n, false));
                case "count" -> n;
                case "sum" -> n == 0 ? 0 : sums[o];
                case "min" -> n == 0 ? Double.POSITIVE_INFINITY : mins[o];
                case "max" -> n == 0 ? Double.NEGATIVE_INFINITY : maxs[o];
                case "avg" -> n == 0 ? Double.NaN : sums[o] / n;
                default -> throw SearchException.illegalArgument("Invalid aggregation order path [%s.%s]: stats has count, sum, min, max and avg",
                        name, metric);
            };
            case PERCENTILES -> percentile(o, metric == null ? 50 : Double.parseDouble(metric));
        };
    }

    @Override
    ObjectNode result(long owner, boolean typedKeys) {
        ObjectNode out = object();
        long n = count(owner);
        int o = (int) owner;
        switch (type) {
            case SUM -> {
                out.put("value", n == 0 ? 0.0 : sums[o]);
                if (source.isPresent()) {
                    source.get().asString(n == 0 ? 0.0 : sums[o], format).ifPresent(s -> out.put("value_as_string", s));
                }
            }
            case AVG -> value(out, n == 0 ? null : sums[o] / n);
            case MIN -> value(out, n == 0 ? null : mins[o]);
            case MAX -> value(out, n == 0 ? null : maxs[o]);
            case VALUE_COUNT -> out.put("value", n);
            case CARDINALITY -> out.put("value", owner >= 0 && owner < distinct.size() ? distinct.get(o).size() : 0);
            case EXTENDED_STATS -> {
                out.put("count", n);
                putNullable(out, "min", n == 0 ? null : mins[o]);
                putNullable(out, "max", n == 0 ? null : maxs[o]);
                putNullable(out, "avg", n == 0 ? null : sums[o] / n);
                out.put("sum", n == 0 ? 0.0 : sums[o]);
                putNullable(out, "sum_of_squares", n == 0 ? null : squares[o]);
                Double variance = n == 0 ? null : variance(o, n, false);
                Double sampling = n < 2 ? null : variance(o, n, true);
                putNullable(out, "variance", variance);
                putNullable(out, "variance_population", variance);
                putNullable(out, "variance_sampling", sampling);
                Double std = variance == null ? null : Math.sqrt(variance);
                Double stdSampling = sampling == null ? null : Math.sqrt(sampling);
                putNullable(out, "std_deviation", std);
                putNullable(out, "std_deviation_population", std);
                putNullable(out, "std_deviation_sampling", stdSampling);
                ObjectNode bounds = out.putObject("std_deviation_bounds");
                Double avg = n == 0 ? null : sums[o] / n;
                putNullable(bounds, "upper", avg == null ? null : avg + sigma * std);
                putNullable(bounds, "lower", avg == null ? null : avg - sigma * std);
                putNullable(bounds, "upper_population", avg == null ? null : avg + sigma * std);
                putNullable(bounds, "lower_population", avg == null ? null : avg - sigma * std);
                putNullable(bounds, "upper_sampling", stdSampling == null ? null : avg + sigma * stdSampling);
                putNullable(bounds, "lower_sampling", stdSampling == null ? null : avg - sigma * stdSampling);
                if (n > 0 && source.isPresent()) {
                    source.get().asString(mins[o], format).ifPresent(x -> out.put("min_as_string", x));
                    source.get().asString(maxs[o], format).ifPresent(x -> out.put("max_as_string", x));
                    source.get().asString(sums[o] / n, format).ifPresent(x -> out.put("avg_as_string", x));
                    source.get().asString(sums[o], format).ifPresent(x -> out.put("sum_as_string", x));
                }
            }
            case STATS -> {
                out.put("count", n);
                putNullable(out, "min", n == 0 ? null : mins[o]);
                putNullable(out, "max", n == 0 ? null : maxs[o]);
                putNullable(out, "avg", n == 0 ? null : sums[o] / n);
                out.put("sum", n == 0 ? 0.0 : sums[o]);
                if (n > 0 && source.isPresent()) {
                    source.get().asString(mins[o], format).ifPresent(s -> out.put("min_as_string", s));
                    source.get().asString(maxs[o], format).ifPresent(s -> out.put("max_as_string", s));
                    source.get().asString(sums[o] / n, format).ifPresent(s -> out.put("avg_as_string", s));
                    source.get().asString(sums[o], format).ifPresent(s -> out.put("sum_as_string", s));
                }
            }
            case PERCENTILES -> {
                if (keyed) {
                    ObjectNode values = out.putObject("values");
                    for (double p : percents) {
                        putNullable(values, Double.toString(p), n == 0 ? null : percentile(o, p));
                    }
                } else {
                    ArrayNode values = out.putArray("values");
                    for (double p : percents) {
                        ObjectNode v = values.addObject().put("key", p);
                        putNullable(v, "value", n == 0 ? null : percentile(o, p));
                    }
                }
            }
        }
        return withMeta(out);
    }

    /** Population variance (sum of squares over n minus the squared mean), or the sampling one (over n - 1), never below 0. */
    private double variance(int o, long n, boolean sampling) {
        double mean = sums[o] / n;
        double population = Math.max(0, squares[o] / n - mean * mean);
        return sampling ? population * n / (n - 1) : population;
    }

    private void value(ObjectNode out, Double v) {
        putNullable(out, "value", v);
        if (v != null && source.isPresent()) {
            source.get().asString(v, format).ifPresent(s -> out.put("value_as_string", s));
        }
    }

    private static void putNullable(ObjectNode out, String key, Double v) {
        if (v == null) {
            out.putNull(key);
        } else {
            out.put(key, v);
        }
    }

    private double percentile(int owner, double p) {
        if (owner >= samples.size()) {
            return Double.NaN;
        }
        int size = sampleSizes.get(owner)[0];
        double[] s = samples.get(owner);
        Arrays.sort(s, 0, size);
        double rank = p / 100.0 * (size - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return s[lo] + (s[hi] - s[lo]) * (rank - lo);
    }
}
