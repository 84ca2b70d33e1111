package io.aether.core.control;

import io.aether.core.control.Decision.ScaleChange;
import io.aether.core.control.Verdict.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one code path every decision takes, from any layer and from humans (DESIGN §8). Per change, in order:
 * <ol>
 *   <li>schema: the artifact is a slice of the named blueprint;</li>
 *   <li>confidence: L2/L3 decisions below the floor are rejected;</li>
 *   <li>bounds: outside the blueprint's min..max a human's or an AI layer's (L2/L3) change is rejected naming the
 *       bound; L1's is clamped to the bound;</li>
 *   <li>step (controllers): beyond {@link GuardrailPolicy#maxStep} L1's change is clamped — clamping keeps the
 *       cluster moving toward the target a step at a time — and an AI layer's is rejected: a model asking for
 *       more than the policy allows is not trusted with a part of it;</li>
 *   <li>rate and cooldowns (controllers): rejected when the slice already had {@code maxDecisionsPerMinute}
 *       applied changes in the last minute, or is inside its scale-up / scale-down cooldown;</li>
 *   <li>stale metrics (controllers): a scale-down is rejected when a node stopped reporting or the snapshot is
 *       older than {@code staleMetricsAfter};</li>
 *   <li>tenant quota (everyone): a scale-up past the tenant's total is rejected for humans, clamped for
 *       controllers.</li>
 * </ol>
 * Node actions ({@link #checkNodeActions}) pass: a provisioner is configured, confidence (L2/L3), workers ≤
 * {@code maxWorkers} for an add, a remove names a worker the provisioner started, and (controllers) the
 * node-action cooldown.
 * A change that passes gets the mode's outcome (a human's is always {@link Outcome#APPLY}: the request is the
 * approval). Humans skip rate, cooldowns and staleness, never bounds or quotas. Rate and cooldowns use the memory
 * fed by {@link #recordApplied} and {@link #recordNodeAction}; time comes only from the {@link Clock}, so a check is
 * deterministic.
 */
public final class Guardrails {

    private final GuardrailPolicy policy;
    private final Clock clock;
    /** Per slice: applied change times within the last minute, at most {@code maxDecisionsPerMinute}. */
    private final Map<String, Deque<Instant>> applied = new HashMap<>();
    private final Map<String, Instant> lastChange = new HashMap<>();
    private final Map<String, Instant> lastScaleUp = new HashMap<>();
    /** Per slice: the floor the last AI or human scale-up set for L1, until when. */
    private final Map<String, Floor> floors = new HashMap<>();
    private Instant lastNodeAction;

    /** {@code layer} raised the slice to {@code instances}; L1 may not go below it before {@code until}. */
    private record Floor(Layer layer, int instances, Instant at, Instant until) {
    }

    public Guardrails(GuardrailPolicy policy, Clock clock) {
        this.policy = policy.validate();
        this.clock = clock;
    }

    public GuardrailPolicy policy() {
        return policy;
    }

    /** One verdict per change of {@code decision}, in order; node actions are {@link #checkNodeActions}'s. */
    public synchronized List<Verdict> check(Decision decision, ControlContext ctx, ControlMode mode) {
        Instant now = clock.instant();
        Map<String, Integer> tenantTotals = new HashMap<>();
        for (ControlContext.SliceSpec s : ctx.slices().values()) {
            tenantTotals.merge(s.tenant(), s.instances(), Integer::sum);
        }
        List<Verdict> verdicts = new ArrayList<>();
        for (ScaleChange change : decision.changes()) {
            Verdict v = checkOne(decision, change, ctx, mode, now, tenantTotals);
            verdicts.add(v);
            ControlContext.SliceSpec spec = ctx.slices().get(change.artifact());
            if (v.outcome() != Outcome.REJECT && spec != null) {
                tenantTotals.merge(spec.tenant(), v.allowedInstances() - spec.instances(), Integer::sum);
            }
        }
        return verdicts;
    }

    private Verdict checkOne(Decision decision, ScaleChange change, ControlContext ctx, ControlMode mode,
                             Instant now, Map<String, Integer> tenantTotals) {
        boolean human = decision.layer() == Layer.HUMAN;
        boolean ai = isAi(decision.layer());
        String artifact = change.artifact();
        ControlContext.SliceSpec spec = ctx.slices().get(artifact);
        if (spec == null || !spec.blueprint().equals(change.blueprint())) {
            return reject(change, spec == null ? 0 : spec.instances(), "schema: '" + artifact
                    + "' is not a slice of blueprint '" + change.blueprint() + "'");
        }
        int current = spec.instances();
        if (ai && decision.confidence() < policy.minConfidence()) {
            return reject(change, current, confidenceTooLow(decision));
        }
        List<String> reasons = new ArrayList<>();
        int target = change.toInstances();
        String where = "blueprint '" + spec.blueprint() + "': slice '" + artifact + "' instances " + target;
        if (target < spec.min() || target > spec.max()) {
            String bound = target < spec.min() ? "is below min " + spec.min() : "is above max " + spec.max();
            if (human || ai) {
                return reject(change, current, where + " " + bound);
            }
            target = Math.max(spec.min(), Math.min(spec.max(), target));
            reasons.add("bounds: " + where + " " + bound + ", clamped to " + target);
        }
        if (!human) {
            int step = policy.maxStep(current);
            if (Math.abs(target - current) > step && ai) {
                return reject(change, current, reasons, "step: " + current + " -> " + target
                        + " exceeds max step " + step);
            }
            if (Math.abs(target - current) > step) {
                int clamped = target > current ? current + step : current - step;
                reasons.add("step: " + current + " -> " + target + " exceeds max step " + step + ", clamped to "
                        + clamped);
                target = clamped;
            }
            if (target == current) {
                return reject(change, current, reasons, "no change: slice '" + artifact + "' already has "
                        + current + " instances");
            }
            Floor floor = floors.get(artifact);
            if (decision.layer() == Layer.L1 && target < current && floor != null && now.isBefore(floor.until())
                    && target < floor.instances()) {
                return reject(change, current, reasons, "floor: " + floor.layer() + " raised '" + artifact + "' to "
                        + floor.instances() + " at " + floor.at() + ", a floor for L1 until " + floor.until()
                        + "; L1 may scale up, not below it");
            }
            Deque<Instant> recent = recentApplied(artifact, now);
            if (recent.size() >= policy.maxDecisionsPerMinute()) {
                return reject(change, current, reasons, "rate: " + recent.size() + " changes to '" + artifact
                        + "' in the last minute, max " + policy.maxDecisionsPerMinute());
            }
            if (target > current) {
                Instant last = lastScaleUp.get(artifact);
                if (last != null && Duration.between(last, now).compareTo(policy.scaleUpCooldown()) < 0) {
                    return reject(change, current, reasons, "cooldown: last scale-up of '" + artifact + "' was "
                            + Duration.between(last, now).toMillis() + " ms ago, scale-up cooldown "
                            + policy.scaleUpCooldown().toMillis() + " ms");
                }
            } else {
                Instant last = lastChange.get(artifact);
                if (last != null && Duration.between(last, now).compareTo(policy.scaleDownCooldown()) < 0) {
                    return reject(change, current, reasons, "cooldown: last change of '" + artifact + "' was "
                            + Duration.between(last, now).toMillis() + " ms ago, scale-down cooldown "
                            + policy.scaleDownCooldown().toMillis() + " ms");
                }
                String stale = staleness(ctx, now);
                if (stale != null) {
                    return reject(change, current, reasons, "stale metrics: " + stale + "; not scaling down");
                }
            }
        }
        Integer quota = policy.tenantMaxInstances().get(spec.tenant());
        if (quota != null && target > current) {
            int total = tenantTotals.getOrDefault(spec.tenant(), 0);
            int after = total - current + target;
            if (after > quota) {
                String over = "quota: tenant '" + spec.tenant() + "' would have " + after
                        + " instances, above its quota " + quota;
                int room = Math.max(current, quota - (total - current));
                if (human || room <= current) {
                    return reject(change, current, reasons, over);
                }
                reasons.add(over + ", clamped to " + room);
                target = room;
            }
        }
        return new Verdict(change, human ? Outcome.APPLY : outcome(mode), reasons, target);
    }

    /**
     * One verdict per node action of {@code decision}, in order.
     *
     * @param provisioned the workers the node provisioner runs; empty when no provisioner is configured
     */
    public synchronized List<NodeVerdict> checkNodeActions(Decision decision, ControlMode mode,
                                                           Optional<List<String>> provisioned) {
        Instant now = clock.instant();
        boolean human = decision.layer() == Layer.HUMAN;
        int workers = provisioned.map(List::size).orElse(0);
        List<NodeVerdict> verdicts = new ArrayList<>();
        for (Decision.NodeAction action : decision.nodeActions()) {
            String refused = nodeRefusal(decision, action, provisioned, workers, now);
            if (refused != null) {
                verdicts.add(new NodeVerdict(action, Outcome.REJECT, List.of(refused)));
                continue;
            }
            workers += action.kind() == Decision.NodeAction.Kind.ADD_WORKER ? 1 : -1;
            verdicts.add(new NodeVerdict(action, human ? Outcome.APPLY : outcome(mode), List.of()));
        }
        return verdicts;
    }

    private String nodeRefusal(Decision decision, Decision.NodeAction action, Optional<List<String>> provisioned,
                               int workers, Instant now) {
        if (provisioned.isEmpty()) {
            return "no node provisioner configured";
        }
        if (isAi(decision.layer()) && decision.confidence() < policy.minConfidence()) {
            return confidenceTooLow(decision);
        }
        switch (action.kind()) {
            case ADD_WORKER -> {
                if (workers >= policy.maxWorkers()) {
                    return "workers: the provisioner runs " + workers + " workers, max " + policy.maxWorkers();
                }
            }
            case REMOVE_WORKER -> {
                if (action.nodeId().isEmpty()) {
                    return "REMOVE_WORKER names no node";
                }
                if (!provisioned.get().contains(action.nodeId().get())) {
                    return "node '" + action.nodeId().get() + "' was not started by the node provisioner (it runs "
                            + new java.util.TreeSet<>(provisioned.get()) + ")";
                }
            }
        }
        if (decision.layer() != Layer.HUMAN && lastNodeAction != null
                && Duration.between(lastNodeAction, now).compareTo(policy.nodeActionCooldown()) < 0) {
            return "cooldown: last node action was " + Duration.between(lastNodeAction, now).toMillis()
                    + " ms ago, node-action cooldown " + policy.nodeActionCooldown().toMillis() + " ms";
        }
        return null;
    }

    /** Remembers that a node action was applied now: the node-action cooldown counts from it. */
    public synchronized void recordNodeAction() {
        lastNodeAction = clock.instant();
    }

    private String confidenceTooLow(Decision decision) {
        return "confidence " + decision.confidence() + " is below the floor " + policy.minConfidence();
    }

    private static boolean isAi(Layer layer) {
        return layer == Layer.L2 || layer == Layer.L3;
    }

    private static Outcome outcome(ControlMode mode) {
        return switch (mode) {
            case APPLY -> Outcome.APPLY;
            case PROPOSE -> Outcome.PROPOSE;
            case OBSERVE -> Outcome.OBSERVE;
        };
    }

    private String staleness(ControlContext ctx, Instant now) {
        if (ctx.latest() == null) {
            return "no metrics snapshot yet";
        }
        if (ctx.latest().hasStaleNodes()) {
            return "nodes " + new java.util.TreeSet<>(ctx.latest().staleNodes()) + " stopped reporting";
        }
        long ageSeconds = now.getEpochSecond() - ctx.latest().epochSecond();
        if (ageSeconds > policy.staleMetricsAfter().toSeconds()) {
            return "the latest snapshot is " + ageSeconds + " s old, max " + policy.staleMetricsAfter().toSeconds()
                    + " s";
        }
        return null;
    }

    private static Verdict reject(ScaleChange change, int current, String reason) {
        return new Verdict(change, Outcome.REJECT, List.of(reason), current);
    }

    private static Verdict reject(ScaleChange change, int current, List<String> earlier, String reason) {
        List<String> reasons = new ArrayList<>(earlier);
        reasons.add(reason);
        return new Verdict(change, Outcome.REJECT, reasons, current);
    }

    private Deque<Instant> recentApplied(String artifact, Instant now) {
        Deque<Instant> times = applied.computeIfAbsent(artifact, a -> new ArrayDeque<>());
        while (!times.isEmpty() && !times.peekFirst().isAfter(now.minusSeconds(60))) {
            times.pollFirst();
        }
        return times;
    }

    /** {@link #recordApplied(String, int, int, Layer)} for an L1 change. */
    public synchronized void recordApplied(String artifact, int fromInstances, int toInstances) {
        recordApplied(artifact, fromInstances, toInstances, Layer.L1);
    }

    /**
     * Remembers that {@code layer} moved {@code artifact} from {@code fromInstances} to {@code toInstances} now: the
     * rate and cooldown checks count it (humans' changes too: they start the controllers' cooldowns), and a scale-up
     * by an AI layer or a human becomes L1's floor for {@code floorFor} — without it L1 would undo a predicted
     * pre-scale or an operator's decision as soon as its cooldown passed.
     */
    public synchronized void recordApplied(String artifact, int fromInstances, int toInstances, Layer layer) {
        Instant now = clock.instant();
        if (layer != Layer.L1 && toInstances > fromInstances && !policy.floorFor().isZero()) {
            floors.put(artifact, new Floor(layer, toInstances, now, now.plus(policy.floorFor())));
        } else if (layer != Layer.L1 && toInstances < fromInstances) {
            floors.remove(artifact);
        }
        Deque<Instant> times = recentApplied(artifact, now);
        times.addLast(now);
        while (times.size() > policy.maxDecisionsPerMinute()) {
            times.pollFirst();
        }
        lastChange.put(artifact, now);
        if (toInstances > fromInstances) {
            lastScaleUp.put(artifact, now);
        }
    }

    /** Drops the memory of slices no blueprint asks for any more (bounds the maps). */
    public synchronized void retain(java.util.Set<String> artifacts) {
        applied.keySet().retainAll(artifacts);
        lastChange.keySet().retainAll(artifacts);
        lastScaleUp.keySet().retainAll(artifacts);
        floors.keySet().retainAll(artifacts);
    }
}
