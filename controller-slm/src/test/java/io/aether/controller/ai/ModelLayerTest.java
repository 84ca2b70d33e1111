package io.aether.controller.ai;

import static io.aether.controller.ai.Fixtures.CART;
import static io.aether.controller.ai.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import io.aether.core.control.ControlContext;
import io.aether.core.control.Decision;
import io.aether.core.control.Layer;
import io.aether.core.control.LayerFailure;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ModelLayerTest {

    private final Fixtures.ManualClock clock = new Fixtures.ManualClock(T0);
    private final ControlContext ctx = Fixtures.context();
    private final Prompt prompt = new Prompt("l2-test", "You size slices.");

    private static ModelSettings settings() {
        return settings(3);
    }

    private static ModelSettings settings(int breakerFailureThreshold) {
        return new ModelSettings("fake:model", Duration.ofSeconds(2), breakerFailureThreshold, Duration.ofSeconds(30),
                10_000, 256, Duration.ZERO, 20, 10);
    }

    private ModelLayer layer(Fixtures.FakeChatModel model, ModelSettings settings) {
        return new ModelLayer(Layer.L2, model, prompt, settings, clock);
    }

    @Test
    void aGoodAnswerIsADecisionWithTheModelCallAndASchemaConstrainedRequest() {
        Fixtures.FakeChatModel model = new Fixtures.FakeChatModel(r -> {
            clock.advance(Duration.ofMillis(420));
            return Fixtures.response(Fixtures.answer(CART, 6, 0.9), 812, 64);
        }, Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA));

        Decision d = layer(model, settings()).evaluate(ctx);

        assertEquals(6, d.changes().get(0).toInstances());
        assertEquals(new io.aether.core.control.ModelCall("fake:model", "l2-test", 812, 64, 420),
                d.model().orElseThrow());
        var request = model.requests.get(0);
        assertEquals(ResponseFormatType.JSON, request.responseFormat().type());
        JsonObjectSchema root = (JsonObjectSchema) request.responseFormat().jsonSchema().rootElement();
        assertEquals(Boolean.FALSE, root.additionalProperties());
        assertEquals(256, request.maxOutputTokens());
        assertTrue(request.messages().get(1).toString().contains("summary-v1"));
    }

    @Test
    void aModelWithoutSchemaSupportIsAskedForPlainJson() {
        Fixtures.FakeChatModel model = new Fixtures.FakeChatModel(
                r -> Fixtures.response(Fixtures.answer(CART, 6, 0.9), 1, 1), Set.of());
        layer(model, settings()).evaluate(ctx);
        assertEquals(null, model.requests.get(0).responseFormat().jsonSchema());
        assertEquals(ResponseFormatType.JSON, model.requests.get(0).responseFormat().type());
    }

    @Test
    void theBreakerOpensAfterThresholdFailuresHoldsWithoutCallingThenHalfOpensAndClosesOnSuccess() {
        AtomicInteger calls = new AtomicInteger();
        boolean[] healthy = {false};
        Fixtures.FakeChatModel model = new Fixtures.FakeChatModel(r -> {
            calls.incrementAndGet();
            if (!healthy[0]) {
                throw new RuntimeException("HTTP 500 Internal Server Error");
            }
            return Fixtures.response(Fixtures.answer(CART, 6, 0.9), 10, 10);
        }, Set.of());
        ModelLayer l2 = layer(model, settings());

        for (int i = 0; i < 3; i++) {
            assertEquals(BreakerState.CLOSED, l2.breakerState());
            LayerFailure f = assertThrows(LayerFailure.class, () -> l2.evaluate(ctx));
            assertTrue(f.getMessage().contains("call failed after 0 ms: RuntimeException: HTTP 500"), f.getMessage());
            assertEquals("fake:model", f.model().orElseThrow().model());
        }
        assertEquals(BreakerState.OPEN, l2.breakerState());

        clock.advance(Duration.ofSeconds(29));
        Decision held = l2.evaluate(ctx);
        assertTrue(held.isHold());
        assertTrue(held.reasoning().contains("circuit open until 2026-03-01T12:00:30Z after 3 consecutive failures"),
                held.reasoning());
        assertEquals(3, calls.get());

        clock.advance(Duration.ofSeconds(1));
        assertThrows(LayerFailure.class, () -> l2.evaluate(ctx));
        assertEquals(4, calls.get(), "one trial call in half-open");
        assertEquals(BreakerState.OPEN, l2.breakerState(), "a failed trial opens again");

        clock.advance(Duration.ofSeconds(30));
        healthy[0] = true;
        assertEquals(6, l2.evaluate(ctx).changes().get(0).toInstances());
        assertEquals(BreakerState.CLOSED, l2.breakerState());
    }

    @Test
    void aRefusedAnswerDoesNotCountAgainstTheBreakerButFails() {
        Fixtures.FakeChatModel model = Fixtures.FakeChatModel.answering(Fixtures.answer(CART, -3, 0.9));
        ModelLayer l2 = layer(model, settings());
        for (int i = 0; i < 5; i++) {
            LayerFailure f = assertThrows(LayerFailure.class, () -> l2.evaluate(ctx));
            assertEquals("L2 model fake:model answer rejected: answer.actions[0].targetInstances: -3 is negative",
                    f.getMessage());
            assertEquals(100, f.model().orElseThrow().inputTokens());
        }
        assertEquals(BreakerState.CLOSED, l2.breakerState());
        assertEquals(5, model.requests.size());
    }

    @Test
    void anAnswerPastTheTimeoutIsDiscardedAndCountsAsAFailure() {
        Fixtures.FakeChatModel model = new Fixtures.FakeChatModel(r -> {
            clock.advance(Duration.ofMillis(3400));
            return Fixtures.response(Fixtures.answer(CART, 6, 0.9), 10, 10);
        }, Set.of());
        ModelLayer l2 = layer(model, settings(1));

        LayerFailure f = assertThrows(LayerFailure.class, () -> l2.evaluate(ctx));

        assertEquals("L2 model fake:model answered after 3400 ms, past the 2000 ms timeout; answer discarded",
                f.getMessage());
        assertEquals(3400, f.model().orElseThrow().latencyMs());
        assertEquals(BreakerState.OPEN, l2.breakerState());
    }

    @Test
    void aSpentTokenBudgetHoldsUntilTheHourMovesOn() {
        Fixtures.FakeChatModel model = new Fixtures.FakeChatModel(
                r -> Fixtures.response(Fixtures.answer(CART, 6, 0.9), 4_000, 1_000), Set.of());
        ModelLayer l2 = layer(model, settings());

        l2.evaluate(ctx);
        clock.advance(Duration.ofMinutes(10));
        l2.evaluate(ctx);
        assertEquals(10_000, l2.tokensSpentLastHour());
        Decision held = l2.evaluate(ctx);

        assertTrue(held.isHold());
        assertEquals("L2 model: token budget spent: 10000 tokens in the last hour, budget 10000; calls resume at "
                + "2026-03-01T13:00:00Z; not called", held.reasoning());
        assertEquals(2, model.requests.size());
        clock.advance(Duration.ofMinutes(50));
        assertFalse(l2.evaluate(ctx).isHold());
        assertEquals(3, model.requests.size());
    }

    @Test
    void aServerWithoutUsageStillSpendsTheBudgetByEstimate() {
        Fixtures.FakeChatModel model = new Fixtures.FakeChatModel(
                r -> Fixtures.response(Fixtures.answer(CART, 6, 0.9), null, null), Set.of());
        ModelLayer l2 = layer(model, settings());
        Decision d = l2.evaluate(ctx);
        assertEquals(0, d.model().orElseThrow().inputTokens());
        assertTrue(l2.tokensSpentLastHour() > 100, "estimated " + l2.tokensSpentLastHour());
    }

    @Test
    void callsAreSpacedByTheMinimumInterval() {
        Fixtures.FakeChatModel model = Fixtures.FakeChatModel.answering(Fixtures.answer(CART, 6, 0.9));
        ModelLayer l2 = layer(model, new ModelSettings("fake:model", Duration.ofSeconds(2), 3,
                Duration.ofSeconds(30), 10_000, 256, Duration.ofSeconds(5), 20, 10));
        l2.evaluate(ctx);
        clock.advance(Duration.ofSeconds(4));
        assertEquals("L2 model: last called 4000 ms ago, minInterval 5000 ms; not called", l2.evaluate(ctx)
                .reasoning());
        clock.advance(Duration.ofSeconds(1));
        assertFalse(l2.evaluate(ctx).isHold());
        assertEquals(2, model.requests.size());
    }

    @Test
    void keyLikeStringsAreScrubbedFromFailureMessagesAndCauses() {
        Fixtures.FakeChatModel model = new Fixtures.FakeChatModel(r -> {
            throw new IllegalStateException("401 Unauthorized: Incorrect API key provided: sk-proj-AbC123xyz789. "
                    + "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig api_key=supersecret99",
                    new RuntimeException("retry with sk-ant-api03-Zz99Yy88"));
        }, Set.of());

        LayerFailure f = assertThrows(LayerFailure.class, () -> layer(model, settings()).evaluate(ctx));

        StringBuilder all = new StringBuilder(f.getMessage());
        for (Throwable t = f.getCause(); t != null; t = t.getCause()) {
            all.append(" | ").append(t.getMessage());
        }
        for (String secret : new String[] {"sk-proj", "AbC123xyz789", "eyJhbGci", "supersecret99", "sk-ant",
                "Zz99Yy88"}) {
            assertFalse(all.toString().contains(secret), secret + " leaked: " + all);
        }
        assertTrue(f.getMessage().contains("401 Unauthorized: Incorrect API key provided: [redacted]"),
                f.getMessage());
        assertNotNull(f.getCause().getCause(), "the cause chain is kept, scrubbed");
    }

    @Test
    void settingsOutOfRangeNameTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layer(
                Fixtures.FakeChatModel.answering("{}"), new ModelSettings("fake:model", Duration.ZERO, 3,
                        Duration.ofSeconds(30), 10_000, 256, Duration.ZERO, 20, 10)));
        assertEquals("aether.controller.l2: timeout PT0S must be positive", e.getMessage());
    }
}
