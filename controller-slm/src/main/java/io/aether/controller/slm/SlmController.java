package io.aether.controller.slm;

import dev.langchain4j.model.chat.ChatModel;
import io.aether.controller.ai.ModelLayer;
import io.aether.controller.ai.ModelSettings;
import io.aether.controller.ai.Prompt;
import io.aether.core.control.Layer;
import java.time.Clock;
import java.time.Duration;

/**
 * Layer 2: a small local model (Ollama in production) behind a {@link ChatModel}, asked when L1 escalates, with
 * the prompt {@value #PROMPT_VERSION}. See {@code docs/controller-ai.md}.
 */
public final class SlmController {

    public static final String PROMPT_VERSION = "l2-v2";

    private SlmController() {
    }

    /** The L2 layer over {@code model}; {@code clock} is its only time source. */
    public static ModelLayer create(ChatModel model, ModelSettings settings, Clock clock) {
        return new ModelLayer(Layer.L2, model, prompt(), settings, clock);
    }

    public static Prompt prompt() {
        return Prompt.resource(SlmController.class, "prompt-l2-v2.txt", PROMPT_VERSION);
    }

    /**
     * Defaults for a small model on the leader's CPU: 10 s timeout, open after 3 failures for 60 s, 600,000
     * tokens an hour, 512 output tokens, at most one call every 5 s, 20 slices and 10 events in the summary.
     */
    public static ModelSettings defaults(String modelName) {
        return new ModelSettings(modelName, Duration.ofSeconds(10), 3, Duration.ofSeconds(60), 600_000, 512,
                Duration.ofSeconds(5), 20, 10);
    }
}
