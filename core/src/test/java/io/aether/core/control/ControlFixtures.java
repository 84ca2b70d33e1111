package io.aether.core.control;

import io.aether.core.control.ControlContext.SliceSpec;
import io.aether.core.metrics.ClusterMetricsSnapshot;
import io.aether.core.metrics.SliceMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Small builders the control tests share. */
final class ControlFixtures {

    static final String CART = "org.acme:cart:1.0";
    static final String WEB = "org.acme:web:1.0";

    private ControlFixtures() {
    }

    /** A clock tests move by hand. */
    static final class ManualClock extends Clock {
        private Instant now;

        ManualClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    static SliceSpec spec(String artifact, int instances, int min, int max) {
        return new SliceSpec("acme/shop", "acme", artifact, instances, min, max, 200, 0.01);
    }

    static ClusterMetricsSnapshot snapshot(Instant at, Set<String> staleNodes, SliceMetrics... slices) {
        Map<String, SliceMetrics> bySlice = new java.util.HashMap<>();
        for (SliceMetrics m : slices) {
            bySlice.put(m.artifact(), m);
        }
        return new ClusterMetricsSnapshot(at.getEpochSecond(), Map.of(), bySlice, staleNodes);
    }

    static ControlContext context(Instant now, ClusterMetricsSnapshot latest, SliceSpec... specs) {
        Map<String, SliceSpec> slices = new java.util.HashMap<>();
        for (SliceSpec s : specs) {
            slices.put(s.artifact(), s);
        }
        return new ControlContext(now, latest, null, List.of(), List.of(), slices, Map.of());
    }

    static Decision scale(Layer layer, String artifact, int from, int to) {
        return new Decision(layer, List.of(new Decision.ScaleChange("acme/shop", artifact, from, to, "test rule")),
                List.of(), "test", 1.0, Optional.empty());
    }
}
