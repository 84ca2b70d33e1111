package io.aether.examples.relay;

import io.aether.examples.json.Json;
import io.aether.slice.api.LeanSlice;
import io.aether.slice.api.SliceContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A lean slice that forwards its request to greeting's {@code greet} (any deployed version, deadline 2 s) and
 * wraps the answer: {@code {"relayedBy":"node-2.0","answer":{...}}}. A failed call fails this one with its status.
 */
public class RelaySlice implements LeanSlice {

    static final String TARGET = "io.aether.examples:greeting";
    static final Duration DEADLINE = Duration.ofSeconds(2);

    private volatile SliceContext context;

    @Override
    public CompletionStage<Void> activate(SliceContext context) {
        this.context = context;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<String> call(String requestJson) {
        SliceContext c = context;
        return c.call(TARGET, "greet", requestJson, DEADLINE)
                .thenApply(answer -> "{\"relayedBy\":" + Json.quote(c.instanceId()) + ",\"answer\":" + answer + "}");
    }
}
