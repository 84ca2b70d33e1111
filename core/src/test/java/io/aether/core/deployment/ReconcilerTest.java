package io.aether.core.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.cluster.NodeRecord;
import io.aether.core.cluster.NodeRole;
import io.aether.core.slice.Artifact;
import io.aether.core.slice.SliceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The leader's decisions, on an in-test model of the KV and of nodes that obey commands at once. */
class ReconcilerTest {

    private static final Artifact CART = Artifact.parse("g:cart:1");
    private static final Artifact WEB = Artifact.parse("g:web:1");

    /** The keys the plan reads and writes, with cas semantics, and nodes that carry out commands. */
    private static final class World {
        record Entry(SliceAssignment value, long rev) {
        }

        final TreeMap<String, Entry> slices = new TreeMap<>();
        final TreeMap<String, Reconciler.Endpoint> endpoints = new TreeMap<>();
        final TreeMap<String, NodeRecord> live = new TreeMap<>();
        final Map<Artifact, Reconciler.Desired> desired = new TreeMap<>();
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        long revision = 1;

        World nodes(String... ids) {
            for (String id : ids) {
                live.put(id, new NodeRecord(id, NodeRole.CORE, "h:1", "c:1", now, 0, false));
            }
            return this;
        }

        World want(Artifact artifact, int instances, Map<String, String> config) {
            desired.put(artifact, new Reconciler.Desired(artifact, instances, config, "acme/shop"));
            return this;
        }

        List<Action> plan() {
            List<Reconciler.Actual> actual = new ArrayList<>();
            slices.forEach((k, e) -> actual.add(new Reconciler.Actual(SliceKeys.parse(k), e.value(), e.rev())));
            return Reconciler.plan(desired, actual, endpoints.values(), live, now, Allocator.ROUND_ROBIN);
        }

        void apply(List<Action> actions) {
            for (Action a : actions) {
                long current = slices.containsKey(a.key()) ? slices.get(a.key()).rev()
                        : endpoints.containsKey(a.key()) ? endpoints.get(a.key()).modRevision() : 0;
                assertEquals(current, a.expectedModRevision(), "stale cas in " + a);
                if (a instanceof Action.Put put) {
                    slices.put(a.key(), new Entry(put.value(), ++revision));
                } else {
                    slices.remove(a.key());
                    endpoints.remove(a.key());
                }
            }
        }

        /** Every node finishes the command on its keys. */
        boolean nodesObey() {
            boolean changed = false;
            for (String key : new ArrayList<>(slices.keySet())) {
                SliceAssignment a = slices.get(key).value();
                SliceState next = switch (a.state()) {
                    case LOAD, LOADING, DEACTIVATE, DEACTIVATING -> SliceState.LOADED;
                    case ACTIVATE, ACTIVATING -> SliceState.ACTIVE;
                    case UNLOAD, UNLOADING -> null;
                    case LOADED, ACTIVE, FAILED -> a.state();
                };
                if (next == null) {
                    slices.remove(key);
                    changed = true;
                } else if (next != a.state()) {
                    slices.put(key, new Entry(a.with(next, now), ++revision));
                    changed = true;
                }
            }
            return changed;
        }

        /** Plans, applies and lets nodes obey until nothing changes; returns the rounds it took. */
        int converge() {
            for (int round = 1; round <= 20; round++) {
                List<Action> actions = plan();
                apply(actions);
                boolean nodesChanged = nodesObey();
                if (actions.isEmpty() && !nodesChanged) {
                    return round;
                }
            }
            throw new AssertionError("no convergence in 20 rounds: " + slices);
        }

        Map<String, Integer> active(Artifact artifact) {
            Map<String, Integer> counts = new TreeMap<>();
            slices.forEach((k, e) -> {
                SliceKeys.Key key = SliceKeys.parse(k);
                if (key.artifact().equals(artifact) && e.value().state() == SliceState.ACTIVE) {
                    counts.put(key.nodeId(), e.value().instances());
                }
            });
            return counts;
        }

        void put(String node, Artifact artifact, SliceAssignment value) {
            slices.put(SliceKeys.key(node, artifact), new Entry(value, ++revision));
        }
    }

    private static SliceAssignment state(SliceState s, int instances) {
        return new SliceAssignment(s, instances, Map.of(), "acme/shop", Optional.empty(),
                Instant.parse("2026-12-01T10:00:00Z"), 0);
    }

