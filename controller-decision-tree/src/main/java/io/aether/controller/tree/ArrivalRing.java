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

    /**
     * Copies the arrivals of the {@code count} seconds ending at {@code newest} into {@code into} (oldest first),
     * NaN where none were recorded.
     */
    void copy(long newest, int count, double[] into) {
        long oldest = newest - count + 1;
        long haveFrom = newestSecond == Long.MIN_VALUE ? Long.MAX_VALUE : newestSecond - values.length + 1;
        long haveTo = newestSecond == Long.MIN_VALUE ? Long.MIN_VALUE : newestSecond;
        long from = Math.max(oldest, haveFrom);
        long to = Math.min(newest, haveTo);
        if (from > to) {
            Arrays.fill(into, 0, count, Double.NaN);
            return;
        }
        Arrays.fill(into, 0, (int) (from - oldest), Double.NaN);
        Arrays.fill(into, (int) (to - oldest) + 1, count, Double.NaN);
        int at = (int) (from - oldest);
        int remaining = (int) (to - from + 1);
        int slot = slot(from);
        while (remaining > 0) {
            int run = Math.min(remaining, values.length - slot);
            System.arraycopy(values, slot, into, at, run);
            at += run;
            remaining -= run;
            slot = 0;
        }
    }

    private int slot(long second) {
        return (int) Math.floorMod(second, (long) values.length);
    }
}
