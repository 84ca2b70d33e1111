package io.aether.controller.slm;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.aether.core.metrics.ClusterMetricsSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SlmControllerTest {

    @Test
    void layerTwoSendsItsVersionedPromptAndAnswersAnL2DecisionNamingThePrompt() {
        List<ChatRequest> seen = new ArrayList<>();
        ChatModel model = new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                seen.add(request);
                return ChatResponse.builder().aiMessage(AiMessage.from("{\"actions\":[{\"slice\":\"org.acme:cart:1.0\","
                        + "\"targetInstances\":5,\"reason\":\"p99 rising\"}],\"confidence\":0.8,\"escalate\":false,"
                        + "\"reasoning\":\"rising\"}")).tokenUsage(new TokenUsage(900, 40)).build();
            }
        };
        Instant now = Instant.parse("2026-03-01T12:00:00Z");
        ControlContext ctx = new ControlContext(now, new ClusterMetricsSnapshot(now.getEpochSecond(), Map.of(),
                Map.of(), Set.of()), null, List.of(), List.of(), Map.of("org.acme:cart:1.0", new SliceSpec(
                "acme/shop", "acme", "org.acme:cart:1.0", 4, 1, 20, 200, 0.01)), Map.of());
        ModelLayer l2 = SlmController.create(model, SlmController.defaults("ollama:qwen2.5:0.5b"),
                Clock.fixed(now, ZoneOffset.UTC));

        Decision d = l2.evaluate(ctx);

        assertEquals(Layer.L2, l2.layer());
        assertEquals("l2-v2", d.model().orElseThrow().promptVersion());
        assertEquals("L2 model: p99 rising", d.changes().get(0).rule());
        String system = ((SystemMessage) seen.get(0).messages().get(0)).text();
        assertTrue(system.startsWith("You are Layer 2 of the Aether cluster controller"), system);
        assertTrue(system.contains("You only propose"), system);
    }
}
