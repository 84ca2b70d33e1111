package io.aether.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Liveness on the observer's clock (docs/runtime.md), with the clock in the test's hand. */
class MembershipTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long LEASE = 3 * SECOND;

    private static NodeRecord node(String id, long beat) {
        return new NodeRecord(id, NodeRole.CORE, "127.0.0.1:8080", "127.0.0.1:7200",
                Instant.parse("2026-12-01T10:00:00Z"), beat, false);
    }

    @Test
    void aNodeSeenAtStartIsLiveForOneLeaseFromTheObserversStart() {
        Membership m = new Membership(LEASE);
        long start = 100 * SECOND;
        assertEquals(List.of(new ClusterEvent.NodeJoined("a", NodeRole.CORE)), m.onPut(node("a", 41), start));
        assertEquals(List.of(), m.expire(start + LEASE));
        assertTrue(m.live().containsKey("a"));
        assertEquals(List.of(new ClusterEvent.NodeFailed("a", 3001)), m.expire(start + LEASE + 1_000_000));
        assertTrue(m.live().isEmpty());
    }

    @Test
    void heartbeatsKeepANodeLiveIndefinitely() {
        Membership m = new Membership(LEASE);
        for (int beat = 0; beat < 100; beat++) {
            m.onPut(node("a", beat), beat * SECOND);
            assertEquals(List.of(), m.expire(beat * SECOND + SECOND / 2));
        }
        assertTrue(m.live().containsKey("a"));
    }

    @Test
    void aFailedNodeThatBeatsAgainJoinsAgain() {
        Membership m = new Membership(LEASE);
        m.onPut(node("a", 1), 0);
        m.expire(4 * SECOND);
        assertEquals(List.of(new ClusterEvent.NodeJoined("a", NodeRole.CORE)), m.onPut(node("a", 2), 5 * SECOND));
        assertTrue(m.live().containsKey("a"));
    }

    @Test
    void aLiveNodeDeletingItsKeyLeftCleanlyAndAFailedOneIsJustForgotten() {
        Membership m = new Membership(LEASE);
        m.onPut(node("a", 1), 0);
        m.onPut(node("b", 1), 0);
        assertEquals(List.of(new ClusterEvent.NodeLeft("a")), m.onDelete("a"));
        m.expire(4 * SECOND);
        assertEquals(List.of(), m.onDelete("b"));
        assertEquals(null, m.known("b"));
    }

    @Test
    void aDrainChangeOfALiveNodeIsAnEvent() {
        Membership m = new Membership(LEASE);
        m.onPut(node("a", 1), 0);
        assertEquals(List.of(new ClusterEvent.NodeDraining("a", true)), m.onPut(node("a", 2).withDrain(true), SECOND));
        assertTrue(m.live().get("a").drain());
        assertEquals(List.of(), m.onPut(node("a", 3).withDrain(true), 2 * SECOND));
    }

    @Test
    void liveNodesAreInIdOrderAndOnlyTheSilentOneFails() {
        Membership m = new Membership(LEASE);
        m.onPut(node("c", 1), 0);
        m.onPut(node("a", 1), 0);
        m.onPut(node("b", 1), 0);
        m.onPut(node("a", 2), 2 * SECOND);
        m.onPut(node("c", 2), 2 * SECOND);
        assertEquals(List.of(new ClusterEvent.NodeFailed("b", 4000)), m.expire(4 * SECOND));
        assertEquals(List.of("a", "c"), List.copyOf(m.live().keySet()));
    }
}
