package io.aether.examples.stuck;

import io.aether.slice.api.LeanSlice;
import io.aether.slice.api.SliceContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A test slice whose activate never completes, so the node's activate timeout fails it. */
public class StuckSlice implements LeanSlice {

    @Override
    public CompletionStage<Void> activate(SliceContext context) {
        return new CompletableFuture<>();
    }

    @Override
    public CompletionStage<String> call(String requestJson) {
        return CompletableFuture.completedFuture("{}");
    }
}
