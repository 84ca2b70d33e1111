package io.aether.core.metrics;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The two metrics frames, carried on the call transport (which adds length, cluster id and CRC32C). Big-endian;
 * strings are UTF-8 behind a u16 length; {@code varint} is unsigned LEB128 (at most 9 bytes, 63 bits).
 *
 * <pre>
 * UPDATE   (0x42): version u8 = 1 | nodeId str | epochSecond i64 | cpu f64 | heapUsed i64 | heapMax i64
 *                  | n u16 × { artifact str | instances u16 }
 *                  | n u16 × { artifact str | entry str | calls i64 | errors i64 | totalNanos i64 | inFlight i32
 *                             | buckets u16 × { valueMicros varint | count varint } }
 * SNAPSHOT (0x43): version u8 = 1 | epochSecond i64
 *                  | n u16 × { nodeId str | cpu f64 | heapUsed i64 | heapMax i64 | reportedAtMs i64 }
 *                  | n u16 × { artifact str | callsPerSecond f64 | errorRate f64 | p50Ms f64 | p99Ms f64
 *                             | inFlight i32 | instances i32 | cpu f64 }
 *                  | n u16 × { staleNodeId str }
 * </pre>
 *
 * A histogram travels as its non-empty buckets (value ascending, each recorded back into the shared shape of
 * {@link Latency}), so decoding never allocates more than the frame's own length implies. Decoding rejects, with a
 * {@link MetricsCodecException} naming the field: truncation, trailing bytes, an unknown version, lengths or counts
 * over their bound, invalid UTF-8, empty or duplicate names, negative counters, errors above calls, CPU outside
 * -1 or 0..1, non-finite numbers and bucket values out of range or not ascending.
 */
final class MetricsFrames {

    static final byte UPDATE = 0x42;
    static final byte SNAPSHOT = 0x43;
    static final int VERSION = 1;
    static final int MAX_NAME_BYTES = 1024;
    /** Bound on artifacts, entries, nodes and slices in one frame. */
    static final int MAX_ITEMS = 4096;
    /** More than the shape of {@link Latency} has buckets with a count. */
    static final int MAX_BUCKETS = 8192;

    private MetricsFrames() {}

    static byte[] encode(MetricsUpdate u) {
        Out out = new Out();
        out.u8(VERSION).str(u.nodeId()).i64(u.epochSecond()).f64(u.cpu()).i64(u.heapUsedBytes())
                .i64(u.heapMaxBytes());
        out.count("instances", u.instances().size());
        u.instances().forEach((artifact, n) -> out.str(artifact).u16(n));
        out.count("entries", u.entries().size());
        for (MetricsUpdate.EntryLoad e : u.entries()) {
            out.str(e.artifact()).str(e.entry()).i64(e.calls()).i64(e.errors()).i64(e.totalNanos())
                    .i32(e.inFlight());
            List<long[]> buckets = new ArrayList<>();
            for (HistogramIterationValue v : e.latencyMicros().recordedValues()) {
                buckets.add(new long[] {v.getValueIteratedTo(), v.getCountAtValueIteratedTo()});
            }
            out.count("buckets", buckets.size());
            buckets.forEach(b -> out.varint(b[0]).varint(b[1]));
        }
        return out.bytes();
    }

