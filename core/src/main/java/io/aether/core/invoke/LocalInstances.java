package io.aether.core.invoke;

import io.aether.core.slice.SliceInstance;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The ACTIVE instances on this node: the NodeDeploymentManager adds an instance after it activated it and before
 * it publishes its endpoints, and removes it after it withdrew them and before it deactivates it. The invoker
 * calls local instances through here; the call server serves remote callers from here; both report each call
 * that runs to the {@link CallObserver}. Thread-safe.
 */
public final class LocalInstances {

    private final Map<String, SliceInstance> byId = new ConcurrentHashMap<>();
    private final Map<String, List<SliceInstance>> byVersionless = new ConcurrentHashMap<>();
    private final CallObserver observer;

    /** Instances whose calls nobody observes. */
    public LocalInstances() {
        this(CallObserver.NONE);
    }

    /** Instances whose calls (from the invoker and the call server) {@code observer} hears. */
    public LocalInstances(CallObserver observer) {
        this.observer = observer;
    }

    CallObserver observer() {
        return observer;
    }

    public void add(SliceInstance instance) {
        if (byId.putIfAbsent(instance.instanceId(), instance) != null) {
            throw new IllegalStateException("instance '" + instance.instanceId() + "' is already registered");
        }
        byVersionless.computeIfAbsent(instance.artifact().versionless(), k -> new CopyOnWriteArrayList<>())
                .add(instance);
    }

    /** Removes the instance; false when it was not registered. */
    public boolean remove(String instanceId) {
        SliceInstance removed = byId.remove(instanceId);
        if (removed == null) {
            return false;
        }
        List<SliceInstance> same = byVersionless.get(removed.artifact().versionless());
        if (same != null) {
            same.remove(removed);
        }
        return true;
    }

    public Optional<SliceInstance> byId(String instanceId) {
        return Optional.ofNullable(byId.get(instanceId));
    }

    /**
     * The local instances of {@code artifact}, given as {@code group:artifact} (every version) or
     * {@code group:artifact:version}.
     */
    public List<SliceInstance> of(String artifact) {
        int colons = (int) artifact.chars().filter(c -> c == ':').count();
        if (colons == 1) {
            return List.copyOf(byVersionless.getOrDefault(artifact, List.of()));
        }
        int last = artifact.lastIndexOf(':');
        return byVersionless.getOrDefault(artifact.substring(0, last), List.of()).stream()
                .filter(i -> i.artifact().toString().equals(artifact))
                .toList();
    }

    /** Every instance registered now. */
    public List<SliceInstance> all() {
        return List.copyOf(byId.values());
    }

    public int size() {
        return byId.size();
    }
}
