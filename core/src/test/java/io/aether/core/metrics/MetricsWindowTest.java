package io.aether.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aether.core.metrics.MetricsHistory.Series;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetricsWindowTest {

    static ClusterMetricsSnapshot second(long s, Map<String, Double> callsPerSlice) {
        Map<String, SliceMetrics> slices = new java.util.HashMap<>();
        callsPerSlice.forEach((a, c) -> slices.put(a, new SliceMetrics(a, c, 0.01, 1, c / 10, 0, 1, 0.5)));
        return new ClusterMetricsSnapshot(s, Map.of(), slices, Set.of());
    }

    @Test
    void theRingWrapsAroundKeepingTheNewestSecondsOldestFirst() {
        MetricsWindow w = new MetricsWindow(5, 8);
        for (long s = 1; s <= 12; s++) {
            w.append(second(s, Map.of("a", (double) s)));
        }
        assertEquals(5, w.sizeSeconds());
        assertEquals(12, w.newestSecond());
        double[] into = new double[5];
        assertEquals(5, w.copy("a", Series.CALLS_PER_SECOND, 5, into));
        assertArrayEquals(new double[] {8, 9, 10, 11, 12}, into);
        double[] last3 = new double[3];
        assertEquals(3, w.copy("a", Series.P99_MS, 3, last3));
        assertArrayEquals(new double[] {1.0, 1.1, 1.2}, last3, 1e-9);
    }

    @Test
    void copyReturnsFewerWhenTheWindowHoldsFewerAndLeavesTheRestOfTheArray() {
        MetricsWindow w = new MetricsWindow(10, 8);
        w.append(second(1, Map.of("a", 4.0)));
        w.append(second(2, Map.of("a", 6.0)));
        double[] into = {-7, -7, -7, -7};
        assertEquals(2, w.copy("a", Series.CALLS_PER_SECOND, 4, into));
        assertArrayEquals(new double[] {4, 6, -7, -7}, into);
        assertThrows(IllegalArgumentException.class, () -> w.copy("a", Series.CPU, 2, new double[1]));
    }

    @Test
    void aSliceReadsZeroBeforeItAppearedAndInAGap() {
        MetricsWindow w = new MetricsWindow(10, 8);
        w.append(second(1, Map.of("a", 1.0)));
        w.append(second(2, Map.of("a", 2.0, "b", 5.0)));
        w.append(second(4, Map.of("a", 4.0, "b", 7.0)));
        double[] b = new double[4];
        assertEquals(4, w.copy("b", Series.CALLS_PER_SECOND, 4, b));
        assertArrayEquals(new double[] {0, 5, 0, 7}, b);
        double[] unknown = {9, 9};
        assertEquals(2, w.copy("nobody", Series.INSTANCES, 2, unknown));
        assertArrayEquals(new double[] {0, 0}, unknown);
    }

    @Test
    void aSecondNotAfterTheNewestIsIgnored() {
        MetricsWindow w = new MetricsWindow(10, 8);
        w.append(second(5, Map.of("a", 1.0)));
        w.append(second(5, Map.of("a", 2.0)));
        w.append(second(3, Map.of("a", 3.0)));
        assertEquals(1, w.sizeSeconds());
        assertEquals(5, w.newestSecond());
    }

    @Test
    void beyondMaxSlicesTheSliceIdleTheLongestIsDropped() {
        MetricsWindow w = new MetricsWindow(100, 2);
        w.append(second(1, Map.of("old", 1.0, "busy", 1.0)));
        w.append(second(2, Map.of("busy", 1.0)));
        w.append(second(3, Map.of("busy", 1.0, "new", 1.0)));
        assertEquals(2, w.sliceCount());
        double[] old = {9};
        w.copy("old", Series.CALLS_PER_SECOND, 1, old);
        assertEquals(0, old[0]);
        double[] fresh = new double[1];
        w.copy("new", Series.CALLS_PER_SECOND, 1, fresh);
        assertEquals(1, fresh[0]);
    }

    @Test
    void aSliceIdleForTheWholeWindowIsForgotten() {
        MetricsWindow w = new MetricsWindow(3, 8);
        w.append(second(1, Map.of("a", 1.0)));
        for (long s = 2; s <= 4; s++) {
            w.append(second(s, Map.of()));
        }
        assertEquals(0, w.sliceCount());
    }
}
