package io.aether.core.deployment;

import io.aether.core.cluster.NodeRecord;
import io.aether.core.slice.Artifact;
import io.aether.core.slice.SliceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The leader's decisions as a pure function: desired slices, the {@code slices/} and {@code endpoints/} keys as they
 * are, and the live nodes in; the cas writes that move the cluster one step towards the blueprints out
 * (docs/deployment.md). Planning on the result of applying a plan yields no actions (a fixed point), so the leader
 * can plan on every change and periodically without writing anything twice.
 */
public final class Reconciler {

    /** First retry of a FAILED assignment after 1 s, doubling per attempt, at most 60 s apart. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(60);

    private Reconciler() {}

    /** What the blueprints ask for one artifact. */
    public record Desired(Artifact artifact, int instances, Map<String, String> config, String blueprint) {
        public Desired {
            config = Map.copyOf(config);
        }
    }

    /** A {@code slices/} key as read: parsed key, value, mod revision. */
    public record Actual(SliceKeys.Key key, SliceAssignment assignment, long modRevision) {
    }

    /** An {@code endpoints/} key as read: its key, hosting node and mod revision. */
    public record Endpoint(String key, String nodeId, long modRevision) {
    }

    /**
     * The desired slices of {@code blueprints}, by artifact. An artifact claimed by two blueprints (possible only by
     * writing the KV around the API) goes to the first in id order.
     */
    public static Map<Artifact, Desired> desired(Collection<Blueprint> blueprints) {
        Map<Artifact, Desired> desired = new TreeMap<>();
        blueprints.stream().sorted(Comparator.comparing(Blueprint::id)).forEach(b -> {
            for (Blueprint.Slice s : b.slices()) {
                desired.putIfAbsent(s.artifact(), new Desired(s.artifact(), s.instances(), s.config(), b.id()));
            }
        });
        return desired;
    }

    /** The actions that move {@code actual} towards {@code desired} on the {@code live} nodes. */
    public static List<Action> plan(Map<Artifact, Desired> desired, Collection<Actual> actual,
                                    Collection<Endpoint> endpoints, Map<String, NodeRecord> live, Instant now,
                                    Allocator allocator) {
        List<Action> actions = new ArrayList<>();
        Map<Artifact, Map<String, Actual>> byArtifact = new TreeMap<>();
        for (Actual a : actual) {
            if (!live.containsKey(a.key().nodeId())) {
                actions.add(new Action.Delete(a.key().toString(), a.modRevision(),
                        "node '" + a.key().nodeId() + "' is not live"));
            } else {
                byArtifact.computeIfAbsent(a.key().artifact(), k -> new TreeMap<>()).put(a.key().nodeId(), a);
            }
        }
        for (Endpoint e : endpoints) {
            if (!live.containsKey(e.nodeId())) {
                actions.add(new Action.Delete(e.key(), e.modRevision(), "node '" + e.nodeId() + "' is not live"));
            }
        }
        List<String> eligible = live.values().stream().filter(n -> !n.drain()).map(NodeRecord::nodeId).sorted()
                .toList();
        Map<String, Integer> load = new HashMap<>();
        int ordinal = 0;
        for (Desired d : desired.values()) {
            Map<String, Actual> on = byArtifact.getOrDefault(d.artifact(), Map.of());
            Map<String, Integer> current = new HashMap<>();
            on.forEach((node, a) -> current.put(node, counted(a.assignment())));
            Map<String, Integer> target = eligible.isEmpty()
                    ? current // every live node drains: leave instances where they are rather than stop them all
                    : allocator.allocate(d.instances(), eligible, current, load, ordinal);
            ordinal++;
            target.forEach((node, n) -> load.merge(node, n, Integer::sum));
            TreeSet<String> nodes = new TreeSet<>(target.keySet());
            nodes.addAll(on.keySet());
            for (String node : nodes) {
                step(node, d, target.getOrDefault(node, 0), on.get(node), now).ifPresent(actions::add);
            }
        }
        byArtifact.forEach((artifact, on) -> {
            if (!desired.containsKey(artifact)) {
                on.forEach((node, a) -> step(node, null, 0, a, now).ifPresent(actions::add));
            }
        });
        return actions;
    }

