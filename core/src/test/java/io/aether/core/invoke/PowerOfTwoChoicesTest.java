package io.aether.core.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PowerOfTwoChoicesTest {

    private static Map<String, Integer> draw(Map<String, Integer> load, int draws, long seed) {
        Random random = new Random(seed);
        List<String> candidates = List.copyOf(new java.util.TreeMap<>(load).keySet());
        Map<String, Integer> chosen = new HashMap<>();
        for (int i = 0; i < draws; i++) {
            chosen.merge(Invoker.choose(candidates, load::get, random), 1, Integer::sum);
        }
        return chosen;
    }

    @Test
    void theMostLoadedOfThreeInstancesIsNeverChosen() {
        Map<String, Integer> chosen = draw(Map.of("a", 10, "b", 0, "c", 0), 3_000, 42);
        assertEquals(0, chosen.getOrDefault("a", 0));
        int b = chosen.get("b");
        assertTrue(b > 1_300 && b < 1_700, "idle b chosen " + b + " of 3000; c " + chosen.get("c"));
    }

    @Test
    void lessLoadedInstancesAreChosenMoreOften() {
        // Pairs drawn uniformly: c wins both of its pairs (2/3), b wins against a (1/3), a never.
        Map<String, Integer> chosen = draw(Map.of("a", 5, "b", 3, "c", 0), 3_000, 7);
        assertEquals(0, chosen.getOrDefault("a", 0));
        assertTrue(chosen.get("c") > 1_850 && chosen.get("c") < 2_150, "c chosen " + chosen);
        assertTrue(chosen.get("b") > 850 && chosen.get("b") < 1_150, "b chosen " + chosen);
    }

    @Test
    void equallyLoadedInstancesShareTheCalls() {
        Map<String, Integer> chosen = draw(Map.of("a", 1, "b", 1, "c", 1, "d", 1), 4_000, 3);
        chosen.values().forEach(n -> assertTrue(n > 850 && n < 1_150, "shares " + chosen));
    }

    @Test
    void aSingleCandidateIsChosenWithoutDrawing() {
        assertEquals("only", Invoker.choose(List.of("only"), s -> 99, new Random(1)));
    }
}
