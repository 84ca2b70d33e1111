package io.aether.controller.tree;

import io.aether.core.metrics.MetricsHistory;
import io.aether.core.metrics.MetricsHistory.Series;

/**
 * One slice's window, copied out of the {@link MetricsHistory} into arrays that live as long as the controller
 * (L1 runs every second; it must not allocate a 2-hour window each time). Index 0 is the oldest second held,
 * {@code size - 1} the newest. Reused for every slice: valid until the next {@link #load}.
 */
final class Window {

    double[] calls = new double[0];
    double[] cpu = new double[0];
    double[] instances = new double[0];
    double[] p99Ms = new double[0];
    /** Demand in instance-units per second; {@code +∞} where it is unknown (load without CPU or capacity). */
    double[] demand = new double[0];
    /** Arrivals L1 recorded, aligned with the other series; NaN where it recorded none. */
    double[] arrivals = new double[0];
    /** Scratch for medians. */
    private double[] scratch = new double[0];
    int size;

    void load(MetricsHistory history, String artifact) {
        int capacity = history.capacitySeconds();
        if (calls.length < capacity) {
            calls = new double[capacity];
            cpu = new double[capacity];
            instances = new double[capacity];
            p99Ms = new double[capacity];
            demand = new double[capacity];
            arrivals = new double[capacity];
            scratch = new double[capacity];
        }
        int wanted = Math.min(history.sizeSeconds(), capacity);
        size = history.copy(artifact, Series.CALLS_PER_SECOND, wanted, calls);
        // All series of a slice share one clock; take the shortest in case the window moved between copies.
        size = Math.min(size, history.copy(artifact, Series.CPU, wanted, cpu));
        size = Math.min(size, history.copy(artifact, Series.INSTANCES, wanted, instances));
        size = Math.min(size, history.copy(artifact, Series.P99_MS, wanted, p99Ms));
    }

    /**
     * Per-instance capacity (calls/s at 100% CPU) as the median of calls ÷ instances ÷ CPU over the last
     * {@code seconds} whose p99 met the SLO and whose CPU was at least {@code minCpu}; NaN with fewer than
     * {@code minSamples} such seconds.
     */
    double estimateCapacity(int seconds, int sloP99Ms, double minCpu, int minSamples) {
        int n = 0;
        for (int i = Math.max(0, size - seconds); i < size; i++) {
            if (instances[i] >= 1 && cpu[i] >= minCpu && calls[i] > 0 && p99Ms[i] <= sloP99Ms) {
                scratch[n++] = calls[i] / instances[i] / cpu[i];
            }
        }
        if (n < minSamples) {
            return Double.NaN;
        }
        java.util.Arrays.sort(scratch, 0, n);
        return n % 2 == 1 ? scratch[n / 2] : (scratch[n / 2 - 1] + scratch[n / 2]) / 2;
    }

    /**
     * Fills {@link #demand}: arrivals (from {@code arrivals} where L1 recorded them, else completions) ÷ capacity
     * when it is known, else CPU × instances. Index {@code size - 1} is second {@code newestSecond}.
     */
    void fillDemand(double capacity, ArrivalRing ring, long newestSecond) {
        boolean known = !Double.isNaN(capacity);
        ring.copy(newestSecond, size, arrivals);
        for (int i = 0; i < size; i++) {
            if (known) {
                demand[i] = (Double.isNaN(arrivals[i]) ? calls[i] : arrivals[i]) / capacity;
            } else if (cpu[i] > 0 || calls[i] == 0) {
                demand[i] = cpu[i] * instances[i];
            } else {
                demand[i] = Double.POSITIVE_INFINITY;
            }
        }
    }

    static double max(double[] values, int from, int to) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            max = Math.max(max, values[i]);
        }
        return max;
    }

    /**
     * The highest mean of {@code span} consecutive values ending in {@code [from, to)} (windows reach back before
     * {@code from}, never before 0): a peak that one noisy or transient second cannot make.
     */
    static double maxMovingMean(double[] values, int from, int to, int span) {
        double max = Double.NEGATIVE_INFINITY;
        for (int end = from; end < to; end++) {
            max = Math.max(max, mean(values, Math.max(0, end - span + 1), end + 1));
        }
        return max;
    }

    /** The lowest mean of {@code span} consecutive values ending in {@code [from, to)}; see {@link #maxMovingMean}. */
    static double minMovingMean(double[] values, int from, int to, int span) {
        double min = Double.POSITIVE_INFINITY;
        for (int end = from; end < to; end++) {
            min = Math.min(min, mean(values, Math.max(0, end - span + 1), end + 1));
        }
        return min;
    }

    static double min(double[] values, int from, int to) {
        double min = Double.POSITIVE_INFINITY;
        for (int i = from; i < to; i++) {
            min = Math.min(min, values[i]);
        }
        return min;
    }

    static double mean(double[] values, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return to > from ? sum / (to - from) : 0;
    }

    /** Coefficient of variation (standard deviation ÷ mean); 0 when the mean is 0. */
    static double cv(double[] values, int from, int to) {
        double mean = mean(values, from, to);
        if (mean <= 0) {
            return 0;
        }
        double sq = 0;
        for (int i = from; i < to; i++) {
            sq += (values[i] - mean) * (values[i] - mean);
        }
        return Math.sqrt(sq / (to - from)) / mean;
    }

    /**
     * How often the series changes direction (up after down or down after up) in {@code [from, to)}, ignoring
     * seconds that repeat the previous value.
     */
    static int directionChanges(double[] values, int from, int to) {
        int changes = 0;
        int lastDirection = 0;
        for (int i = from + 1; i < to; i++) {
            int direction = Double.compare(values[i], values[i - 1]);
            if (direction != 0) {
                if (lastDirection != 0 && direction != lastDirection) {
                    changes++;
                }
                lastDirection = direction;
            }
        }
        return changes;
    }

    /** The last second in {@code [0, to)} whose value differs from the one before, or -1. */
    static int lastChangeIndex(double[] values, int to) {
        for (int i = to - 1; i > 0; i--) {
            if (values[i] != values[i - 1]) {
                return i;
            }
        }
        return -1;
    }
}
