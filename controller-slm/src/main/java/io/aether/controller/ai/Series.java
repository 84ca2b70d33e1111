package io.aether.controller.ai;

/**
 * The small statistics the summary reports over a per-second series (oldest first); the seasonal correlation is
 * core's {@link io.aether.core.metrics.SeriesStats}, the one L1's seasonal rule uses.
 */
final class Series {

    private Series() {
    }

    /** Least-squares slope per second over {@code [from, to)}; NaN with fewer than two points. */
    static double slope(double[] x, int from, int to) {
        int n = to - from;
        if (n < 2) {
            return Double.NaN;
        }
        double meanX = (n - 1) / 2.0;
        double meanY = mean(x, from, to);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = i - meanX;
            sxy += dx * (x[from + i] - meanY);
            sxx += dx * dx;
        }
        return sxy / sxx;
    }

    static double mean(double[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += x[i];
        }
        return to > from ? sum / (to - from) : Double.NaN;
    }

    static double max(double[] x, int from, int to) {
        double max = Double.NaN;
        for (int i = from; i < to; i++) {
            max = Double.isNaN(max) ? x[i] : Math.max(max, x[i]);
        }
        return max;
    }
}
