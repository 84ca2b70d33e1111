package io.aether.controller.tree;

import java.util.Arrays;

/**
 * One slice's arrivals per second (completions + in-flight change) as L1 computed them, for as long as the metrics
 * window. The window holds completions only, and completions overstate load while a backlog drains (a spike's
 * queue served afterwards would read as a second spike to the scale-down and the predictive rules); seconds L1
 * did not see (before it started or became leader) read NaN and callers fall back to completions.
 */
final class ArrivalRing {

    private final double[] values;
    private long newestSecond = Long.MIN_VALUE;

    ArrivalRing(int capacitySeconds) {
        values = new double[capacitySeconds];
        Arrays.fill(values, Double.NaN);
    }

    int capacity() {
        return values.length;
    }

    void record(long second, double arrivals) {
        if (newestSecond != Long.MIN_VALUE && second > newestSecond) {
            long gap = Math.min(second - newestSecond - 1, values.length);
            for (long s = newestSecond + 1; s < newestSecond + 1 + gap; s++) {
                values[slot(s)] = Double.NaN;
            }
        }
        if (newestSecond == Long.MIN_VALUE || second >= newestSecond) {
            newestSecond = second;
        } else if (newestSecond - second >= values.length) {
            return;
        }
        values[slot(second)] = arrivals;
    }

    /** The arrivals recorded for {@code second}, or NaN. */
    double get(long second) {
        if (newestSecond == Long.MIN_VALUE || second > newestSecond || newestSecond - second >= values.length) {
            return Double.NaN;
        }
        return values[slot(second)];
    }

    private int slot(long second) {
        return (int) Math.floorMod(second, (long) values.length);
    }
}
