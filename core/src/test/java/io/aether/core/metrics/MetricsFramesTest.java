package io.aether.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class MetricsFramesTest {

    static MetricsUpdate sampleUpdate() {
        Histogram h = Latency.newHistogram();
        for (long us = 1; us < 50_000; us += 37) {
            h.recordValue(us);
        }
        h.recordValue(Latency.HIGHEST_MICROS);
        return new MetricsUpdate("node-ä", 1_700_000_000L, 0.42, 1 << 20, -1, Map.of("g:a:1", 3, "g:b:2", 1),
                List.of(new MetricsUpdate.EntryLoad("g:a:1", "buy", 1_352, 12, 9_000_000, 4, h),
                        new MetricsUpdate.EntryLoad("g:b:2", "list", 0, 0, 0, 1, Latency.newHistogram())));
    }

    static ClusterMetricsSnapshot sampleSnapshot() {
        return new ClusterMetricsSnapshot(1_700_000_000L,
                Map.of("a", new NodeMetrics("a", 0.3, 100, 1_000, 42), "b", new NodeMetrics("b", -1, 5, -1, 41)),
                Map.of("g:a:1", new SliceMetrics("g:a:1", 1_352.5, 0.01, 1.5, 48.9, 4, 3, 0.3)), Set.of("b"));
    }

    @Test
    void anUpdateSurvivesTheRoundTripWithItsHistogram() {
        MetricsUpdate u = sampleUpdate();
        MetricsUpdate back = MetricsFrames.decodeUpdate(MetricsFrames.encode(u));
        assertEquals(u, back);
        Histogram h = back.entries().get(0).latencyMicros();
        assertEquals(u.entries().get(0).latencyMicros().getValueAtPercentile(99), h.getValueAtPercentile(99));
        assertEquals(u.entries().get(0).latencyMicros().getTotalCount(), h.getTotalCount());
    }

    @Test
    void aSnapshotSurvivesTheRoundTrip() {
        ClusterMetricsSnapshot s = sampleSnapshot();
        assertEquals(s, MetricsFrames.decodeSnapshot(MetricsFrames.encode(s)));
    }

    @Test
    void anUpdateOfAThousandBucketsStaysSmall() {
        assertTrue(MetricsFrames.encode(sampleUpdate()).length < 4_000, "update too large");
    }

    @Test
    void invalidFieldsAreNamed() {
        byte[] frame = MetricsFrames.encode(sampleUpdate());
        byte[] wrongVersion = frame.clone();
        wrongVersion[0] = 2;
        assertEquals("metrics update: version 2 is not the supported 1",
                assertThrows(MetricsCodecException.class, () -> MetricsFrames.decodeUpdate(wrongVersion))
                        .getMessage());
        byte[] trailing = java.util.Arrays.copyOf(frame, frame.length + 1);
        assertEquals("metrics update: 1 trailing bytes",
                assertThrows(MetricsCodecException.class, () -> MetricsFrames.decodeUpdate(trailing)).getMessage());
        byte[] cut = java.util.Arrays.copyOf(frame, frame.length - 1);
        assertTrue(assertThrows(MetricsCodecException.class, () -> MetricsFrames.decodeUpdate(cut)).getMessage()
                .contains("end inside the field"));
        MetricsUpdate tooManyErrors = new MetricsUpdate("a", 1, 0.5, 1, 1, Map.of(), List.of(
                new MetricsUpdate.EntryLoad("g:a:1", "buy", 1, 2, 0, 0, Latency.newHistogram())));
        assertEquals("metrics update: entries[0].errors 2 exceeds calls 1", assertThrows(
                MetricsCodecException.class, () -> MetricsFrames.decodeUpdate(MetricsFrames.encode(tooManyErrors)))
                .getMessage());
        ClusterMetricsSnapshot badCpu = new ClusterMetricsSnapshot(1, Map.of("a", new NodeMetrics("a", 1.5, 1, 1, 1)),
                Map.of(), Set.of());
        assertEquals("metrics snapshot: nodes[0].cpu 1.5 is neither -1 (unknown) nor within 0..1", assertThrows(
                MetricsCodecException.class, () -> MetricsFrames.decodeSnapshot(MetricsFrames.encode(badCpu)))
                .getMessage());
    }

    @Property(tries = 2_000)
    void randomBytesAreRejectedWithACodecExceptionOrDecoded(@ForAll @Size(max = 600) byte[] payload) {
        decodeOrReject(payload);
    }

    @Property(tries = 2_000)
    void corruptedFramesAreRejectedWithACodecExceptionOrDecoded(@ForAll int position, @ForAll byte value,
            @ForAll boolean snapshot) {
        byte[] frame = snapshot ? MetricsFrames.encode(sampleSnapshot()) : MetricsFrames.encode(sampleUpdate());
        frame[Math.floorMod(position, frame.length)] = value;
        decodeOrReject(frame);
    }

    private static void decodeOrReject(byte[] payload) {
        for (boolean update : new boolean[] {true, false}) {
            try {
                if (update) {
                    MetricsFrames.decodeUpdate(payload);
                } else {
                    MetricsFrames.decodeSnapshot(payload);
                }
            } catch (MetricsCodecException expected) {
                assertTrue(expected.getMessage().startsWith("metrics "), expected.getMessage());
            }
        }
    }
}
