package io.aether.bench;

import io.aether.bench.load.ClosedLoop;
import io.aether.bench.load.LoadResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * Layer 1's reaction to a load step, on a running cluster whose blueprint holds one slice at 1 instance:
 * {@code LoadStep --nodes URL,URL,URL --blueprint TENANT/NAME --artifact G:A:V --path /crunch --body JSON
 * [--entry handle] [--slo-ms 300] [--factor 3] [--baseline 0.7] [--step-seconds 30] [--run N] [--out FILE]};
 * {@code LoadStep --summarise FILE} prints the runs appended to FILE with their min, median and max.
 *
 * <ol>
 *   <li>With L1 in observe mode, a closed loop (4 clients, 8 s after 3 s of warm-up) measures the capacity of
 *       the one instance: calls/s at saturation.</li>
 *   <li>An open loop offers {@code baseline} × capacity; after 8 s (L1's 5-s mean then holds no probe second) L1
 *       goes back to apply mode, and the offer goes on until L1 holds steady: at least 15 s,
 *       no L1 receipt for 10 s, the blueprint's count ACTIVE, and the cluster's last 3 metrics seconds within 20 %
 *       of the offer with p99 within the SLO (60 s deadline; a run that never got steady says so).</li>
 *   <li>At the start of a wall-clock second the offer steps to {@code factor} × capacity for {@code step-seconds};
 *       from that instant it records when L1 decided (its tick), when the scale-up was committed (the applied
 *       L1 receipt, sealed after the blueprint write; the first node's KV watch seeing the new blueprint, its
 *       BlueprintChanged event's time; a read of the blueprint), and when the new count was ACTIVE in the
 *       endpoints and reporting in the metrics.</li>
 * </ol>
 */
public final class LoadStep {

    private static final int MAX_OUTSTANDING = 4000;
    private static final long CALL_TIMEOUT_MS = 10_000;

    private LoadStep() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--summarise")) {
            Summary.print(Path.of(args[1]));
            return;
        }
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        List<URI> nodes = Arrays.stream(required(o, "--nodes").split(",")).map(URI::create).toList();
        String path = required(o, "--path");
        List<URI> targets = nodes.stream().map(n -> n.resolve(path)).toList();
        String body = required(o, "--body");
        String artifact = required(o, "--artifact");
        String blueprint = required(o, "--blueprint");
        double sloMs = Double.parseDouble(o.getOrDefault("--slo-ms", "300"));
        double factor = Double.parseDouble(o.getOrDefault("--factor", "3"));
        double baseline = Double.parseDouble(o.getOrDefault("--baseline", "0.7"));
        int stepSeconds = Integer.parseInt(o.getOrDefault("--step-seconds", "30"));
        String run = o.getOrDefault("--run", "1");

        try (ClusterWatch watch = new ClusterWatch(nodes, blueprint, artifact, o.getOrDefault("--entry", "handle"))) {
            URI leader = watch.leaderUri();
            System.out.printf("leader %s; watching %s of %s%n", leader, artifact, blueprint);

            watch.put(leader, "/api/v1/controller/mode", "{\"mode\":\"observe\",\"layer\":\"l1\"}");
            LoadResult probe = probe(targets, body);
            double capacity = probe.opsPerSecond();
            System.out.printf("capacity of 1 instance: %.1f calls/s (closed loop, 4 clients, 8 s: p50 %.1f ms, "
                    + "p99 %.1f ms, %d errors)%n", capacity, probe.p(50), probe.p(99), probe.errors());

            double baseRate = baseline * capacity;
            double stepRate = factor * capacity;
            try (OpenLoop load = new OpenLoop(targets, body, baseRate, MAX_OUTSTANDING, CALL_TIMEOUT_MS)) {
                long baseFrom = load.originEpochSecond();
                // L1 sizes for a 5-s mean that arrives 1.5 s late: apply only once it holds no probe second.
                Thread.sleep(8000); // the bench's schedule: 8 s of baseline in observe mode
                watch.put(leader, "/api/v1/controller/mode", "{\"mode\":\"apply\",\"layer\":\"l1\"}");
                boolean steady = awaitSteady(watch, baseRate, sloMs, baseFrom);
                long stepSecond = System.currentTimeMillis() / 1000 + 1;
                long stepMs = load.changeRateAt(stepSecond, stepRate);
                System.out.printf("step at %d: %.1f → %.1f calls/s offered (%.1f× capacity)%s%n", stepMs, baseRate,
                        stepRate, factor, steady ? "" : " — L1 was NOT steady before the step");
                long endMs = stepMs + stepSeconds * 1000L;
                while (System.currentTimeMillis() < endMs) {
                    Thread.sleep(100); // the bench's schedule: the stepped load runs step-seconds
                }
                load.stop(CALL_TIMEOUT_MS + 1000);
                Thread.sleep(1500); // the bench's schedule: let the last metrics second arrive
                Report report = new Report(watch, load, artifact, run, capacity, baseRate, stepRate, steady,
                        Math.max(baseFrom, stepSecond - 10), stepSecond, stepSecond + stepSeconds, stepMs);
                report.print();
                if (o.containsKey("--out")) {
                    Files.writeString(Path.of(o.get("--out")), report.tsv() + "\n", StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                }
                watch.failures().forEach(f -> System.out.println("watch failure: " + f));
            }
        }
        System.exit(0); // Vert.x and the HTTP client leave non-daemon threads behind
    }

    private static String required(Map<String, String> options, String name) {
        String v = options.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing option " + name);
        }
        return v;
    }

    /** Calls/s of the single instance at saturation: 3 s of warm-up, then 8 s of 4 closed-loop clients. */
    private static LoadResult probe(List<URI> targets, String body) throws InterruptedException {
        Vertx vertx = Vertx.vertx();
        try {
            io.vertx.core.http.HttpClient http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(8));
            Buffer payload = Buffer.buffer(body);
            AtomicInteger next = new AtomicInteger();
            java.util.function.Function<Long, CompletableFuture<?>> call = n -> {
                URI uri = targets.get(Math.floorMod(next.getAndIncrement(), targets.size()));
                return http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost())
                                .setPort(uri.getPort()).setURI(uri.getPath())
                                .putHeader("Content-Type", "application/json"))
                        .compose(req -> req.send(payload))
                        .compose(resp -> resp.statusCode() == 200 ? resp.body()
                                : resp.body().compose(b -> io.vertx.core.Future.failedFuture(
                                        "HTTP " + resp.statusCode() + " from " + uri + ": " + b)))
                        .toCompletionStage().toCompletableFuture();
            };
            ClosedLoop.run("probe", "warm-up", 2, 3, call, null);
            return ClosedLoop.run("probe", "capacity", 4, 8, call, null);
        } finally {
            vertx.close();
        }
    }

    /** Polls every second until L1 holds steady at the baseline (see the class comment); false at the deadline. */
    private static boolean awaitSteady(ClusterWatch watch, double rate, double sloMs, long fromSecond)
            throws InterruptedException {
        long start = System.currentTimeMillis();
        long deadline = start + 60_000;
        while (System.currentTimeMillis() < deadline) {
            Thread.sleep(1000); // polling interval of a deadline-bounded wait
            long now = System.currentTimeMillis();
            if (now - start < 15_000) {
                continue;
            }
            boolean quiet = watch.receipts(r -> r.actor().equals("controller:L1") && r.timeMs() > now - 10_000)
                    .isEmpty();
            int wanted = ClusterWatch.valueAt(watch.blueprintInstances(), now);
            int active = ClusterWatch.valueAt(watch.activeEndpoints(), now);
            List<ClusterWatch.Second> s = watch.seconds().stream().filter(x -> x.epochSecond() > fromSecond + 2)
                    .toList();
            boolean loadSeen = s.size() >= 3 && s.subList(s.size() - 3, s.size()).stream()
                    .allMatch(x -> Math.abs(x.calls() - rate) <= 0.2 * rate && x.p99Ms() <= sloMs);
            if (quiet && wanted > 0 && wanted == active && loadSeen) {
                List<ClusterWatch.Decision> d = watch.decisions();
                System.out.printf("steady after %d s of baseline at %d instance(s); L1: %s%n", (now - start) / 1000,
                        wanted, d.isEmpty() ? "-" : d.get(d.size() - 1).reasoning());
                return true;
            }
        }
        return false;
    }

    /** One run's timeline and figures. */
    static final class Report {
        private final ClusterWatch watch;
        private final OpenLoop load;
        private final String run;
        private final double capacity;
        private final double baseRate;
        private final double stepRate;
        private final boolean steady;
        private final long fromSecond;
        private final long stepSecond;
        private final long endSecond;
        private final long stepMs;
        private final int before;
        private final ClusterWatch.Receipt applied;
        private final ClusterWatch.Decision tick;
        private final long eventMs;
        private final long readMs;
        private final long servingMs;
        private final int target;
        private final int finalCount;
        private final long finalServingMs;

        Report(ClusterWatch watch, OpenLoop load, String artifact, String run, double capacity, double baseRate,
               double stepRate, boolean steady, long fromSecond, long stepSecond, long endSecond, long stepMs) {
            this.watch = watch;
            this.load = load;
            this.run = run;
            this.capacity = capacity;
            this.baseRate = baseRate;
            this.stepRate = stepRate;
            this.steady = steady;
            this.fromSecond = fromSecond;
            this.stepSecond = stepSecond;
            this.endSecond = endSecond;
            this.stepMs = stepMs;
            this.before = ClusterWatch.valueAt(watch.blueprintInstances(), stepMs);
            this.applied = watch.receipts(r -> r.actor().equals("controller:L1") && r.verdict().equals("applied")
                            && r.timeMs() >= stepMs && r.decision().path("artifact").asText().equals(artifact)
                            && r.decision().path("allowedInstances").asInt() > before)
                    .stream().findFirst().orElse(null);
            this.tick = watch.decisions().stream().filter(d -> d.atMs() >= stepMs && d.changes() > 0).findFirst()
                    .orElse(null);
            this.target = applied == null ? -1 : applied.decision().path("allowedInstances").asInt();
            this.eventMs = watch.events().stream().filter(e -> e.type().equals("BlueprintChanged")
                    && e.atMs() >= stepMs).mapToLong(ClusterWatch.Event::atMs).min().orElse(-1);
            this.readMs = watch.blueprintInstances().stream().filter(c -> c.seenMs() >= stepMs && c.value() > before)
                    .mapToLong(ClusterWatch.Count::seenMs).min().orElse(-1);
            this.servingMs = target < 0 ? -1 : serving(target);
            this.finalCount = ClusterWatch.valueAt(watch.blueprintInstances(), Long.MAX_VALUE);
            this.finalServingMs = serving(finalCount);
        }

        /** When {@code count} instances were first both ACTIVE in the endpoints and reporting in a metrics second. */
        private long serving(int count) {
            long endpoints = watch.activeEndpoints().stream().filter(c -> c.seenMs() >= stepMs && c.value() >= count)
                    .mapToLong(ClusterWatch.Count::seenMs).min().orElse(-1);
            long metrics = watch.seconds().stream().filter(s -> s.arrivedMs() >= stepMs && s.instances() >= count)
                    .mapToLong(ClusterWatch.Second::arrivedMs).min().orElse(-1);
            return endpoints < 0 || metrics < 0 ? -1 : Math.max(endpoints, metrics);
        }

        private long since(long ms) {
            return ms < 0 ? -1 : ms - stepMs;
        }

        private double p99(long from, long to) {
            if (from >= to) {
                return Double.NaN;
            }
            Histogram h = load.latency(from, to);
            return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1000.0;
        }

        private long servingSecond() {
            return servingMs < 0 ? endSecond : Math.min(endSecond, (servingMs + 999) / 1000);
        }

        double p99Before() {
            return p99(fromSecond, stepSecond);
        }

        double p99During() {
            return p99(stepSecond, servingSecond());
        }

        double p99After() {
            return servingMs < 0 ? Double.NaN : p99(Math.min(endSecond, servingSecond() + 3), endSecond);
        }

        long[] totals(long from, long to) {
            long[] t = new long[6];
            for (long s = from; s < to; s++) {
                OpenLoop.Second x = load.second(s);
                t[0] += x.offered.get();
                t[1] += x.ok.get();
                t[2] += x.rejected.get();
                t[3] += x.failed.get();
                t[4] += x.timedOut.get();
                t[5] += x.dropped.get();
            }
            return t;
        }

        void print() {
            System.out.println();
            System.out.println("timeline from the step (ms):");
            for (ClusterWatch.Decision d : watch.decisions()) {
                if (d.atMs() >= stepMs - 3000 && d.atMs() <= stepMs + 15_000) {
                    System.out.printf("  %+6d  L1 tick%s: %s%n", d.atMs() - stepMs, d.changes() > 0 ? " (change)" : "",
                            d.reasoning());
                }
            }
            for (ClusterWatch.Receipt r : watch.receipts(r -> r.timeMs() >= stepMs - 3000)) {
                System.out.printf("  %+6d  receipt %d %s %s: %s%n", r.timeMs() - stepMs, r.seq(), r.actor(),
                        r.verdict(), abbreviate(r.reasoning(), 220));
            }
            for (ClusterWatch.Event e : watch.events()) {
                if (e.arrivedMs() >= stepMs) {
                    System.out.printf("  %+6d  %s on %s (event at %+d): %s%n", e.arrivedMs() - stepMs, e.type(),
                            e.node(), e.atMs() - stepMs, e.type().equals("SliceStateChanged")
                                    ? e.json().path("nodeId").asText() + " " + e.json().path("state").asText() + " "
                                    + e.json().path("instances").asText() : e.json().path("blueprint").asText());
                }
            }
            for (ClusterWatch.Count c : watch.blueprintInstances()) {
                if (c.seenMs() >= stepMs) {
                    System.out.printf("  %+6d  blueprint read: %d instances%n", c.seenMs() - stepMs, c.value());
                }
            }
            for (ClusterWatch.Count c : watch.activeEndpoints()) {
                if (c.seenMs() >= stepMs) {
                    System.out.printf("  %+6d  endpoints: %d ACTIVE%n", c.seenMs() - stepMs, c.value());
                }
            }
            System.out.println();
            System.out.println("  s | offered   ok  503 fail tmo drop | client p99 ms | cluster calls/s p99 ms in-flight "
                    + "instances cpu | blueprint active | node cpu");
            Map<Long, ClusterWatch.Second> cluster = new HashMap<>();
            watch.seconds().forEach(s -> cluster.put(s.epochSecond(), s));
            for (long s = fromSecond; s < endSecond + 2; s++) {
                long[] t = s < endSecond ? totals(s, s + 1) : new long[6];
                ClusterWatch.Second c = cluster.get(s);
                long endOfSecond = (s + 1) * 1000;
                System.out.printf("%+4d | %7d %4d %4d %4d %3d %4d | %13s | %15s %6s %9s %9s %3s | %9d %6d | %s%n",
                        s - stepSecond, t[0], t[1], t[2], t[3], t[4], t[5],
                        s < endSecond ? format(p99(s, s + 1)) : "",
                        c == null ? "-" : format(c.calls()), c == null ? "-" : format(c.p99Ms()),
                        c == null ? "-" : c.inFlight(), c == null ? "-" : c.instances(),
                        c == null ? "-" : format(c.cpu()),
                        ClusterWatch.valueAt(watch.blueprintInstances(), endOfSecond),
                        ClusterWatch.valueAt(watch.activeEndpoints(), endOfSecond),
                        c == null ? "-" : c.nodeCpu().toString() + (c.staleNodes().isEmpty() ? ""
                                : " stale " + c.staleNodes()));
            }
            long[] during = totals(stepSecond, endSecond);
            System.out.println();
            System.out.printf("run %s: capacity %.1f calls/s; baseline %.1f, step %.1f calls/s%s%n", run, capacity,
                    baseRate, stepRate, steady ? "" : " (L1 not steady before the step)");
            System.out.printf("  L1 tick that decided: %s ms after the step%n", tick == null ? "-" : since(tick.atMs()));
            System.out.printf("  scale-up committed (applied L1 receipt): %s ms (%d → %d)%n",
                    applied == null ? "none" : since(applied.timeMs()), before, target);
            System.out.printf("  blueprint change seen by the first node's KV watch (BlueprintChanged at): %d ms; "
                    + "read through the API: %d ms%n", since(eventMs), since(readMs));
            System.out.printf("  %d instances ACTIVE and reporting: %d ms; final %d instances: %d ms%n", target,
                    since(servingMs), finalCount, since(finalServingMs));
            System.out.printf("  client p99: before %s ms, during %s ms, after %s ms%n", format(p99Before()),
                    format(p99During()), format(p99After()));
            System.out.printf("  stepped load: %d offered, %d ok, %d rejected (503/429), %d failed, %d timed out, "
                    + "%d dropped (over %d outstanding)%n", during[0], during[1], during[2], during[3], during[4],
                    during[5], MAX_OUTSTANDING);
        }

        String tsv() {
            long[] during = totals(stepSecond, endSecond);
            return String.join("\t", run, format(capacity), format(baseRate), format(stepRate), String.valueOf(steady),
                    String.valueOf(before), String.valueOf(tick == null ? -1 : since(tick.atMs())),
                    String.valueOf(applied == null ? -1 : since(applied.timeMs())), String.valueOf(since(eventMs)),
                    String.valueOf(since(readMs)), String.valueOf(target), String.valueOf(since(servingMs)),
                    String.valueOf(finalCount), String.valueOf(since(finalServingMs)), format(p99Before()),
                    format(p99During()), format(p99After()), String.valueOf(during[0]), String.valueOf(during[1]),
                    String.valueOf(during[0] - during[1]));
        }
    }

    private static String format(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    /** The runs of a summary file, with min, median and max of the timings. */
    static final class Summary {
        private static final String[] HEADER = {"run", "capacity/s", "base/s", "step/s", "steady", "before",
            "tick ms", "receipt ms", "KV watch ms", "read ms", "to", "serving ms", "final", "final serving ms",
            "p99 before", "p99 during", "p99 after", "offered", "ok", "not ok"};

        private Summary() {
        }

        static void print(Path file) throws IOException {
            List<String[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    rows.add(line.split("\t"));
                }
            }
            System.out.println();
            System.out.println("| " + String.join(" | ", HEADER) + " |");
            System.out.println("|" + "---|".repeat(HEADER.length));
            rows.forEach(r -> System.out.println("| " + String.join(" | ", r) + " |"));
            for (int column : new int[] {6, 7, 8, 11, 13}) {
                double[] v = rows.stream().mapToDouble(r -> Double.parseDouble(r[column])).filter(x -> x >= 0)
                        .sorted().toArray();
                System.out.printf("%s: %s%n", HEADER[column], v.length == 0 ? "none"
                        : String.format(Locale.ROOT, "min %.0f, median %.0f, max %.0f (%d of %d runs)", v[0],
                        v[v.length / 2], v[v.length - 1], v.length, rows.size()));
            }
        }
    }
}
