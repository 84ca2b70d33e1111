package io.aether.bench.autoscale;

import io.aether.controller.tree.DecisionTreeController;
import io.aether.controller.tree.TreeRules;
import dev.langchain4j.model.chat.ChatModel;
import io.aether.controller.llm.LlmController;
import io.aether.controller.slm.SlmController;
import io.aether.core.control.Controller;
import io.aether.core.control.Layer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Replays traces through every controller and prints the tables. Options:
 * <pre>
 *   --trace FILE            a trace CSV (t_seconds,requests_per_second); repeatable
 *   --traces DIR            every *.csv in DIR, by name
 *   --controller NAME=CLASS[@PERIOD_S]  an extra controller: a {@link Controller} with a public no-argument
 *                           constructor, evaluated every PERIOD_S seconds (default 1); repeatable
 *   --gate CLASS|bounds-only a {@link Gates.Factory} with a public no-argument constructor, or bounds-only
 *                           (default: the production guardrails with the node's default policy)
 *   --oscillation-window-s N  a direction reversal within N s is an oscillation (default 120)
 *   --generate KIND --seed N --out FILE   write a generated trace (step, ramp, diurnal, spike, noisy) and exit
 *   --eval                  evaluate the AI layers instead: each trace once per chain, l1, l1+l2 and l1+l2+l3
 *   --l2-every N            (--eval) simulated seconds between L2's scheduled runs (default 30; 0 = on escalation only)
 *   --l3-every N            (--eval) simulated seconds between L3's scheduled runs (default 300; 0 = on escalation only)
 * </pre>
 * The peers HPA, KEDA and KPA (requests/s as {@code kpa}, concurrency as {@code kpa-concurrency}) and Aether's
 * Layer 1 ({@code l1}, every second, default rules except the predictive lead: an operator sets the lead to the
 * service's start-up time plus a margin, here 30 + 5 s) always run, all through the same gate.
 *
 * <p>{@code --eval} replays Layer 1 alone and with the AI layers above it ({@link #evaluate}); the model endpoints are
 * the in-process {@link PolicyServer} unless the environment names real ones ({@link ModelEndpoints}).
 */
public final class AutoscaleBench {

    static final int DEFAULT_L2_EVERY_SECONDS = 30;
    static final int DEFAULT_L3_EVERY_SECONDS = 300;

    /** Seconds the predictive lead exceeds the service's start-up time (see {@link #layerOne}). */
    static final int PREDICTIVE_LEAD_MARGIN_SECONDS = 5;

    private AutoscaleBench() {
    }

    public static void main(String[] args) throws Exception {
        List<Trace> traces = new ArrayList<>();
        List<ControllerEntry> extra = new ArrayList<>();
        Gates.Factory gates = Gates.production(Gates.NODE_DEFAULT_POLICY);
        int oscillationWindow = 120;
        boolean eval = false;
        int l2Every = DEFAULT_L2_EVERY_SECONDS;
        int l3Every = DEFAULT_L3_EVERY_SECONDS;
        String generate = null;
        long seed = 1;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--eval")) {
                eval = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--trace" -> traces.add(Trace.read(Path.of(value)));
                case "--traces" -> traces.addAll(readDir(Path.of(value)));
                case "--controller" -> extra.add(controller(value));
                case "--gate" -> gates = value.equals("bounds-only") ? Gates.boundsOnly()
                        : (Gates.Factory) instantiate(value, Gates.Factory.class);
                case "--oscillation-window-s" -> oscillationWindow = Integer.parseInt(value);
                case "--l2-every" -> l2Every = Integer.parseInt(value);
                case "--l3-every" -> l3Every = Integer.parseInt(value);
                case "--generate" -> generate = value;
                case "--seed" -> seed = Long.parseLong(value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (generate != null) {
            if (out == null) {
                throw new IllegalArgumentException("--generate needs --out FILE");
            }
            TraceGenerator.valueOf(generate.toUpperCase(Locale.ROOT)).generate(seed).write(out);
            return;
        }
        if (traces.isEmpty()) {
            throw new IllegalArgumentException("no traces: give --trace FILE or --traces DIR");
        }
        ServiceParams params = ServiceParams.defaults();
        if (eval) {
            evaluateMain(params, gates, oscillationWindow, l2Every, l3Every, traces);
            return;
        }
        List<ControllerEntry> controllers = new ArrayList<>(peers(params));
        controllers.add(layerOne(params));
        controllers.addAll(extra);
        List<RunResult> results = run(params, gates, oscillationWindow, controllers, traces);
        System.out.println(Report.table(results));
        System.out.println(Report.ratios(results));
    }

    /** Every controller over every trace, trace by trace. */
    public static List<RunResult> run(ServiceParams params, Gates.Factory gates, int oscillationWindowSeconds,
                                      List<ControllerEntry> controllers, List<Trace> traces) {
        Replay replay = new Replay(params, gates, oscillationWindowSeconds);
        List<RunResult> results = new ArrayList<>();
        for (Trace trace : traces) {
            for (ControllerEntry controller : controllers) {
                results.add(replay.run(controller, trace));
            }
        }
        return results;
    }

    /**
     * HPA on CPU, KEDA on requests/s, KPA on concurrency and on requests/s, each configured to the same target utilisation: KEDA's
     * target is that share of an instance's capacity, KPA's the requests in flight on an instance at it (what an
     * operator would set after load-testing one instance). The ratios compare against {@code kpa} on requests/s, the
     * stronger of the two here: concurrency grows as rho / (1 - rho) with queueing, so a linear concurrency target
     * overshoots into panic and cycles.
     */
    public static List<ControllerEntry> peers(ServiceParams params) {
        double target = params.targetUtilisation();
        double rpsTarget = params.capacityRps() * target;
        double concurrencyTarget = params.inFlightPerInstance(target);
        return List.of(
                new ControllerEntry(Report.HPA, HpaController.SYNC_SECONDS,
                        () -> new HpaController(Replay.ARTIFACT, target)),
                new ControllerEntry("keda", KedaController.HPA_SYNC_SECONDS,
                        () -> new KedaController(Replay.ARTIFACT, rpsTarget)),
                new ControllerEntry(Report.KPA, KpaController.SCRAPE_SECONDS,
                        () -> new KpaController(Replay.ARTIFACT, KpaController.Metric.RPS, rpsTarget)),
                new ControllerEntry("kpa-concurrency", KpaController.SCRAPE_SECONDS,
                        () -> new KpaController(Replay.ARTIFACT, KpaController.Metric.CONCURRENCY,
                                concurrencyTarget)));
    }

    /**
     * Aether's Layer 1 every second (as the leader's control loop runs it) with the node's default rules but the
     * predictive lead an operator sets for this service: its start-up time plus a margin of
     * {@value #PREDICTIVE_LEAD_MARGIN_SECONDS} s, so that instances a forecast starts serve when the load comes.
     */
    static ControllerEntry layerOne(ServiceParams params) {
        TreeRules rules = TreeRules.defaults()
                .withPredictiveLead(params.startupDelaySeconds() + PREDICTIVE_LEAD_MARGIN_SECONDS);
        return new ControllerEntry("l1", 1, () -> new DecisionTreeController(rules));
    }


    /** The chains {@link #evaluate} replays, in order. */
    enum Chain {
        L1("l1", 0), L1_L2("l1+l2", 1), L1_L2_L3("l1+l2+l3", 2);

        final String label;
        final int aiLayers;

        Chain(String label, int aiLayers) {
            this.label = label;
            this.aiLayers = aiLayers;
        }
    }

    /**
     * Every trace once per chain: Layer 1 alone, with L2 above it, and with L2 and L3. The AI layers are
     * {@code SlmController} / {@code LlmController} with their default settings over {@code l2} / {@code l3}, on the
     * run's simulated clock; their decisions pass the same gate as L1's.
     */
    public static List<ChainResult> evaluate(ServiceParams params, Gates.Factory gates, int oscillationWindowSeconds,
                                             ChatModel l2, String l2Name, ChatModel l3, String l3Name,
                                             int l2EverySeconds, int l3EverySeconds, List<Trace> traces) {
        Replay replay = new Replay(params, gates, oscillationWindowSeconds);
        ControllerEntry l1 = layerOne(params);
        AiLayerEntry two = new AiLayerEntry(Layer.L2, l2EverySeconds,
                clock -> SlmController.create(l2, SlmController.defaults(l2Name), clock));
        AiLayerEntry three = new AiLayerEntry(Layer.L3, l3EverySeconds,
                clock -> LlmController.create(l3, LlmController.defaults(l3Name), clock));
        List<ChainResult> results = new ArrayList<>();
        for (Trace trace : traces) {
            for (Chain chain : Chain.values()) {
                List<AiLayerEntry> ai = List.of(two, three).subList(0, chain.aiLayers);
                results.add(replay.run(new ControllerEntry(chain.label, 1, l1.factory()), ai, trace));
            }
        }
        return results;
    }

    private static void evaluateMain(ServiceParams params, Gates.Factory gates, int oscillationWindowSeconds,
                                     int l2Every, int l3Every, List<Trace> traces) throws IOException {
        long start = System.nanoTime();
        try (PolicyServer server = PolicyServer.start(params.targetUtilisation(),
                params.startupDelaySeconds() + PREDICTIVE_LEAD_MARGIN_SECONDS)) {
            Map<String, String> env = System.getenv();
            ModelEndpoints.Endpoint l2 = ModelEndpoints.l2(env, server,
                    SlmController.defaults(PolicyServer.L2_MODEL).timeout());
            ModelEndpoints.Endpoint l3 = ModelEndpoints.l3(env, server,
                    LlmController.defaults(PolicyServer.L3_MODEL).timeout());
            System.out.println("L2: " + l2.modelName() + " at " + l2.url() + (l2.scripted() ? " (scripted policy)" : "")
                    + ", every " + l2Every + " s and on L1's escalations");
            System.out.println("L3: " + l3.modelName() + " at " + l3.url() + (l3.scripted() ? " (scripted policy)" : "")
                    + ", every " + l3Every + " s and on L2's escalations");
            List<ChainResult> results = evaluate(params, gates, oscillationWindowSeconds, l2.model(), l2.modelName(),
                    l3.model(), l3.modelName(), l2Every, l3Every, traces);
            System.out.println(Report.chainTable(results));
            System.out.println(Report.chainRatios(results));
            String failures = Report.failures(results);
            if (!failures.isEmpty()) {
                System.out.println(failures);
            }
            System.out.printf(java.util.Locale.ROOT, "%d chat requests answered by the scripted server; eval took "
                    + "%.1f s%n", server.answered(), (System.nanoTime() - start) / 1e9);
        }
    }

    private static ControllerEntry controller(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--controller '" + spec + "': expected NAME=CLASS[@PERIOD_S]");
        }
        String name = spec.substring(0, eq);
        String rest = spec.substring(eq + 1);
        int at = rest.indexOf('@');
        String className = at < 0 ? rest : rest.substring(0, at);
        int period = at < 0 ? 1 : Integer.parseInt(rest.substring(at + 1));
        instantiate(className, Controller.class);
        return new ControllerEntry(name, period, () -> (Controller) instantiate(className, Controller.class));
    }

    private static Object instantiate(String className, Class<?> type) {
        try {
            Class<?> cls = Class.forName(className);
            if (!type.isAssignableFrom(cls)) {
                throw new IllegalArgumentException(className + " is not a " + type.getName());
            }
            return cls.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot create " + className + " with a public no-argument "
                    + "constructor: " + e, e);
        }
    }

    private static List<Trace> readDir(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no *.csv traces in " + dir);
        }
        List<Trace> traces = new ArrayList<>();
        for (Path file : files) {
            traces.add(Trace.read(file));
        }
        return traces;
    }
}
