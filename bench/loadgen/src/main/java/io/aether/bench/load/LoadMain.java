package io.aether.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

/**
 * Runs the KV benchmark phases against one system: for each concurrency an unmeasured warm-up write phase, a
 * write phase and a linearizable read phase, then (with {@code --kill-pid}) a write phase during which that
 * process is SIGKILLed at half time. Prints each phase and appends tab-separated results to {@code --out} for
 * {@link Compare}. Every system gets the same warm-up: it is this class's, not the target's.
 */
public final class LoadMain {

    /** Keys the warm-up phase cycles through. */
    private static final int WARMUP_KEYS = 10_000;

    private LoadMain() {
    }

    /**
     * Options: --clients 200,1000 --seconds 10 --warmup-seconds 5 --value-bytes 256 --out FILE [--kill-pid PID].
     * The warm-up writes at the phase's concurrency for {@code --warmup-seconds} before each concurrency's
     * measured phases (0: none), so the first measured phase does not carry JIT compilation of the client's,
     * the load generator's and (for a JVM) the server's code.
     */
    public static void run(String system, IntFunction<KvTarget> targets, String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        int[] concurrencies = Arrays.stream(options.getOrDefault("--clients", "200,1000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        double seconds = Double.parseDouble(options.getOrDefault("--seconds", "10"));
        double warmupSeconds = Double.parseDouble(options.getOrDefault("--warmup-seconds", "5"));
        if (warmupSeconds < 0) {
            throw new IllegalArgumentException("--warmup-seconds must be >= 0, was " + warmupSeconds);
        }
        byte[] value = new byte[Integer.parseInt(options.getOrDefault("--value-bytes", "256"))];
        ThreadLocalRandom.current().nextBytes(value);
        Path out = Path.of(options.getOrDefault("--out", "kv-bench-" + system + ".tsv"));
        List<LoadResult> results = new ArrayList<>();
        for (int concurrency : concurrencies) {
            try (KvTarget target = targets.apply(concurrency)) {
                warmUp(target, value);
                if (warmupSeconds > 0) {
                    // The warm-up overwrites a fixed set of keys: it warms the processes (JIT, pools, connections)
                    // without growing the store that the measured phases then write into.
                    String warmupPrefix = "warmup/" + concurrency + "/";
                    System.out.println("(warm-up, not counted) " + ClosedLoop.run(system, "warm-up", concurrency,
                            warmupSeconds, n -> target.put(warmupPrefix + n % WARMUP_KEYS, value), null).line());
                }
                String prefix = "bench/" + concurrency + "/";
                LoadResult writes = ClosedLoop.run(system, "write", concurrency, seconds,
                        n -> target.put(prefix + n, value), null);
                print(results, writes);
                long written = Math.max(1, writes.operations());
                print(results, ClosedLoop.run(system, "read", concurrency, seconds,
                        n -> target.get(prefix + (1 + Math.floorMod(n * 7919, written))), null));
            }
        }
        if (options.containsKey("--kill-pid")) {
            long pid = Long.parseLong(options.get("--kill-pid"));
            int concurrency = concurrencies[concurrencies.length - 1];
            try (KvTarget target = targets.apply(concurrency)) {
                warmUp(target, value);
                print(results, ClosedLoop.run(system, "kill", concurrency, seconds,
                        n -> target.put("kill/" + n, value), () -> kill(pid)));
            }
        }
        List<String> lines = new ArrayList<>();
        for (LoadResult r : results) {
            lines.add(String.join("\t", r.system(), r.phase(), String.valueOf(r.concurrency()),
                    String.valueOf(r.opsPerSecond()), String.valueOf(r.p(50)), String.valueOf(r.p(99)),
                    String.valueOf(r.p(99.9)), String.valueOf(r.longestGapMs())));
        }
        Files.write(out, lines);
        System.exit(0); // client libraries may leave non-daemon threads behind
    }

    private static void print(List<LoadResult> results, LoadResult r) {
        results.add(r);
        System.out.println(r.line());
    }

    private static void warmUp(KvTarget target, byte[] value) throws Exception {
        for (int i = 0; i < 200; i++) {
            target.put("warmup/" + i, value).get();
        }
    }

    private static void kill(long pid) {
        ProcessHandle.of(pid).ifPresentOrElse(p -> {
            p.destroyForcibly();
            System.out.println("SIGKILL sent to pid " + pid);
        }, () -> System.out.println("pid " + pid + " is not running; nothing killed"));
    }

    static List<String[]> read(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(l -> l.split("\t")).toList();
    }
}
