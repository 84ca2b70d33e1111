package io.aether.core.control;

/**
 * A layer of the controller chain (DESIGN §8): reads a {@link ControlContext}, answers a {@link Decision}. Must not
 * block for long (L1 runs every second on the leader) and must not act by itself: its decision goes through the
 * {@link Guardrails} and becomes receipts and blueprint changes there.
 */
public interface Controller {

    /** The layer this controller is: what receipts and events name. */
    Layer layer();

    Decision evaluate(ControlContext context);
}
