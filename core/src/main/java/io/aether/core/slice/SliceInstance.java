package io.aether.core.slice;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** One ACTIVE instance of a slice: what the invoker calls. */
public interface SliceInstance {

    Artifact artifact();

    String instanceId();

    Set<String> entryPoints();

    /**
     * Calls an entry point on the caller's thread (the entry point itself must not block). A throwing entry
     * point, a failed stage or an unknown entry point completes exceptionally, with a
     * {@link io.aether.slice.api.SliceException} where the slice gave a status.
     */
    CompletableFuture<String> call(String entryPoint, String requestJson);
}
