package io.aether.bench.autoscale;

import io.aether.core.control.ControlContext;
import io.aether.core.control.Controller;
import io.aether.core.control.Decision;
import io.aether.core.control.GovernorState;
import io.aether.core.control.Layer;
import io.aether.core.control.LayerFailure;
import io.aether.core.control.ModelCall;
import io.aether.core.metrics.ClusterMetricsSnapshot;
import io.aether.core.metrics.MetricsWindow;
import io.aether.core.metrics.NodeMetrics;
import io.aether.core.metrics.SliceMetrics;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Replays one controller over one trace, one second per step: the model serves the second's load, the second
 * becomes a {@link ClusterMetricsSnapshot} and enters the history, and at the controller's period a real
 * {@link ControlContext} (one slice, three live core nodes, governor STABLE) is evaluated; the gate's changes set
 * the model's instance count, effective from the next second.
 *
 * <p>With AI layers ({@link #run(ControllerEntry, List, Trace)}) the replay follows the node's control loop: an AI
 * layer runs when the layer below escalated (its context {@link ControlContext#escalatedBy} that decision) or when
 * it is due on its schedule; its decision is collected at the next second's tick, passes the same gate (one
 * {@code Guardrails} for every layer, apply mode: the operator approves every proposal), and is applied before L1
 * evaluates that tick. A model call is synchronous in simulated time (the simulated clock does not move during it);
 * its wall time is measured.
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
        return run(entry, List.of(), trace).run();
    }

    /**
     * Replays {@code l1} with the AI layers {@code ai} above it (L2 before L3, each at most once) over
     * {@code trace}; see the class comment for the order within a second.
     */
    public ChainResult run(ControllerEntry l1, List<AiLayerEntry> ai, Trace trace) {
        for (int i = 0; i < ai.size(); i++) {
            Layer expected = i == 0 ? Layer.L2 : Layer.L3;
            if (i > 1 || ai.get(i).layer() != expected) {
                throw new IllegalArgumentException("replay chain: AI layer " + i + " is " + ai.get(i).layer()
                        + "; expected L2 before L3, each once");
            }
        }
        long start = System.nanoTime();
        Run run = new Run(l1, ai, trace);
        for (int t = 0; t < trace.seconds(); t++) {
            run.second(t);
        }
        return new ChainResult(run.result(), run.layerStats(), (System.nanoTime() - start) / 1_000_000);
    }

    /** The state of one replay. */
    private final class Run {
        private final ControllerEntry entry;
        private final Trace trace;
        private final Controller controller;
        private final SimulatedClock clock = new SimulatedClock();
        private final List<AiSlot> ai = new ArrayList<>();
        private final ServiceModel model;
        private final BiFunction<Decision, ControlContext, List<Decision.ScaleChange>> gate;
        private final MetricsWindow history = new MetricsWindow(HISTORY_SECONDS, 1);
        private final ArrayDeque<ControlContext.ControlEvent> events = new ArrayDeque<>();
        private long violations;
        private long overProvisioned;
        private long instanceSeconds;
        private int actions;
        private int oscillations;
        private int peak;
        private int lastDirection;
        private long lastActionAt = Long.MIN_VALUE;

        Run(ControllerEntry entry, List<AiLayerEntry> layers, Trace trace) {
            this.entry = entry;
            this.trace = trace;
            this.controller = entry.factory().get();
            int initial = params.instancesNeeded(trace.at(0));
            this.model = new ServiceModel(params, initial);
            this.gate = gates.apply(spec(initial));
            this.peak = initial;
            for (AiLayerEntry layer : layers) {
                Controller c = layer.factory().apply(clock);
                if (c.layer() != layer.layer()) {
                    throw new IllegalArgumentException("replay chain: the " + layer.layer() + " entry made a "
                            + c.layer() + " controller");
                }
                ai.add(new AiSlot(layer, c, trace.seconds()));
            }
        }

        void second(int t) {
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
            boolean l1Due = (t + 1) % entry.periodSeconds() == 0;
            boolean aiBusy = ai.stream().anyMatch(a -> a.pending != null || a.due(t));
            if (!l1Due && !aiBusy) {
                return;
            }
            clock.set(Instant.ofEpochSecond(epochSecond));
            ControlContext context = context(s, slice, epochSecond);
            // What the AI layers decided last second, L2 before L3: the node's loop collects finished AI runs at the
            // start of a tick, before L1 evaluates.
            for (AiSlot slot : ai) {
                if (slot.pending == null) {
                    continue;
                }
                Decision d = slot.pending;
                slot.pending = null;
                List<Decision.ScaleChange> passed = gate.apply(d, context);
                slot.applied += apply(passed, epochSecond);
                slot.refused += (int) d.changes().stream().filter(c -> c.artifact().equals(ARTIFACT)).count()
                        - passed.size();
                context = context(s, slice, epochSecond);
            }
            Decision below = null;
            if (l1Due) {
                Decision d = controller.evaluate(context);
                apply(gate.apply(d, context), epochSecond);
                below = d.escalation().isPresent() ? d : null;
            }
            for (AiSlot slot : ai) {
                if (below == null && !slot.due(t)) {
                    continue;
                }
                below = slot.evaluate(below == null ? context : context.escalatedBy(below), t);
            }
        }

        /** Applies the gate's changes to the model; returns how many changed the instance count. */
        private int apply(List<Decision.ScaleChange> changes, long epochSecond) {
            int applied = 0;
            for (Decision.ScaleChange change : changes) {
                int from = model.instances();
                if (change.toInstances() == from) {
                    continue;
                }
                model.scaleTo(change.toInstances());
                actions++;
                applied++;
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
            return applied;
        }

        private ControlContext context(ServiceModel.Second s, SliceMetrics slice, long epochSecond) {
            Map<String, NodeMetrics> nodes = new HashMap<>();
            for (ControlContext.NodeView node : TOPOLOGY) {
                nodes.put(node.nodeId(), new NodeMetrics(node.nodeId(), s.utilisation(), 0, 0, epochSecond * 1000));
            }
            ClusterMetricsSnapshot snapshot = new ClusterMetricsSnapshot(epochSecond, nodes, Map.of(ARTIFACT, slice),
                    Set.of());
            return new ControlContext(Instant.ofEpochSecond(epochSecond), snapshot, history, List.copyOf(events),
                    TOPOLOGY, Map.of(ARTIFACT, spec(model.instances())), Map.of(ARTIFACT, GovernorState.STABLE));
        }

        RunResult result() {
            double cost = instanceSeconds / 3600.0 * params.costPerInstanceHour();
            return new RunResult(trace.name(), entry.name(), trace.seconds(), violations, overProvisioned,
                    instanceSeconds, cost, actions, oscillations, peak);
        }

        List<LayerStats> layerStats() {
            return ai.stream().map(AiSlot::stats).toList();
        }
    }

    /** One AI layer in a run: its schedule, the decision waiting for the next tick, and its tallies. */
    private static final class AiSlot {
        private final AiLayerEntry entry;
        private final Controller controller;
        /** Wall milliseconds of the evaluations that called the model: at most one per simulated second. */
        private final long[] latenciesMs;
        private int calls;
        private long lastStartedSecond = Long.MIN_VALUE;
        private Decision pending;
        private int evaluations;
        private long inputTokens;
        private long outputTokens;
        private int failed;
        private int applied;
        private int refused;
        private int escalations;
        private String firstFailure;

        AiSlot(AiLayerEntry entry, Controller controller, int seconds) {
            this.entry = entry;
            this.controller = controller;
            this.latenciesMs = new long[seconds];
        }

        /** Due on its schedule: never run yet, or {@code every} seconds since its last run (as the node's loop). */
        boolean due(long t) {
            return entry.everySeconds() > 0 && (lastStartedSecond == Long.MIN_VALUE
                    || t - lastStartedSecond >= entry.everySeconds());
        }

        /** Evaluates {@code input} now; returns the decision when it escalates to the layer above, else null. */
        Decision evaluate(ControlContext input, long t) {
            lastStartedSecond = t;
            evaluations++;
            long start = System.nanoTime();
            Decision d;
            try {
                d = controller.evaluate(input);
            } catch (LayerFailure e) {
                long wallMs = (System.nanoTime() - start) / 1_000_000;
                failed++;
                if (firstFailure == null) {
                    firstFailure = "at second " + t + ": " + e.getMessage();
                }
                e.model().ifPresent(m -> called(m, wallMs));
                return null;
            }
            long wallMs = (System.nanoTime() - start) / 1_000_000;
            if (d.layer() != entry.layer()) {
                throw new IllegalStateException("replay chain: the " + entry.layer() + " controller answered a "
                        + d.layer() + " decision");
            }
            d.model().ifPresent(m -> called(m, wallMs));
            if (!d.isHold()) {
                pending = d;
            }
            if (d.escalation().isPresent()) {
                escalations++;
                return d;
            }
            return null;
        }

        private void called(ModelCall call, long wallMs) {
            latenciesMs[calls++] = wallMs;
            inputTokens += call.inputTokens();
            outputTokens += call.outputTokens();
        }

        LayerStats stats() {
            long[] sorted = Arrays.copyOf(latenciesMs, calls);
            Arrays.sort(sorted);
            long p99 = calls == 0 ? 0 : sorted[(int) Math.ceil(calls * 0.99) - 1];
            long max = calls == 0 ? 0 : sorted[calls - 1];
            return new LayerStats(entry.layer(), evaluations, calls, inputTokens, outputTokens, p99, max, failed,
                    applied, refused, escalations, Optional.ofNullable(firstFailure));
        }
    }

    private ControlContext.SliceSpec spec(int instances) {
        return new ControlContext.SliceSpec(BLUEPRINT, TENANT, ARTIFACT, instances, params.min(), params.max(),
                params.sloP99Ms(), params.sloErrorRate());
    }
}
