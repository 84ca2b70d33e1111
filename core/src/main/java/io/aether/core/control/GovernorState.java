package io.aether.core.control;

/**
 * The state of one slice's governor (DESIGN §8), driven by SLO signals. {@code REFUSING} drives admission
 * control in the router (503 + Retry-After); {@code DEGRADED} sheds low-priority routes.
 */
public enum GovernorState { BOOT, STABLE, WARNING, INTERVENING, DEGRADED, REFUSING }
