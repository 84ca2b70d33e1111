package io.aether.bench.autoscale;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Duration;
import java.util.Map;

/**
 * The model endpoints of the evaluation, talked to by LangChain4j's production clients: L2 through
 * {@link OllamaChatModel}, L3 through {@link OpenAiChatModel}. By default both point at the in-process
 * {@link PolicyServer}; the environment points a layer at a real endpoint instead:
 * <pre>
 *   AETHER_EVAL_OLLAMA_URL    L2's Ollama base URL (e.g. http://localhost:11434)
 *   AETHER_EVAL_OLLAMA_MODEL  L2's model (default qwen2.5:0.5b)
 *   AETHER_EVAL_OPENAI_URL    L3's OpenAI-compatible base URL (e.g. https://api.openai.com/v1)
 *   OPENAI_API_KEY            L3's key, required with AETHER_EVAL_OPENAI_URL
 *   AETHER_EVAL_OPENAI_MODEL  L3's model (default gpt-4o-mini)
 * </pre>
 * Both clients make one attempt per call (no retries: the layer's breaker counts failures) at temperature 0, ask
 * for schema-constrained JSON, and time out after {@code httpTimeout}.
 */
final class ModelEndpoints {

    static final String DEFAULT_OLLAMA_MODEL = "qwen2.5:0.5b";
    static final String DEFAULT_OPENAI_MODEL = "gpt-4o-mini";

    /**
     * A layer's chat model.
     *
     * @param modelName what receipts and the report call it ({@code ollama:qwen2.5:0.5b})
     * @param url       the base URL the client talks to
     * @param scripted  whether it is the in-process {@link PolicyServer}
     */
    record Endpoint(String modelName, String url, boolean scripted, ChatModel model) {
    }

    private ModelEndpoints() {
    }

    /** L2: the Ollama protocol, at {@code AETHER_EVAL_OLLAMA_URL} or at {@code server}. */
    static Endpoint l2(Map<String, String> env, PolicyServer server, Duration httpTimeout) {
        String url = env.get("AETHER_EVAL_OLLAMA_URL");
        boolean real = url != null && !url.isBlank();
        String model = real ? env.getOrDefault("AETHER_EVAL_OLLAMA_MODEL", DEFAULT_OLLAMA_MODEL)
                : PolicyServer.L2_MODEL;
        ChatModel chat = OllamaChatModel.builder()
                .baseUrl(real ? url : server.ollamaBaseUrl())
                .modelName(model)
                .temperature(0.0)
                .timeout(httpTimeout)
                .maxRetries(0)
                .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA)
                .build();
        return new Endpoint("ollama:" + model, real ? url : server.ollamaBaseUrl(), !real, chat);
    }

    /** L3: the OpenAI protocol, at {@code AETHER_EVAL_OPENAI_URL} with {@code OPENAI_API_KEY}, or at {@code server}. */
    static Endpoint l3(Map<String, String> env, PolicyServer server, Duration httpTimeout) {
        String url = env.get("AETHER_EVAL_OPENAI_URL");
        boolean real = url != null && !url.isBlank();
        String key = env.get("OPENAI_API_KEY");
        if (real && (key == null || key.isBlank())) {
            throw new IllegalArgumentException("AETHER_EVAL_OPENAI_URL is set to " + url
                    + " but OPENAI_API_KEY is not: export the endpoint's key");
        }
        String model = real ? env.getOrDefault("AETHER_EVAL_OPENAI_MODEL", DEFAULT_OPENAI_MODEL)
                : PolicyServer.L3_MODEL;
        ChatModel chat = OpenAiChatModel.builder()
                .baseUrl(real ? url : server.openAiBaseUrl())
                // The scripted server reads no key; the client requires one.
                .apiKey(real ? key : "scripted-server-needs-no-key")
                .modelName(model)
                .temperature(0.0)
                .timeout(httpTimeout)
                .maxRetries(0)
                .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA)
                .build();
        return new Endpoint("openai:" + model, real ? url : server.openAiBaseUrl(), !real, chat);
    }
}
