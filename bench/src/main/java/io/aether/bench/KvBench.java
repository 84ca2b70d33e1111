package io.aether.bench;

import io.aether.core.net.HostAndPort;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The KV benchmark: the same closed-loop load generator drives a 3-node Aether cluster (through
 * {@code KvClient}) and a 3-node etcd cluster (through jetcd), alternately, and prints both and the ratios.
 * Run through {@code bench/kv-bench.sh}, which starts both clusters.
 *
 * <pre>
 * KvBench --aether 127.0.0.1:7100,... --etcd http://127.0.0.1:2379,... [--clients 200,1000] [--seconds 10]
 *         [--value-bytes 256] [--kill-aether-pid PID] [--kill-etcd-pid PID]
 * </pre>
 */
public final class KvBench {

    private KvBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        List<HostAndPort> aether = Arrays.stream(options.get("--aether").split(",")).map(HostAndPort::parse).toList();
        List<String> etcd = List.of(options.get("--etcd").split(","));
        int[] concurrencies = Arrays.stream(options.getOrDefault("--clients", "200,1000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        double seconds = Double.parseDouble(options.getOrDefault("--seconds", "10"));
        int valueBytes = Integer.parseInt(options.getOrDefault("--value-bytes", "256"));
        byte[] value = new byte[valueBytes];
        ThreadLocalRandom.current().nextBytes(value);

        List<String> table = new ArrayList<>();
        for (int concurrency : concurrencies) {
            LoadResult[] writes = new LoadResult[2];
            LoadResult[] reads = new LoadResult[2];
            int i = 0;
            for (String system : List.of("etcd", "aether")) {
                try (KvTarget target = system.equals("etcd") ? new EtcdTarget(etcd, concurrency)
                        : new AetherTarget(aether, concurrency)) {
                    warmUp(target, value);
                    String prefix = "bench/" + concurrency + "/";
                    writes[i] = ClosedLoop.run(system, "write", concurrency, seconds,
                            n -> target.put(prefix + n, value), null);
                    System.out.println(writes[i].line());
                    reads[i] = ClosedLoop.run(system, "read", concurrency, seconds,
                            n -> target.get(prefix + (1 + Math.floorMod(n * 7919, Math.max(1, writes[0].operations())))),
                            null);
                    System.out.println(reads[i].line());
                }
                i++;
            }
            table.add(ratioLine("writes/s", concurrency, writes[1].opsPerSecond(), writes[0].opsPerSecond()));
            table.add(ratioLine("write p99 ms", concurrency, writes[1].p(99), writes[0].p(99)));
            table.add(ratioLine("write p99.9 ms", concurrency, writes[1].p(99.9), writes[0].p(99.9)));
            table.add(ratioLine("lin. reads/s", concurrency, reads[1].opsPerSecond(), reads[0].opsPerSecond()));
        }
        if (options.containsKey("--kill-aether-pid") && options.containsKey("--kill-etcd-pid")) {
            int concurrency = concurrencies[concurrencies.length - 1];
            long[] gaps = new long[2];
            int i = 0;
            for (String system : List.of("etcd", "aether")) {
                long pid = Long.parseLong(options.get(system.equals("etcd") ? "--kill-etcd-pid" : "--kill-aether-pid"));
                try (KvTarget target = system.equals("etcd") ? new EtcdTarget(etcd, concurrency)
                        : new AetherTarget(aether, concurrency)) {
                    warmUp(target, value);
                    LoadResult r = ClosedLoop.run(system, "kill", concurrency, seconds,
                            n -> target.put("kill/" + n, value), () -> kill(pid));
                    System.out.println(r.line());
                    gaps[i++] = r.longestGapMs();
                }
            }
            table.add(ratioLine("longest write gap ms (one node SIGKILLed)", concurrency, gaps[1], gaps[0]));
        }
        System.out.println();
        System.out.println("| metric | clients | aether | etcd | aether/etcd |");
        System.out.println("|---|---|---|---|---|");
        table.forEach(System.out::println);
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

    private static String ratioLine(String metric, int clients, double ours, double theirs) {
        return String.format("| %s | %d | %.2f | %.2f | %.2f |", metric, clients, ours, theirs,
                theirs == 0 ? Double.NaN : ours / theirs);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an option at argument " + i + ", got '" + args[i] + "'");
            }
            options.put(args[i], args[i + 1]);
        }
        for (String required : List.of("--aether", "--etcd")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("missing " + required + "; see the class Javadoc for usage");
            }
        }
        return options;
    }
}
