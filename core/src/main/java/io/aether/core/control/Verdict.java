package io.aether.core.control;

import java.util.List;

/**
 * What the {@link Guardrails} made of one {@link Decision.ScaleChange}.
 *
 * @param allowedInstances the count to apply, propose or record (the change's target, possibly clamped); the
 *                         slice's current count when rejected
 * @param reasons          every rule that clamped or rejected it, with its numbers; empty when it passed untouched
 */
public record Verdict(Decision.ScaleChange change, Outcome outcome, List<String> reasons, int allowedInstances) {

    public Verdict {
        reasons = List.copyOf(reasons);
    }

    /** What happens to the change. */
    public enum Outcome {
        APPLY, PROPOSE, OBSERVE, REJECT;

        /** The receipt verdict this outcome leaves. */
        public String receiptVerdict() {
            return switch (this) {
                case APPLY -> "applied";
                case PROPOSE -> "proposed";
                case OBSERVE -> "observed";
                case REJECT -> "rejected";
            };
        }
    }
}
