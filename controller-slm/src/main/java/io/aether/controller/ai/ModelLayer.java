package io.aether.controller.ai;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.aether.core.control.ControlContext;
import io.aether.core.control.Controller;
import io.aether.core.control.Decision;
import io.aether.core.control.Layer;
import io.aether.core.control.LayerFailure;
import io.aether.core.control.ModelCall;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Optional;

/**
 * An AI layer (L2 or L3): summarises the context ({@link ContextSummary}), asks its {@link ChatModel} under its
 * versioned {@link Prompt} with JSON output (schema-constrained where the model declares
 * {@link Capability#RESPONSE_FORMAT_JSON_SCHEMA}), and turns the strictly parsed answer ({@link AnswerParser}) into
 * a {@link Decision} carrying the {@link ModelCall}. It only proposes: the decision takes the guardrails and the
 * mode like any other layer's.
 *
 * <p>It holds without calling while its circuit is open, while its hourly token budget is spent, or within
 * {@code minInterval} of its last call. It throws {@link LayerFailure} (the control loop makes it a
 * {@code rejected} receipt; the layer below stands) when the call fails, answers after {@code timeout}, or answers
 * something the parser refuses. Call failures and late answers count against the circuit breaker; a refused answer
 * does not (the server works, the model talked nonsense). Failure messages never carry credentials.
 *
 * <p>The timeout is measured on return: this class does not abandon a running call. The {@code ChatModel}'s own
 * HTTP timeout (set where it is built) and the control loop's layer timeout bound how long a call blocks.
 */
public final class ModelLayer implements Controller {

    private static final System.Logger LOG = System.getLogger(ModelLayer.class.getName());

    private final Layer layer;
    private final ChatModel model;
    private final Prompt prompt;
    private final ModelSettings settings;
    private final Clock clock;
    private final boolean schemaConstrained;
    private final CircuitBreaker breaker;
    private final TokenBudget budget;
    private long lastCallMs = Long.MIN_VALUE;

