package io.aether.core.control;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The limits every decision must keep, from any layer or a human (see {@link Guardrails}).
 *
 * @param maxStepAbsolute         a controller may move a slice by at most
 *                                {@code max(maxStepAbsolute, ceil(maxStepRelative × current))} instances at once
 * @param maxStepRelative         see {@code maxStepAbsolute}; 0.5 = half the current count
 * @param maxDecisionsPerMinute   applied controller changes per slice in any sliding minute
 * @param scaleDownCooldown       time since the slice's last applied change before a controller may scale it down
 * @param scaleUpCooldown         time since the slice's last applied scale-up before a controller may scale it up
 * @param staleMetricsAfter       a snapshot older than this refuses controller scale-downs
 * @param tenantMaxInstances      total instances per tenant over all its blueprints; tenants not named are unbounded
 * @param minConfidence           L2 and L3 decisions below this confidence are rejected (L1 and humans are exempt)
 * @param maxWorkers              the node provisioner may run at most this many workers; an ADD_WORKER beyond is
 *                                rejected
 * @param nodeActionCooldown      time since the last applied node action before a controller may take another
 * @param floorFor                a scale-up applied by an AI layer or a human is a floor L1 may not scale below for
 *                                this long (L1 may still scale up); zero turns floors off
 */
public record GuardrailPolicy(int maxStepAbsolute, double maxStepRelative, int maxDecisionsPerMinute,
                              Duration scaleDownCooldown, Duration scaleUpCooldown, Duration staleMetricsAfter,
                              Map<String, Integer> tenantMaxInstances, double minConfidence, int maxWorkers,
                              Duration nodeActionCooldown, Duration floorFor) {

    /** Default {@code maxWorkers}: a laptop-sized bound on what a controller may start. */
    public static final int DEFAULT_MAX_WORKERS = 4;
    /** Default {@code nodeActionCooldown}: a worker takes tens of seconds to start and take instances. */
    public static final Duration DEFAULT_NODE_ACTION_COOLDOWN = Duration.ofSeconds(60);
    /** Default {@code floorFor}: long enough for a predicted peak to arrive, short enough not to strand capacity. */
    public static final Duration DEFAULT_FLOOR_FOR = Duration.ofMinutes(5);

    public GuardrailPolicy {
        Objects.requireNonNull(scaleDownCooldown, "scaleDownCooldown");
        Objects.requireNonNull(scaleUpCooldown, "scaleUpCooldown");
        Objects.requireNonNull(staleMetricsAfter, "staleMetricsAfter");
        Objects.requireNonNull(nodeActionCooldown, "nodeActionCooldown");
        Objects.requireNonNull(floorFor, "floorFor");
        tenantMaxInstances = Map.copyOf(tenantMaxInstances);
    }

    /** These limits with the default floor ({@link #DEFAULT_FLOOR_FOR}). */
    public GuardrailPolicy(int maxStepAbsolute, double maxStepRelative, int maxDecisionsPerMinute,
                           Duration scaleDownCooldown, Duration scaleUpCooldown, Duration staleMetricsAfter,
                           Map<String, Integer> tenantMaxInstances, double minConfidence, int maxWorkers,
                           Duration nodeActionCooldown) {
        this(maxStepAbsolute, maxStepRelative, maxDecisionsPerMinute, scaleDownCooldown, scaleUpCooldown,
                staleMetricsAfter, tenantMaxInstances, minConfidence, maxWorkers, nodeActionCooldown,
                DEFAULT_FLOOR_FOR);
    }

    /** The scale limits with the default node-action limits ({@value #DEFAULT_MAX_WORKERS} workers, 60 s). */
    public GuardrailPolicy(int maxStepAbsolute, double maxStepRelative, int maxDecisionsPerMinute,
                           Duration scaleDownCooldown, Duration scaleUpCooldown, Duration staleMetricsAfter,
                           Map<String, Integer> tenantMaxInstances, double minConfidence) {
        this(maxStepAbsolute, maxStepRelative, maxDecisionsPerMinute, scaleDownCooldown, scaleUpCooldown,
                staleMetricsAfter, tenantMaxInstances, minConfidence, DEFAULT_MAX_WORKERS,
                DEFAULT_NODE_ACTION_COOLDOWN);
    }

    /**
     * Step max(2, 50%), 6 decisions a minute, down cooldown 60 s, up cooldown 10 s, stale after 5 s, floor 0.7,
     * 4 workers, node-action cooldown 60 s.
     */
    public static GuardrailPolicy defaults() {
        return new GuardrailPolicy(2, 0.5, 6, Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(5),
                Map.of(), 0.7);
    }

    public GuardrailPolicy withTenantQuota(String tenant, int maxInstances) {
        Map<String, Integer> quotas = new java.util.HashMap<>(tenantMaxInstances);
        quotas.put(tenant, maxInstances);
        return new GuardrailPolicy(maxStepAbsolute, maxStepRelative, maxDecisionsPerMinute, scaleDownCooldown,
                scaleUpCooldown, staleMetricsAfter, quotas, minConfidence, maxWorkers, nodeActionCooldown, floorFor);
    }

    public GuardrailPolicy withNodeLimits(int maxWorkers, Duration nodeActionCooldown) {
        return new GuardrailPolicy(maxStepAbsolute, maxStepRelative, maxDecisionsPerMinute, scaleDownCooldown,
                scaleUpCooldown, staleMetricsAfter, tenantMaxInstances, minConfidence, maxWorkers, nodeActionCooldown,
                floorFor);
    }

    public GuardrailPolicy withFloorFor(Duration duration) {
        return new GuardrailPolicy(maxStepAbsolute, maxStepRelative, maxDecisionsPerMinute, scaleDownCooldown,
                scaleUpCooldown, staleMetricsAfter, tenantMaxInstances, minConfidence, maxWorkers, nodeActionCooldown,
                duration);
    }

    /** Throws {@link IllegalArgumentException} naming the first field that is out of range, and its value. */
    public GuardrailPolicy validate() {
        require(maxStepAbsolute >= 1, "maxStepAbsolute", maxStepAbsolute + " must be at least 1");
        require(maxStepRelative >= 0 && maxStepRelative <= 10, "maxStepRelative",
                maxStepRelative + " must be within 0 .. 10");
        require(maxDecisionsPerMinute >= 1, "maxDecisionsPerMinute", maxDecisionsPerMinute + " must be at least 1");
        require(!scaleDownCooldown.isNegative(), "scaleDownCooldown", scaleDownCooldown + " must not be negative");
        require(!scaleUpCooldown.isNegative(), "scaleUpCooldown", scaleUpCooldown + " must not be negative");
        require(staleMetricsAfter.compareTo(Duration.ofSeconds(1)) >= 0, "staleMetricsAfter",
                staleMetricsAfter + " must be at least 1 s (snapshots come once a second)");
        tenantMaxInstances.forEach((tenant, max) -> require(max != null && max >= 0,
                "tenantMaxInstances." + tenant, max + " must not be negative"));
        require(minConfidence >= 0 && minConfidence <= 1, "minConfidence", minConfidence + " must be within 0 .. 1");
        require(maxWorkers >= 0, "maxWorkers", maxWorkers + " must not be negative");
        require(!nodeActionCooldown.isNegative(), "nodeActionCooldown",
                nodeActionCooldown + " must not be negative");
        require(!floorFor.isNegative(), "floorFor", floorFor + " must not be negative");
        return this;
    }

    private static void require(boolean ok, String field, String problem) {
        if (!ok) {
            throw new IllegalArgumentException("guardrail policy: " + field + ": " + problem);
        }
    }

    /** The largest move a controller may make from {@code current} instances in one change. */
    int maxStep(int current) {
        return Math.max(maxStepAbsolute, (int) Math.ceil(maxStepRelative * current));
    }
}
