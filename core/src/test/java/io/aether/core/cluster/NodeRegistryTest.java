package io.aether.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.client.KvClient;
import io.aether.core.client.KvClientConfig;
import io.aether.core.kv.KeyValue;
import io.aether.core.net.HostAndPort;
import io.aether.core.replica.ReplicaConfig;
import io.aether.core.replica.ReplicaNode;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry on a real single-replica KV, its liveness judged on a clock the test moves. */
class NodeRegistryTest {

    private static final Duration HEARTBEAT = Duration.ofMillis(100);
    private static final Duration LEASE = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private Vertx vertx;
    private ReplicaNode replica;
    private KvClient kv;
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final ClusterEventBus bus = new ClusterEventBus();
    private final List<ClusterEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startKv() throws Exception {
        vertx = Vertx.vertx();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HostAndPort address = new HostAndPort("127.0.0.1", port);
        replica = ReplicaNode.start(vertx, ReplicaConfig.of("r0", Map.of("r0", address), "127.0.0.1", port,
                dir.resolve("r0")));
        kv = KvClient.connect(vertx, KvClientConfig.defaults(List.of(address), 1, "test"));
        bus.subscribe(e -> events.add(e.event()));
    }

    @AfterEach
    void stop() {
        bus.close();
        kv.close();
        replica.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static NodeRecord record(String id, NodeRole role) {
        return new NodeRecord(id, role, "127.0.0.1:8080", "127.0.0.1:7200", Instant.parse("2026-12-01T10:00:00Z"),
                0, false);
    }

    private void putNode(NodeRecord r) throws Exception {
        kv.put(NodeKeys.key(r.nodeId()), NodeCodec.encode(r)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aNodeIsLiveWhileItsKeyChangesWithinTheLeaseFailsAfterAndJoinsAgainWhenItBeats() throws Exception {
        putNode(record("other", NodeRole.CORE));
        NodeRegistry registry = NodeRegistry.start(kv, vertx, bus, record("self", NodeRole.CORE), HEARTBEAT, LEASE,
                clock::get).get(10, TimeUnit.SECONDS);
        try (LeaderManager leader = LeaderManager.start(registry, bus)) {
            ClusterEventBusTest.await("both nodes live", () -> registry.isLive("other") && registry.isLive("self"));
            assertEquals(Optional.of("other"), leader.leader());
            assertFalse(leader.isLeader());

            // The other node stays silent; this one keeps beating. One lease later on our clock, it failed.
            clock.addAndGet(LEASE.toNanos() + 1);
            ClusterEventBusTest.await("self's next heartbeat", () -> registry.viewIsFresh());
            registry.checkLeases();
            assertFalse(registry.isLive("other"));
            assertTrue(registry.isLive("self"));
            ClusterEventBusTest.await("NodeFailed and the leader moving to self", () -> leader.isLeader()
                    && events.stream().anyMatch(e -> e instanceof ClusterEvent.NodeFailed f
                    && f.nodeId().equals("other")));

            putNode(record("other", NodeRole.CORE).withBeat(1));
            ClusterEventBusTest.await("other joining again and leading again", () -> registry.isLive("other")
                    && leader.leader().equals(Optional.of("other")));
        } finally {
            registry.close();
        }
        Optional<KeyValue> selfKey = kv.get(NodeKeys.key("self")).get(10, TimeUnit.SECONDS);
        assertTrue(selfKey.isEmpty(), "a clean close deletes the node's key");
    }

    @Test
    void heartbeatsIncrementTheBeatAndDrainIsWrittenAtOnce() throws Exception {
        NodeRegistry registry = NodeRegistry.start(kv, vertx, bus, record("self", NodeRole.WORKER), HEARTBEAT, LEASE,
                clock::get).get(10, TimeUnit.SECONDS);
        try {
            ClusterEventBusTest.await("three beats", () -> beat("self") >= 3);
            registry.drain(true).get(10, TimeUnit.SECONDS);
            assertTrue(NodeCodec.decode("nodes/self", kv.get("nodes/self").get(10, TimeUnit.SECONDS).orElseThrow()
                    .value()).drain());
            ClusterEventBusTest.await("the registry to see the drain", () -> registry.liveNodes().get("self").drain()
                    && events.contains(new ClusterEvent.NodeDraining("self", true)));
        } finally {
            registry.close();
        }
    }

    @Test
    void aNodeDeletingItsKeyLeftAndIsNoLongerKnown() throws Exception {
        putNode(record("other", NodeRole.WORKER));
        NodeRegistry registry = NodeRegistry.start(kv, vertx, bus, record("self", NodeRole.CORE), HEARTBEAT, LEASE,
                clock::get).get(10, TimeUnit.SECONDS);
        try {
            ClusterEventBusTest.await("other live", () -> registry.isLive("other"));
            kv.delete(NodeKeys.key("other")).get(10, TimeUnit.SECONDS);
            ClusterEventBusTest.await("NodeLeft", () -> events.contains(new ClusterEvent.NodeLeft("other")));
            assertEquals(Optional.empty(), registry.node("other"));
        } finally {
            registry.close();
        }
    }

    private long beat(String id) {
        try {
            return kv.get(NodeKeys.key(id)).get(10, TimeUnit.SECONDS)
                    .map(k -> NodeCodec.decode(k.key(), k.value()).beat()).orElse(-1L);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