    /**
     * @param layer L2 or L3
     * @param clock the only source of time: latency, timeout, breaker and budget
     * @throws IllegalArgumentException when {@code layer} is not an AI layer or a setting is out of range
     */
    public ModelLayer(Layer layer, ChatModel model, Prompt prompt, ModelSettings settings, Clock clock) {
        if (layer != Layer.L2 && layer != Layer.L3) {
            throw new IllegalArgumentException("model layer: " + layer + " is not an AI layer (L2 or L3)");
        }
        this.layer = layer;
        this.model = model;
        this.prompt = prompt;
        this.settings = settings.validate(configPrefix(layer));
        this.clock = clock;
        this.schemaConstrained = model.supportedCapabilities().contains(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
        this.breaker = new CircuitBreaker(layer + " model " + settings.modelName(), settings.breakerFailureThreshold(),
                settings.breakerOpenFor().toMillis());
        this.budget = new TokenBudget(settings.tokenBudgetPerHour());
        LOG.log(Level.INFO, layer + " model " + settings.modelName() + " with prompt " + prompt.version() + ": "
                + (schemaConstrained ? "JSON schema constrained output" : "JSON mode, schema in the prompt only"));
    }

    /** The configuration prefix of {@code layer}'s settings: {@code aether.controller.l2}. */
    public static String configPrefix(Layer layer) {
        return "aether.controller." + layer.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Layer layer() {
        return layer;
    }

    public Prompt prompt() {
        return prompt;
    }

    public ModelSettings settings() {
        return settings;
    }

    /** The circuit breaker's state, for metrics. */
    public BreakerState breakerState() {
        return breaker.state();
    }

    /** Tokens counted against the budget in the last hour, for metrics. */
    public long tokensSpentLastHour() {
        return budget.spent(clock.millis());
    }

    @Override
    public Decision evaluate(ControlContext ctx) {
        long now = clock.millis();
        if (ctx.slices().isEmpty()) {
            return Decision.hold(layer, layer + " model: no slices to size; not called");
        }
        synchronized (this) {
            if (lastCallMs != Long.MIN_VALUE && now - lastCallMs < settings.minInterval().toMillis()) {
                return Decision.hold(layer, layer + " model: last called " + (now - lastCallMs)
                        + " ms ago, minInterval " + settings.minInterval().toMillis() + " ms; not called");
            }
            Optional<String> spent = budget.refusal(now);
            if (spent.isPresent()) {
                return Decision.hold(layer, layer + " model: " + spent.get() + "; not called");
            }
            Optional<String> open = breaker.refusal(now);
            if (open.isPresent()) {
                return Decision.hold(layer, layer + " model: " + open.get() + "; the layer below stands");
            }
            lastCallMs = now;
        }
        try {
            return call(ctx);
        } catch (LayerFailure e) {
            throw e;
        } catch (RuntimeException | Error e) {
            // Not the model's doing (call() settles the breaker on every model outcome), but a half-open trial
            // must end somehow.
            breaker.failure(clock.millis(), "evaluation failed: " + e);
            throw e;
        }
    }

    /** One model call; records its outcome in the breaker and the budget. */
    private Decision call(ControlContext ctx) {
        ContextSummary summary = ContextSummary.of(ctx, settings.maxSlices(), settings.maxEvents());
        ChatRequest request = request(summary);
        long start = clock.millis();
        ChatResponse response;
        try {
            response = model.chat(request);
        } catch (RuntimeException e) {
            long latency = Math.max(0, clock.millis() - start);
            String why = Text.cap(Text.scrub(e.getClass().getSimpleName() + ": " + e.getMessage()), 300);
            breaker.failure(clock.millis(), why);
            String message = layer + " model " + settings.modelName() + " call failed after " + latency + " ms: "
                    + why;
            LOG.log(Level.WARNING, message);
            throw new LayerFailure(layer, message, Optional.of(modelCall(0, 0, latency)), scrubbedCopy(e, 0));
        }
        long latency = Math.max(0, clock.millis() - start);
        TokenUsage usage = response == null ? null : response.tokenUsage();
        int in = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        int out = usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        String text = response == null || response.aiMessage() == null ? null : response.aiMessage().text();
        // A server that reports no usage still costs: estimate ~4 characters a token for the budget.
        long counted = usage == null ? (prompt.text().length() + summary.text().length()
                + (text == null ? 0 : text.length())) / 4 : (long) in + out;
        budget.add(clock.millis(), counted);
        ModelCall call = modelCall(in, out, latency);
        if (latency > settings.timeout().toMillis()) {
            String message = layer + " model " + settings.modelName() + " answered after " + latency
                    + " ms, past the " + settings.timeout().toMillis() + " ms timeout; answer discarded";
            breaker.failure(clock.millis(), message);
            LOG.log(Level.WARNING, message);
            throw new LayerFailure(layer, message, Optional.of(call));
        }
        breaker.success();
        try {
            ModelAnswer answer = AnswerParser.parse(text, ctx.slices().keySet());
            return AnswerParser.toDecision(answer, ctx, layer, call);
        } catch (InvalidAnswerException e) {
            boolean cut = response != null && response.finishReason() == FinishReason.LENGTH;
            String message = layer + " model " + settings.modelName() + " answer rejected: " + e.getMessage()
                    + (cut ? " (the model stopped at its " + settings.maxOutputTokens() + "-token output limit)"
                    : "");
            LOG.log(Level.WARNING, message);
            throw new LayerFailure(layer, message, Optional.of(call));
        }
    }

    private ChatRequest request(ContextSummary summary) {
        ResponseFormat format = schemaConstrained
                ? ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(AnswerSchema.of(summary.artifacts()))
                .build()
                : ResponseFormat.JSON;
        return ChatRequest.builder()
                .messages(SystemMessage.from(prompt.text()),
                        UserMessage.from("Cluster summary (" + ContextSummary.VERSION + "):\n" + summary.text()))
                .responseFormat(format)
                .maxOutputTokens(settings.maxOutputTokens())
                .build();
    }

    private ModelCall modelCall(int in, int out, long latencyMs) {
        return new ModelCall(settings.modelName(), prompt.version(), Math.max(0, in), Math.max(0, out), latencyMs);
    }

    /**
     * {@code e} and its causes with credential-looking text removed from their messages, stack traces kept: the
     * control loop logs the failure's cause, and a provider's exception may echo a request header.
     */
    private static RuntimeException scrubbedCopy(Throwable e, int depth) {
        RuntimeException copy = new RuntimeException(e.getClass().getName() + ": " + Text.scrub(e.getMessage()),
                e.getCause() != null && e.getCause() != e && depth < 8 ? scrubbedCopy(e.getCause(), depth + 1) : null);
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }
}
