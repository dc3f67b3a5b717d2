package io.tributary.analytics.latency;

import com.tdunning.math.stats.MergingDigest;
import com.tdunning.math.stats.TDigest;
import java.util.Arrays;

/**
 * The observations of one leg of one provider, in milliseconds. Exact mode keeps every value (8
 * bytes each; tens of millions fit in a few hundred MB) and computes quantiles by linear
 * interpolation between order statistics, as pandas and numpy do by default. Sketch mode keeps a
 * t-digest instead, for inputs beyond that: mean, standard deviation, min, max and count stay
 * exact; quantiles become estimates.
 *
 * <p>Not thread-safe: one accumulator per thread, then {@link #merge}.
 */
final class LegStatistics {
    private final boolean sketch;
    private double[] values = new double[64];
    private final TDigest digest;
    private long count;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    // Welford's running mean and squared deviations: exact enough and one pass, for sketch mode.
    private double mean;
    private double m2;
    private double[] sorted;

    LegStatistics(boolean sketch) {
        this.sketch = sketch;
        this.digest = sketch ? new MergingDigest(200) : null;
    }

    void add(double value) {
        sorted = null;
        count++;
        min = Math.min(min, value);
        max = Math.max(max, value);
        double delta = value - mean;
        mean += delta / count;
        m2 += delta * (value - mean);
        if (sketch) {
            digest.add(value);
        } else {
            if (count > values.length) {
                values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 8, values.length * 2L));
            }
            values[(int) count - 1] = value;
        }
    }

    void merge(LegStatistics other) {
        if (other.count == 0) {
            return;
        }
        if (sketch) {
            long n = count + other.count;
            double delta = other.mean - mean;
            m2 = m2 + other.m2 + delta * delta * count * other.count / n;
            mean = mean + delta * other.count / n;
            count = n;
            min = Math.min(min, other.min);
            max = Math.max(max, other.max);
            digest.add(other.digest);
            return;
        }
        for (int i = 0; i < other.count; i++) {
            add(other.values[i]);
        }
    }

    long count() {
        return count;
    }

    boolean exact() {
        return !sketch;
    }

    double min() {
        return min;
    }

    double max() {
        return max;
    }

    double mean() {
        if (sketch) {
            return mean;
        }
        // Neumaier summation keeps the mean exact to the last bits for the sample sizes we see.
        double sum = 0;
        double compensation = 0;
        for (int i = 0; i < count; i++) {
            double v = values[i];
            double t = sum + v;
            compensation += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
            sum = t;
        }
        return (sum + compensation) / count;
    }

    /** Sample standard deviation (n − 1), NaN below two observations, as pandas. */
    double standardDeviation() {
        if (count < 2) {
            return Double.NaN;
        }
        if (sketch) {
            return Math.sqrt(m2 / (count - 1));
        }
        double m = mean();
        double squares = 0;
        for (int i = 0; i < count; i++) {
            double d = values[i] - m;
            squares += d * d;
        }
        return Math.sqrt(squares / (count - 1));
    }

    /** The q-quantile (0..1) by linear interpolation (exact mode) or the t-digest estimate. */
    double quantile(double q) {
        if (count == 0) {
            return Double.NaN;
        }
        if (sketch) {
            return digest.quantile(q);
        }
        double[] s = sorted();
        double position = q * (count - 1);
        int lower = (int) Math.floor(position);
        int upper = (int) Math.ceil(position);
        return s[lower] + (s[upper] - s[lower]) * (position - lower);
    }

    /** Box-plot figures as matplotlib (and so seaborn) draws them: quartiles, whiskers at 1.5 IQR, outliers. */
    BoxStats box() {
        double q1 = quantile(0.25);
        double median = quantile(0.5);
        double q3 = quantile(0.75);
        double iqr = q3 - q1;
        double lowFence = q1 - 1.5 * iqr;
        double highFence = q3 + 1.5 * iqr;
        if (sketch) {
            // Without the values, the whiskers end at the fences or the extremes, whichever is nearer.
            return new BoxStats(count, mean, q1, median, q3, Math.max(min, lowFence), Math.min(max, highFence), -1, false);
        }
        double[] s = sorted();
        double whiskerLow = q1;
        double whiskerHigh = q3;
        long outliers = 0;
        for (int i = 0; i < count; i++) {
            double v = s[i];
            if (v < lowFence || v > highFence) {
                outliers++;
            } else {
                whiskerLow = Math.min(whiskerLow, v);
                whiskerHigh = Math.max(whiskerHigh, v);
            }
        }
        return new BoxStats(count, mean(), q1, median, q3, whiskerLow, whiskerHigh, outliers, true);
    }

    /** Values outside the whiskers, for drawing (exact mode only; at most {@code limit}). */
    double[] outliers(BoxStats box, int limit) {
        if (sketch) {
            return new double[0];
        }
        double[] s = sorted();
        return Arrays.stream(s, 0, (int) count).filter(v -> v < box.whiskerLow() || v > box.whiskerHigh()).limit(limit).toArray();
    }

    private double[] sorted() {
        if (sorted == null) {
            sorted = Arrays.copyOf(values, (int) count);
            Arrays.sort(sorted);
        }
        return sorted;
    }
}
