package io.aether.examples.faulty;

import io.aether.slice.api.LeanSlice;
import io.aether.slice.api.SliceContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A test slice whose activate always fails, so its instances end FAILED with reason "database unreachable". */
public class FaultyActivateSlice implements LeanSlice {

    @Override
    public CompletionStage<Void> activate(SliceContext context) {
        throw new IllegalStateException("database unreachable");
    }

    @Override
    public CompletionStage<String> call(String requestJson) {
        return CompletableFuture.completedFuture("{}");
    }
}
