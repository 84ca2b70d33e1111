package io.aether.core.slice;

import io.aether.slice.api.EntryPoint;
import io.aether.slice.api.Slice;
import io.aether.slice.api.SliceException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An ACTIVE instance created by {@link MavenSliceStore}. Once deactivation starts it answers 503 and drops its
 * references to the slice's objects, so the class loader can be collected after unload.
 */
final class StoreSliceInstance implements SliceInstance {

    /** What an active instance holds; null once deactivation started. */
    private record Active(Slice slice, Map<String, EntryPoint> entries, ClassLoader loader) {
    }

    private final StoreLoadedSlice owner;
    private final String instanceId;
    private final Set<String> entryPoints;
    private final AtomicReference<Active> active;

    StoreSliceInstance(StoreLoadedSlice owner, String instanceId, Slice slice, Map<String, EntryPoint> entries,
                       ClassLoader loader) {
        this.owner = owner;
        this.instanceId = instanceId;
        this.entryPoints = Set.copyOf(entries.keySet());
        this.active = new AtomicReference<>(new Active(slice, Map.copyOf(entries), loader));
    }

    @Override
    public Artifact artifact() {
        return owner.artifact();
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public Set<String> entryPoints() {
        return entryPoints;
    }

    StoreLoadedSlice owner() {
        return owner;
    }

    @Override
    public CompletableFuture<String> call(String entryPoint, String requestJson) {
        Active a = active.get();
        if (a == null) {
            return CompletableFuture.failedFuture(new SliceException(503,
                    "instance " + instanceId + " of " + artifact() + " is not active"));
        }
        EntryPoint entry = a.entries().get(entryPoint);
        if (entry == null) {
            return CompletableFuture.failedFuture(new SliceException(404, "entry point '" + entryPoint
                    + "' not declared by " + artifact() + "; declared: " + new TreeSet<>(entryPoints)));
        }
        CompletionStage<String> stage;
        try {
            stage = ContextLoader.call(a.loader(), () -> entry.call(requestJson));
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError vme) {
                throw vme;
            }
            return CompletableFuture.failedFuture(asSliceException(entryPoint, e));
        }
        if (stage == null) {
            return CompletableFuture.failedFuture(new SliceException(500,
                    artifact() + " entry point '" + entryPoint + "' returned no stage (null)"));
        }
        CompletableFuture<String> result = new CompletableFuture<>();
        stage.whenComplete((json, error) -> {
            if (error != null) {
                result.completeExceptionally(asSliceException(entryPoint, error));
            } else if (json == null) {
                result.completeExceptionally(new SliceException(500,
                        artifact() + " entry point '" + entryPoint + "' answered null instead of JSON"));
            } else {
                result.complete(json);
            }
        });
        return result;
    }

    /** The slice's own status is kept; anything else is a 500 that says which entry point failed and why. */
    private SliceException asSliceException(String entryPoint, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof SliceException se) {
            return se;
        }
        return new SliceException(500, artifact() + " entry point '" + entryPoint + "' failed: " + cause, cause);
    }

    /** Stops taking calls and hands back the slice to deactivate, or null when deactivation already started. */
    Slice beginDeactivation() {
        Active a = active.getAndSet(null);
        return a == null ? null : a.slice();
    }

    @Override
    public String toString() {
        return "SliceInstance[" + artifact() + ", " + instanceId + "]";
    }
}
