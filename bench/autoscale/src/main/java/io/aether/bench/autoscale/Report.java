package io.aether.bench.autoscale;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Markdown tables of a set of runs: the raw numbers, and each controller's ratios against HPA and KPA; for the
 * evaluation of the AI layers, each chain's numbers with what its layers did, and its ratios against L1 alone.
 */
final class Report {

    static final String HPA = "hpa";
    static final String KPA = "kpa";
    /** The evaluation's baseline: Layer 1 alone. */
    static final String L1 = "l1";

    private Report() {
    }

    static String table(List<RunResult> results) {
        StringBuilder out = new StringBuilder();
        out.append("| trace | controller | SLO-violation s | over-provisioned instance-s | instance-s | cost $ "
                + "| scaling actions | oscillations | peak instances |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        for (RunResult r : results) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d | %.2f | %d | %d | %d |%n", r.trace(),
                    r.controller(), r.sloViolationSeconds(), r.overProvisionedInstanceSeconds(),
                    r.instanceSeconds(), r.cost(), r.scalingActions(), r.oscillations(), r.peakInstances()));
        }
        return out.toString();
    }

    /** SLO-violation and over-provisioning ratios of every controller against HPA's and KPA's on the same trace. */
    static String ratios(List<RunResult> results) {
        Map<String, Map<String, RunResult>> byTrace = new LinkedHashMap<>();
        for (RunResult r : results) {
            byTrace.computeIfAbsent(r.trace(), k -> new LinkedHashMap<>()).put(r.controller(), r);
        }
        StringBuilder out = new StringBuilder();
        out.append("| trace | controller | SLO-violation vs HPA | over-provisioned vs HPA | SLO-violation vs KPA "
                + "| over-provisioned vs KPA |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Map<String, RunResult>> trace : byTrace.entrySet()) {
            RunResult hpa = trace.getValue().get(HPA);
            RunResult kpa = trace.getValue().get(KPA);
            for (RunResult r : trace.getValue().values()) {
                out.append("| ").append(trace.getKey()).append(" | ").append(r.controller()).append(" | ")
                        .append(ratio(r.sloViolationSeconds(), hpa == null ? -1 : hpa.sloViolationSeconds()))
                        .append(" | ")
                        .append(ratio(r.overProvisionedInstanceSeconds(),
                                hpa == null ? -1 : hpa.overProvisionedInstanceSeconds()))
                        .append(" | ")
                        .append(ratio(r.sloViolationSeconds(), kpa == null ? -1 : kpa.sloViolationSeconds()))
                        .append(" | ")
                        .append(ratio(r.overProvisionedInstanceSeconds(),
                                kpa == null ? -1 : kpa.overProvisionedInstanceSeconds()))
                        .append(" |\n");
            }
        }
        return out.toString();
    }

    /**
     * One row per chain and trace: the replay's figures, then per AI layer ({@code L2 / L3}) the model calls, tokens
     * in/out, p99 wall latency of a call, failed calls (refused answers or call errors) and the layer's changes the
     * guardrails applied/refused.
     */
    static String chainTable(List<ChainResult> results) {
        StringBuilder out = new StringBuilder();
        out.append("| trace | chain | SLO-violation s | over-provisioned instance-s | instance-s | scaling actions "
                + "| oscillations | model calls L2 / L3 | tokens in / out | p99 call latency ms L2 / L3 "
                + "| failed answers L2 / L3 | AI changes applied / refused | replay wall s |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (ChainResult c : results) {
            RunResult r = c.run();
            long in = 0;
            long outTokens = 0;
            int applied = 0;
            int refused = 0;
            for (LayerStats l : c.layers()) {
                in += l.inputTokens();
                outTokens += l.outputTokens();
                applied += l.appliedChanges();
                refused += l.refusedChanges();
            }
            boolean ai = !c.layers().isEmpty();
            out.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d | %d | %d | %s | %s | %s | %s | %s "
                            + "| %.1f |%n", r.trace(), r.controller(), r.sloViolationSeconds(),
                    r.overProvisionedInstanceSeconds(), r.instanceSeconds(), r.scalingActions(), r.oscillations(),
                    perLayer(c, l -> String.format(Locale.ROOT, "%,d", l.modelCalls())),
                    ai ? String.format(Locale.ROOT, "%,d / %,d", in, outTokens) : "—",
                    perLayer(c, l -> Long.toString(l.latencyMsP99())),
                    perLayer(c, l -> Integer.toString(l.failedCalls())),
                    ai ? applied + " / " + refused : "—", c.wallMillis() / 1000.0));
        }
        return out.toString();
    }

    /** Each chain's SLO-violation, over-provisioning and instance-seconds against L1 alone on the same trace. */
    static String chainRatios(List<ChainResult> results) {
        Map<String, RunResult> l1 = new LinkedHashMap<>();
        for (ChainResult c : results) {
            if (c.run().controller().equals(L1)) {
                l1.put(c.run().trace(), c.run());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("| trace | chain | SLO-violation vs l1 | over-provisioned vs l1 | instance-s vs l1 |\n");
        out.append("|---|---|---|---|---|\n");
        for (ChainResult c : results) {
            RunResult r = c.run();
            RunResult base = l1.get(r.trace());
            out.append("| ").append(r.trace()).append(" | ").append(r.controller()).append(" | ")
                    .append(ratio(r.sloViolationSeconds(), base == null ? -1 : base.sloViolationSeconds()))
                    .append(" | ")
                    .append(ratio(r.overProvisionedInstanceSeconds(),
                            base == null ? -1 : base.overProvisionedInstanceSeconds()))
                    .append(" | ")
                    .append(ratio(r.instanceSeconds(), base == null ? -1 : base.instanceSeconds()))
                    .append(" |\n");
        }
        return out.toString();
    }

    /** The first failed call of each layer of each chain, to see what went wrong; empty when none failed. */
    static String failures(List<ChainResult> results) {
        StringBuilder out = new StringBuilder();
        for (ChainResult c : results) {
            for (LayerStats l : c.layers()) {
                l.firstFailure().ifPresent(f -> out.append(c.run().trace()).append(" / ").append(c.run().controller())
                        .append(" / ").append(l.layer()).append(": ").append(l.failedCalls())
                        .append(" failed; first ").append(f).append('\n'));
            }
        }
        return out.toString();
    }

    private static String perLayer(ChainResult c, java.util.function.Function<LayerStats, String> figure) {
        if (c.layers().isEmpty()) {
            return "—";
        }
        StringBuilder out = new StringBuilder();
        for (LayerStats l : c.layers()) {
            out.append(out.length() == 0 ? "" : " / ").append(figure.apply(l));
        }
        return out.toString();
    }

    /** {@code n/d} as {@code 0.42×}; {@code —} without a peer; both zero is 1.00× (equal), n > 0 = d is ∞. */
    static String ratio(long numerator, long denominator) {
        if (denominator < 0) {
            return "—";
        }
        if (denominator == 0) {
            return numerator == 0 ? "1.00×" : "∞";
        }
        return String.format(Locale.ROOT, "%.2f×", (double) numerator / denominator);
    }
}
