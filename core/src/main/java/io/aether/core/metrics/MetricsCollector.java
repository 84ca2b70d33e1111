package io.aether.core.metrics;

import io.aether.core.invoke.CallObserver;
import io.aether.core.invoke.LocalInstances;
import io.aether.core.slice.Artifact;
import io.aether.core.slice.SliceInstance;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.HdrHistogram.Recorder;

/**
 * Measures this node (every node runs one): as the {@link CallObserver} of {@link LocalInstances} it counts, per
 * versioned artifact × entry point, calls, errors, total duration, calls in flight and a latency {@link Recorder}
 * (interval histograms); once a second, just after the second turns, it sends the second's {@link MetricsUpdate}
 * (with process CPU, heap and the ACTIVE instances per artifact) to the current leader as frame 0x42 on the call
 * transport, or hands it to the local {@link MetricsAggregator} when this node leads. An update the leader's
 * connection refused is tried once more 250 ms later; after that the second is lost (the leader marks the node
 * stale after {@code staleAfter}).
 *
 * <p>Observing a call allocates nothing once its artifact × entry pair is known; at most {@code maxEntries} pairs
 * are tracked (further calls go unmeasured, counted, one WARN line a second). A pair idle for a minute is
 * forgotten.
 */
public final class MetricsCollector implements CallObserver {

    private static final System.Logger LOG = System.getLogger(MetricsCollector.class.getName());
    private static final long RETRY_MS = 250;
    private static final int IDLE_SECONDS_BEFORE_FORGET = 60;
    private static final Probe UNMEASURED = (durationNanos, failed) -> { };

    private final String nodeId;
    private final Clock clock;
    private final int maxEntries;
    private final Map<Artifact, Map<String, EntryStats>> stats = new ConcurrentHashMap<>();
    private final AtomicInteger entryCount = new AtomicInteger();
    private final LongAdder unmeasured = new LongAdder();
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private Vertx vertx;
    private LocalInstances local;
    private Supplier<Optional<String>> leader;
    private FrameSender sender;
    private MetricsAggregator aggregator;
    private long timerId = -1;
    private boolean leaderUnreachable;

    public MetricsCollector(String nodeId, Clock clock, MetricsConfig config) {
        this.nodeId = nodeId;
        this.clock = clock;
        this.maxEntries = config.maxEntries();
    }

    @Override
    public Probe started(Artifact artifact, String entry) {
        while (true) {
            Map<String, EntryStats> byEntry = stats.get(artifact);
            EntryStats s = byEntry == null ? null : byEntry.get(entry);
            if (s == null) {
                s = create(artifact, entry);
                if (s == null) {
                    unmeasured.increment();
                    return UNMEASURED;
                }
            }
            s.inFlight.incrementAndGet();
            if (!s.forgotten) {
                return s;
            }
            s.inFlight.decrementAndGet();
        }
    }

    /**
     * Starts sending an update each second.
     *
     * @param local       the instances whose counts go into each update
     * @param leader      the current leader's node id, empty while there is none (the second is then dropped)
     * @param sender      how to reach the leader ({@code invoker::send})
     * @param aggregator  this node's aggregator, which takes the update directly when this node leads
     */
    public synchronized void start(Vertx vertx, LocalInstances local, Supplier<Optional<String>> leader,
            FrameSender sender, MetricsAggregator aggregator) {
        if (timerId >= 0) {
            throw new IllegalStateException("metrics collector of node " + nodeId + " is already started");
        }
        this.vertx = vertx;
        this.local = local;
        this.leader = leader;
        this.sender = sender;
        this.aggregator = aggregator;
        schedule();
    }