    @Test
    void aNewBlueprintLoadsItsInstancesSpreadEvenlyOverTheNodes() {
        World w = new World().nodes("n1", "n2", "n3").want(CART, 10, Map.of());
        List<Action> actions = w.plan();
        assertEquals(3, actions.size());
        for (Action a : actions) {
            Action.Put put = (Action.Put) a;
            assertEquals(SliceState.LOAD, put.value().state());
            assertEquals(0, put.expectedModRevision());
        }
        assertEquals(List.of(4, 3, 3), actions.stream().map(a -> ((Action.Put) a).value().instances()).toList());
    }

    @Test
    void loadThenActivateBringsEveryInstanceToActive() {
        World w = new World().nodes("n1", "n2", "n3").want(CART, 10, Map.of("k", "v")).want(WEB, 2, Map.of());
        w.converge();
        assertEquals(Map.of("n1", 4, "n2", 3, "n3", 3), w.active(CART));
        assertEquals(2, w.active(WEB).values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(Map.of("k", "v"), w.slices.get(SliceKeys.key("n1", CART)).value().config());
    }

    @Test
    void scalingUpAndDownChangesTheCountsOnActiveKeysInPlace() {
        World w = new World().nodes("n1", "n2", "n3").want(CART, 3, Map.of());
        w.converge();
        w.want(CART, 7, Map.of());
        List<Action> scaleUp = w.plan();
        assertTrue(scaleUp.stream().allMatch(a -> ((Action.Put) a).value().state() == SliceState.ACTIVE), "" + scaleUp);
        w.converge();
        assertEquals(Map.of("n1", 3, "n2", 2, "n3", 2), w.active(CART));
        w.want(CART, 2, Map.of());
        w.converge();
        assertEquals(Map.of("n1", 1, "n2", 1), w.active(CART));
        assertEquals(2, w.slices.size(), "the node left without instances unloads and its key goes: " + w.slices);
    }

    @Test
    void aFailedNodesKeysAndEndpointsAreDeletedAndItsInstancesMoveToTheOthers() {
        World w = new World().nodes("n1", "n2", "n3").want(CART, 6, Map.of());
        w.converge();
        w.endpoints.put("endpoints/g:cart:1/add:n3.0", new Reconciler.Endpoint("endpoints/g:cart:1/add:n3.0", "n3", 5));
        w.live.remove("n3");
        List<Action> actions = w.plan();
        assertTrue(actions.contains(new Action.Delete(SliceKeys.key("n3", CART), w.slices.get(SliceKeys.key("n3", CART))
                .rev(), "node 'n3' is not live")), "" + actions);
        assertTrue(actions.contains(new Action.Delete("endpoints/g:cart:1/add:n3.0", 5, "node 'n3' is not live")));
        w.converge();
        assertEquals(Map.of("n1", 3, "n2", 3), w.active(CART));
        assertTrue(w.endpoints.isEmpty());
    }

    @Test
    void aDrainingNodeGivesUpItsInstancesToTheOthers() {
        World w = new World().nodes("n1", "n2").want(CART, 4, Map.of());
        w.converge();
        w.live.put("n2", w.live.get("n2").withDrain(true));
        w.converge();
        assertEquals(Map.of("n1", 4), w.active(CART));
        assertTrue(w.slices.keySet().stream().noneMatch(k -> k.startsWith("slices/n2/")));
    }

    @Test
    void whenEveryNodeDrainsInstancesStayWhereTheyAre() {
        World w = new World().nodes("n1", "n2").want(CART, 4, Map.of());
        w.converge();
        w.live.replaceAll((id, n) -> n.withDrain(true));
        assertEquals(List.of(), w.plan());
    }

    @Test
    void aDeletedBlueprintDeactivatesUnloadsAndRemovesEveryKey() {
        World w = new World().nodes("n1", "n2").want(CART, 4, Map.of());
        w.converge();
        w.desired.clear();
        List<Action> first = w.plan();
        assertTrue(first.stream().allMatch(a -> ((Action.Put) a).value().state() == SliceState.DEACTIVATE));
        w.converge();
        assertTrue(w.slices.isEmpty(), "" + w.slices);
    }

    @Test
    void aConfigChangeDeactivatesThenActivatesWithTheNewConfig() {
        World w = new World().nodes("n1").want(CART, 2, Map.of("greeting", "Hello"));
        w.converge();
        w.want(CART, 2, Map.of("greeting", "Hi"));
        assertEquals(SliceState.DEACTIVATE, ((Action.Put) w.plan().get(0)).value().state());
        w.converge();
        World.Entry e = w.slices.get(SliceKeys.key("n1", CART));
        assertEquals(SliceState.ACTIVE, e.value().state());
        assertEquals(Map.of("greeting", "Hi"), e.value().config());
    }

    @Test
    void aFailedAssignmentIsRetriedAfterABackoffThatGrowsAndIsCapped() {
        World w = new World().nodes("n1").want(CART, 1, Map.of());
        SliceAssignment failed = state(SliceState.FAILED, 1).failed("boom", w.now);
        w.put("n1", CART, failed);
        assertEquals(List.of(), w.plan(), "no retry before the first backoff");
        w.now = w.now.plus(Duration.ofSeconds(1));
        List<Action> retry = w.plan();
        assertEquals(1, retry.size());
        SliceAssignment load = ((Action.Put) retry.get(0)).value();
        assertEquals(SliceState.LOAD, load.state());
        assertEquals(1, load.attempt());
        // It fails again: the wait doubles.
        w.put("n1", CART, load.failed("boom again", w.now));
        w.now = w.now.plus(Duration.ofMillis(1999));
        assertEquals(List.of(), w.plan());
        w.now = w.now.plus(Duration.ofMillis(1));
        assertEquals(2, ((Action.Put) w.plan().get(0)).value().attempt());
        assertEquals(Duration.ofSeconds(32), Reconciler.backoff(5));
        assertEquals(Duration.ofSeconds(60), Reconciler.backoff(6));
        assertEquals(Duration.ofSeconds(60), Reconciler.backoff(1000));
    }

    @Test
    void aRecoveredAssignmentHasItsRetryCountReset() {
        World w = new World().nodes("n1").want(CART, 1, Map.of());
        SliceAssignment active = new SliceAssignment(SliceState.ACTIVE, 1, Map.of(), "acme/shop", Optional.empty(),
                w.now, 3);
        w.put("n1", CART, active);
        w.converge();
        assertEquals(0, w.slices.get(SliceKeys.key("n1", CART)).value().attempt());
    }

    @Test
    void nodeProgressStatesAreLeftAloneUntilTheyRest() {
        World w = new World().nodes("n1").want(CART, 3, Map.of());
        for (SliceState s : List.of(SliceState.LOADING, SliceState.ACTIVATING, SliceState.DEACTIVATING,
                SliceState.UNLOADING)) {
            w.put("n1", CART, state(s, 2));
            assertEquals(List.of(), w.plan(), "while " + s);
        }
    }

    @Test
    void planningOnTheResultOfApplyingAPlanYieldsNoActions() {
        Random random = new Random(42);
        SliceState[] states = SliceState.values();
        for (int scenario = 0; scenario < 500; scenario++) {
            World w = new World();
            int nodes = 1 + random.nextInt(4);
            for (int n = 1; n <= nodes; n++) {
                w.nodes("n" + n);
                if (random.nextInt(4) == 0) {
                    w.live.put("n" + n, w.live.get("n" + n).withDrain(true));
                }
            }
            for (Artifact a : List.of(CART, WEB)) {
                if (random.nextBoolean()) {
                    w.want(a, random.nextInt(8), random.nextBoolean() ? Map.of() : Map.of("k", "v"));
                }
                for (int n = 1; n <= nodes + 1; n++) { // n(nodes+1) is not live
                    if (random.nextInt(3) == 0) {
                        SliceState s = states[random.nextInt(states.length)];
                        w.put("n" + n, a, new SliceAssignment(s, random.nextInt(5),
                                random.nextBoolean() ? Map.of() : Map.of("k", "v"), "acme/shop", Optional.empty(),
                                w.now.minusSeconds(random.nextInt(100)), random.nextInt(3)));
                    }
                }
            }
            List<Action> first = w.plan();
            w.apply(first);
            assertEquals(List.of(), w.plan(), "scenario " + scenario + " after " + first);
        }
    }
}
