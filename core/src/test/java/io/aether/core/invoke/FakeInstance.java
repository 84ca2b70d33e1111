package io.aether.core.invoke;

import io.aether.core.slice.Artifact;
import io.aether.core.slice.SliceInstance;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/** A slice instance whose entry points answer through {@code behaviour}; counts the calls it received. */
final class FakeInstance implements SliceInstance {

    final AtomicInteger calls = new AtomicInteger();
    private final Artifact artifact;
    private final String instanceId;
    private final Set<String> entryPoints;
    private final BiFunction<String, String, CompletableFuture<String>> behaviour;

    FakeInstance(String artifact, String instanceId, Set<String> entryPoints,
            BiFunction<String, String, CompletableFuture<String>> behaviour) {
        this.artifact = Artifact.parse(artifact);
        this.instanceId = instanceId;
        this.entryPoints = entryPoints;
        this.behaviour = behaviour;
    }

    /** Answers {@code {"from":"<instance>","echo":<request>}}. */
    static FakeInstance echo(String artifact, String instanceId, String entry) {
        return new FakeInstance(artifact, instanceId, Set.of(entry), (e, json) -> CompletableFuture.completedFuture(
                "{\"from\":\"" + instanceId + "\",\"echo\":" + json + "}"));
    }

    @Override
    public Artifact artifact() {
        return artifact;
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public Set<String> entryPoints() {
        return entryPoints;
    }

    @Override
    public CompletableFuture<String> call(String entryPoint, String requestJson) {
        calls.incrementAndGet();
        return behaviour.apply(entryPoint, requestJson);
    }
}
