package io.aether.bench.autoscale;

import io.aether.core.control.ControlContext;
import io.aether.core.control.Controller;
import io.aether.core.control.Decision;
import io.aether.core.control.GovernorState;
import io.aether.core.metrics.ClusterMetricsSnapshot;
import io.aether.core.metrics.MetricsWindow;
import io.aether.core.metrics.NodeMetrics;
import io.aether.core.metrics.SliceMetrics;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Replays one controller over one trace, one second per step: the model serves the second's load, the second
 * becomes a {@link ClusterMetricsSnapshot} and enters the history, and at the controller's period a real
 * {@link ControlContext} (one slice, three live core nodes, governor STABLE) is evaluated; the gate's changes set
 * the model's instance count, effective from the next second.
 */
public final class Replay {

    static final String BLUEPRINT = "bench/service";
    static final String TENANT = "bench";
    static final String ARTIFACT = "io.aether.bench:service:1.0.0";
    /** The simulated clock's origin: a fixed instant keeps runs identical. */
    static final long EPOCH_SECOND_ZERO = 1_800_000_000L;
    static final int HISTORY_SECONDS = 7200;
    /** Recent scaling events handed to controllers, newest last. */
    static final int MAX_RECENT_EVENTS = 32;
    private static final List<ControlContext.NodeView> TOPOLOGY = List.of(
            new ControlContext.NodeView("node-0", true, true, false),
            new ControlContext.NodeView("node-1", true, true, false),
            new ControlContext.NodeView("node-2", true, true, false));

    private final ServiceParams params;
    private final Gates.Factory gates;
    private final int oscillationWindowSeconds;

    public Replay(ServiceParams params, Gates.Factory gates, int oscillationWindowSeconds) {
        this.params = params;
        this.gates = gates;
        this.oscillationWindowSeconds = oscillationWindowSeconds;
    }

    /** Replays {@code entry} over {@code trace}, starting with the instances the first second needs. */
    public RunResult run(ControllerEntry entry, Trace trace) {
        Controller controller = entry.factory().get();
        int initial = params.instancesNeeded(trace.at(0));
        ServiceModel model = new ServiceModel(params, initial);
        java.util.function.BiFunction<Decision, ControlContext, List<Decision.ScaleChange>> gate =
                gates.apply(spec(initial));
        MetricsWindow history = new MetricsWindow(HISTORY_SECONDS, 1);
        ArrayDeque<ControlContext.ControlEvent> events = new ArrayDeque<>();
        long violations = 0;
        long overProvisioned = 0;
        long instanceSeconds = 0;
        int actions = 0;
        int oscillations = 0;
        int peak = initial;
        int lastDirection = 0;
        long lastActionAt = Long.MIN_VALUE;
        for (int t = 0; t < trace.seconds(); t++) {
            ServiceModel.Second s = model.step(trace.at(t));
            long epochSecond = EPOCH_SECOND_ZERO + t;
            if (s.p99Ms() > params.sloP99Ms() || s.errorRate() > params.sloErrorRate()) {
                violations++;
            }
            instanceSeconds += s.instances();
            overProvisioned += Math.max(0, s.instances() - params.instancesNeeded(s.offeredRps()));
            peak = Math.max(peak, s.instances());
            SliceMetrics slice = new SliceMetrics(ARTIFACT, s.servedRps() + s.failedRps(), s.errorRate(), s.p50Ms(),
                    s.p99Ms(), (int) Math.round(s.inFlight()), s.ready(), s.utilisation());
            history.append(new ClusterMetricsSnapshot(epochSecond, Map.of(), Map.of(ARTIFACT, slice), Set.of()));
            if ((t + 1) % entry.periodSeconds() != 0) {
                continue;
            }
            Map<String, NodeMetrics> nodes = new java.util.HashMap<>();
            for (ControlContext.NodeView node : TOPOLOGY) {
                nodes.put(node.nodeId(), new NodeMetrics(node.nodeId(), s.utilisation(), 0, 0, epochSecond * 1000));
            }
            ClusterMetricsSnapshot snapshot = new ClusterMetricsSnapshot(epochSecond, nodes, Map.of(ARTIFACT, slice),
                    Set.of());
            ControlContext context = new ControlContext(Instant.ofEpochSecond(epochSecond), snapshot, history,
                    List.copyOf(events), TOPOLOGY, Map.of(ARTIFACT, spec(model.instances())),
                    Map.of(ARTIFACT, GovernorState.STABLE));
            for (Decision.ScaleChange change : gate.apply(controller.evaluate(context), context)) {
                int from = model.instances();
                if (change.toInstances() == from) {
                    continue;
                }
                model.scaleTo(change.toInstances());
                actions++;
                int direction = Integer.signum(change.toInstances() - from);
                if (lastDirection != 0 && direction != lastDirection
                        && epochSecond - lastActionAt <= oscillationWindowSeconds) {
                    oscillations++;
                }
                lastDirection = direction;
                lastActionAt = epochSecond;
                events.addLast(new ControlContext.ControlEvent(Instant.ofEpochSecond(epochSecond), "scaled",
                        ARTIFACT + " " + from + " -> " + change.toInstances() + ": " + change.rule()));
                while (events.size() > MAX_RECENT_EVENTS) {
                    events.removeFirst();
                }
            }
        }
        double cost = instanceSeconds / 3600.0 * params.costPerInstanceHour();
        return new RunResult(trace.name(), entry.name(), trace.seconds(), violations, overProvisioned,
                instanceSeconds, cost, actions, oscillations, peak);
    }

    private ControlContext.SliceSpec spec(int instances) {
        return new ControlContext.SliceSpec(BLUEPRINT, TENANT, ARTIFACT, instances, params.min(), params.max(),
                params.sloP99Ms(), params.sloErrorRate());
    }
}
