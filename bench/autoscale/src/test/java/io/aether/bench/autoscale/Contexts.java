package io.aether.bench.autoscale;

import io.aether.core.control.ControlContext;
import io.aether.core.control.GovernorState;
import io.aether.core.metrics.ClusterMetricsSnapshot;
import io.aether.core.metrics.MetricsWindow;
import io.aether.core.metrics.SliceMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds a context over the production {@link MetricsWindow} that a test fills second by second. */
final class Contexts {

    final MetricsWindow history = new MetricsWindow(3600, 1);
    private SliceMetrics latest;

    void second(long t, double calls, double inFlight, int ready, double cpu) {
        latest = new SliceMetrics(Replay.ARTIFACT, calls, 0, 10, 50, (int) Math.round(inFlight), ready, cpu);
        history.append(new ClusterMetricsSnapshot(t, Map.of(), Map.of(Replay.ARTIFACT, latest), Set.of()));
    }

    ControlContext at(long t, int instances, int min, int max) {
        return new ControlContext(Instant.ofEpochSecond(t), new ClusterMetricsSnapshot(t, Map.of(),
                Map.of(Replay.ARTIFACT, latest), Set.of()), history, List.of(), List.of(),
                Map.of(Replay.ARTIFACT, new ControlContext.SliceSpec(Replay.BLUEPRINT, Replay.TENANT,
                        Replay.ARTIFACT, instances, min, max, 500, 0.01)),
                Map.of(Replay.ARTIFACT, GovernorState.STABLE));
    }
}
