package io.aether.controller.ai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aether.core.control.ControlContext;
import io.aether.core.control.ControlContext.ControlEvent;
import io.aether.core.control.ControlContext.NodeView;
import io.aether.core.control.ControlContext.SliceSpec;
import io.aether.core.control.Decision;
import io.aether.core.control.GovernorState;
import io.aether.core.metrics.MetricsHistory;
import io.aether.core.metrics.SeriesStats;
import io.aether.core.metrics.SliceMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What an AI layer reads: a compact JSON summary of a {@link ControlContext}, versioned ({@value #VERSION}) because
 * a prompt is written against one format. Deterministic (the same context gives the same bytes: slices, events and
 * nodes are ordered, numbers rounded to 3 decimals) and bounded: at most {@code maxSlices} slices (the most pressed
 * first), the newest {@code maxEvents} events, every free text cut to a stated length; what was left out is
 * counted in the summary. No series is dumped: per slice it carries the latest second, the trend over 60 s and
 * 5 min, and seasonal features from the window.
 *
 * @param text      the summary JSON
 * @param artifacts the slices shown, in the summary's order (what an answer may name)
 */
public record ContextSummary(String text, List<String> artifacts) {

    public static final String VERSION = "summary-v1";

    static final int MAX_ID_CHARS = 256;
    static final int MAX_DETAIL_CHARS = 200;
    static final int MAX_REASONING_CHARS = 600;
    static final int MAX_BELOW_CHANGES = 10;
    static final int MAX_LISTED_NODES = 10;
    /** Candidate periods for the seasonal features, as L1's defaults. */
    static final int[] PERIODS_SECONDS = {300, 600, 900, 1800, 3600};
    static final double MIN_PERIOD_CORRELATION = 0.8;
    /** Correlations this close count as equal when choosing between a period and its multiples. */
    static final double PERIOD_TIE = 0.02;
    /** How far past "now one period ago" the seasonal peak looks. */
    static final int SEASONAL_AHEAD_SECONDS = 300;

    private static final ObjectMapper JSON = new ObjectMapper();

    public ContextSummary {
        Objects.requireNonNull(text, "text");
        artifacts = List.copyOf(artifacts);
    }

    /** Summarises {@code ctx}; see the class comment for the bounds. */
    public static ContextSummary of(ControlContext ctx, int maxSlices, int maxEvents) {
        ObjectNode root = JSON.createObjectNode();
        root.put("summary", VERSION);
        root.put("now", ctx.now().toString());
        if (ctx.latest() == null) {
            root.putNull("snapshotAgeSeconds");
        } else {
            root.put("snapshotAgeSeconds", ctx.now().getEpochSecond() - ctx.latest().epochSecond());
            root.set("staleNodes", names(new TreeSet<>(ctx.latest().staleNodes())));
        }
        MetricsHistory history = ctx.history();
        int held = history == null ? 0 : Math.min(history.sizeSeconds(), history.capacitySeconds());
        root.put("historySeconds", held);
        root.set("nodes", nodes(ctx.topology()));

        List<SliceSpec> ordered = ordered(ctx);
        List<SliceSpec> shown = ordered.subList(0, Math.min(Math.max(0, maxSlices), ordered.size()));
        double[] calls = new double[held];
        double[] p99 = new double[held];
        ArrayNode slices = root.putArray("slices");
        for (SliceSpec spec : shown) {
            slices.add(slice(ctx, spec, history, calls, p99));
        }
        if (shown.size() < ordered.size()) {
            root.put("slicesOmitted", (ordered.size() - shown.size()) + " of " + ordered.size()
                    + " slices not shown (the most pressed are shown first)");
        }

        List<ControlEvent> events = ctx.recentEvents();
        int firstEvent = Math.max(0, events.size() - Math.max(0, maxEvents));
        ArrayNode ev = root.putArray("events");
        for (ControlEvent e : events.subList(firstEvent, events.size())) {
            ObjectNode n = ev.addObject();
            n.put("at", e.at().toString());
            n.put("type", Text.cap(e.type(), MAX_ID_CHARS));
            n.put("detail", Text.cap(e.detail(), MAX_DETAIL_CHARS));
        }
        if (firstEvent > 0) {
            root.put("eventsOmitted", firstEvent + " older events not shown");
        }
        ctx.below().ifPresent(d -> root.set("escalation", escalation(d)));
        try {
            return new ContextSummary(JSON.writeValueAsString(root),
                    shown.stream().map(SliceSpec::artifact).collect(Collectors.toList()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("context summary: a JSON tree of strings and numbers did not serialise",
                    e);
        }
    }

    /**
     * Slices the layer below named first, then by governor state (worst first), then p99 ÷ SLO (highest first),
     * then artifact: when slices must be left out, the calm ones go.
     */
    private static List<SliceSpec> ordered(ControlContext ctx) {
        Set<String> named = ctx.below().map(d -> d.changes().stream().map(Decision.ScaleChange::artifact)
                .collect(Collectors.toSet())).orElse(Set.of());
        Comparator<SliceSpec> order = Comparator
                .comparing((SliceSpec s) -> !named.contains(s.artifact()))
                .thenComparing(s -> -ctx.governors().getOrDefault(s.artifact(), GovernorState.BOOT).ordinal())
                .thenComparing(s -> -pressure(ctx, s))
                .thenComparing(SliceSpec::artifact);
        List<SliceSpec> all = new ArrayList<>(ctx.slices().values());
        all.sort(order);
        return all;
    }

    private static double pressure(ControlContext ctx, SliceSpec s) {
        SliceMetrics m = ctx.latest() == null ? null : ctx.latest().slices().get(s.artifact());
        if (m == null || s.sloP99Ms() <= 0 || !Double.isFinite(m.p99Ms())) {
            return 0;
        }
        return m.p99Ms() / s.sloP99Ms();
    }

    private static ObjectNode slice(ControlContext ctx, SliceSpec spec, MetricsHistory history, double[] calls,
                                    double[] p99) {
        ObjectNode n = JSON.createObjectNode();
        n.put("artifact", Text.cap(spec.artifact(), MAX_ID_CHARS));
        n.put("blueprint", Text.cap(spec.blueprint(), MAX_ID_CHARS));
        n.put("instances", spec.instances());
        n.put("min", spec.min());
        n.put("max", spec.max());
        n.put("sloP99Ms", spec.sloP99Ms());
        put(n, "sloErrorRate", spec.sloErrorRate());
        n.put("governor", ctx.governors().getOrDefault(spec.artifact(), GovernorState.BOOT).name());
        SliceMetrics m = ctx.latest() == null ? null : ctx.latest().slices().get(spec.artifact());
        if (m == null) {
            n.put("latest", "no sample in the latest second");
        } else {
            ObjectNode latest = n.putObject("latest");
            put(latest, "rps", m.callsPerSecond());
            put(latest, "p99Ms", m.p99Ms());
            put(latest, "errorRate", m.errorRate());
            put(latest, "cpu", m.cpu());
            latest.put("inFlight", m.inFlight());
            latest.put("activeInstances", m.instances());
        }
        int size = 0;
        if (history != null && calls.length > 0) {
            size = history.copy(spec.artifact(), MetricsHistory.Series.CALLS_PER_SECOND, calls.length, calls);
            size = Math.min(size, history.copy(spec.artifact(), MetricsHistory.Series.P99_MS, calls.length, p99));
        }
        n.set("trend", trend(calls, p99, size));
        n.set("seasonality", seasonality(calls, size));
        return n;
    }

    private static ObjectNode trend(double[] calls, double[] p99, int size) {
        ObjectNode t = JSON.createObjectNode();
        if (size < 60) {
            t.put("status", "insufficient history: " + size + " s held, 60 s needed");
            return t;
        }
        put(t, "rpsSlopePerMin60s", Series.slope(calls, size - 60, size) * 60);
        put(t, "p99MsSlopePerMin60s", Series.slope(p99, size - 60, size) * 60);
        if (size >= 300) {
            put(t, "rpsSlopePerMin5m", Series.slope(calls, size - 300, size) * 60);
            put(t, "rpsMean5m", Series.mean(calls, size - 300, size));
            put(t, "rpsMax5m", Series.max(calls, size - 300, size));
            put(t, "p99MsMax5m", Series.max(p99, size - 300, size));
        } else {
            t.put("fiveMinutes", "insufficient history: " + size + " s held, 300 s needed");
        }
        return t;
    }

    /** The best repeating period of the calls series, and what it predicts; or why there is none. */
    private static ObjectNode seasonality(double[] calls, int size) {
        ObjectNode s = JSON.createObjectNode();
        double[] r = new double[PERIODS_SECONDS.length];
        double top = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < PERIODS_SECONDS.length; i++) {
            int period = PERIODS_SECONDS[i];
            r[i] = size < period + period / 2 ? Double.NEGATIVE_INFINITY
                    : SeriesStats.lagCorrelation(calls, size, period);
            top = Math.max(top, r[i]);
        }
        // A multiple of the true period correlates as well as the period itself: take the shortest near the top.
        int best = 0;
        double bestR = top;
        for (int i = 0; i < PERIODS_SECONDS.length && best == 0; i++) {
            if (r[i] >= top - PERIOD_TIE) {
                best = PERIODS_SECONDS[i];
                bestR = r[i];
            }
        }
        if (top == Double.NEGATIVE_INFINITY) {
            int needed = PERIODS_SECONDS[0] + PERIODS_SECONDS[0] / 2;
            s.put("status", "insufficient history: " + size + " s held, " + needed + " s needed");
            return s;
        }
        if (bestR < MIN_PERIOD_CORRELATION) {
            s.put("status", "no period: best candidate " + best + " s has autocorrelation " + r3(bestR)
                    + " < " + MIN_PERIOD_CORRELATION);
            return s;
        }
        int ago = size - best;
        s.put("periodSeconds", best);
        put(s, "autocorrelation", bestR);
        put(s, "rpsSamePhaseOnePeriodAgo", calls[ago]);
        int ahead = Math.min(SEASONAL_AHEAD_SECONDS, best);
        put(s, "rpsMaxNext5MinOnePeriodAgo", Series.max(calls, ago, Math.min(size, ago + ahead)));
        return s;
    }

    private static ObjectNode escalation(Decision below) {
        ObjectNode e = JSON.createObjectNode();
        e.put("fromLayer", below.layer().name());
        below.escalation().ifPresent(x -> {
            e.put("reason", x.reason().name());
            e.put("detail", Text.cap(x.detail(), MAX_DETAIL_CHARS));
        });
        e.put("reasoning", Text.cap(below.reasoning(), MAX_REASONING_CHARS));
        put(e, "confidence", below.confidence());
        ArrayNode changes = e.putArray("changes");
        for (Decision.ScaleChange c : below.changes().subList(0, Math.min(MAX_BELOW_CHANGES,
                below.changes().size()))) {
            ObjectNode n = changes.addObject();
            n.put("artifact", Text.cap(c.artifact(), MAX_ID_CHARS));
            n.put("fromInstances", c.fromInstances());
            n.put("toInstances", c.toInstances());
            n.put("rule", Text.cap(c.rule(), MAX_DETAIL_CHARS));
        }
        if (below.changes().size() > MAX_BELOW_CHANGES) {
            e.put("changesOmitted", below.changes().size() - MAX_BELOW_CHANGES);
        }
        return e;
    }

    private static ObjectNode nodes(List<NodeView> topology) {
        ObjectNode n = JSON.createObjectNode();
        n.put("total", topology.size());
        n.put("live", topology.stream().filter(NodeView::live).count());
        n.put("core", topology.stream().filter(NodeView::core).count());
        n.put("draining", topology.stream().filter(NodeView::drain).count());
        n.set("down", names(topology.stream().filter(v -> !v.live()).map(NodeView::nodeId)
                .collect(Collectors.toCollection(TreeSet::new))));
        return n;
    }

    private static ArrayNode names(TreeSet<String> sorted) {
        ArrayNode a = JSON.createArrayNode();
        sorted.stream().limit(MAX_LISTED_NODES).forEach(s -> a.add(Text.cap(s, MAX_ID_CHARS)));
        if (sorted.size() > MAX_LISTED_NODES) {
            a.add("… " + (sorted.size() - MAX_LISTED_NODES) + " more");
        }
        return a;
    }

    /** Rounded to 3 decimals, or null when not finite (JSON has no NaN). */
    private static void put(ObjectNode n, String field, double value) {
        if (Double.isFinite(value)) {
            n.put(field, r3(value));
        } else {
            n.putNull(field);
        }
    }

    private static double r3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
