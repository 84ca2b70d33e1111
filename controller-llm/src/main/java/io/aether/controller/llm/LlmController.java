package io.aether.controller.llm;

import dev.langchain4j.model.chat.ChatModel;
import io.aether.controller.ai.ModelLayer;
import io.aether.controller.ai.ModelSettings;
import io.aether.controller.ai.Prompt;
import io.aether.core.control.Layer;
import java.time.Clock;
import java.time.Duration;

/**
 * Layer 3: a cloud model (OpenAI-compatible) behind a {@link ChatModel}, asked about once a minute or when L2
 * escalates, with the prompt {@value #PROMPT_VERSION}: a longer horizon, and it may pre-scale for a peak the
 * window predicts. It answers with the same schema as L2 (instance counts per slice); restructuring a blueprint
 * (version splits, new slices) is not expressible yet. See {@code docs/controller-ai.md}.
 */
public final class LlmController {

    public static final String PROMPT_VERSION = "l3-v2";

    private LlmController() {
    }

    /** The L3 layer over {@code model}; {@code clock} is its only time source. */
    public static ModelLayer create(ChatModel model, ModelSettings settings, Clock clock) {
        return new ModelLayer(Layer.L3, model, prompt(), settings, clock);
    }

    public static Prompt prompt() {
        return Prompt.resource(LlmController.class, "prompt-l3-v2.txt", PROMPT_VERSION);
    }

    /**
     * Defaults for a paid cloud model: 30 s timeout, open after 3 failures for 5 min, 200,000 tokens an hour,
     * 1,024 output tokens, at most one call every 60 s, 40 slices and 20 events in the summary.
     */
    public static ModelSettings defaults(String modelName) {
        return new ModelSettings(modelName, Duration.ofSeconds(30), 3, Duration.ofMinutes(5), 200_000, 1024,
                Duration.ofSeconds(60), 40, 20);
    }
}
