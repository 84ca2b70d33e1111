package io.aether.bench.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ServiceModelTest {

    private final ServiceParams params = ServiceParams.defaults();

    @Test
    void latencyFollowsTheMm1QueueBelowCapacity() {
        ServiceModel model = new ServiceModel(params, 10);
        ServiceModel.Second s = model.step(700);
        assertEquals(0.7, s.utilisation(), 1e-9);
        double mean = 20 / 0.3;
        assertEquals(mean * Math.log(100), s.p99Ms(), 1e-6);
        assertEquals(mean * Math.log(2), s.p50Ms(), 1e-6);
        assertEquals(0, s.errorRate());
        assertEquals(700 * mean / 1000, s.inFlight(), 1e-6);
    }

    @Test
    void loadBeyondCapacityQueuesUpToTheBoundThenFails() {
        ServiceModel model = new ServiceModel(params, 2);
        ServiceModel.Second first = model.step(300);
        assertEquals(200, first.servedRps(), 1e-9);
        assertEquals(1.0, first.utilisation(), 1e-9);
        assertEquals(0, first.failedRps(), 1e-9);
        ServiceModel.Second second = model.step(300);
        ServiceModel.Second third = model.step(300);
        ServiceModel.Second fourth = model.step(300);
        assertEquals(0, fourth.failedRps(), 1e-9, "the queue holds 2 s of capacity: 400 requests");
        ServiceModel.Second fifth = model.step(300);
        assertEquals(0, third.failedRps(), 1e-9);
        assertEquals(100, fifth.failedRps(), 1e-9);
        assertEquals(100.0 / 300, fifth.errorRate(), 1e-9);
        assertEquals(10_000, second.p99Ms(), 1e-9);
    }

    @Test
    void newInstancesServeOnlyAfterTheStartupDelay() {
        ServiceModel model = new ServiceModel(params, 1);
        model.step(50);
        model.scaleTo(3);
        for (int t = 1; t <= params.startupDelaySeconds(); t++) {
            ServiceModel.Second s = model.step(50);
            assertEquals(1, s.ready(), "second " + t);
            assertEquals(2, s.starting(), "second " + t);
        }
        assertEquals(3, model.step(50).ready());
    }

    @Test
    void scaleDownRemovesStartingInstancesFirst() {
        ServiceModel model = new ServiceModel(params, 2);
        model.scaleTo(5);
        model.scaleTo(3);
        assertEquals(2, model.ready());
        assertEquals(1, model.starting());
        model.scaleTo(1);
        assertEquals(1, model.ready());
        assertEquals(0, model.starting());
    }

    @Test
    void instancesNeededAreAtTheTargetUtilisationWithinBounds() {
        assertEquals(10, params.instancesNeeded(700));
        assertEquals(11, params.instancesNeeded(701));
        assertEquals(params.min(), params.instancesNeeded(0));
        assertEquals(params.max(), params.instancesNeeded(1e9));
    }
}
