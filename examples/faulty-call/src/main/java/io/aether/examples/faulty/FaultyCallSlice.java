package io.aether.examples.faulty;

import io.aether.slice.api.LeanSlice;
import java.util.concurrent.CompletionStage;

/** A test slice whose only entry point throws: every call answers 500 with the reason "injected failure". */
public class FaultyCallSlice implements LeanSlice {

    @Override
    public CompletionStage<String> call(String requestJson) {
        throw new IllegalStateException("injected failure");
    }
}
