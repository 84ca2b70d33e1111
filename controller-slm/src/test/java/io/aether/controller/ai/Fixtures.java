package io.aether.controller.ai;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.aether.core.control.ControlContext;
import io.aether.core.control.ControlContext.SliceSpec;
import io.aether.core.control.GovernorState;
import io.aether.core.metrics.ClusterMetricsSnapshot;
import io.aether.core.metrics.MetricsHistory;
import io.aether.core.metrics.SliceMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Builders the AI-layer tests share. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    static final String CART = "org.acme:cart:1.0";
    static final String WEB = "org.acme:web:1.0";

    private Fixtures() {
    }

    /** A clock tests move by hand. */
    static final class ManualClock extends Clock {
        private Instant now;

        ManualClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** A window built from one function per slice: calls/s at second i (oldest = 0). */
    static final class FunctionHistory implements MetricsHistory {
        private final int size;
        private final long newest;
        private final Map<String, java.util.function.IntToDoubleFunction> calls;

        FunctionHistory(int size, long newest, Map<String, java.util.function.IntToDoubleFunction> calls) {
            this.size = size;
            this.newest = newest;
            this.calls = Map.copyOf(calls);
        }

        @Override
        public int capacitySeconds() {
            return 7200;
        }

        @Override
        public int sizeSeconds() {
            return size;
        }

        @Override
        public long newestSecond() {
            return newest;
        }

        @Override
        public int copy(String artifact, Series series, int seconds, double[] into) {
            int n = Math.min(seconds, size);
            java.util.function.IntToDoubleFunction f = calls.get(artifact);
            for (int i = 0; i < n; i++) {
                int second = size - n + i;
                double rps = f == null ? 0 : f.applyAsDouble(second);
                into[i] = switch (series) {
                    case CALLS_PER_SECOND -> rps;
                    case P99_MS -> 50 + rps / 10;
                    case ERROR_RATE -> 0;
                    case INSTANCES -> 4;
                    case CPU -> Math.min(1, rps / 400);
                };
            }
            return n;
        }
    }

    static SliceSpec spec(String artifact, int instances, int min, int max) {
        return new SliceSpec("acme/shop", "acme", artifact, instances, min, max, 200, 0.01);
    }

    /** Two slices (cart 4 in 1..20, web 2 in 1..10), fresh metrics, no history. */
    static ControlContext context() {
        return context(null, spec(CART, 4, 1, 20), spec(WEB, 2, 1, 10));
    }

    static ControlContext context(MetricsHistory history, SliceSpec... specs) {
        Map<String, SliceSpec> slices = new HashMap<>();
        Map<String, SliceMetrics> metrics = new HashMap<>();
        Map<String, GovernorState> governors = new HashMap<>();
        for (SliceSpec s : specs) {
            slices.put(s.artifact(), s);
            metrics.put(s.artifact(), new SliceMetrics(s.artifact(), 120.5, 0.002, 40, 180, 7, s.instances(), 0.61));
            governors.put(s.artifact(), GovernorState.STABLE);
        }
        ClusterMetricsSnapshot latest = new ClusterMetricsSnapshot(T0.getEpochSecond(), Map.of(), metrics, Set.of());
        return new ControlContext(T0, latest, history, List.of(new ControlContext.ControlEvent(T0.minusSeconds(30),
                "node-joined", "node-3 joined")), List.of(new ControlContext.NodeView("node-1", true, true, false)),
                slices, governors);
    }

    static String answer(String slice, int target, double confidence) {
        return "{\"actions\":[{\"slice\":\"" + slice + "\",\"targetInstances\":" + target
                + ",\"reason\":\"p99 rising\"}],\"confidence\":" + confidence
                + ",\"escalate\":false,\"reasoning\":\"load grows\"}";
    }

    /** A ChatModel answering from a script; it may move the clock to play latency. */
    static final class FakeChatModel implements ChatModel {
        final List<ChatRequest> requests = new ArrayList<>();
        private final Function<ChatRequest, ChatResponse> script;
        private final Set<Capability> capabilities;

        FakeChatModel(Function<ChatRequest, ChatResponse> script, Set<Capability> capabilities) {
            this.script = script;
            this.capabilities = capabilities;
        }

        static FakeChatModel answering(String text) {
            return new FakeChatModel(r -> response(text, 100, 20), Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA));
        }

        @Override
        public ChatResponse doChat(ChatRequest request) {
            requests.add(request);
            return script.apply(request);
        }

        @Override
        public Set<Capability> supportedCapabilities() {
            return capabilities;
        }
    }

    static ChatResponse response(String text, Integer in, Integer out) {
        return ChatResponse.builder().aiMessage(AiMessage.from(text))
                .tokenUsage(in == null ? null : new TokenUsage(in, out)).finishReason(FinishReason.STOP).build();
    }
}
