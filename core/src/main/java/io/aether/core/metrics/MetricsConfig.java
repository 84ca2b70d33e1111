package io.aether.core.metrics;

import java.time.Duration;

/**
 * Settings of the metrics collector and aggregator.
 *
 * @param staleAfter     a node whose last update is older than this is stale (default 3 s)
 * @param windowSeconds  seconds of history the leader keeps per slice (default 7,200: two hours)
 * @param maxSlices      slices the window holds at most (default 256, at most 74 MB at two hours); beyond, the
 *                       slice idle the longest is dropped
 * @param maxNodes       nodes the aggregator tracks at most (default 1,024); updates of further nodes are dropped
 * @param maxEntries     artifact × entry point pairs a collector tracks at most (default 4,096); calls of further
 *                       pairs are not measured (one WARN line a second while it happens)
 */
public record MetricsConfig(Duration staleAfter, int windowSeconds, int maxSlices, int maxNodes, int maxEntries) {

    public MetricsConfig {
        if (staleAfter == null || staleAfter.toMillis() < 1) {
            throw new IllegalArgumentException("metrics config: staleAfter " + staleAfter
                    + " must be at least 1 ms");
        }
        positive("windowSeconds", windowSeconds);
        positive("maxSlices", maxSlices);
        positive("maxNodes", maxNodes);
        positive("maxEntries", maxEntries);
        if (maxEntries > MetricsFrames.MAX_ITEMS || maxNodes > MetricsFrames.MAX_ITEMS
                || maxSlices > MetricsFrames.MAX_ITEMS) {
            throw new IllegalArgumentException("metrics config: maxEntries " + maxEntries + ", maxNodes " + maxNodes
                    + " and maxSlices " + maxSlices + " must not exceed " + MetricsFrames.MAX_ITEMS
                    + " (what one frame carries)");
        }
    }

    public static MetricsConfig defaults() {
        return new MetricsConfig(Duration.ofSeconds(3), 7_200, 256, 1_024, 4_096);
    }

    public MetricsConfig withWindow(int newWindowSeconds, int newMaxSlices) {
        return new MetricsConfig(staleAfter, newWindowSeconds, newMaxSlices, maxNodes, maxEntries);
    }

    public MetricsConfig withStaleAfter(Duration newStaleAfter) {
        return new MetricsConfig(newStaleAfter, windowSeconds, maxSlices, maxNodes, maxEntries);
    }

    private static void positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("metrics config: " + what + " " + value + " must be at least 1");
        }
    }
}
