package io.aether.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaderManagerTest {

    private static NodeRecord node(String id, NodeRole role) {
        return new NodeRecord(id, role, "h:1", "c:2", Instant.EPOCH, 0, false);
    }

    @Test
    void theLeaderIsTheFirstLiveCoreNodeInIdOrder() {
        assertEquals(Optional.of("core-1"), LeaderManager.leaderOf(List.of(node("core-3", NodeRole.CORE),
                node("core-1", NodeRole.CORE), node("core-2", NodeRole.CORE))));
    }

    @Test
    void workersNeverLeadEvenWhenTheySortFirst() {
        assertEquals(Optional.of("b"), LeaderManager.leaderOf(List.of(node("a", NodeRole.WORKER),
                node("b", NodeRole.CORE))));
    }

    @Test
    void withNoLiveCoreNodeThereIsNoLeader() {
        assertEquals(Optional.empty(), LeaderManager.leaderOf(List.of(node("a", NodeRole.WORKER))));
        assertEquals(Optional.empty(), LeaderManager.leaderOf(List.of()));
    }

    @Test
    void nodeRecordsSurviveTheirJsonCodec() {
        NodeRecord r = new NodeRecord("n-1", NodeRole.WORKER, "127.0.0.1:8080", "127.0.0.1:7200",
                Instant.parse("2026-12-01T10:00:00Z"), 42, true);
        assertEquals(r, NodeCodec.decode("nodes/n-1", NodeCodec.encode(r)));
    }
}
