package io.aether.core.replica;

import io.aether.core.net.Transport;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Moves a state-machine snapshot to a replica that fell behind the peers' retained log, in chunks that fit a
 * frame. One incoming transfer at a time; a chunk that does not fit the transfer in progress restarts nothing
 * and is dropped (the engine asks again).
 */
final class SnapshotTransfer {

    static final int CHUNK_BYTES = 1 << 20;
    private static final int HEADER_BYTES = 8 + 4 + 4;

    record Complete(long lastIncludedSlot, byte[] data) {
    }

    private SnapshotTransfer() {
    }

    static void send(Transport transport, String peer, long lastIncludedSlot, byte[] data) {
        int offset = 0;
        do {
            int length = Math.min(CHUNK_BYTES, data.length - offset);
            ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + length);
            b.putLong(lastIncludedSlot).putInt(data.length).putInt(offset).put(data, offset, length);
            transport.sendToPeer(peer, ReplicaNode.SNAPSHOT_CHUNK, b.array());
            offset += length;
        } while (offset < data.length);
    }

    static Event.SnapshotChunk decodeChunk(int from, byte[] payload) {
        if (payload.length < HEADER_BYTES) {
            throw new IllegalArgumentException("snapshot chunk of " + payload.length + " bytes is shorter than its "
                    + HEADER_BYTES + "-byte header");
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        long slot = b.getLong();
        int total = b.getInt();
        int offset = b.getInt();
        byte[] data = new byte[b.remaining()];
        b.get(data);
        if (total < 0 || offset < 0 || (long) offset + data.length > total) {
            throw new IllegalArgumentException("snapshot chunk at offset " + offset + " with " + data.length
                    + " bytes does not fit its total of " + total);
        }
        return new Event.SnapshotChunk(from, slot, total, offset, data);
    }

    /** The transfer this replica is receiving. */
    static final class Incoming {
        /** A transfer that has not completed in this long is abandoned, so a dead peer does not block catch-up. */
        private static final long STALE_NANOS = 10_000_000_000L;
        private int peer = -1;
        private long begunNanos;
        private long slot;
        private byte[] buffer;
        private int received;

        /** Starts waiting for {@code peer}'s snapshot; false when a transfer is already under way. */
        boolean begin(int fromPeer) {
            long now = System.nanoTime();
            if (peer >= 0 && now - begunNanos < STALE_NANOS) {
                return false;
            }
            peer = fromPeer;
            begunNanos = now;
            buffer = null;
            received = 0;
            return true;
        }

        Optional<Complete> accept(Event.SnapshotChunk chunk) {
            if (chunk.from() != peer) {
                return Optional.empty();
            }
            if (buffer == null || chunk.lastIncludedSlot() != slot || chunk.totalBytes() != buffer.length) {
                if (chunk.offset() != 0) {
                    return Optional.empty();
                }
                slot = chunk.lastIncludedSlot();
                buffer = new byte[chunk.totalBytes()];
                received = 0;
            }
            if (chunk.offset() != received) {
                return Optional.empty();
            }
            System.arraycopy(chunk.data(), 0, buffer, received, chunk.data().length);
            received += chunk.data().length;
            if (received < buffer.length) {
                return Optional.empty();
            }
            Complete done = new Complete(slot, buffer);
            peer = -1;
            buffer = null;
            return Optional.of(done);
        }
    }
}
