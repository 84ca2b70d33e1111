package io.aether.core.deployment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spreads one artifact's instances over the eligible nodes (live, not draining; cores and workers alike) as evenly
 * as possible: every node gets {@code n / k} and {@code n % k} of them get one more (3 nodes, 10 instances: 4/3/3).
 * Nodes running more than {@code n / k} now get the extras first (no needless moves); the strategy breaks ties.
 * Deterministic: the same input gives the same answer.
 */
public enum Allocator {

    /** Extras rotate over the nodes in id order, starting one further for each artifact (by its ordinal). */
    ROUND_ROBIN,
    /** Extras go to the nodes with the fewest instances of all artifacts allocated so far, then by id. */
    LEAST_LOADED;

    /**
     * Target instance counts per node (nodes with 0 left out).
     *
     * @param instances how many instances the artifact should have
     * @param eligible  the nodes that may take instances, in id order; none: an empty answer
     * @param current   the artifact's instances per node now
     * @param load      instances of every artifact per node allocated so far (LEAST_LOADED's measure)
     * @param ordinal   the artifact's position in sorted order (ROUND_ROBIN's rotation)
     */
    public Map<String, Integer> allocate(int instances, List<String> eligible, Map<String, Integer> current,
                                         Map<String, Integer> load, int ordinal) {
        Map<String, Integer> target = new LinkedHashMap<>();
        int k = eligible.size();
        if (k == 0 || instances <= 0) {
            return target;
        }
        int base = instances / k;
        int extras = instances % k;
        List<String> ranked = new ArrayList<>(eligible);
        // Nodes already above the base keep their extra; the strategy orders within both groups. A yes/no rank (not
        // "most instances first") keeps planning a fixed point: after a plan is applied, a node that took its
        // extra ranks with the holders, and one still busy with an older command ranks where it ranked before.
        Comparator<String> holdsExtra = Comparator.comparing(n -> current.getOrDefault(n, 0) <= base);
        ranked.sort(holdsExtra.thenComparing(strategy(eligible, load, ordinal)));
        for (int i = 0; i < k; i++) {
            String node = ranked.get(i);
            int count = base + (i < extras ? 1 : 0);
            if (count > 0) {
                target.put(node, count);
            }
        }
        return target;
    }

    private Comparator<String> strategy(List<String> eligible, Map<String, Integer> load, int ordinal) {
        int k = eligible.size();
        return switch (this) {
            case ROUND_ROBIN -> Comparator.comparingInt(n -> Math.floorMod(eligible.indexOf(n) - ordinal, k));
            case LEAST_LOADED -> Comparator.<String>comparingInt(n -> load.getOrDefault(n, 0))
                    .thenComparing(Comparator.naturalOrder());
        };
    }
}
