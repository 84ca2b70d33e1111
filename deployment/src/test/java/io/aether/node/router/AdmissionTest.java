package io.aether.node.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aether.core.control.GovernorMirror;
import io.aether.core.control.GovernorState;
import io.aether.core.deployment.Blueprint.Priority;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which governor states shed which priorities. */
class AdmissionTest {

    private static GovernorMirror.Status governor(GovernorState state) {
        return new GovernorMirror.Status("g:a:1", state, GovernorState.STABLE, "test", Instant.EPOCH);
    }

    @Test
    void refusingShedsEveryPriorityAndDegradedOnlyLow() {
        for (Priority p : Priority.values()) {
            for (GovernorState s : GovernorState.values()) {
                boolean expected = s == GovernorState.REFUSING || s == GovernorState.DEGRADED && p == Priority.LOW;
                assertEquals(expected, Admission.sheds(p, governor(s)), p + " while " + s);
            }
        }
    }

    @Test
    void aSliceWithoutAStoredGovernorIsAdmitted() {
        assertEquals(false, Admission.sheds(Priority.LOW, null));
    }
}
