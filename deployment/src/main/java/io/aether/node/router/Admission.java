package io.aether.node.router;

import io.aether.core.control.GovernorMirror;
import io.aether.core.control.GovernorState;
import io.aether.core.deployment.Blueprint;

/**
 * The router's admission rule (docs/invocation.md "Admission control"): a call to a slice whose governor is
 * refusing is shed, and so is a call to a low-priority slice whose governor is degraded. Every other state, and a
 * slice with no stored governor, admits.
 */
final class Admission {

    private Admission() {}

    /** True when a call to a slice of {@code priority} whose governor is {@code governor} must be shed. */
    static boolean sheds(Blueprint.Priority priority, GovernorMirror.Status governor) {
        if (governor == null) {
            return false;
        }
        return governor.state() == GovernorState.REFUSING
                || governor.state() == GovernorState.DEGRADED && priority == Blueprint.Priority.LOW;
    }
}
