package io.aether.core.metrics;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * The leader's merge of the nodes' updates into one {@link ClusterMetricsSnapshot} per second; no I/O, no clock of
 * its own (the caller passes the time), not thread-safe (the aggregator serialises access).
 *
 * <p>Nodes tick on their own clocks, so a leader second may see zero, one or two updates of a node. A node's
 * contribution to a second is the mean of the updates that arrived since the previous second (calls and errors per
 * second averaged, histograms added, in-flight, instances, CPU and heap from the newest); with none it repeats its
 * previous contribution until it is stale. A live node is stale when its last update arrived more than
 * {@code staleAfterMs} ago, or it never reported and the aggregation is older than that; a stale node's load is left
 * out and it is named in {@code staleNodes}.
 */
final class SecondAggregation {

    private static final System.Logger LOG = System.getLogger(SecondAggregation.class.getName());
    /** Updates held per node between two seconds; more means the leader's tick stalled, and the oldest go. */
    static final int MAX_PENDING_PER_NODE = 8;

    private final long staleAfterMs;
    private final int maxNodes;
    private final long startedAtMs;
    private final Map<String, NodeState> nodes = new HashMap<>();

    SecondAggregation(long staleAfterMs, int maxNodes, long startedAtMs) {
        if (staleAfterMs < 1 || maxNodes < 1) {
            throw new IllegalArgumentException("metrics aggregation: staleAfterMs " + staleAfterMs + " and maxNodes "
                    + maxNodes + " must be at least 1");
        }
        this.staleAfterMs = staleAfterMs;
        this.maxNodes = maxNodes;
        this.startedAtMs = startedAtMs;
    }

    /** One node's update, received at {@code receivedAtMs}; false when dropped (too many nodes). */
    boolean accept(MetricsUpdate update, long receivedAtMs) {
        NodeState state = nodes.get(update.nodeId());
        if (state == null) {
            if (nodes.size() >= maxNodes) {
                return false;
            }
            state = new NodeState();
            nodes.put(update.nodeId(), state);
        }
        if (state.pending.size() == MAX_PENDING_PER_NODE) {
            state.pending.removeFirst();
            LOG.log(Level.WARNING, "metrics aggregation: node {0} sent more than {1} updates between two seconds; "
                    + "dropped the oldest", update.nodeId(), MAX_PENDING_PER_NODE);
        }
        state.pending.addLast(update);
        state.lastReportMs = Math.max(state.lastReportMs, receivedAtMs);
        return true;
    }

    /**
     * Closes {@code epochSecond}: merges what arrived since the previous call and forgets nodes that are neither
     * live nor fresh.
     */
    ClusterMetricsSnapshot close(long epochSecond, long nowMs, Collection<String> liveNodes) {
        Set<String> stale = new HashSet<>();
        Map<String, NodeMetrics> nodeMetrics = new HashMap<>();
        Map<String, SliceSum> sums = new HashMap<>();
        for (String live : liveNodes) {
            if (!nodes.containsKey(live) && nowMs - startedAtMs > staleAfterMs) {
                stale.add(live);
            }
        }
        Iterator<Map.Entry<String, NodeState>> it = nodes.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, NodeState> e = it.next();
            String nodeId = e.getKey();
            NodeState state = e.getValue();
            boolean fresh = nowMs - state.lastReportMs <= staleAfterMs;
            if (!fresh && !liveNodes.contains(nodeId)) {
                it.remove();
                continue;
            }
            state.drain();
            MetricsUpdate newest = state.newest;
            nodeMetrics.put(nodeId, new NodeMetrics(nodeId, newest.cpu(), newest.heapUsedBytes(),
                    newest.heapMaxBytes(), state.lastReportMs));
            if (!fresh) {
                stale.add(nodeId);
                continue;
            }
            state.contribution.forEach((artifact, part) -> sums.computeIfAbsent(artifact, a -> new SliceSum())
                    .add(part, newest.cpu()));
        }
        Map<String, SliceMetrics> slices = new HashMap<>();
        sums.forEach((artifact, sum) -> slices.put(artifact, sum.toMetrics(artifact)));
        return new ClusterMetricsSnapshot(epochSecond, nodeMetrics, slices, stale);
    }

    /** One node's load on one slice within a second. */
    private static final class Part {
        double calls;
        double errors;
        int inFlight;
        int instances;
        final Histogram latency = Latency.newHistogram();
    }

    private static final class NodeState {
        final ArrayDeque<MetricsUpdate> pending = new ArrayDeque<>();
        Map<String, Part> contribution = Map.of();
        MetricsUpdate newest;
        long lastReportMs;

        /** Turns the pending updates into this second's contribution; keeps the previous one when none came. */
        void drain() {
            if (pending.isEmpty()) {
                return;
            }
            int updates = pending.size();
            Map<String, Part> parts = new HashMap<>();
            for (MetricsUpdate u : pending) {
                for (MetricsUpdate.EntryLoad e : u.entries()) {
                    Part p = parts.computeIfAbsent(e.artifact(), a -> new Part());
                    p.calls += (double) e.calls() / updates;
                    p.errors += (double) e.errors() / updates;
                    p.latency.add(e.latencyMicros());
                }
            }
            newest = pending.getLast();
            pending.clear();
            parts.values().forEach(p -> {
                p.inFlight = 0;
                p.instances = 0;
            });
            for (MetricsUpdate.EntryLoad e : newest.entries()) {
                parts.computeIfAbsent(e.artifact(), a -> new Part()).inFlight += e.inFlight();
            }
            newest.instances().forEach((artifact, n) -> parts.computeIfAbsent(artifact, a -> new Part())
                    .instances = n);
            contribution = parts;
        }
    }

    /** A slice summed over the fresh nodes. */
    private static final class SliceSum {
        double calls;
        double errors;
        int inFlight;
        int instances;
        double cpuSum;
        int cpuNodes;
        final Histogram latency = Latency.newHistogram();

        void add(Part p, double nodeCpu) {
            calls += p.calls;
            errors += p.errors;
            inFlight += p.inFlight;
            instances += p.instances;
            latency.add(p.latency);
            if (p.instances > 0 && nodeCpu >= 0) {
                cpuSum += nodeCpu;
                cpuNodes++;
            }
        }

        SliceMetrics toMetrics(String artifact) {
            double errorRate = calls > 0 ? Math.min(1, errors / calls) : 0;
            double cpu = cpuNodes > 0 ? cpuSum / cpuNodes : -1;
            return new SliceMetrics(artifact, calls, errorRate, Latency.percentileMs(latency, 50),
                    Latency.percentileMs(latency, 99), inFlight, instances, cpu);
        }
    }
}
