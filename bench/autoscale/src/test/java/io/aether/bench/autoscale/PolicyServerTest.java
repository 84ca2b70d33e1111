package io.aether.bench.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.controller.ai.AnswerParser;
import io.aether.controller.ai.ContextSummary;
import io.aether.controller.ai.ModelAnswer;
import io.aether.controller.llm.LlmController;
import io.aether.controller.slm.SlmController;
import io.aether.core.control.ControlContext;
import io.aether.core.control.Decision;
import io.aether.core.control.Layer;
import io.aether.core.control.ModelCall;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scripted server through LangChain4j's production clients and the AI layers' production parser. */
class PolicyServerTest {

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
    private static final long T = 1_800_000_000L;

    private PolicyServer server;

    @BeforeEach
    void start() throws Exception {
        server = PolicyServer.start(0.7, 35);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** 10 ready instances serving 900 requests/s at 90% CPU: 100 requests/s each, 13 instances hold 70%. */
    private static ControlContext loadedSlice() {
        Contexts c = new Contexts();
        for (long t = T - 9; t <= T; t++) {
            c.second(t, 900, 30, 10, 0.9);
        }
        return c.at(T, 10, 2, 60);
    }

    private static Clock clock() {
        return Clock.fixed(Instant.ofEpochSecond(T), ZoneOffset.UTC);
    }

    @Test
    void ollamaProtocolAnswersL2ThroughOllamaChatModelWithAnAnswerTheParserAccepts() {
        ModelEndpoints.Endpoint l2 = ModelEndpoints.l2(Map.of(), server, HTTP_TIMEOUT);
        assertTrue(l2.scripted());

        Decision d = SlmController.create(l2.model(), SlmController.defaults(l2.modelName()), clock())
                .evaluate(loadedSlice());

        assertEquals(Layer.L2, d.layer());
        assertEquals(1, d.changes().size(), d.reasoning());
        assertEquals(10, d.changes().get(0).fromInstances());
        assertEquals(13, d.changes().get(0).toInstances(), d.changes().get(0).rule());
        ModelCall call = d.model().orElseThrow();
        assertEquals("ollama:" + PolicyServer.L2_MODEL, call.model());
        assertTrue(call.inputTokens() > 500, "prompt + summary ≈ chars/4: " + call);
        assertTrue(call.outputTokens() > 10, call.toString());
        assertEquals(1, server.answered());
    }

    @Test
    void openAiProtocolAnswersL3ThroughOpenAiChatModelWithAnAnswerTheParserAccepts() {
        ModelEndpoints.Endpoint l3 = ModelEndpoints.l3(Map.of(), server, HTTP_TIMEOUT);
        assertTrue(l3.scripted());

        Decision d = LlmController.create(l3.model(), LlmController.defaults(l3.modelName()), clock())
                .evaluate(loadedSlice());

        assertEquals(Layer.L3, d.layer());
        assertEquals(13, d.changes().get(0).toInstances(), d.reasoning());
        assertFalse(d.escalation().isPresent(), "L3 has no layer above to ask");
        ModelCall call = d.model().orElseThrow();
        assertEquals("openai:" + PolicyServer.L3_MODEL, call.model());
        assertTrue(call.inputTokens() > 500 && call.outputTokens() > 10, call.toString());
    }

    @Test
    void theRawAnswerOfBothProtocolsPassesTheStrictParser() throws Exception {
        ControlContext ctx = loadedSlice();
        String summary = ContextSummary.of(ctx, 20, 10).text();
        HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
        String messages = "[{\"role\":\"system\",\"content\":\"size slices\"},{\"role\":\"user\",\"content\":"
                + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                "Cluster summary (summary-v1):\n" + summary) + "}]";
        var ollama = new com.fasterxml.jackson.databind.ObjectMapper().readTree(http.send(post(
                server.ollamaBaseUrl() + "/api/chat", "{\"model\":\"" + PolicyServer.L2_MODEL
                        + "\",\"stream\":false,\"messages\":" + messages + "}"), HttpResponse.BodyHandlers.ofString())
                .body());
        var openAi = new com.fasterxml.jackson.databind.ObjectMapper().readTree(http.send(post(
                server.openAiBaseUrl() + "/chat/completions", "{\"model\":\"" + PolicyServer.L3_MODEL
                        + "\",\"messages\":" + messages + "}"), HttpResponse.BodyHandlers.ofString()).body());

        assertTrue(ollama.path("done").asBoolean(), ollama.toString());
        assertEquals("assistant", ollama.path("message").path("role").asText());
        assertTrue(ollama.path("prompt_eval_count").asInt() > 0 && ollama.path("eval_count").asInt() > 0);
        assertEquals("chat.completion", openAi.path("object").asText());
        assertEquals("stop", openAi.path("choices").get(0).path("finish_reason").asText());
        assertEquals(openAi.path("usage").path("prompt_tokens").asInt()
                + openAi.path("usage").path("completion_tokens").asInt(),
                openAi.path("usage").path("total_tokens").asInt());
        for (String text : new String[] {ollama.path("message").path("content").asText(),
                openAi.path("choices").get(0).path("message").path("content").asText()}) {
            ModelAnswer answer = AnswerParser.parse(text, Set.of(Replay.ARTIFACT));
            assertEquals(13, answer.actions().get(0).targetInstances(), text);
            assertTrue(answer.confidence() >= 0.7, "above the guardrails' confidence floor: " + text);
        }
    }

    @Test
    void aModelTheServerDoesNotHaveIsRefusedWith404AsOllamaDoes() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(post(server.ollamaBaseUrl() + "/api/chat",
                "{\"model\":\"qwen2.5:0.5b\",\"messages\":[]}"), HttpResponse.BodyHandlers.ofString());

        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("qwen2.5:0.5b"), r.body());
        assertEquals(0, server.answered());
    }

    private static HttpRequest post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(HTTP_TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
