package io.aether.controller.ai;

/** A model layer's circuit breaker, as metrics and the controller API show it. */
public enum BreakerState {
    /** Calls go through; consecutive failures are counted. */
    CLOSED,
    /** Calls are refused (the layer holds) until the open period ends. */
    OPEN,
    /** One trial call is allowed: success closes, failure opens again. */
    HALF_OPEN
}
