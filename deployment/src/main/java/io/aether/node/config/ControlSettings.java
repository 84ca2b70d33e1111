package io.aether.node.config;

import io.aether.controller.tree.DecisionTreeController;
import io.aether.controller.tree.TreeRules;
import io.aether.core.control.ControlMode;
import io.aether.core.control.Controller;
import io.aether.core.control.GuardrailPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Validated controller settings: the start mode, timeouts, the guardrail policy and the chain (Layer 1 alone
 * until the AI layers arrive). A bad value stops the node naming the key, like every other setting.
 */
public record ControlSettings(ControlMode defaultMode, Duration layerTimeout, Duration proposalDeadline,
                              GuardrailPolicy guardrails, List<Controller> chain) {

    public static ControlSettings from(ControllerConfig config) {
        ControlMode mode;
        try {
            mode = ControlMode.valueOf(config.mode().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("aether.controller.mode",
                    "'" + config.mode() + "' is not one of observe, propose, apply");
        }
        if (config.layerTimeout().isNegative() || config.layerTimeout().isZero()) {
            throw new InvalidConfigException("aether.controller.layer-timeout", config.layerTimeout() + " must be positive");
        }
        if (config.proposalDeadline().compareTo(Duration.ofSeconds(10)) < 0) {
            throw new InvalidConfigException("aether.controller.proposal-deadline",
                    config.proposalDeadline() + " is shorter than 10 s: nobody could approve in time");
        }
        ControllerConfig.Guardrails g = config.guardrails();
        GuardrailPolicy policy = new GuardrailPolicy(g.maxStepAbsolute(), g.maxStepRelative(),
                g.maxDecisionsPerMinute(), g.scaleDownCooldown(), g.scaleUpCooldown(), g.staleMetricsAfter(),
                g.tenantQuotas(), g.minConfidence());
        try {
            policy.validate();
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("aether.controller.guardrails",
                    e.getMessage().replaceFirst("^guardrail policy: ", ""));
        }
        TreeRules rules = rules(config.l1());
        try {
            rules.validate();
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("aether.controller.l1",
                    e.getMessage().replaceFirst("^aether\\.controller\\.l1: ", ""));
        }
        return new ControlSettings(mode, config.layerTimeout(), config.proposalDeadline(), policy,
                List.of(new DecisionTreeController(rules)));
    }

    private static TreeRules rules(ControllerConfig.L1 c) {
        return new TreeRules(c.targetUtilisation(), c.hysteresisBand(), c.capacityPerInstance(),
                c.capacityWindowSeconds(), c.capacityMinSamples(), c.capacityMinCpu(), c.scaleUpCooldownSeconds(),
                c.scaleDownCooldownSeconds(), c.scaleDownStabilisationSeconds(), c.scaleDownLatencyFraction(),
                c.maxStepUpRatio(), c.maxStepUpInstances(), c.maxInFlightPerInstance(), c.inFlightSloFraction(),
                c.staleAfterSeconds(), c.minHistorySeconds(), c.oscillationWindowSeconds(), c.oscillationMaxChanges(),
                c.sloBreachSeconds(), c.predictiveLeadSeconds(), c.seasonalPeriodsSeconds(), c.seasonalMinCorrelation(),
                c.trendWindowSeconds(), c.trendMinR2(), c.unclassifiedWindowSeconds(), c.unclassifiedLatencyCv(),
                c.unclassifiedLoadCv());
    }
}
