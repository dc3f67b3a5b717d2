package io.tributary.analytics.latency;

/**
 * One box of the plot: the figures drawn, so a test can check them against values computed
 * independently and the UI can redraw the chart.
 *
 * @param outliers points outside the whiskers, -1 when unknown (sketch mode)
 * @param exact false when the quantiles are t-digest estimates
 */
public record BoxStats(long n, double mean, double q1, double median, double q3, double whiskerLow, double whiskerHigh,
        long outliers, boolean exact) {}
