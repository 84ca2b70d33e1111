package io.aether.bench.autoscale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * The scripted "model" behind {@link PolicyServer}: a deterministic function from a context summary
 * ({@code summary-v1}, as {@code ContextSummary} writes it) to an answer in the AI layers' schema. Per slice it infers
 * one instance's capacity from the latest second ({@code rps / (cpu × activeInstances)}), sizes the slice for the
 * demand it expects at the target utilisation, and answers that count when it differs from the current one:
 * <ul>
 *   <li>expected demand: the latest rate plus the 60-s slope over {@code leadSeconds} when rising (pre-scaling for
 *       the start-up time); with the seasonal horizon (L3) also the peak of the next 5 minutes one period ago,
 *       when the summary found a period;</li>
 *   <li>saturated (cpu ≥ 0.98, the capacity cannot be read): one guardrail step up;</li>
 *   <li>p99 over the SLO with every instance ready and no larger size computed: one more instance;</li>
 *   <li>down only to what the 5-minute peak needs, and not while the 60-s slope rises or when L1 escalated about
 *       oscillation; up by at most the node's default step (max(4, 100%)), which an operator would tell a model:
 *       a larger step is rejected, not clamped.</li>
 * </ul>
 * The short horizon (L2) escalates when the summary shows a period (the longer horizon is L3's) or when p99 is over
 * the SLO with every instance ready. Confidence is 0.8. It never asks for anything the schema cannot say.
 */
final class ScriptedPolicy {

    static final double CONFIDENCE = 0.8;
    static final double SATURATED_CPU = 0.98;
    /** Below this CPU the capacity estimate is mostly noise. */
    static final double MIN_READABLE_CPU = 0.05;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final double targetUtilisation;
    private final int leadSeconds;

    /**
     * @param targetUtilisation the utilisation to size for, 0..1 (exclusive)
     * @param leadSeconds       how far ahead a rising trend is extrapolated: the service's start-up time plus a margin
     */
    ScriptedPolicy(double targetUtilisation, int leadSeconds) {
        if (!(targetUtilisation > 0 && targetUtilisation < 1)) {
            throw new IllegalArgumentException("scripted policy: target utilisation " + targetUtilisation
                    + " must be in (0, 1)");
        }
        if (leadSeconds < 0) {
            throw new IllegalArgumentException("scripted policy: lead " + leadSeconds + " s must be >= 0");
        }
        this.targetUtilisation = targetUtilisation;
        this.leadSeconds = leadSeconds;
    }

    /**
     * The answer JSON to {@code summary}.
     *
     * @param seasonal the long horizon (L3): also sizes for the peak the seasonality predicts
     * @throws IllegalArgumentException when {@code summary} is not a summary-v1 JSON object
     */
    String answer(String summary, boolean seasonal) {
        JsonNode root;
        try {
            root = JSON.readTree(summary);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("scripted policy: the summary is not JSON: " + e.getOriginalMessage(),
                    e);
        }
        if (root == null || !root.isObject() || !"summary-v1".equals(root.path("summary").asText())) {
            throw new IllegalArgumentException("scripted policy: expected a summary-v1 object, got "
                    + (root == null ? "nothing" : root.getNodeType()));
        }
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode actions = answer.putArray("actions");
        StringBuilder reasoning = new StringBuilder();
        boolean escalate = false;
        for (JsonNode slice : root.path("slices")) {
            Sizing sizing = size(slice, seasonal, root.path("escalation").path("reason").asText(""));
            reasoning.append(reasoning.length() == 0 ? "" : "; ").append(slice.path("artifact").asText())
                    .append(": ").append(sizing.why);
            escalate |= !seasonal && sizing.escalate;
            if (sizing.target != slice.path("instances").asInt()) {
                ObjectNode a = actions.addObject();
                a.put("slice", slice.path("artifact").asText());
                a.put("targetInstances", sizing.target);
                a.put("reason", cap(sizing.why, 190));
            }
        }
        answer.put("confidence", CONFIDENCE);
        answer.put("escalate", escalate);
        answer.put("reasoning", cap(reasoning.length() == 0 ? "no slices" : reasoning.toString(), 590));
        return answer.toString();
    }

    private record Sizing(int target, String why, boolean escalate) {
    }

    private Sizing size(JsonNode slice, boolean seasonal, String escalationReason) {
        int instances = slice.path("instances").asInt();
        int min = slice.path("min").asInt(1);
        int max = slice.path("max").asInt(instances);
        JsonNode latest = slice.path("latest");
        if (!latest.isObject()) {
            return new Sizing(instances, "hold: no latest sample", false);
        }
        double rps = latest.path("rps").asDouble();
        double cpu = latest.path("cpu").asDouble();
        double p99 = latest.path("p99Ms").asDouble();
        int active = latest.path("activeInstances").asInt();
        JsonNode trend = slice.path("trend");
        double slopePerMin = trend.path("rpsSlopePerMin60s").asDouble(0);
        boolean periodic = slice.path("seasonality").has("periodSeconds");
        boolean overSlo = p99 > slice.path("sloP99Ms").asDouble(Double.MAX_VALUE);
        boolean allReady = active >= instances;
        boolean oscillating = "OSCILLATION".equals(escalationReason);
        int step = Math.max(4, instances);
        int target;
        String why;
        if (cpu >= SATURATED_CPU) {
            target = instances + step;
            why = String.format(Locale.ROOT, "saturated (cpu %.2f): +%d", cpu, step);
        } else if (active > 0 && cpu >= MIN_READABLE_CPU) {
            double perInstance = rps / (cpu * active);
            double demand = rps + Math.max(0, slopePerMin) * leadSeconds / 60.0;
            String basis = String.format(Locale.ROOT, "%.0f rps rising %.1f/min, %.0f rps per instance", rps,
                    slopePerMin, perInstance);
            if (seasonal && periodic) {
                double peak = slice.path("seasonality").path("rpsMaxNext5MinOnePeriodAgo").asDouble(0);
                if (peak > demand) {
                    demand = peak;
                    basis += String.format(Locale.ROOT, ", %.0f rps peak one period ago", peak);
                }
            }
            target = (int) Math.ceil(demand / (perInstance * targetUtilisation) - 1e-9);
            if (target < instances) {
                // Down only to what the last 5 minutes' peak needs, never while rising or after L1 saw the
                // instance count swing: the down-and-up that follows a noise dip is what L1 escalates about.
                double peak5m = trend.path("rpsMax5m").asDouble(Double.MAX_VALUE);
                int forPeak = (int) Math.ceil(Math.max(demand, peak5m) / (perInstance * targetUtilisation) - 1e-9);
                if (slopePerMin > 0 || oscillating) {
                    target = instances;
                    basis += oscillating ? ", holding: L1 saw oscillation" : ", not down while rising";
                } else if (forPeak > target) {
                    target = Math.min(instances, forPeak);
                    basis += peak5m == Double.MAX_VALUE ? ", not down without 5 minutes of history"
                            : String.format(Locale.ROOT, ", 5-min peak %.0f rps", peak5m);
                }
            }
            if (target <= instances && overSlo && allReady) {
                target = instances + 1;
                basis += String.format(Locale.ROOT, ", p99 %.0f ms over SLO", p99);
            }
            why = String.format(Locale.ROOT, "%s -> %d at %.0f%%", basis, target, targetUtilisation * 100);
        } else {
            return new Sizing(instances, String.format(Locale.ROOT, "hold: cpu %.3f too low to read capacity", cpu),
                    false);
        }
        target = Math.max(min, Math.min(max, Math.min(instances + step, target)));
        return new Sizing(target, why, periodic || (overSlo && allReady));
    }

    private static String cap(String s, int chars) {
        return s.length() <= chars ? s : s.substring(0, chars);
    }
}
