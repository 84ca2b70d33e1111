package io.aether.core.slice;

import io.aether.slice.api.SliceContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The {@link SliceContext} of one instance; calls to other slices go through the store's {@link SliceCaller}. */
final class InstanceContext implements SliceContext {

    private final Artifact artifact;
    private final String instanceId;
    private final Map<String, String> config;
    private final System.Logger logger;
    private final SliceCaller caller;

    InstanceContext(Artifact artifact, String instanceId, Map<String, String> config, SliceCaller caller) {
        this.artifact = artifact;
        this.instanceId = instanceId;
        this.config = Map.copyOf(config);
        this.logger = new SliceLogger(artifact, instanceId);
        this.caller = caller;
    }

    @Override
    public String artifact() {
        return artifact.toString();
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public Map<String, String> config() {
        return config;
    }

    @Override
    public System.Logger logger() {
        return logger;
    }

    @Override
    public CompletionStage<String> call(String artifact, String entryPoint, String requestJson, Duration deadline) {
        try {
            return caller.call(artifact, entryPoint, requestJson, deadline);
        } catch (RuntimeException e) {
            // A slice gets a failed stage, never an exception thrown through its own code path.
            return CompletableFuture.failedFuture(e);
        }
    }
}