    static MetricsUpdate decodeUpdate(byte[] payload) {
        In in = new In(payload, "metrics update");
        try {
            in.version();
            String nodeId = in.name("nodeId");
            long second = in.nonNegative("epochSecond", in.b.getLong());
            double cpu = in.cpu("cpu");
            long heapUsed = in.nonNegative("heapUsed", in.b.getLong());
            long heapMax = in.heapMax();
            int artifacts = in.count("instances");
            Map<String, Integer> instances = new HashMap<>();
            for (int i = 0; i < artifacts; i++) {
                String artifact = in.name("instances[" + i + "].artifact");
                int n = Short.toUnsignedInt(in.b.getShort());
                if (instances.put(artifact, n) != null) {
                    throw in.error("instances[" + i + "] repeats artifact '" + artifact + "'");
                }
            }
            int entryCount = in.count("entries");
            List<MetricsUpdate.EntryLoad> entries = new ArrayList<>(entryCount);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < entryCount; i++) {
                String field = "entries[" + i + "]";
                String artifact = in.name(field + ".artifact");
                String entry = in.name(field + ".entry");
                if (!seen.add(artifact + ' ' + entry)) {
                    throw in.error(field + " repeats " + artifact + " entry '" + entry + "'");
                }
                long calls = in.nonNegative(field + ".calls", in.b.getLong());
                long errors = in.nonNegative(field + ".errors", in.b.getLong());
                if (errors > calls) {
                    throw in.error(field + ".errors " + errors + " exceeds calls " + calls);
                }
                long totalNanos = in.nonNegative(field + ".totalNanos", in.b.getLong());
                int inFlight = (int) in.nonNegative(field + ".inFlight", in.b.getInt());
                entries.add(new MetricsUpdate.EntryLoad(artifact, entry, calls, errors, totalNanos, inFlight,
                        in.histogram(field)));
            }
            in.end();
            return new MetricsUpdate(nodeId, second, cpu, heapUsed, heapMax, instances, entries);
        } catch (BufferUnderflowException e) {
            throw in.truncated();
        }
    }

    static byte[] encode(ClusterMetricsSnapshot s) {
        Out out = new Out();
        out.u8(VERSION).i64(s.epochSecond());
        out.count("nodes", s.nodes().size());
        for (NodeMetrics n : s.nodes().values()) {
            out.str(n.nodeId()).f64(n.cpu()).i64(n.heapUsedBytes()).i64(n.heapMaxBytes()).i64(n.reportedAtMs());
        }
        out.count("slices", s.slices().size());
        for (SliceMetrics m : s.slices().values()) {
            out.str(m.artifact()).f64(m.callsPerSecond()).f64(m.errorRate()).f64(m.p50Ms()).f64(m.p99Ms())
                    .i32(m.inFlight()).i32(m.instances()).f64(m.cpu());
        }
        out.count("staleNodes", s.staleNodes().size());
        s.staleNodes().forEach(out::str);
        return out.bytes();
    }

    static ClusterMetricsSnapshot decodeSnapshot(byte[] payload) {
        In in = new In(payload, "metrics snapshot");
        try {
            in.version();
            long second = in.nonNegative("epochSecond", in.b.getLong());
            int nodeCount = in.count("nodes");
            Map<String, NodeMetrics> nodes = new HashMap<>();
            for (int i = 0; i < nodeCount; i++) {
                String field = "nodes[" + i + "]";
                String id = in.name(field + ".nodeId");
                double cpu = in.cpu(field + ".cpu");
                long heapUsed = in.nonNegative(field + ".heapUsed", in.b.getLong());
                long heapMax = in.heapMax();
                long reportedAt = in.nonNegative(field + ".reportedAtMs", in.b.getLong());
                if (nodes.put(id, new NodeMetrics(id, cpu, heapUsed, heapMax, reportedAt)) != null) {
                    throw in.error(field + " repeats node '" + id + "'");
                }
            }
            int sliceCount = in.count("slices");
            Map<String, SliceMetrics> slices = new HashMap<>();
            for (int i = 0; i < sliceCount; i++) {
                String field = "slices[" + i + "]";
                String artifact = in.name(field + ".artifact");
                double calls = in.finite(field + ".callsPerSecond", 0, Double.MAX_VALUE);
                double errorRate = in.finite(field + ".errorRate", 0, 1);
                double p50 = in.finite(field + ".p50Ms", 0, Double.MAX_VALUE);
                double p99 = in.finite(field + ".p99Ms", 0, Double.MAX_VALUE);
                int inFlight = (int) in.nonNegative(field + ".inFlight", in.b.getInt());
                int instances = (int) in.nonNegative(field + ".instances", in.b.getInt());
                double cpu = in.cpu(field + ".cpu");
                if (slices.put(artifact, new SliceMetrics(artifact, calls, errorRate, p50, p99, inFlight, instances,
                        cpu)) != null) {
                    throw in.error(field + " repeats slice '" + artifact + "'");
                }
            }
            int staleCount = in.count("staleNodes");
            Set<String> stale = new HashSet<>();
            for (int i = 0; i < staleCount; i++) {
                String id = in.name("staleNodes[" + i + "]");
                if (!stale.add(id)) {
                    throw in.error("staleNodes[" + i + "] repeats node '" + id + "'");
                }
            }
            in.end();
            return new ClusterMetricsSnapshot(second, nodes, slices, stale);
        } catch (BufferUnderflowException e) {
            throw in.truncated();
        }
    }

    /** A growing big-endian buffer. */
    private static final class Out {
        private ByteBuffer b = ByteBuffer.allocate(256);

        private Out ensure(int n) {
            if (b.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n));
                b.flip();
                bigger.put(b);
                b = bigger;
            }
            return this;
        }

        Out u8(int v) {
            ensure(1).b.put((byte) v);
            return this;
        }

        Out u16(int v) {
            if (v < 0 || v > 0xFFFF) {
                throw new IllegalArgumentException("metrics frame: value " + v + " does not fit 16 bits");
            }
            ensure(2).b.putShort((short) v);
            return this;
        }

        Out i32(int v) {
            ensure(4).b.putInt(v);
            return this;
        }

        Out i64(long v) {
            ensure(8).b.putLong(v);
            return this;
        }

        Out f64(double v) {
            ensure(8).b.putDouble(v);
            return this;
        }

        Out varint(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                b.put((byte) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            b.put((byte) v);
            return this;
        }

        Out str(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > MAX_NAME_BYTES) {
                throw new IllegalArgumentException("metrics frame: name '" + s + "' is " + bytes.length
                        + " bytes; the bound is " + MAX_NAME_BYTES);
            }
            u16(bytes.length);
            ensure(bytes.length).b.put(bytes);
            return this;
        }

        Out count(String field, int n) {
            int max = field.equals("buckets") ? MAX_BUCKETS : MAX_ITEMS;
            if (n > max) {
                throw new IllegalArgumentException("metrics frame: " + n + " " + field + " are over the bound");
            }
            return u16(n);
        }

        byte[] bytes() {
            byte[] out = new byte[b.position()];
            b.flip();
            b.get(out);
            return out;
        }
    }

    /** A strict reader; every failure is a {@link MetricsCodecException} naming the frame and field. */
    private static final class In {
        final ByteBuffer b;
        final String what;

        In(byte[] payload, String what) {
            this.b = ByteBuffer.wrap(payload);
            this.what = what;
        }

        MetricsCodecException error(String message) {
            return new MetricsCodecException(what + ": " + message);
        }

        MetricsCodecException truncated() {
            return error(b.capacity() + " bytes end inside the field that starts at byte " + b.position());
        }

        void version() {
            int v = Byte.toUnsignedInt(b.get());
            if (v != VERSION) {
                throw error("version " + v + " is not the supported " + VERSION);
            }
        }

        int count(String field) {
            int n = Short.toUnsignedInt(b.getShort());
            int max = field.endsWith("buckets") ? MAX_BUCKETS : MAX_ITEMS;
            if (n > max) {
                throw error(field + " count " + n + " is over its bound " + max);
            }
            return n;
        }

        String name(String field) {
            int length = Short.toUnsignedInt(b.getShort());
            if (length == 0 || length > MAX_NAME_BYTES) {
                throw error(field + " has length " + length + "; expected 1.." + MAX_NAME_BYTES);
            }
            if (length > b.remaining()) {
                throw error(field + " has length " + length + " but only " + b.remaining() + " bytes follow");
            }
            ByteBuffer slice = b.slice();
            slice.limit(length);
            b.position(b.position() + length);
            try {
                CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice);
                return chars.toString();
            } catch (CharacterCodingException e) {
                throw error(field + " is not valid UTF-8");
            }
        }

        long nonNegative(String field, long v) {
            if (v < 0) {
                throw error(field + " is negative (" + v + ")");
            }
            return v;
        }

        double finite(String field, double min, double max) {
            double v = b.getDouble();
            if (!(v >= min && v <= max)) {
                throw error(field + " " + v + " is outside " + min + ".." + max);
            }
            return v;
        }

        double cpu(String field) {
            double v = b.getDouble();
            if (v != -1 && !(v >= 0 && v <= 1)) {
                throw error(field + " " + v + " is neither -1 (unknown) nor within 0..1");
            }
            return v;
        }

        long heapMax() {
            long max = b.getLong();
            if (max < -1) {
                throw error("heapMax " + max + " is neither -1 (undefined) nor a size");
            }
            return max;
        }

        long varint(String field) {
            long v = 0;
            for (int shift = 0; shift < 63; shift += 7) {
                int next = Byte.toUnsignedInt(b.get());
                v |= (long) (next & 0x7F) << shift;
                if ((next & 0x80) == 0) {
                    return v;
                }
            }
            throw error(field + " is a varint longer than 9 bytes");
        }

        Histogram histogram(String field) {
            int buckets = count(field + ".buckets");
            Histogram h = Latency.newHistogram();
            long previous = 0;
            for (int i = 0; i < buckets; i++) {
                long value = varint(field + ".buckets[" + i + "].value");
                long count = varint(field + ".buckets[" + i + "].count");
                if (value <= previous || value > h.highestEquivalentValue(Latency.HIGHEST_MICROS)) {
                    throw error(field + ".buckets[" + i + "].value " + value + " is not above the previous "
                            + previous + " or over " + Latency.HIGHEST_MICROS + " µs");
                }
                if (count < 1) {
                    throw error(field + ".buckets[" + i + "].count " + count + " is below 1");
                }
                if (h.getTotalCount() + count < 0) {
                    throw error(field + ".buckets overflow the histogram's total count");
                }
                h.recordValueWithCount(value, count);
                previous = value;
            }
            return h;
        }

        void end() {
            if (b.hasRemaining()) {
                throw error(b.remaining() + " trailing bytes");
            }
        }
    }
}
