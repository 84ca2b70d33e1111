package io.aether.core.metrics;

/**
 * Statistics over a per-second series (oldest first) that more than one controller layer reads, so L1's seasonal
 * rule and the AI layers' summary judge a window alike.
 */
public final class SeriesStats {

    private SeriesStats() {
    }

    /**
     * Pearson correlation of {@code (x[t], x[t - lag])} for {@code t} in {@code [lag, size)}; 0 when either side is
     * flat, has fewer than two points, or holds a value that is not finite.
     */
    public static double lagCorrelation(double[] x, int size, int lag) {
        int n = size - lag;
        if (n < 2) {
            return 0;
        }
        double sumA = 0;
        double sumB = 0;
        for (int t = lag; t < size; t++) {
            sumA += x[t];
            sumB += x[t - lag];
        }
        double meanA = sumA / n;
        double meanB = sumB / n;
        if (!Double.isFinite(meanA) || !Double.isFinite(meanB)) {
            return 0;
        }
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
