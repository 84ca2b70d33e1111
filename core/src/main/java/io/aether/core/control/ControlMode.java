package io.aether.core.control;

/** What the guardrails do with a decision that passes them; stored at {@code controller/mode}. */
public enum ControlMode {
    /** Record a receipt only. */
    OBSERVE,
    /** Store a proposal under {@code controller/proposals/{id}} for a human to approve or reject. */
    PROPOSE,
    /** Apply it to the blueprint. */
    APPLY
}
