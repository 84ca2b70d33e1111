package io.aether.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.client.KvClient;
import io.aether.core.kv.KeyValue;
import io.aether.core.testing.Await;
import io.aether.core.testing.RealKv;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

    private RealKv realKv;
    private Vertx vertx;
    private KvClient kv;
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final ClusterEventBus bus = new ClusterEventBus();
    private final List<ClusterEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startKv() throws Exception {
        realKv = new RealKv(dir);
        vertx = realKv.vertx;
        kv = realKv.client;
        bus.subscribe(e -> events.add(e.event()));
    }

    @AfterEach
    void stop() {
        bus.close();
        realKv.close();
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
            Await.until("both nodes live", () -> registry.isLive("other") && registry.isLive("self"));
            assertEquals(Optional.of("other"), leader.leader());
            assertFalse(leader.isLeader());

            // The other node stays silent; this one keeps beating. One lease later on our clock, it failed.
            clock.addAndGet(LEASE.toNanos() + 1);
            Await.until("self's next heartbeat", () -> registry.viewIsFresh());
            registry.checkLeases();
            assertFalse(registry.isLive("other"));
            assertTrue(registry.isLive("self"));
            Await.until("NodeFailed and the leader moving to self", () -> leader.isLeader()
                    && events.stream().anyMatch(e -> e instanceof ClusterEvent.NodeFailed f
                    && f.nodeId().equals("other")));

            putNode(record("other", NodeRole.CORE).withBeat(1));
            Await.until("other joining again and leading again", () -> registry.isLive("other")
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
            Await.until("three beats", () -> beat("self") >= 3);
            registry.drain(true).get(10, TimeUnit.SECONDS);
            assertTrue(NodeCodec.decode("nodes/self", kv.get("nodes/self").get(10, TimeUnit.SECONDS).orElseThrow()
                    .value()).drain());
            Await.until("the registry to see the drain", () -> registry.liveNodes().get("self").drain()
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
            Await.until("other live", () -> registry.isLive("other"));
            kv.delete(NodeKeys.key("other")).get(10, TimeUnit.SECONDS);
            Await.until("NodeLeft", () -> events.contains(new ClusterEvent.NodeLeft("other")));
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
