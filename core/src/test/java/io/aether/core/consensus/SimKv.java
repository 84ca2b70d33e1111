package io.aether.core.consensus;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/** The tiny KV the simulation replicates: put/get/cas on a few int keys, encoded in the command payload. */
public final class SimKv {
    public static final int PUT = 0;
    public static final int GET = 1;
    public static final int CAS = 2;

    /** One operation; {@code a} is the put value or the cas expected value, {@code b} the cas new value. */
    public record Op(int type, int key, int a, int b) {
        byte[] encode() {
            return ByteBuffer.allocate(10).put((byte) type).put((byte) key).putInt(a).putInt(b).array();
        }

        static Op decode(byte[] payload) {
            ByteBuffer bb = ByteBuffer.wrap(payload);
            return new Op(bb.get(), bb.get(), bb.getInt(), bb.getInt());
        }

        @Override
        public String toString() {
            return switch (type) {
                case PUT -> "put(k" + key + "," + a + ")";
                case GET -> "get(k" + key + ")";
                default -> "cas(k" + key + "," + a + "->" + b + ")";
            };
        }
    }

    private final int[] values;
    /** Per client: the seq and result of its last applied command (the session table a real KV keeps). */
    private final Map<Long, long[]> lastResult;

    SimKv(int keys) {
        values = new int[keys];
        lastResult = new HashMap<>();
    }

    SimKv(SimKv other) {
        values = other.values.clone();
        lastResult = new HashMap<>();
        other.lastResult.forEach((k, v) -> lastResult.put(k, v.clone()));
    }

    /** The result of command {@code (clientId, seq)} if it is the client's last applied command, else null. */
    Integer resultOf(long clientId, long seq) {
        long[] r = lastResult.get(clientId);
        return r != null && r[0] == seq ? (int) r[1] : null;
    }

    /** Applies a client's command; returns get's value, cas's success (1/0), or 0 for put. */
    int apply(long clientId, long seq, Op op) {
        int result = apply(op);
        lastResult.put(clientId, new long[] {seq, result});
        return result;
    }

    private int apply(Op op) {
        return switch (op.type) {
            case PUT -> {
                values[op.key] = op.a;
                yield 0;
            }
            case GET -> values[op.key];
            default -> {
                if (values[op.key] == op.a) {
                    values[op.key] = op.b;
                    yield 1;
                }
                yield 0;
            }
        };
    }
}
