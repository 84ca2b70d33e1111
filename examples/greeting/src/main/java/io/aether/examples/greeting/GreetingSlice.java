package io.aether.examples.greeting;

import io.aether.examples.json.Json;
import io.aether.slice.api.EntryPoint;
import io.aether.slice.api.Slice;
import io.aether.slice.api.SliceContext;
import io.aether.slice.api.SliceException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A service slice with two entry points. {@code greet}: {@code {"name":"Ada"}} →
 * {@code {"message":"Hello, Ada!","instance":"node-1.0"}}, the word from config key {@code greeting} (default
 * {@code Hello}); {@code info}: the artifact and instance id.
 */
public class GreetingSlice implements Slice {

    private volatile SliceContext context;
    private volatile String greeting = "Hello";

    @Override
    public CompletionStage<Void> activate(SliceContext context) {
        this.context = context;
        this.greeting = context.config().getOrDefault("greeting", "Hello");
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Map<String, EntryPoint> entryPoints() {
        return Map.of("greet", this::greet, "info", this::info);
    }

    private CompletionStage<String> greet(String requestJson) {
        Object name = Json.flatObject(requestJson).getOrDefault("name", "world");
        if (!(name instanceof String n) || n.isBlank() || n.length() > 200) {
            throw new SliceException(400, "greet: 'name' must be a non-blank string of at most 200 characters");
        }
        return CompletableFuture.completedFuture("{\"message\":" + Json.quote(greeting + ", " + n + "!")
                + ",\"instance\":" + Json.quote(context.instanceId()) + "}");
    }

    private CompletionStage<String> info(String requestJson) {
        return CompletableFuture.completedFuture("{\"artifact\":" + Json.quote(context.artifact())
                + ",\"instance\":" + Json.quote(context.instanceId()) + "}");
    }
}
