package io.aether.node.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The controller chain's configuration ({@code aether.controller.*}): the mode it starts in, the guardrails every
 * decision passes, and the Layer-1 decision tree's rules. Checked at start-up by {@link ControlSettings#from},
 * which names the bad key.
 */
@ConfigMapping(prefix = "aether.controller")
public interface ControllerConfig {

    /** {@code observe}, {@code propose} or {@code apply}; used until an operator sets {@code controller/mode}. */
    @WithDefault("apply")
    String mode();

    /** How long L1 may evaluate in a tick before the tick goes on without it. */
    @WithDefault("2s")
    Duration layerTimeout();

    /** How long a proposal waits for a human before it expires. */
    @WithDefault("10m")
    Duration proposalDeadline();

    Guardrails guardrails();

    L1 l1();

    /** The local small model's schedule, timeout and mode ({@code aether.controller.l2.*}). */
    L2 l2();

    /** The cloud model's schedule, timeout and mode ({@code aether.controller.l3.*}). */
    L3 l3();

    /** Layer 2: runs every 5 s and when L1 escalates; proposes until an operator lets it apply. */
    interface L2 {
        /** How often L2 runs on its own; {@code 0s} = only when L1 escalates. */
        @WithDefault("5s")
        Duration every();

        /** How long one L2 evaluation may run before it is cancelled (L1 stands). */
        @WithDefault("20s")
        Duration timeout();

        /** L2's own mode until an operator sets {@code controller/mode/l2}; the global mode restricts it. */
        @WithDefault("propose")
        String mode();

        /** Whether L2 runs at all; off by default (the cluster lives on L1 alone). */
        @WithDefault("false")
        boolean enabled();

        /** The model's name in receipts; default {@code ollama:} + the Ollama chat model id. */
        Optional<String> modelName();

        /** Consecutive failed calls that open the circuit breaker. */
        @WithDefault("3")
        int breakerFailureThreshold();

        /** How long the breaker stays open before one trial call. */
        @WithDefault("60s")
        Duration breakerOpenFor();

        /** Tokens (prompt + answer) L2 may spend in any hour; past it L2 holds. */
        @WithDefault("600000")
        long tokenBudgetPerHour();

        /** The answer's token limit sent with each request. */
        @WithDefault("512")
        int maxOutputTokens();

        /** The least time between two calls, whatever asks. */
        @WithDefault("5s")
        Duration minInterval();

        /** Slices the summary shows at most (the most pressed first). */
        @WithDefault("20")
        int maxSlices();

        /** Recent events the summary shows at most. */
        @WithDefault("10")
        int maxEvents();
    }

    /** Layer 3: runs every 60 s and when L2 escalates; proposes until an operator lets it apply. */
    interface L3 {
        /** How often L3 runs on its own; {@code 0s} = only when L2 escalates. */
        @WithDefault("60s")
        Duration every();

        /** How long one L3 evaluation may run before it is cancelled (L2 stands). */
        @WithDefault("60s")
        Duration timeout();

        /** L3's own mode until an operator sets {@code controller/mode/l3}; the global mode restricts it. */
        @WithDefault("propose")
        String mode();

        /** Whether L3 runs at all; off by default (needs a model endpoint and key). */
        @WithDefault("false")
        boolean enabled();

        /** The model's name in receipts; default {@code openai:} + the L3 model name. */
        Optional<String> modelName();

        /** Consecutive failed calls that open the circuit breaker. */
        @WithDefault("3")
        int breakerFailureThreshold();

        /** How long the breaker stays open before one trial call. */
        @WithDefault("5m")
        Duration breakerOpenFor();

        /** Tokens (prompt + answer) L3 may spend in any hour; past it L3 holds. */
        @WithDefault("200000")
        long tokenBudgetPerHour();

        /** The answer's token limit sent with each request. */
        @WithDefault("1024")
        int maxOutputTokens();

        /** The least time between two calls, whatever asks. */
        @WithDefault("60s")
        Duration minInterval();

        /** Slices the summary shows at most (the most pressed first). */
        @WithDefault("40")
        int maxSlices();

        /** Recent events the summary shows at most. */
        @WithDefault("20")
        int maxEvents();
    }

    /** The limits of {@code GuardrailPolicy}: one code path for every layer and for humans. */
    interface Guardrails {
        /** A controller moves a slice by at most max(this, ceil(max-step-relative × current)) at once. */
        @WithDefault("4")
        int maxStepAbsolute();

        /** See max-step-absolute; 1.0 lets a controller double a slice in one decision. */
        @WithDefault("1.0")
        double maxStepRelative();

