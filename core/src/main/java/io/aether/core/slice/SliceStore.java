package io.aether.core.slice;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Loads slices into isolated class loaders and drives their instances through the lifecycle
 * (DESIGN §5). Every step has a timeout; a failed or late step completes the future exceptionally with a
 * {@link SliceFailure} whose message is the reason the {@code slices/} key and {@code aether slices} show.
 * Thread-safe; the futures complete on threads of the store, never on the caller's.
 */
public interface SliceStore extends AutoCloseable {

    /** LOADING: resolves the artifact (checksums verified), creates its class loader, finds its {@link io.aether.slice.api.Slice}. */
    CompletableFuture<LoadedSlice> load(Artifact artifact);

    /**
     * ACTIVATING: creates one instance of a loaded slice and activates it with {@code config}; calls reach
     * it through {@link SliceInstance#call} once the future completed.
     */
    CompletableFuture<SliceInstance> activate(LoadedSlice slice, String instanceId, Map<String, String> config);

    /** DEACTIVATING: deactivates an instance. In-flight calls are the caller's business (drain first). */
    CompletableFuture<Void> deactivate(SliceInstance instance);

    /** UNLOADING: releases the class loader; every instance must have been deactivated. */
    CompletableFuture<Void> unload(LoadedSlice slice);

    @Override
    void close();
}
