package io.aether.core.control;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a layer decided in one evaluation. An empty decision ({@link #hold}) is a decision too: it says why nothing
 * changes. {@code escalation} asks the next layer up to look (L1 → L2 → L3).
 *
 * @param confidence 0..1, how sure the layer is
 * @param model      the model call behind the decision (AI layers only); receipts carry it
 */
public record Decision(Layer layer, List<ScaleChange> changes, List<NodeAction> nodeActions, String reasoning,
                       double confidence, Optional<Escalation> escalation, Optional<ModelCall> model) {

    public Decision {
        Objects.requireNonNull(layer, "layer");
        changes = List.copyOf(changes);
        nodeActions = List.copyOf(nodeActions);
        Objects.requireNonNull(reasoning, "reasoning");
        Objects.requireNonNull(escalation, "escalation");
        Objects.requireNonNull(model, "model");
    }

    /** A decision made without a model (L1, humans). */
    public Decision(Layer layer, List<ScaleChange> changes, List<NodeAction> nodeActions, String reasoning,
                    double confidence, Optional<Escalation> escalation) {
        this(layer, changes, nodeActions, reasoning, confidence, escalation, Optional.empty());
    }

    /** No change, with the reason. */
    public static Decision hold(Layer layer, String reasoning) {
        return new Decision(layer, List.of(), List.of(), reasoning, 1.0, Optional.empty());
    }

    public boolean isHold() {
        return changes.isEmpty() && nodeActions.isEmpty();
    }

    /**
     * Set one slice's instance count. {@code rule} names the rule that fired and its numbers
     * ({@code "latency p99 412 ms > SLO 200 ms: +2"}).
     */
    public record ScaleChange(String blueprint, String artifact, int fromInstances, int toInstances, String rule) {
    }

    /** Add or remove a worker node through the node provisioner. */
    public record NodeAction(Kind kind, Optional<String> nodeId, String reason) {
        public enum Kind { ADD_WORKER, REMOVE_WORKER }
    }

    /** Why the layer asks the next one up to look. */
    public record Escalation(Reason reason, String detail) {
        public enum Reason { UNCLASSIFIED_PATTERN, OSCILLATION, SLO_BREACH_DESPITE_SCALING, NO_HISTORY }
    }
}