        /** Applied controller changes per slice in any sliding minute. */
        @WithDefault("12")
        int maxDecisionsPerMinute();

        /** Time since a slice's last change before a controller may scale it down. */
        @WithDefault("30s")
        Duration scaleDownCooldown();

        /** Time since a slice's last scale-up before a controller may scale it up again. */
        @WithDefault("5s")
        Duration scaleUpCooldown();

        /** A metrics snapshot older than this refuses controller scale-downs. */
        @WithDefault("5s")
        Duration staleMetricsAfter();

        /** Total instances per tenant over all its blueprints ({@code aether.controller.guardrails.tenant-quotas.acme=20}). */
        Map<String, Integer> tenantQuotas();

        /** L2 and L3 decisions below this confidence are rejected. */
        @WithDefault("0.7")
        double minConfidence();

        /** The node provisioner may run at most this many workers; an add beyond is rejected. */
        @WithDefault("4")
        int maxWorkers();

        /** Time since the last applied node action before a controller may take another; humans are exempt. */
        @WithDefault("60s")
        Duration nodeActionCooldown();

        /** An AI layer's or a human's scale-up is a floor L1 may not scale below for this long; 0s = no floors. */
        @WithDefault("5m")
        Duration floorFor();
    }

    /** The Layer-1 decision tree's rules ({@code TreeRules}); every default is the one docs/controller-l1.md explains. */
    interface L1 {
        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.target-utilisation}. */
        @WithDefault("0.7")
        double targetUtilisation();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.hysteresis-band}. */
        @WithDefault("0.05")
        double hysteresisBand();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.capacity-per-instance}. */
        @WithDefault("0.0")
        double capacityPerInstance();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.capacity-window-seconds}. */
        @WithDefault("300")
        int capacityWindowSeconds();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.capacity-min-samples}. */
        @WithDefault("10")
        int capacityMinSamples();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.capacity-min-cpu}. */
        @WithDefault("0.2")
        double capacityMinCpu();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.scale-up-cooldown-seconds}. */
        @WithDefault("5")
        int scaleUpCooldownSeconds();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.scale-down-cooldown-seconds}. */
        @WithDefault("15")
        int scaleDownCooldownSeconds();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.scale-down-stabilisation-seconds}. */
        @WithDefault("15")
        int scaleDownStabilisationSeconds();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.scale-down-latency-fraction}. */
        @WithDefault("0.8")
        double scaleDownLatencyFraction();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.max-step-up-ratio}. */
        @WithDefault("2.0")
        double maxStepUpRatio();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.max-step-up-instances}. */
        @WithDefault("4")
        int maxStepUpInstances();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.max-in-flight-per-instance}. */
        @WithDefault("0")
        int maxInFlightPerInstance();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.in-flight-slo-fraction}. */
        @WithDefault("0.5")
        double inFlightSloFraction();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.stale-after-seconds}. */
        @WithDefault("3")
        int staleAfterSeconds();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.min-history-seconds}. */
        @WithDefault("60")
        int minHistorySeconds();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.oscillation-window-seconds}. */
        @WithDefault("600")
        int oscillationWindowSeconds();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.oscillation-max-changes}. */
        @WithDefault("4")
        int oscillationMaxChanges();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.slo-breach-seconds}. */
        @WithDefault("60")
        int sloBreachSeconds();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.predictive-lead-seconds}. */
        @WithDefault("20")
        int predictiveLeadSeconds();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.seasonal-periods-seconds}. */
        @WithDefault("120,180,240,300,360,420,480,540,600,660,720,780,840,900,960,1020,1080,1140,1200,1260,1320,1380,1440,1500,1560,1620,1680,1740,1800,1860,1920,1980,2040,2100,2160,2220,2280,2340,2400,2460,2520,2580,2640,2700,2760,2820,2880,2940,3000,3060,3120,3180,3240,3300,3360,3420,3480,3540,3600")
        List<Integer> seasonalPeriodsSeconds();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.seasonal-min-correlation}. */
        @WithDefault("0.8")
        double seasonalMinCorrelation();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.trend-window-seconds}. */
        @WithDefault("60")
        int trendWindowSeconds();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.trend-min-r2}. */
        @WithDefault("0.9")
        double trendMinR2();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.unclassified-window-seconds}. */
        @WithDefault("60")
        int unclassifiedWindowSeconds();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.unclassified-latency-cv}. */
        @WithDefault("1.0")
        double unclassifiedLatencyCv();

        /** See {@code TreeRules} and docs/controller-l1.md; key {@code aether.controller.l1.unclassified-load-cv}. */
        @WithDefault("0.25")
        double unclassifiedLoadCv();
    }
}
