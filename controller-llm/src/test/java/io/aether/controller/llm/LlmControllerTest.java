package io.aether.controller.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.aether.controller.ai.ModelLayer;
import io.aether.core.control.ControlContext;
import io.aether.core.control.ControlContext.SliceSpec;
import io.aether.core.control.Decision;
import io.aether.core.control.Layer;
import io.aether.core.control.LayerFailure;
import io.aether.core.metrics.ClusterMetricsSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LlmControllerTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String CART = "org.acme:cart:1.0";

    private final ControlContext ctx = new ControlContext(NOW, new ClusterMetricsSnapshot(NOW.getEpochSecond(),
            Map.of(), Map.of(), Set.of()), null, List.of(), List.of(), Map.of(CART, new SliceSpec("acme/shop",
            "acme", CART, 4, 1, 20, 200, 0.01)), Map.of());

    private static ChatModel answering(String text, List<ChatRequest> seen) {
        return new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                seen.add(request);
                return ChatResponse.builder().aiMessage(AiMessage.from(text)).tokenUsage(new TokenUsage(3000, 90))
                        .build();
            }
        };
    }

    private static ModelLayer l3(ChatModel model) {
        return LlmController.create(model, LlmController.defaults("openai:gpt-4o-mini"),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void layerThreePreScalesWithItsOwnPromptAndAnswersAnL3Decision() {
        List<ChatRequest> seen = new ArrayList<>();
        Decision d = l3(answering("{\"actions\":[{\"slice\":\"" + CART + "\",\"targetInstances\":8,"
                + "\"reason\":\"peak one period ago in 4 min\"}],\"confidence\":0.75,\"escalate\":true,"
                + "\"reasoning\":\"daily peak ahead\"}", seen)).evaluate(ctx.escalatedBy(Decision.hold(Layer.L2,
                "unclear")));

        assertEquals(Layer.L3, d.layer());
        assertEquals("L3 model: peak one period ago in 4 min", d.changes().get(0).rule());
        assertEquals("l3-v2", d.model().orElseThrow().promptVersion());
        assertEquals(3000, d.model().orElseThrow().inputTokens());
        assertTrue(d.escalation().isPresent(), "an L3 escalation flags the decision for a human");
        String system = ((SystemMessage) seen.get(0).messages().get(0)).text();
        assertTrue(system.startsWith("You are Layer 3 of the Aether cluster controller"), system);
        assertTrue(system.contains("pre-scale"), system);
        assertTrue(seen.get(0).messages().get(1).toString().contains("\"fromLayer\":\"L2\""));
    }

    @Test
    void layerThreeRefusesAnAnswerThatTriesToApproveItself() {
        LayerFailure f = assertThrows(LayerFailure.class, () -> l3(answering("{\"actions\":[],\"confidence\":1,"
                + "\"escalate\":false,\"reasoning\":\"ok\",\"approve\":true}", new ArrayList<>())).evaluate(ctx));
        assertEquals("L3 model openai:gpt-4o-mini answer rejected: answer.approve: unknown field (answer has only "
                + "actions, confidence, escalate, reasoning)", f.getMessage());
        assertEquals(Optional.of(Layer.L3), Optional.of(f.layer()));
    }
}
