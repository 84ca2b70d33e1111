package io.aether.controller.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ArrivalRingPropertyTest {

    /** Whatever seconds were recorded, with gaps and wrap-around, a copy reads each second's last value or NaN. */
    @Property(tries = 300)
    void aCopyReadsWhatWasRecordedForEachSecondOfTheRingAndNanElsewhere(
            @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 12) Integer> steps,
            @ForAll @IntRange(min = 1, max = 40) int capacity, @ForAll @IntRange(min = 1, max = 60) int count) {
        ArrivalRing ring = new ArrivalRing(capacity);
        Map<Long, Double> recorded = new HashMap<>();
        long second = 1_000;
        long newest = Long.MIN_VALUE;
        for (int step : steps) {
            second += step;
            ring.record(second, second * 0.5);
            recorded.put(second, second * 0.5);
            newest = second;
        }
        double[] into = new double[count];
        long end = newest == Long.MIN_VALUE ? 1_000 : newest;
        ring.copy(end, count, into);
        for (int i = 0; i < count; i++) {
            long s = end - count + 1 + i;
            boolean held = newest != Long.MIN_VALUE && s > newest - capacity && s <= newest;
            double expected = held ? recorded.getOrDefault(s, Double.NaN) : Double.NaN;
            assertEquals(expected, into[i], "second " + s + " (newest " + newest + ", capacity " + capacity + ")");
        }
    }
}
