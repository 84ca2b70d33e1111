package io.aether.core.deployment;

import io.aether.core.slice.Artifact;
import io.aether.core.slice.LoadedSlice;
import io.aether.core.slice.SliceFailure;
import io.aether.core.slice.SliceInstance;
import io.aether.core.slice.SliceState;
import io.aether.core.slice.SliceStore;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A SliceStore without class loaders: every artifact loads, declares entry points {@code greet} and {@code shout},
 * and its instances answer with their id. Activation of an artifact in {@link #failActivate} fails. Futures
 * complete on the store's own thread, as the real store's do.
 */
final class FakeSliceStore implements SliceStore {

    static final Set<String> ENTRY_POINTS = Set.of("greet", "shout");

    final Set<Artifact> failActivate = ConcurrentHashMap.newKeySet();
    final Set<Artifact> loaded = ConcurrentHashMap.newKeySet();
    /** Active instances: id to artifact. */
    final Map<String, Artifact> active = new ConcurrentHashMap<>();
    /** The config each instance was activated with. */
    final Map<String, Map<String, String>> configs = new ConcurrentHashMap<>();
    private final ExecutorService thread;

    FakeSliceStore(String name) {
        thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fake-slice-store-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    private record Loaded(Artifact artifact) implements LoadedSlice {
        @Override
        public Set<String> entryPoints() {
            return ENTRY_POINTS;
        }
    }

    private record Instance(Artifact artifact, String instanceId) implements SliceInstance {
        @Override
        public Set<String> entryPoints() {
            return ENTRY_POINTS;
        }

        @Override
        public CompletableFuture<String> call(String entryPoint, String requestJson) {
            return CompletableFuture.completedFuture("\"" + instanceId + "\"");
        }
    }

    @Override
    public CompletableFuture<LoadedSlice> load(Artifact artifact) {
        return CompletableFuture.supplyAsync(() -> {
            if (!loaded.add(artifact)) {
                throw new IllegalStateException(artifact + " loaded twice");
            }
            return new Loaded(artifact);
        }, thread);
    }

    @Override
    public CompletableFuture<SliceInstance> activate(LoadedSlice slice, String instanceId, Map<String, String> config) {
        return CompletableFuture.supplyAsync(() -> {
            if (failActivate.contains(slice.artifact())) {
                throw new SliceFailure(SliceState.ACTIVATING, "activate of " + slice.artifact()
                        + " threw: no database configured", null);
            }
            if (!loaded.contains(slice.artifact())) {
                throw new IllegalStateException(slice.artifact() + " activated while not loaded");
            }
            if (active.putIfAbsent(instanceId, slice.artifact()) != null) {
                throw new IllegalStateException(instanceId + " activated twice");
            }
            configs.put(instanceId, config);
            return new Instance(slice.artifact(), instanceId);
        }, thread);
    }

    @Override
    public CompletableFuture<Void> deactivate(SliceInstance instance) {
        return CompletableFuture.runAsync(() -> {
            if (active.remove(instance.instanceId()) == null) {
                throw new IllegalStateException(instance.instanceId() + " deactivated while not active");
            }
        }, thread);
    }

    @Override
    public CompletableFuture<Void> unload(LoadedSlice slice) {
        return CompletableFuture.runAsync(() -> {
            if (active.containsValue(slice.artifact())) {
                throw new IllegalStateException(slice.artifact() + " unloaded with instances still active");
            }
            if (!loaded.remove(slice.artifact())) {
                throw new IllegalStateException(slice.artifact() + " unloaded while not loaded");
            }
        }, thread);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
