package io.tributary.analytics.latency;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The statistics files in the seed platform's shape, so existing readers keep working: pandas'
 * multi-index layout (leg names repeated once per statistic, then the statistic names, then a
 * {@code CSP} row), one row per provider, empty cells where a leg does not apply.
 */
final class Csv {
    private Csv() {}

    record Statistic(String name, ToDoubleFunction<LegStatistics> value, boolean integer) {}

    static final List<Statistic> MAIN = List.of(
            new Statistic("mean", LegStatistics::mean, false),
            new Statistic("median", s -> s.quantile(0.5), false),
            new Statistic("std", LegStatistics::standardDeviation, false),
            new Statistic("min", LegStatistics::min, false),
            new Statistic("max", LegStatistics::max, false));

    static final List<Statistic> PERCENTILES = List.of(
            new Statistic("count", s -> s.count(), true),
            new Statistic("p90", s -> s.quantile(0.90), false),
            new Statistic("p95", s -> s.quantile(0.95), false),
            new Statistic("p99", s -> s.quantile(0.99), false));

    /**
     * @param stats by provider label, then leg name; a leg a provider lacks is absent
     */
    static String table(List<String> legs, Map<String, Map<String, LegStatistics>> stats, List<Statistic> columns) {
        StringBuilder sb = new StringBuilder();
        for (String leg : legs) {
            for (int i = 0; i < columns.size(); i++) {
                sb.append(',').append(leg);
            }
        }
        sb.append('\n');
        for (int l = 0; l < legs.size(); l++) {
            for (Statistic c : columns) {
                sb.append(',').append(c.name());
            }
        }
        sb.append('\n').append("CSP").append(",".repeat(legs.size() * columns.size())).append('\n');
        for (String provider : stats.keySet().stream().sorted().toList()) {
            sb.append(provider);
            for (String leg : legs) {
                LegStatistics s = stats.get(provider).get(leg);
                for (Statistic c : columns) {
                    sb.append(',');
                    if (s != null && s.count() > 0) {
                        double v = c.value().applyAsDouble(s);
                        sb.append(c.integer() ? Long.toString((long) v) : number(v));
                    }
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A double as Python prints it: the shortest text that reads back exactly, never in exponent form; NaN empty. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "";
        }
        String shortest = Double.toString(v);
        if (shortest.contains("E")) {
            shortest = new BigDecimal(shortest).toPlainString();
        }
        return shortest.contains(".") ? shortest : shortest + ".0";
    }

    /** Milliseconds from a microsecond difference, exactly: 21714 µs → {@code 21.714}, 112000 µs → {@code 112.0}. */
    static String millis(long micros) {
        StringBuilder sb = new StringBuilder(12);
        millis(micros, sb);
        return sb.toString();
    }

    /** Appends without allocating a BigDecimal: runs format millions of these. */
    static void millis(long micros, StringBuilder sb) {
        if (micros < 0) {
            sb.append('-');
            micros = -micros;
        }
        sb.append(micros / 1000).append('.');
        int fraction = (int) (micros % 1000);
        if (fraction == 0) {
            sb.append('0');
            return;
        }
        char[] digits = {(char) ('0' + fraction / 100), (char) ('0' + fraction / 10 % 10), (char) ('0' + fraction % 10)};
        int length = digits[2] != '0' ? 3 : digits[1] != '0' ? 2 : 1;
        sb.append(digits, 0, length);
    }
}
