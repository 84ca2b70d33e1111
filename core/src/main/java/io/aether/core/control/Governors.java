package io.aether.core.control;

import io.aether.core.metrics.SliceMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every slice's {@link Governor}, fed by the control loop once a second on the leader. The router asks
 * {@link #admits} (any thread): a slice whose governor is {@code REFUSING} gets 503 + Retry-After.
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

    /** False only when {@code artifact}'s governor is refusing. */
    public boolean admits(String artifact) {
        return states.get(artifact) != GovernorState.REFUSING;
    }

    /**
     * Feeds one second: a governor per slice of {@code ctx} (new ones boot, gone ones are dropped); a slice with no
     * metrics this second keeps its state. Answers the transitions.
     */
    List<Governor.Transition> update(ControlContext ctx) {
        governors.keySet().retainAll(ctx.slices().keySet());
        List<Governor.Transition> transitions = new ArrayList<>();
        for (ControlContext.SliceSpec spec : ctx.slices().values()) {
            Governor g = governors.computeIfAbsent(spec.artifact(), a -> new Governor(a, policy));
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
        return transitions;
    }
}