    /** Instances a key holds for allocation: 0 once it is being unloaded. */
    private static int counted(SliceAssignment a) {
        return a.state() == SliceState.UNLOAD || a.state() == SliceState.UNLOADING ? 0 : a.instances();
    }

    private static Optional<Action> step(String node, Desired d, int target, Actual actual, Instant now) {
        if (actual == null) {
            if (target == 0) {
                return Optional.empty();
            }
            return put(SliceKeys.key(node, d.artifact()), 0, new SliceAssignment(SliceState.LOAD, target,
                    d.config(), d.blueprint(), Optional.empty(), now, 0), "allocate " + target + " instances");
        }
        String key = actual.key().toString();
        long rev = actual.modRevision();
        SliceAssignment a = actual.assignment();
        if (target == 0) {
            return switch (a.state()) {
                case LOADED, LOAD, FAILED -> put(key, rev, command(a, SliceState.UNLOAD, 0, a.config(), now),
                        "no instances wanted here");
                case ACTIVE, ACTIVATE, ACTIVATING, LOADING -> put(key, rev,
                        command(a, SliceState.DEACTIVATE, 0, a.config(), now), "no instances wanted here");
                case DEACTIVATE, DEACTIVATING, UNLOAD, UNLOADING -> Optional.empty();
            };
        }
        boolean sameConfig = a.config().equals(d.config());
        return switch (a.state()) {
            case LOAD -> a.instances() != target || !sameConfig
                    ? put(key, rev, command(a, SliceState.LOAD, target, d.config(), now), "update the LOAD command")
                    : Optional.empty();
            case LOADED -> put(key, rev, command(a, SliceState.ACTIVATE, target, d.config(), now), "loaded");
            case ACTIVATE -> a.instances() != target || !sameConfig
                    ? put(key, rev, command(a, SliceState.ACTIVATE, target, d.config(), now),
                    "update the ACTIVATE command")
                    : Optional.empty();
            case ACTIVE -> {
                if (!sameConfig) {
                    yield put(key, rev, command(a, SliceState.DEACTIVATE, target, a.config(), now),
                            "config changed: deactivate, then activate with the new config");
                }
                if (a.instances() != target || a.attempt() != 0) {
                    yield put(key, rev, new SliceAssignment(SliceState.ACTIVE, target, a.config(), a.blueprint(),
                            Optional.empty(), now, 0), "scale from " + a.instances() + " to " + target);
                }
                yield Optional.empty();
            }
            case FAILED -> {
                Instant retryAt = a.updatedAt().plus(backoff(a.attempt()));
                yield now.isBefore(retryAt)
                        ? Optional.empty()
                        : put(key, rev, new SliceAssignment(SliceState.LOAD, target, d.config(), d.blueprint(),
                        Optional.empty(), now, a.attempt() + 1), "retry " + (a.attempt() + 1) + " after: "
                        + a.reason().orElse("unknown failure"));
            }
            case LOADING, ACTIVATING, DEACTIVATE, DEACTIVATING, UNLOAD, UNLOADING -> Optional.empty();
        };
    }

    /** The wait before retry {@code attempt + 1} of a FAILED assignment. */
    static Duration backoff(int attempt) {
        if (attempt >= 6) {
            return MAX_RETRY;
        }
        Duration d = FIRST_RETRY.multipliedBy(1L << attempt);
        return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
    }

    private static SliceAssignment command(SliceAssignment a, SliceState state, int instances,
                                           Map<String, String> config, Instant now) {
        return new SliceAssignment(state, instances, config, a.blueprint(), Optional.empty(), now, a.attempt());
    }

    private static Optional<Action> put(String key, long rev, SliceAssignment value, String why) {
        return Optional.of(new Action.Put(key, rev, value, why));
    }
}
