package io.aether.core.control;

import java.util.Objects;

/**
 * One model call behind an AI layer's decision (or its failure): which model, which prompt version, what it cost
 * and how long it took. Receipts carry it so an auditor can tell which model said what, and at what price.
 *
 * @param model         the configured model name ({@code ollama:qwen2.5:0.5b}, {@code openai:gpt-4o-mini})
 * @param promptVersion the versioned prompt file the call used ({@code l2-v2})
 * @param inputTokens   prompt tokens as the server reported them (0 when it did not)
 * @param outputTokens  completion tokens as the server reported them (0 when it did not)
 * @param latencyMs     wall time of the call, request to parsed answer
 */
public record ModelCall(String model, String promptVersion, int inputTokens, int outputTokens, long latencyMs) {

    public ModelCall {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(promptVersion, "promptVersion");
        if (inputTokens < 0 || outputTokens < 0 || latencyMs < 0) {
            throw new IllegalArgumentException("model call: negative tokens or latency (" + inputTokens + ", "
                    + outputTokens + ", " + latencyMs + " ms)");
        }
    }
}
