package io.aether.bench.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.control.Decision;
import io.aether.core.control.Layer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayTest {

    private static List<Trace> traces(long seed) {
        return List.of(TraceGenerator.STEP.generate(seed), TraceGenerator.NOISY.generate(seed));
    }

    @Test
    void sameSeedGivesTheSameTable() {
        ServiceParams params = ServiceParams.defaults();
        String first = Report.table(AutoscaleBench.run(params, Gates.boundsOnly(), 120,
                AutoscaleBench.peers(params), traces(42)));
        String second = Report.table(AutoscaleBench.run(params, Gates.boundsOnly(), 120,
                AutoscaleBench.peers(params), traces(42)));
        assertEquals(first, second);
    }

    @Test
    void aControllerThatNeverScalesViolatesTheSloThroughTheStepAndTheGateKeepsBounds() {
        ServiceParams params = ServiceParams.defaults();
        Trace step = TraceGenerator.STEP.generate(1);
        RunResult hold = new Replay(params, Gates.boundsOnly(), 120).run(new ControllerEntry("hold", 1,
                () -> new io.aether.core.control.Controller() {
                    @Override
                    public Layer layer() {
                        return Layer.L1;
                    }

                    @Override
                    public Decision evaluate(io.aether.core.control.ControlContext context) {
                        return Decision.hold(Layer.L1, "never");
                    }
                }), step);
        assertTrue(hold.sloViolationSeconds() >= 1800 - 5, "the whole 3x step violates: " + hold);
        assertEquals(0, hold.scalingActions());
        RunResult huge = new Replay(params, Gates.boundsOnly(), 120).run(new ControllerEntry("huge", 1,
                () -> new io.aether.core.control.Controller() {
                    @Override
                    public Layer layer() {
                        return Layer.L1;
                    }

                    @Override
                    public Decision evaluate(io.aether.core.control.ControlContext context) {
                        var spec = context.slice(Replay.ARTIFACT).orElseThrow();
                        return HpaController.change(spec, spec.instances(), 10_000, "too many");
                    }
                }), step);
        assertEquals(params.max(), huge.peakInstances());
        assertEquals(1, huge.scalingActions());
    }
}
