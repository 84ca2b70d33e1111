package io.aether.examples.versioned;

import io.aether.slice.api.LeanSlice;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Version 1.0.0 of a test slice for upgrades and side-by-side loading: answers {@code {"version":"1.0.0"}}. */
public class VersionedSlice implements LeanSlice {

    @Override
    public CompletionStage<String> call(String requestJson) {
        return CompletableFuture.completedFuture("{\"version\":\"1.0.0\"}");
    }
}
