package io.aether.core.metrics;

import org.HdrHistogram.Histogram;

/**
 * The one latency histogram shape every node uses, so the leader can merge them: microseconds from 1 µs to one
 * hour, 2 significant digits (values are exact to 1%). Longer calls are recorded as one hour.
 */
final class Latency {

    static final long HIGHEST_MICROS = 3_600_000_000L;
    static final int SIGNIFICANT_DIGITS = 2;

    private Latency() {}

    static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    }

    /** Nanoseconds as the micros the histogram records: at least 1, at most {@link #HIGHEST_MICROS}. */
    static long micros(long durationNanos) {
        return Math.min(HIGHEST_MICROS, Math.max(1, durationNanos / 1_000));
    }

    /** The latency at {@code percentile} in milliseconds; 0 for an empty histogram. */
    static double percentileMs(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1_000.0;
    }
}
