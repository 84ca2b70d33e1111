package io.aether.node.config;

import io.aether.controller.tree.DecisionTreeController;
import io.aether.controller.tree.TreeRules;
import io.aether.core.control.ControlLoop;
import io.aether.core.control.ControlMode;
import io.aether.core.control.Controller;
import io.aether.core.control.GuardrailPolicy;
import io.aether.core.control.Layer;
import io.aether.core.control.NodeProvisioner;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Validated controller settings: the start modes (global and per layer), timeouts, the guardrail policy, Layer 1
 * and the AI layers' schedules. A bad value stops the node naming the key, like every other setting.
 *
 * @param defaultMode  the global mode until {@code controller/mode} is written
 * @param layerModes   each layer's own mode until {@code controller/mode/l1..l3} is written (L1 = the global
 *                     default; L2, L3 from {@code aether.controller.l2.mode}, {@code .l3.mode})
 * @param layerTimeout how long L1 may evaluate in a tick
 * @param schedules    L2's and L3's schedule and timeout
 * @param ai           the AI layers that are enabled (L2, L3), empty when none is
 * @param provisioner  where node actions go; empty rejects them
 */
public record ControlSettings(ControlMode defaultMode, Map<Layer, ControlMode> layerModes, Duration layerTimeout,
                              Duration proposalDeadline, GuardrailPolicy guardrails, Controller l1,
                              Map<Layer, Schedule> schedules, List<Controller> ai,
                              Optional<NodeProvisioner> provisioner) {

    /**
     * How much longer than a layer's own call timeout the loop waits before cancelling it: the model client ends a
     * late call itself (and says so in a receipt); the loop's cancel is for a client that does not.
     */
    static final Duration CANCEL_GRACE = Duration.ofSeconds(5);

    public ControlSettings {
        ai = List.copyOf(ai);
    }

    /** These settings with the given AI layers (see {@link #aiLayers}). */
    public ControlSettings withAi(List<Controller> controllers) {
        return new ControlSettings(defaultMode, layerModes, layerTimeout, proposalDeadline, guardrails, l1, schedules,
                controllers, provisioner);
    }

    /** These settings with node actions going to {@code nodeProvisioner}. */
    public ControlSettings withProvisioner(Optional<NodeProvisioner> nodeProvisioner) {
        return new ControlSettings(defaultMode, layerModes, layerTimeout, proposalDeadline, guardrails, l1, schedules,
                ai, nodeProvisioner);
    }

    /** When an AI layer runs on its own ({@code every}; zero = only on escalation) and how long it may take. */
    public record Schedule(Duration every, Duration timeout) {
    }

    public static ControlSettings from(ControllerConfig config) {
        ControlMode mode = mode("aether.controller.mode", config.mode());
        Map<Layer, ControlMode> layerModes = new EnumMap<>(Layer.class);
        layerModes.put(Layer.L1, mode);
        layerModes.put(Layer.L2, mode("aether.controller.l2.mode", config.l2().mode()));
        layerModes.put(Layer.L3, mode("aether.controller.l3.mode", config.l3().mode()));
        Map<Layer, Schedule> schedules = new EnumMap<>(Layer.class);
        schedules.put(Layer.L2, schedule("aether.controller.l2", config.l2().every(), config.l2().timeout()));
        schedules.put(Layer.L3, schedule("aether.controller.l3", config.l3().every(), config.l3().timeout()));
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
                g.tenantQuotas(), g.minConfidence(), g.maxWorkers(), g.nodeActionCooldown(), g.floorFor());
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
        return new ControlSettings(mode, Map.copyOf(layerModes), config.layerTimeout(), config.proposalDeadline(),
                policy, new DecisionTreeController(rules), Map.copyOf(schedules), List.of(), Optional.empty());
    }

    /**
     * The AI layers for the control loop: each enabled controller, L2 before L3, on its configured schedule; the
     * loop cancels a call {@link #CANCEL_GRACE} after the layer's own timeout.
     */
    public List<ControlLoop.AiLayer> aiLayers() {
        return ai.stream().sorted(java.util.Comparator.comparing(Controller::layer)).map(c -> {
            Schedule s = schedules.get(c.layer());
            if (s == null) {
                throw new IllegalArgumentException("controller " + c.layer() + " is not an AI layer (L2 or L3)");
            }
            return new ControlLoop.AiLayer(c, s.every(), s.timeout().plus(CANCEL_GRACE));
        }).toList();
    }

    private static ControlMode mode(String key, String value) {
        try {
            return ControlMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(key, "'" + value + "' is not one of observe, propose, apply");
        }
    }

    private static Schedule schedule(String prefix, Duration every, Duration timeout) {
        if (every.isNegative()) {
            throw new InvalidConfigException(prefix + ".every", every + " must not be negative (0s = only on escalation)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new InvalidConfigException(prefix + ".timeout", timeout + " must be positive");
        }
        return new Schedule(every, timeout);
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
