package io.aether.controller.ai;

import static io.aether.controller.ai.Fixtures.CART;
import static io.aether.controller.ai.Fixtures.T0;
import static io.aether.controller.ai.Fixtures.WEB;
import static io.aether.controller.ai.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aether.core.control.ControlContext;
import io.aether.core.control.ControlContext.SliceSpec;
import io.aether.core.control.Decision;
import io.aether.core.control.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContextSummaryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theSameContextGivesAByteIdenticalSummary() {
        Map<String, java.util.function.IntToDoubleFunction> load = Map.of(
                CART, i -> 100 + 50 * Math.sin(2 * Math.PI * i / 600.0),
                WEB, i -> 20 + i * 0.01);
        ControlContext a = Fixtures.context(new Fixtures.FunctionHistory(7200, T0.getEpochSecond(), load),
                spec(CART, 4, 1, 20), spec(WEB, 2, 1, 10), spec("org.acme:db:2.0", 3, 3, 3));
        ControlContext b = Fixtures.context(new Fixtures.FunctionHistory(7200, T0.getEpochSecond(), load),
                spec("org.acme:db:2.0", 3, 3, 3), spec(WEB, 2, 1, 10), spec(CART, 4, 1, 20));

        String first = ContextSummary.of(a, 20, 10).text();

        assertEquals(first, ContextSummary.of(b, 20, 10).text());
        assertEquals(first, ContextSummary.of(a, 20, 10).text());
        assertTrue(first.startsWith("{\"summary\":\"summary-v1\""), first);
    }

    @Test
    void aLargeClusterIsCutToTheCapsAndTheSummarySaysWhatItLeftOut() throws Exception {
        List<SliceSpec> specs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            specs.add(spec(String.format("org.acme:svc-%03d:1.0", i), 4, 1, 20));
        }
        List<ControlContext.ControlEvent> events = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            events.add(new ControlContext.ControlEvent(T0.minusSeconds(500 - i), "decision", "x".repeat(5000)));
        }
        ControlContext base = Fixtures.context(null, specs.toArray(SliceSpec[]::new));
        ControlContext big = new ControlContext(base.now(), base.latest(), null, events, base.topology(),
                base.slices(), base.governors());

        ContextSummary summary = ContextSummary.of(big, 20, 10);

        assertTrue(summary.text().length() < 16_000, "summary of " + summary.text().length() + " chars");
        assertEquals(20, summary.artifacts().size());
        JsonNode root = JSON.readTree(summary.text());
        assertEquals(20, root.get("slices").size());
        assertEquals("280 of 300 slices not shown (the most pressed are shown first)",
                root.get("slicesOmitted").asText());
        assertEquals(10, root.get("events").size());
        assertEquals("490 older events not shown", root.get("eventsOmitted").asText());
        assertTrue(root.get("events").get(0).get("detail").asText().endsWith("…(cut)"));
        assertEquals(ContextSummary.MAX_DETAIL_CHARS, root.get("events").get(0).get("detail").asText().length());
    }

    @Test
    void anEscalatedContextCarriesTheReasonAndTheNamedSliceComesFirst() throws Exception {
        Decision l1 = new Decision(Layer.L1, List.of(new Decision.ScaleChange("acme/shop", WEB, 2, 4,
                "latency: p99 412 ms > SLO 200 ms → 2 → 4 instances")), List.of(), "web: latency", 0.5,
                Optional.of(new Decision.Escalation(Decision.Escalation.Reason.OSCILLATION,
                        "instances changed direction 5 times in 600 s")));

        JsonNode root = JSON.readTree(ContextSummary.of(Fixtures.context().escalatedBy(l1), 20, 10).text());

        JsonNode esc = root.get("escalation");
        assertEquals("L1", esc.get("fromLayer").asText());
        assertEquals("OSCILLATION", esc.get("reason").asText());
        assertEquals("instances changed direction 5 times in 600 s", esc.get("detail").asText());
        assertEquals(4, esc.get("changes").get(0).get("toInstances").asInt());
        assertEquals(WEB, root.get("slices").get(0).get("artifact").asText());
    }

    @Test
    void aRepeatingLoadShowsItsPeriodAndWhatFollowedOnePeriodAgo() throws Exception {
        // Peaks of 200 calls/s every 600 s; one period before now, the next 5 minutes held a peak.
        java.util.function.IntToDoubleFunction wave = i -> 100 + 100 * Math.sin(2 * Math.PI * i / 600.0);
        ControlContext ctx = Fixtures.context(new Fixtures.FunctionHistory(7200, T0.getEpochSecond(),
                Map.of(CART, wave)), spec(CART, 4, 1, 20));

        JsonNode slice = JSON.readTree(ContextSummary.of(ctx, 20, 10).text()).get("slices").get(0);

        JsonNode seasonal = slice.get("seasonality");
        assertEquals(600, seasonal.get("periodSeconds").asInt(), seasonal.toString());
        assertEquals(wave.applyAsDouble(7200 - 600), seasonal.get("rpsSamePhaseOnePeriodAgo").asDouble(), 0.001);
        assertEquals(200, seasonal.get("rpsMaxNext5MinOnePeriodAgo").asDouble(), 0.01);
        assertTrue(slice.get("trend").has("rpsSlopePerMin5m"), slice.toString());
    }

    @Test
    void aShortWindowSaysTheHistoryIsInsufficient() throws Exception {
        ControlContext ctx = Fixtures.context(new Fixtures.FunctionHistory(100, T0.getEpochSecond(),
                Map.of(CART, i -> 10 + i)), spec(CART, 4, 1, 20));

        JsonNode slice = JSON.readTree(ContextSummary.of(ctx, 20, 10).text()).get("slices").get(0);

        assertEquals("insufficient history: 100 s held, 450 s needed", slice.get("seasonality").get("status").asText());
        assertEquals(60.0, slice.get("trend").get("rpsSlopePerMin60s").asDouble(), 0.001);
        assertEquals("insufficient history: 100 s held, 300 s needed", slice.get("trend").get("fiveMinutes").asText());
    }

    @Test
    void noSnapshotAndNoHistoryAreSaidNotGuessed() throws Exception {
        ControlContext base = Fixtures.context();
        ControlContext empty = new ControlContext(base.now(), null, null, List.of(), List.of(), base.slices(),
                Map.of());

        JsonNode root = JSON.readTree(ContextSummary.of(empty, 20, 10).text());

        assertTrue(root.get("snapshotAgeSeconds").isNull());
        assertEquals(0, root.get("historySeconds").asInt());
        assertEquals("no sample in the latest second", root.get("slices").get(0).get("latest").asText());
        assertEquals("BOOT", root.get("slices").get(0).get("governor").asText());
        assertEquals(Set.of(CART, WEB), Set.copyOf(ContextSummary.of(empty, 20, 10).artifacts()));
    }
}
