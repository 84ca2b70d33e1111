package io.aether.bench.autoscale;

import io.aether.controller.tree.DecisionTreeController;
import io.aether.controller.tree.TreeRules;
import io.aether.core.control.Controller;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * </pre>
 * The peers HPA, KEDA and KPA (requests/s as {@code kpa}, concurrency as {@code kpa-concurrency}) and Aether's
 * Layer 1 ({@code l1}, every second, default rules except the predictive lead: an operator sets the lead to the
 * service's start-up time plus a margin, here 30 + 5 s) always run, all through the same gate.
 */
public final class AutoscaleBench {

    /** Seconds the predictive lead exceeds the service's start-up time (see {@link #layerOne}). */
    static final int PREDICTIVE_LEAD_MARGIN_SECONDS = 5;

    private AutoscaleBench() {
    }

    public static void main(String[] args) throws Exception {
        List<Trace> traces = new ArrayList<>();
        List<ControllerEntry> extra = new ArrayList<>();
        Gates.Factory gates = Gates.production(Gates.NODE_DEFAULT_POLICY);
        int oscillationWindow = 120;
        String generate = null;
        long seed = 1;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
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
