package io.aether.controller.ai;

import java.util.List;
import java.util.Objects;

/**
 * What a model may answer, and all it may answer: instance counts for slices it was shown, how sure it is, whether
 * the next layer up should look, and why. Mode, approval and guardrails have no field here, so no text can ask for
 * them (see {@link AnswerParser}).
 *
 * @param confidence 0..1
 * @param escalate   L2: ask L3; L3: flag the decision for a human (the receipt shows it)
 */
public record ModelAnswer(List<Action> actions, double confidence, boolean escalate, String reasoning) {

    public ModelAnswer {
        actions = List.copyOf(actions);
        Objects.requireNonNull(reasoning, "reasoning");
    }

    /**
     * Set {@code slice} (a versioned artifact as the summary names it) to {@code targetInstances}.
     */
    public record Action(String slice, int targetInstances, String reason) {
        public Action {
            Objects.requireNonNull(slice, "slice");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
