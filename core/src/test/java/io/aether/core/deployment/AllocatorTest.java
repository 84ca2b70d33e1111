package io.aether.core.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AllocatorTest {

    private static final List<String> THREE = List.of("a", "b", "c");

    @Test
    void tenInstancesOnThreeNodesAreFourThreeThree() {
        for (Allocator allocator : Allocator.values()) {
            assertEquals(Map.of("a", 4, "b", 3, "c", 3), allocator.allocate(10, THREE, Map.of(), Map.of(), 0),
                    allocator.name());
        }
    }

    @Test
    void fewerInstancesThanNodesUseDistinctNodes() {
        assertEquals(Map.of("a", 1, "b", 1), Allocator.ROUND_ROBIN.allocate(2, THREE, Map.of(), Map.of(), 0));
        assertEquals(Map.of(), Allocator.ROUND_ROBIN.allocate(0, THREE, Map.of(), Map.of(), 0));
        assertEquals(Map.of(), Allocator.ROUND_ROBIN.allocate(5, List.of(), Map.of(), Map.of(), 0));
    }

    @Test
    void nodesThatAlreadyRunTheExtraInstanceKeepIt() {
        assertEquals(Map.of("a", 3, "b", 3, "c", 4),
                Allocator.ROUND_ROBIN.allocate(10, THREE, Map.of("c", 4, "a", 3, "b", 3), Map.of(), 0));
        // Scale down to 4: c, the only node above the new base of 1, keeps the extra.
        assertEquals(Map.of("a", 1, "b", 1, "c", 2),
                Allocator.ROUND_ROBIN.allocate(4, THREE, Map.of("a", 1, "b", 1, "c", 4), Map.of(), 0));
    }

    @Test
    void roundRobinRotatesTheExtrasFromOneArtifactToTheNext() {
        assertEquals(Map.of("a", 1), Allocator.ROUND_ROBIN.allocate(1, THREE, Map.of(), Map.of(), 0));
        assertEquals(Map.of("b", 1), Allocator.ROUND_ROBIN.allocate(1, THREE, Map.of(), Map.of(), 1));
        assertEquals(Map.of("c", 1), Allocator.ROUND_ROBIN.allocate(1, THREE, Map.of(), Map.of(), 2));
        assertEquals(Map.of("a", 1), Allocator.ROUND_ROBIN.allocate(1, THREE, Map.of(), Map.of(), 3));
    }

    @Test
    void leastLoadedGivesTheExtrasToTheNodesWithFewestInstances() {
        assertEquals(Map.of("c", 1), Allocator.LEAST_LOADED.allocate(1, THREE, Map.of(), Map.of("a", 5, "b", 2), 0));
        Map<String, Integer> load = new HashMap<>();
        for (int artifact = 0; artifact < 6; artifact++) {
            Allocator.LEAST_LOADED.allocate(1, THREE, Map.of(), load, artifact)
                    .forEach((n, c) -> load.merge(n, c, Integer::sum));
        }
        assertEquals(Map.of("a", 2, "b", 2, "c", 2), load);
    }

    @Test
    void theSameInputGivesTheSameAnswer() {
        Map<String, Integer> current = Map.of("b", 2, "c", 1);
        Map<String, Integer> load = Map.of("a", 1);
        for (Allocator allocator : Allocator.values()) {
            Map<String, Integer> first = allocator.allocate(7, THREE, current, load, 5);
            for (int i = 0; i < 10; i++) {
                assertEquals(first, allocator.allocate(7, THREE, current, load, 5));
            }
        }
    }
}
