package io.aether.controller.tree;

import io.aether.core.metrics.MetricsHistory;
import io.aether.core.metrics.SliceMetrics;
import java.util.HashMap;
import java.util.Map;

/** A test window: per slice, one primitive ring per series, appended one second at a time. */
final class FakeHistory implements MetricsHistory {

    private final int capacity;
    private final Map<String, double[][]> rings = new HashMap<>();
    private long newest = -1;
    private int size;

    FakeHistory(int capacitySeconds) {
        this.capacity = capacitySeconds;
    }

    /** Appends second {@code second} (must follow the newest); slices not given read 0 there. */
    void append(long second, Map<String, SliceMetrics> slices) {
        if (newest >= 0 && second != newest + 1) {
            throw new IllegalArgumentException("second " + second + " does not follow " + newest);
        }
        int slot = (int) Math.floorMod(second, (long) capacity);
        for (String artifact : slices.keySet()) {
            rings.computeIfAbsent(artifact, a -> new double[Series.values().length][capacity]);
        }
        for (Map.Entry<String, double[][]> ring : rings.entrySet()) {
            SliceMetrics m = slices.get(ring.getKey());
            double[][] r = ring.getValue();
            r[Series.CALLS_PER_SECOND.ordinal()][slot] = m == null ? 0 : m.callsPerSecond();
            r[Series.ERROR_RATE.ordinal()][slot] = m == null ? 0 : m.errorRate();
            r[Series.P99_MS.ordinal()][slot] = m == null ? 0 : m.p99Ms();
            r[Series.INSTANCES.ordinal()][slot] = m == null ? 0 : m.instances();
            r[Series.CPU.ordinal()][slot] = m == null ? 0 : m.cpu();
        }
        newest = second;
        size = Math.min(capacity, size + 1);
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
        return newest;
    }

    @Override
    public int copy(String artifact, Series series, int seconds, double[] into) {
        int n = Math.min(seconds, size);
        double[][] ring = rings.get(artifact);
        for (int i = 0; i < n; i++) {
            long second = newest - n + 1 + i;
            into[i] = ring == null ? 0 : ring[series.ordinal()][(int) Math.floorMod(second, (long) capacity)];
        }
        return n;
    }
}
