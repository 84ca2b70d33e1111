package io.aether.bench.autoscale;

import io.aether.core.metrics.MetricsHistory;

/** What the peer controllers read from the metrics window: a series' mean over the last seconds. */
final class HistoryMath {

    private HistoryMath() {
    }

    /** The mean of the last {@code seconds} samples of a series (0 when the window holds none). */
    static double mean(MetricsHistory history, String artifact, MetricsHistory.Series which, int seconds) {
        double[] buffer = new double[seconds];
        int n = history.copy(artifact, which, seconds, buffer);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += buffer[i];
        }
        return n == 0 ? 0 : sum / n;
    }
}
