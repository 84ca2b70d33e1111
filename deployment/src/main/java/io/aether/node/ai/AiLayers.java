package io.aether.node.ai;

import dev.langchain4j.model.chat.ChatModel;
import io.aether.controller.ai.BreakerState;
import io.aether.controller.ai.ModelLayer;
import io.aether.controller.ai.ModelSettings;
import io.aether.controller.llm.LlmController;
import io.aether.controller.slm.SlmController;
import io.aether.core.control.Controller;
import io.aether.node.config.ControllerConfig;
import io.aether.node.config.InvalidConfigException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkiverse.langchain4j.ModelName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Layers 2 and 3 as the node runs them: each enabled layer is a {@link ModelLayer} over the LangChain4j
 * {@link ChatModel} Quarkus builds from {@code quarkus.langchain4j.*} (L2: the default model, Ollama; L3: the named
 * model {@code l3}, OpenAI-compatible). Disabled layers build nothing and call nothing; with both off the node logs
 * one line saying Layer 1 runs alone. Each enabled layer exports its breaker state and hourly token spend.
 */
@ApplicationScoped
public class AiLayers {

    /** The named LangChain4j model L3 uses ({@code quarkus.langchain4j.l3.*}, {@code quarkus.langchain4j.openai.l3.*}). */
    public static final String L3_MODEL = "l3";
    private static final Logger LOG = Logger.getLogger(AiLayers.class);

    private final List<Controller> controllers;

    AiLayers(ControllerConfig config, @Any Instance<ChatModel> models, MeterRegistry meters,
             @ConfigProperty(name = "quarkus.langchain4j.ollama.chat-model.model-id") String ollamaModel,
             @ConfigProperty(name = "quarkus.langchain4j.openai.l3.chat-model.model-name") String openAiModel) {
        List<Controller> enabled = new ArrayList<>();
        if (config.l2().enabled()) {
            ControllerConfig.L2 c = config.l2();
            ModelSettings settings = validated("aether.controller.l2", new ModelSettings(
                    c.modelName().orElse("ollama:" + ollamaModel), c.timeout(), c.breakerFailureThreshold(),
                    c.breakerOpenFor(), c.tokenBudgetPerHour(), c.maxOutputTokens(), c.minInterval(), c.maxSlices(),
                    c.maxEvents()));
            ModelLayer l2 = SlmController.create(models.select(Default.Literal.INSTANCE).get(), settings,
                    Clock.systemUTC());
            enabled.add(meter(l2, meters));
            LOG.infof("AI layer L2 on: model %s, every %s, timeout %s, mode %s until set in the KV",
                    settings.modelName(), c.every(), c.timeout(), c.mode());
        }
        if (config.l3().enabled()) {
            ControllerConfig.L3 c = config.l3();
            ModelSettings settings = validated("aether.controller.l3", new ModelSettings(
                    c.modelName().orElse("openai:" + openAiModel), c.timeout(), c.breakerFailureThreshold(),
                    c.breakerOpenFor(), c.tokenBudgetPerHour(), c.maxOutputTokens(), c.minInterval(), c.maxSlices(),
                    c.maxEvents()));
            ModelLayer l3 = LlmController.create(models.select(ModelName.Literal.of(L3_MODEL)).get(), settings,
                    Clock.systemUTC());
            enabled.add(meter(l3, meters));
            LOG.infof("AI layer L3 on: model %s, every %s, timeout %s, mode %s until set in the KV",
                    settings.modelName(), c.every(), c.timeout(), c.mode());
        }
        if (enabled.isEmpty()) {
            LOG.info("AI layers off (aether.controller.l2.enabled and aether.controller.l3.enabled are false): "
                    + "Layer 1 runs alone");
        }
        this.controllers = List.copyOf(enabled);
    }

    /** The enabled AI layers, L2 before L3; empty when both are off. */
    public List<Controller> controllers() {
        return controllers;
    }

    private static ModelSettings validated(String prefix, ModelSettings settings) {
        try {
            return settings.validate(prefix);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(prefix, e.getMessage().replaceFirst("^" + java.util.regex.Pattern.quote(prefix)
                    + ": ", ""));
        }
    }

    private static ModelLayer meter(ModelLayer layer, MeterRegistry meters) {
        String name = layer.layer().name().toLowerCase(java.util.Locale.ROOT);
        Gauge.builder("aether_controller_breaker_open", layer, l -> l.breakerState() == BreakerState.CLOSED
                ? 0 : 1).tag("layer", name).description("1 while the layer's circuit breaker is open or half-open")
                .register(meters);
        Gauge.builder("aether_controller_tokens_last_hour", layer, ModelLayer::tokensSpentLastHour).tag("layer", name)
                .description("tokens the layer's model calls spent in the last hour").register(meters);
        return layer;
    }
}
