package io.aether.core.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.client.KvClient;
import io.aether.core.cluster.ClusterEvent;
import io.aether.core.cluster.ClusterEventBus;
import io.aether.core.cluster.LeaderManager;
import io.aether.core.cluster.NodeRecord;
import io.aether.core.cluster.NodeRegistry;
import io.aether.core.cluster.NodeRole;
import io.aether.core.cluster.SequencedEvent;
import io.aether.core.endpoint.EndpointCodec;
import io.aether.core.endpoint.EndpointKeys;
import io.aether.core.endpoint.EndpointRecord;
import io.aether.core.invoke.LocalInstances;
import io.aether.core.kv.KeyValue;
import io.aether.core.slice.Artifact;
import io.aether.core.slice.SliceState;
import io.aether.core.testing.Await;
import io.aether.core.testing.RealKv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes, "n1" and "n2", each with its registry, leader manager, blueprints view and both deployment managers,
 * on a real single-replica KV over TCP; slices come from a fake store. Every wait polls the KV with a deadline.
 */
class DeploymentOnRealKvTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Artifact GREETING = Artifact.parse("io.aether.examples:greeting:0.1.0");
    private static final Artifact BROKEN = Artifact.parse("io.aether.examples:broken:0.1.0");

    @TempDir
    Path dir;

    private RealKv realKv;
    private KvClient admin;
    private final List<Node> nodes = new ArrayList<>();

    /** One node's runtime parts, wired as the Quarkus app wires them. */
    private final class Node implements AutoCloseable {
        final String id;
        final KvClient kv;
        final ClusterEventBus bus = new ClusterEventBus();
        final FakeSliceStore store;
        final LocalInstances local = new LocalInstances();
        final List<SequencedEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        NodeRegistry registry;
        LeaderManager leader;
        Blueprints blueprints;
        NodeDeploymentManager nodeManager;
        ClusterDeploymentManager clusterManager;

        Node(String id) throws Exception {
            this.id = id;
            this.kv = realKv.connect(id);
            this.store = new FakeSliceStore(id);
            bus.subscribe(events::add);
            NodeRecord self = new NodeRecord(id, NodeRole.CORE, "127.0.0.1:8080", "127.0.0.1:7200", Instant.now(), 0,
                    false);
            registry = NodeRegistry.start(kv, realKv.vertx, bus, self, Duration.ofMillis(200), Duration.ofMillis(1500),
                    System::nanoTime).get(10, TimeUnit.SECONDS);
            leader = LeaderManager.start(registry, bus);
            blueprints = Blueprints.start(kv, bus).get(10, TimeUnit.SECONDS);
            nodeManager = new NodeDeploymentManager(kv, id, store, local, bus, Clock.systemUTC(),
                    Duration.ofMillis(500));
            nodeManager.start().get(10, TimeUnit.SECONDS);
            clusterManager = new ClusterDeploymentManager(kv, registry, leader, bus, blueprints,
                    Allocator.ROUND_ROBIN, Duration.ofMillis(500), Clock.systemUTC());
            clusterManager.start();
        }

        @Override
        public void close() {
            clusterManager.close();
            nodeManager.close();
            blueprints.close();
            leader.close();
            registry.close();
            bus.close();
            store.close();
            kv.close();
        }
    }

    @BeforeEach
    void startKvAndNodes() throws Exception {
        realKv = new RealKv(dir);
        admin = realKv.client;
        nodes.add(new Node("n1"));
        nodes.add(new Node("n2"));
    }

    @AfterEach
    void stopAll() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        realKv.close();
    }

    private Node node(String id) {
        return nodes.stream().filter(n -> n.id.equals(id)).findFirst().orElseThrow();
    }

    private void putBlueprint(String name, Artifact artifact, int instances, String path) throws Exception {
        String json = "{\"v\":1,\"slices\":[{\"artifact\":\"" + artifact + "\",\"instances\":" + instances
                + ",\"max\":10,\"config\":{\"greeting\":\"Hello\"},"
                + "\"routes\":[{\"method\":\"POST\",\"path\":\"" + path + "\",\"entry\":\"greet\"}]}]}";
        admin.put(BlueprintKeys.key("acme", name), json.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
    }

    private Map<String, SliceAssignment> slices() {
        Map<String, SliceAssignment> out = new TreeMap<>();
        for (KeyValue kv : range(SliceKeys.PREFIX)) {
            out.put(kv.key(), SliceAssignmentCodec.decode(kv.key(), kv.value()));
        }
        return out;
    }

    private List<EndpointRecord> endpoints() {
        List<EndpointRecord> out = new ArrayList<>();
        for (KeyValue kv : range(EndpointKeys.PREFIX)) {
            out.add(EndpointCodec.decode(kv.key(), kv.value()));
        }
        return out;
    }

    private List<KeyValue> range(String prefix) {
        try {
            return admin.range(prefix, 10_000).get(10, TimeUnit.SECONDS).kvs();
        } catch (Exception e) {
            throw new AssertionError("range '" + prefix + "' failed", e);
        }
    }

    /** Whether every slices/ key of {@code artifact} is ACTIVE and their instance counts add up to {@code total}. */
    private boolean allActive(Artifact artifact, int total) {
        int sum = 0;
        for (Map.Entry<String, SliceAssignment> e : slices().entrySet()) {
            if (SliceKeys.parse(e.getKey()).artifact().equals(artifact)) {
                if (e.getValue().state() != SliceState.ACTIVE) {
                    return false;
                }
                sum += e.getValue().instances();
            }
        }
        long eps = endpoints().stream().filter(r -> r.artifact().equals(artifact)).count();
        int local = nodes.stream().mapToInt(n -> n.local.of(artifact.toString()).size()).sum();
        return sum == total && eps == (long) total * FakeSliceStore.ENTRY_POINTS.size() && local == total;
    }

    @Test
    void aBlueprintBecomesActiveInstancesWithEndpointsScalesAndIsRemovedCompletely() throws Exception {
        await("n1 to lead", () -> node("n1").leader.isLeader() && node("n1").clusterManager.isRunning());
        assertFalse(node("n2").leader.isLeader());
        assertEquals(Optional.of("n1"), node("n2").leader.leader());

        putBlueprint("shop", GREETING, 3, "/greet");
        await("3 ACTIVE instances with 6 endpoints", () -> allActive(GREETING, 3));
        assertTrue(slices().keySet().containsAll(List.of(SliceKeys.key("n1", GREETING),
                SliceKeys.key("n2", GREETING))), "both nodes host instances: " + slices());
        for (EndpointRecord r : endpoints()) {
            assertTrue(r.instanceId().startsWith(r.nodeId() + "."), "instance id " + r.instanceId());
            assertTrue(node(r.nodeId()).local.byId(r.instanceId()).isPresent(), r + " is registered locally");
        }
        assertEquals(Map.of("greeting", "Hello"), node("n2").store.configs.values().iterator().next());
        await("n2 to route POST /greet", () -> node("n2").blueprints.routes().lookup("POST", "/greet") != null);

        putBlueprint("shop", GREETING, 5, "/greet");
        await("5 ACTIVE instances", () -> allActive(GREETING, 5));
        putBlueprint("shop", GREETING, 1, "/greet");
        await("1 ACTIVE instance and the other node's key gone", () -> allActive(GREETING, 1) && slices().size() == 1);

        admin.delete(BlueprintKeys.key("acme", "shop")).get(10, TimeUnit.SECONDS);
        await("every key removed and every slice unloaded", () -> slices().isEmpty() && endpoints().isEmpty()
                && nodes.stream().allMatch(n -> n.store.loaded.isEmpty() && n.local.size() == 0));
        assertTrue(node("n1").events.stream().anyMatch(e -> e.event() instanceof ClusterEvent.SliceStateChanged s
                && s.state() == SliceState.ACTIVE), "progress is published as events");
    }

    @Test
    void aFailingActivationShowsFailedWithTheReasonInTheKey() throws Exception {
        nodes.forEach(n -> n.store.failActivate.add(BROKEN));
        putBlueprint("broken", BROKEN, 2, "/broken");
        await("a FAILED key naming the reason", () -> slices().values().stream().anyMatch(a ->
                a.state() == SliceState.FAILED && a.reason().orElse("").contains("no database configured")));
        assertTrue(endpoints().isEmpty(), "a failed slice publishes no endpoints: " + endpoints());

        // Once the cause is gone, the leader's retry brings it up.
        nodes.forEach(n -> n.store.failActivate.clear());
        await("2 ACTIVE instances after the retry", () -> allActive(BROKEN, 2));
        assertTrue(slices().values().stream().allMatch(a -> a.reason().isEmpty()));
    }

    @Test
    void aNodeThatLeavesHasItsInstancesMovedToTheOther() throws Exception {
        await("n1 to lead", () -> node("n1").clusterManager.isRunning());
        putBlueprint("shop", GREETING, 4, "/greet");
        await("4 ACTIVE instances", () -> allActive(GREETING, 4));
        Node n2 = nodes.remove(1);
        n2.close();
        await("all 4 instances on n1", () -> allActive(GREETING, 4)
                && slices().keySet().equals(java.util.Set.of(SliceKeys.key("n1", GREETING))));
        assertTrue(endpoints().stream().allMatch(r -> r.nodeId().equals("n1")));
    }

    @Test
    void aRestartedNodeManagerWithdrawsItsStaleEndpointsAndDrivesItsKeysBackToActive() throws Exception {
        putBlueprint("shop", GREETING, 2, "/greet");
        await("2 ACTIVE instances", () -> allActive(GREETING, 2));
        Node n2 = node("n2");
        // What a crash leaves: the slices/ key says ACTIVE, nothing runs, and an endpoint of a dead instance remains.
        n2.nodeManager.close();
        String stale = EndpointKeys.key(GREETING, "greet", "n2.999");
        admin.put(stale, EndpointCodec.encode(new EndpointRecord(GREETING, "greet", "n2", "n2.999", "ACTIVE")))
                .get(10, TimeUnit.SECONDS);
        assertEquals(SliceState.ACTIVE, slices().get(SliceKeys.key("n2", GREETING)).state());
        FakeSliceStore fresh = new FakeSliceStore("n2-restarted");
        LocalInstances freshLocal = new LocalInstances();
        NodeDeploymentManager restarted = new NodeDeploymentManager(n2.kv, "n2", fresh, freshLocal, n2.bus,
                Clock.systemUTC(), Duration.ofMillis(500));
        try {
            restarted.start().get(10, TimeUnit.SECONDS);
            assertTrue(endpoints().stream().noneMatch(r -> r.instanceId().equals("n2.999")), "stale endpoint gone");
            await("the restarted manager to run n2's instance again and publish its endpoints", () ->
                    freshLocal.size() == 1 && fresh.loaded.contains(GREETING)
                    && slices().get(SliceKeys.key("n2", GREETING)).state() == SliceState.ACTIVE
                    && endpoints().stream().filter(r -> r.nodeId().equals("n2")).map(EndpointRecord::instanceId)
                    .toList().equals(List.of(freshLocal.of(GREETING.toString()).get(0).instanceId(),
                            freshLocal.of(GREETING.toString()).get(0).instanceId())));
        } finally {
            restarted.close();
            fresh.close();
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, DEADLINE, condition);
    }
}
