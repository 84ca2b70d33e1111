package io.aether.bench.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.control.Layer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** L1 with L2 and L3 above it, replayed against the scripted server through the production clients. */
class ChainReplayTest {

    /** 600 s rising from 300 to 1,500 requests/s. */
    private static Trace ramp() {
        double[] rps = new double[600];
        for (int t = 0; t < rps.length; t++) {
            rps[t] = 300 + 2.0 * t;
        }
        return new Trace("ramp-600", rps);
    }

    @Test
    void theChainCallsBothLayersOnScheduleAndRecordsCallsTokensAndTheirChanges() throws Exception {
        ServiceParams params = ServiceParams.defaults();
        try (PolicyServer server = PolicyServer.start(params.targetUtilisation(), 35)) {
            ModelEndpoints.Endpoint l2 = ModelEndpoints.l2(Map.of(), server, Duration.ofSeconds(10));
            ModelEndpoints.Endpoint l3 = ModelEndpoints.l3(Map.of(), server, Duration.ofSeconds(30));

            List<ChainResult> results = AutoscaleBench.evaluate(params, Gates.production(Gates.NODE_DEFAULT_POLICY),
                    120, l2.model(), l2.modelName(), l3.model(), l3.modelName(), 30, 300, List.of(ramp()));

            assertEquals(List.of("l1", "l1+l2", "l1+l2+l3"), results.stream().map(r -> r.run().controller()).toList());
            assertTrue(results.get(0).layers().isEmpty());
            LayerStats alone = results.get(1).layers().get(0);
            LayerStats two = results.get(2).layers().get(0);
            LayerStats three = results.get(2).layers().get(1);
            assertEquals(Layer.L2, two.layer());
            assertEquals(Layer.L3, three.layer());
            // Scheduled every 30 s from the first second; escalations from L1 add calls at most every 5 s.
            assertTrue(two.modelCalls() >= 600 / 30 && two.modelCalls() <= 600 / 5 + 1, two.toString());
            assertTrue(three.modelCalls() >= 2, "scheduled at 0 s and 300 s: " + three);
            assertEquals(alone.modelCalls() + two.modelCalls() + three.modelCalls(), server.answered());
            for (LayerStats l : List.of(alone, two, three)) {
                assertEquals(0, l.failedCalls(), l.firstFailure().orElse(""));
                assertTrue(l.inputTokens() > 500L * l.modelCalls() && l.outputTokens() > 0, l.toString());
                assertTrue(l.evaluations() >= l.modelCalls(), l.toString());
            }
            assertTrue(two.appliedChanges() + two.refusedChanges() > 0,
                    "on a ramp L2 pre-scales and its changes reach the guardrails: " + two);
            assertTrue(results.get(1).run().scalingActions() >= alone.appliedChanges());
        }
    }
}
