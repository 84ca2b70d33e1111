package io.aether.core.control;

/** Who made a decision: a controller layer or a human through the API. */
public enum Layer {
    /** The deterministic decision tree; the cluster must be able to live on it alone. */
    L1,
    /** The local small model. */
    L2,
    /** The cloud model. */
    L3,
    /** An operator through the API or CLI. */
    HUMAN
}
