package io.aether.core.control;

import io.aether.core.metrics.SliceMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every slice's {@link Governor}, fed by the control loop once a second on the leader, which stores each state at
 * {@code governors/{artifact}}; every node's router reads those keys ({@link GovernorMirror}) for admission.
 */
public final class Governors {

    private final Governor.Policy policy;
    /** Only the loop thread touches this; readers see {@link #states}. */
    private final Map<String, Governor> governors = new HashMap<>();
    private volatile Map<String, GovernorState> states = Map.of();

    public Governors() {
        this(Governor.Policy.defaults());
    }

    Governors(Governor.Policy policy) {
        this.policy = policy;
    }

    /** The state of every governed slice, by versioned artifact (an immutable copy). */
    public Map<String, GovernorState> states() {
        return states;
    }

    /**
     * What one second changed: the transitions, the governors started (their key must say {@code boot}: a key left
     * by an earlier governor of the same artifact, or by the previous leader, must not keep refusing calls) and the
     * governors dropped with their slice (their key must go).
     */
    record Update(List<Governor.Transition> transitions, List<String> started, List<String> dropped) {
    }

    /**
     * Feeds one second: a governor per slice of {@code ctx} (new ones boot, gone ones are dropped); a slice with no
     * metrics this second keeps its state.
     */
    Update update(ControlContext ctx) {
        List<String> dropped = new ArrayList<>();
        for (String artifact : governors.keySet()) {
            if (!ctx.slices().containsKey(artifact)) {
                dropped.add(artifact);
            }
        }
        dropped.forEach(governors::remove);
        List<String> started = new ArrayList<>();
        List<Governor.Transition> transitions = new ArrayList<>();
        for (ControlContext.SliceSpec spec : ctx.slices().values()) {
            Governor g = governors.computeIfAbsent(spec.artifact(), a -> {
                started.add(a);
                return new Governor(a, policy);
            });
            SliceMetrics m = ctx.latest() == null ? null : ctx.latest().slices().get(spec.artifact());
            if (m == null || m.instances() == 0) {
                continue;
            }
            g.observe(new Governor.Signal(m.p99Ms(), m.errorRate(), spec.sloP99Ms(), spec.sloErrorRate(),
                    spec.instances() > m.instances()), ctx.now()).ifPresent(transitions::add);
        }
        Map<String, GovernorState> next = new HashMap<>();
        governors.forEach((artifact, g) -> next.put(artifact, g.state()));
        states = Map.copyOf(next);
        return new Update(transitions, started, dropped);
    }
}
