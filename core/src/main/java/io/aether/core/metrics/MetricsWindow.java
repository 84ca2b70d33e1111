package io.aether.core.metrics;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The leader's {@link MetricsHistory}: per slice, one primitive ring of {@code capacitySeconds} doubles per series,
 * all rings advancing together one column per appended second. A slice seen for the first time reads 0 before it
 * appeared; a gap between two appended seconds reads 0 (bounded by the capacity). At most {@code maxSlices} slices
 * are held (each costs {@code 5 × 8 × capacitySeconds} bytes, 288 KB at two hours): a new slice beyond the bound
 * evicts the one idle the longest (one INFO line), and a slice idle for the whole window is dropped. Thread-safe:
 * one writer per second, readers copy under the same lock. Public so replays (bench/autoscale) feed controllers
 * the same window the leader keeps.
 */
public final class MetricsWindow implements MetricsHistory {

    private static final System.Logger LOG = System.getLogger(MetricsWindow.class.getName());
    private static final Series[] SERIES = Series.values();

    private final int capacity;
    private final int maxSlices;
    private final Map<String, Ring> slices = new HashMap<>();
    /** Index of the column the next second is written to. */
    private int head;
    private int size;
    private long newestSecond = -1;

    public MetricsWindow(int capacitySeconds, int maxSlices) {
        if (capacitySeconds < 1 || maxSlices < 1) {
            throw new IllegalArgumentException("metrics window: capacitySeconds " + capacitySeconds
                    + " and maxSlices " + maxSlices + " must be at least 1");
        }
        this.capacity = capacitySeconds;
        this.maxSlices = maxSlices;
    }

    /** Appends the snapshot's second; a second not after the newest is ignored (one WARN line). */
    public synchronized void append(ClusterMetricsSnapshot snapshot) {
        long second = snapshot.epochSecond();
        if (newestSecond >= 0 && second <= newestSecond) {
            LOG.log(Level.WARNING, "metrics window: second {0} is not after the newest {1}; ignored", second,
                    newestSecond);
            return;
        }
        if (newestSecond >= 0) {
            long gap = Math.min(second - newestSecond - 1, capacity);
            for (long i = 0; i < gap; i++) {
                slices.values().forEach(r -> r.zero(head));
                advance();
            }
        }
        for (SliceMetrics m : snapshot.slices().values()) {
            if (!slices.containsKey(m.artifact())) {
                makeRoomFor(m.artifact(), second);
                slices.put(m.artifact(), new Ring(capacity, second));
            }
        }
        Iterator<Map.Entry<String, Ring>> it = slices.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Ring> e = it.next();
            Ring ring = e.getValue();
            SliceMetrics m = snapshot.slices().get(e.getKey());
            if (m == null) {
                ring.zero(head);
                if (second - ring.lastActiveSecond >= capacity) {
                    it.remove();
                }
                continue;
            }
            ring.write(head, m);
            if (m.callsPerSecond() > 0 || m.instances() > 0 || m.inFlight() > 0) {
                ring.lastActiveSecond = second;
            }
        }
        advance();
        newestSecond = second;
    }

    @Override
    public int capacitySeconds() {
        return capacity;
    }

    @Override
    public synchronized int sizeSeconds() {
        return size;
    }

    @Override
    public synchronized long newestSecond() {
        return newestSecond;
    }

    @Override
    public synchronized int copy(String artifact, Series series, int seconds, double[] into) {
        if (seconds < 0) {
            throw new IllegalArgumentException("metrics window: seconds " + seconds + " is negative");
        }
        int n = Math.min(seconds, size);
        if (into.length < n) {
            throw new IllegalArgumentException("metrics window: the array of " + into.length + " cannot hold the "
                    + n + " seconds asked for " + artifact + " " + series);
        }
        Ring ring = slices.get(artifact);
        if (ring == null) {
            Arrays.fill(into, 0, n, 0);
            return n;
        }
        double[] values = ring.series[series.ordinal()];
        int start = Math.floorMod(head - n, capacity);
        int first = Math.min(n, capacity - start);
        System.arraycopy(values, start, into, 0, first);
        System.arraycopy(values, 0, into, first, n - first);
        return n;
    }

    /** The slices held now. */
    synchronized int sliceCount() {
        return slices.size();
    }

    private void advance() {
        head = (head + 1) % capacity;
        size = Math.min(size + 1, capacity);
    }

    private void makeRoomFor(String artifact, long second) {
        if (slices.size() < maxSlices) {
            return;
        }
        String idlest = null;
        long oldest = Long.MAX_VALUE;
        for (Map.Entry<String, Ring> e : slices.entrySet()) {
            if (e.getValue().lastActiveSecond < oldest) {
                oldest = e.getValue().lastActiveSecond;
                idlest = e.getKey();
            }
        }
        slices.remove(idlest);
        LOG.log(Level.INFO, "metrics window: {0} slices held (maxSlices); dropped the history of {1}, idle since "
                + "second {2}, to make room for {3} at second {4}", maxSlices, idlest, oldest, artifact, second);
    }

    /** One slice's series; column {@code i} of every array is the same second. */
    private static final class Ring {
        final double[][] series;
        long lastActiveSecond;

        Ring(int capacity, long firstSecond) {
            series = new double[SERIES.length][capacity];
            lastActiveSecond = firstSecond;
        }

        void zero(int column) {
            for (double[] s : series) {
                s[column] = 0;
            }
        }

        void write(int column, SliceMetrics m) {
            series[Series.CALLS_PER_SECOND.ordinal()][column] = m.callsPerSecond();
            series[Series.ERROR_RATE.ordinal()][column] = m.errorRate();
            series[Series.P99_MS.ordinal()][column] = m.p99Ms();
            series[Series.INSTANCES.ordinal()][column] = m.instances();
            series[Series.CPU.ordinal()][column] = m.cpu();
        }
    }
}
