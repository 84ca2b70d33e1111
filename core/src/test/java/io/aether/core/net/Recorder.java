package io.aether.core.net;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/** A FrameHandler that records every frame; optionally echoes frames back on the same connection. */
final class Recorder implements FrameHandler {
    record Received(String from, Role role, byte type, byte[] payload) {
        int seq() {
            return ByteBuffer.wrap(payload).getInt();
        }
    }

    final ConcurrentLinkedQueue<Received> frames = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Connection> closed = new ConcurrentLinkedQueue<>();
    private final boolean echo;
    private final byte rejectedType;

    Recorder() {
        this(false, (byte) -1);
    }

    Recorder(boolean echo, byte rejectedType) {
        this.echo = echo;
        this.rejectedType = rejectedType;
    }

    @Override
    public void onFrame(Connection from, byte type, byte[] payload) {
        frames.add(new Received(from.remoteNodeId(), from.role(), type, payload));
        if (echo) {
            from.send(type, payload);
        }
    }

    @Override
    public boolean acceptsType(byte type) {
        return type != rejectedType;
    }

    @Override
    public void onConnectionClosed(Connection connection) {
        closed.add(connection);
    }

    List<Integer> seqsFrom(String node) {
        return frames.stream().filter(f -> f.from().equals(node)).map(Received::seq).collect(Collectors.toList());
    }

    long countFrom(String node) {
        return frames.stream().filter(f -> f.from().equals(node)).count();
    }

    static byte[] seqPayload(int seq, int size) {
        return ByteBuffer.allocate(Math.max(4, size)).putInt(seq).array();
    }
}
