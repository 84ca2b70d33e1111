package io.aether.bench.autoscale;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Markdown tables of a set of runs: the raw numbers, and each controller's ratios against HPA and KPA. */
final class Report {

    static final String HPA = "hpa";
    static final String KPA = "kpa";

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
