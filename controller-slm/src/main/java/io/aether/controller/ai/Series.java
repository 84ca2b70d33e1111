package io.aether.controller.ai;

/**
 * The small statistics the summary reports over a per-second series (oldest first), the same ones L1 uses for its
 * trend and seasonal rules (docs/controller-l1.md), so both layers describe a window alike.
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

    /** Pearson correlation of (x[t], x[t - lag]) for t in [lag, size); 0 when either side is flat. */
    static double lagCorrelation(double[] x, int size, int lag) {
        int n = size - lag;
        if (n < 2) {
            return 0;
        }
        double meanA = mean(x, lag, size);
        double meanB = mean(x, 0, n);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int t = lag; t < size; t++) {
            double a = x[t] - meanA;
            double b = x[t - lag] - meanB;
            sab += a * b;
            saa += a * a;
            sbb += b * b;
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
    }
}