    /** Stops sending updates; calls are still observed. Idempotent. */
    public synchronized void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }

    /** Calls not measured because {@code maxEntries} pairs were already tracked. */
    public long unmeasured() {
        return unmeasured.sum();
    }

    /** Builds the update of the interval since the previous one and resets the interval counters. */
    MetricsUpdate collect(long epochSecond) {
        double cpu = -1;
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            double load = sun.getProcessCpuLoad();
            cpu = load >= 0 && load <= 1 ? load : -1;
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        Map<String, Integer> instances = new HashMap<>();
        if (local != null) {
            for (SliceInstance i : local.all()) {
                instances.merge(i.artifact().toString(), 1, (a, b) -> Math.min(0xFFFF, a + b));
            }
        }
        List<MetricsUpdate.EntryLoad> entries = new ArrayList<>();
        stats.forEach((artifact, byEntry) -> byEntry.forEach((entry, s) -> {
            MetricsUpdate.EntryLoad load = s.interval();
            if (load.calls() > 0 || load.inFlight() > 0) {
                s.idleSeconds = 0;
                entries.add(load);
            } else if (++s.idleSeconds >= IDLE_SECONDS_BEFORE_FORGET) {
                forget(byEntry, s);
            }
        }));
        return new MetricsUpdate(nodeId, epochSecond, cpu, heap.getUsed(), heap.getMax(), instances, entries);
    }

    private EntryStats create(Artifact artifact, String entry) {
        synchronized (stats) {
            Map<String, EntryStats> byEntry = stats.computeIfAbsent(artifact, a -> new ConcurrentHashMap<>());
            EntryStats existing = byEntry.get(entry);
            if (existing != null) {
                return existing;
            }
            if (entryCount.get() >= maxEntries) {
                return null;
            }
            EntryStats s = new EntryStats(artifact.toString(), entry);
            byEntry.put(entry, s);
            entryCount.incrementAndGet();
            return s;
        }
    }

    /**
     * Forgets an idle pair unless a call started or ended since the interval was read: {@code forgotten} is set
     * before the counters are checked, and {@link #started} checks it after counting itself in, so either this
     * sees the call or the call sees the flag and goes to a fresh pair.
     */
    private void forget(Map<String, EntryStats> byEntry, EntryStats s) {
        s.forgotten = true;
        if (s.inFlight.get() > 0 || s.calls.sum() > 0) {
            s.forgotten = false;
            return;
        }
        synchronized (stats) {
            byEntry.remove(s.entry, s);
            entryCount.decrementAndGet();
        }
    }

    private void schedule() {
        long now = clock.millis();
        long delay = 1_000 - Math.floorMod(now, 1_000) + 5;
        timerId = vertx.setTimer(delay, id -> tick());
    }

    private void tick() {
        synchronized (this) {
            if (timerId < 0) {
                return;
            }
            schedule();
        }
        try {
            long skipped = unmeasured.sumThenReset();
            if (skipped > 0) {
                LOG.log(Level.WARNING, "metrics collector {0}: {1} calls went unmeasured in the last second: "
                        + "{2} artifact × entry pairs are tracked (maxEntries)", nodeId, skipped, maxEntries);
            }
            publish(collect(clock.millis() / 1_000 - 1));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "metrics collector " + nodeId + ": the update of this second failed", e);
        }
    }

    private void publish(MetricsUpdate update) {
        Optional<String> to = leader.get();
        if (to.isEmpty()) {
            LOG.log(Level.DEBUG, "metrics collector {0}: no leader; second {1} not reported", nodeId,
                    update.epochSecond());
            return;
        }
        if (to.get().equals(nodeId)) {
            aggregator.accept(update);
            return;
        }
        byte[] frame = MetricsFrames.encode(update);
        if (sender.send(to.get(), MetricsFrames.UPDATE, frame)) {
            reachable(to.get());
            return;
        }
        vertx.setTimer(RETRY_MS, id -> {
            if (sender.send(to.get(), MetricsFrames.UPDATE, frame)) {
                reachable(to.get());
            } else {
                unreachable(to.get(), update.epochSecond());
            }
        });
    }

    private synchronized void reachable(String leaderId) {
        if (leaderUnreachable) {
            leaderUnreachable = false;
            LOG.log(Level.INFO, "metrics collector {0}: reporting to leader {1} again", nodeId, leaderId);
        }
    }

    private synchronized void unreachable(String leaderId, long second) {
        if (!leaderUnreachable) {
            leaderUnreachable = true;
            LOG.log(Level.WARNING, "metrics collector {0}: leader {1} is not connected or its queue is full; "
                    + "second {2} (and later ones, until it is back) not reported", nodeId, leaderId, second);
        }
    }

    /** One artifact × entry pair; the probe of its calls. */
    private static final class EntryStats implements Probe {
        final String artifact;
        final String entry;
        final LongAdder calls = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder totalNanos = new LongAdder();
        final AtomicInteger inFlight = new AtomicInteger();
        final Recorder latencyMicros = new Recorder(1, Latency.HIGHEST_MICROS, Latency.SIGNIFICANT_DIGITS);
        volatile boolean forgotten;
        /** Only the collector's tick touches it. */
        int idleSeconds;

        EntryStats(String artifact, String entry) {
            this.artifact = artifact;
            this.entry = entry;
        }

        @Override
        public void completed(long durationNanos, boolean failed) {
            latencyMicros.recordValue(Latency.micros(durationNanos));
            totalNanos.add(durationNanos);
            if (failed) {
                errors.increment();
            }
            calls.increment();
            inFlight.decrementAndGet();
        }

        MetricsUpdate.EntryLoad interval() {
            long n = calls.sumThenReset();
            long failed = Math.min(n, errors.sumThenReset());
            return new MetricsUpdate.EntryLoad(artifact, entry, n, failed, totalNanos.sumThenReset(),
                    Math.max(0, inFlight.get()), latencyMicros.getIntervalHistogram());
        }
    }
}
