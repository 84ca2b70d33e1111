package io.aether.bench.autoscale;

import io.aether.core.metrics.MetricsHistory;
import io.aether.core.metrics.SliceMetrics;

/**
 * The replay's metrics window: one slice, one sample per simulated second, in primitive ring buffers of a fixed
 * capacity. Other artifacts read as empty.
 */
final class SimulatedHistory implements MetricsHistory {

    private final String artifact;
    private final int capacity;
    private final double[][] series;
    private int size;
    private int next;
    private long newestSecond = -1;

    SimulatedHistory(String artifact, int capacitySeconds) {
        if (capacitySeconds <= 0) {
            throw new IllegalArgumentException("history capacity " + capacitySeconds + " must be > 0");
        }
        this.artifact = artifact;
        this.capacity = capacitySeconds;
        this.series = new double[Series.values().length][capacitySeconds];
    }

    void record(long epochSecond, SliceMetrics slice) {
        series[Series.CALLS_PER_SECOND.ordinal()][next] = slice.callsPerSecond();
        series[Series.ERROR_RATE.ordinal()][next] = slice.errorRate();
        series[Series.P99_MS.ordinal()][next] = slice.p99Ms();
        series[Series.INSTANCES.ordinal()][next] = slice.instances();
        series[Series.CPU.ordinal()][next] = slice.cpu();
        next = (next + 1) % capacity;
        size = Math.min(size + 1, capacity);
        newestSecond = epochSecond;
    }

    @Override
    public int capacitySeconds() {
        return capacity;
    }

    @Override
    public int sizeSeconds() {
        return size;
    }

    @Override
    public long newestSecond() {
        return newestSecond;
    }

    @Override
    public int copy(String artifact, Series which, int seconds, double[] into) {
        if (!this.artifact.equals(artifact)) {
            return 0;
        }
        int n = Math.min(Math.min(seconds, size), into.length);
        double[] ring = series[which.ordinal()];
        int start = Math.floorMod(next - n, capacity);
        for (int i = 0; i < n; i++) {
            into[i] = ring[(start + i) % capacity];
        }
        return n;
    }

    /** The mean of the last {@code seconds} samples of {@code which}, or 0 when there are none. */
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
