package io.aether.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class SecondAggregationTest {

    private static final String SHOP = "org.acme:shop:1.0";

    static Histogram latencies(long micros, long count) {
        Histogram h = Latency.newHistogram();
        h.recordValueWithCount(micros, count);
        return h;
    }

    static MetricsUpdate update(String node, double cpu, int instances, MetricsUpdate.EntryLoad... entries) {
        return new MetricsUpdate(node, 100, cpu, 10, 100, instances == 0 ? Map.of() : Map.of(SHOP, instances),
                List.of(entries));
    }

    static MetricsUpdate.EntryLoad load(String entry, long calls, long errors, Histogram h) {
        return new MetricsUpdate.EntryLoad(SHOP, entry, calls, errors, calls * 1_000, 2, h);
    }

    @Test
    void mergedHistogramsGiveTheClusterWideP99() {
        // node a: 990 fast calls (1 ms); node b: 10 slow ones (200 ms) -> 1% slow: p99 is 1 ms, p99.5 would be slow.
        // Then with 20 slow calls of 1000 the p99 is the slow value.
        SecondAggregation agg = new SecondAggregation(3_000, 16, 0);
        agg.accept(update("a", 0.5, 1, load("buy", 980, 0, latencies(1_000, 980))), 1_000);
        agg.accept(update("b", 0.5, 1, load("buy", 20, 0, latencies(200_000, 20))), 1_000);
        SliceMetrics m = agg.close(100, 1_500, Set.of("a", "b")).slices().get(SHOP);
        assertEquals(1000, m.callsPerSecond());
        assertEquals(1.0, m.p50Ms(), 0.01);
        assertEquals(200.0, m.p99Ms(), 2.0);
    }

    @Test
    void uniformLatenciesHaveTheirKnownPercentilesWithinOnePercent() {
        Histogram h = Latency.newHistogram();
        for (long us = 1; us <= 100_000; us++) {
            h.recordValue(us);
        }
        SecondAggregation agg = new SecondAggregation(3_000, 16, 0);
        agg.accept(update("a", 0.2, 1, load("buy", 100_000, 0, h)), 1_000);
        SliceMetrics m = agg.close(100, 1_500, Set.of("a")).slices().get(SHOP);
        assertEquals(50.0, m.p50Ms(), 0.5);
        assertEquals(99.0, m.p99Ms(), 1.0);
    }

    @Test
    void errorRateIsFailedCallsOverCallsAcrossNodesAndEntries() {
        SecondAggregation agg = new SecondAggregation(3_000, 16, 0);
        agg.accept(update("a", 0.5, 1, load("buy", 100, 10, latencies(500, 100)),
                load("list", 100, 0, latencies(500, 100))), 1_000);
        agg.accept(update("b", 0.5, 1, load("buy", 200, 30, latencies(500, 200))), 1_000);
        SliceMetrics m = agg.close(100, 1_500, Set.of("a", "b")).slices().get(SHOP);
        assertEquals(400, m.callsPerSecond());
        assertEquals(0.1, m.errorRate(), 1e-9);
        assertEquals(6, m.inFlight());
        assertEquals(2, m.instances());
    }

    @Test
    void sliceCpuIsTheMeanOfTheHostingNodesWithKnownCpu() {
        SecondAggregation agg = new SecondAggregation(3_000, 16, 0);
        agg.accept(update("a", 0.2, 1), 1_000);
        agg.accept(update("b", 0.6, 2), 1_000);
        agg.accept(update("c", 0.9, 0), 1_000);
        agg.accept(update("d", -1, 1), 1_000);
        SliceMetrics m = agg.close(100, 1_500, Set.of("a", "b", "c", "d")).slices().get(SHOP);
        assertEquals(0.4, m.cpu(), 1e-9);
        assertEquals(4, m.instances());
        assertEquals(0, m.callsPerSecond());
        assertEquals(0, m.p99Ms());
    }

    @Test
    void twoUpdatesInOneSecondAreAveragedAndAMissingOneRepeatsTheLastUntilStale() {
        SecondAggregation agg = new SecondAggregation(3_000, 16, 0);
        agg.accept(update("a", 0.5, 1, load("buy", 100, 0, latencies(500, 100))), 1_000);
        agg.accept(update("a", 0.5, 1, load("buy", 300, 0, latencies(500, 300))), 1_900);
        assertEquals(200, agg.close(100, 2_000, Set.of("a")).slices().get(SHOP).callsPerSecond());
        ClusterMetricsSnapshot repeated = agg.close(101, 3_000, Set.of("a"));
        assertEquals(200, repeated.slices().get(SHOP).callsPerSecond());
        assertEquals(Set.of(), repeated.staleNodes());
        ClusterMetricsSnapshot stale = agg.close(102, 5_000, Set.of("a"));
        assertEquals(Set.of("a"), stale.staleNodes());
        assertTrue(stale.slices().isEmpty(), "a stale node's load is left out");
        assertEquals(1_900, stale.nodes().get("a").reportedAtMs());
    }

    @Test
    void aLiveNodeThatNeverReportedIsStaleOnlyAfterTheBound() {
        SecondAggregation agg = new SecondAggregation(3_000, 16, 10_000);
        agg.accept(update("a", 0.5, 1), 10_500);
        assertEquals(Set.of(), agg.close(10, 11_000, Set.of("a", "b")).staleNodes());
        agg.accept(update("a", 0.5, 1), 13_500);
        assertEquals(Set.of("b"), agg.close(13, 14_000, Set.of("a", "b")).staleNodes());
    }

    @Test
    void aNodeThatLeftAndIsNoLongerFreshIsForgotten() {
        SecondAggregation agg = new SecondAggregation(3_000, 16, 0);
        agg.accept(update("a", 0.5, 1), 1_000);
        assertEquals(Set.of("a"), agg.close(1, 2_000, Set.of()).nodes().keySet());
        ClusterMetricsSnapshot later = agg.close(5, 5_000, Set.of());
        assertTrue(later.nodes().isEmpty());
        assertTrue(later.staleNodes().isEmpty());
    }

    @Test
    void updatesOfNodesBeyondTheBoundAreDropped() {
        SecondAggregation agg = new SecondAggregation(3_000, 1, 0);
        assertTrue(agg.accept(update("a", 0.5, 1), 1_000));
        assertEquals(false, agg.accept(update("b", 0.5, 1), 1_000));
    }
}
