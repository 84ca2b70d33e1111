package io.aether.core.replica;

import io.aether.core.net.Transport;
import io.aether.core.storage.SnapshotStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Moves a state-machine snapshot to a replica that fell behind the peers' retained log. The receiver pulls: it
 * asks for a window of {@value #WINDOW_CHUNKS} chunks from an offset, the sender reads them from its newest saved
 * snapshot file, and the receiver asks for the next window once one is in, or again from where it stands when
 * nothing arrived for a second. A transfer therefore never holds more than a window in the sender's link queue,
 * whatever the snapshot's size (pushing every chunk at once overflowed that queue beyond 32 MiB, and the dropped
 * chunks stalled the transfer for good), and never needs the snapshot in the sender's memory.
 */
final class SnapshotTransfer {

    static final int CHUNK_BYTES = 1 << 20;
    static final int WINDOW_CHUNKS = 4;
    private static final int WINDOW_BYTES = WINDOW_CHUNKS * CHUNK_BYTES;
    private static final int CHUNK_HEADER_BYTES = 8 + 4 + 4;
    private static final int REQUEST_BYTES = 8 + 4;

    record Complete(long lastIncludedSlot, byte[] data) {
    }

    /**
     * A receiver's ask: the window from {@code offset} of the snapshot through {@code slot}; slot 0 asks for a
     * new transfer of whatever snapshot the sender serves.
     */
    record Request(long slot, int offset) {

        byte[] encode() {
            return ByteBuffer.allocate(REQUEST_BYTES).putLong(slot).putInt(offset).array();
        }

        static Request decode(byte[] payload) {
            if (payload.length != REQUEST_BYTES) {
                throw new IllegalArgumentException("snapshot request of " + payload.length + " bytes; expected "
                        + REQUEST_BYTES + " (slot, offset)");
            }
            ByteBuffer b = ByteBuffer.wrap(payload);
            Request request = new Request(b.getLong(), b.getInt());
            if (request.slot() < 0 || request.offset() < 0) {
                throw new IllegalArgumentException("snapshot request for slot " + request.slot() + " at offset "
                        + request.offset() + ": both must be >= 0");
            }
            return request;
        }
    }

    private SnapshotTransfer() {
    }

    /**
     * Sends the window from {@code offset} of the KV snapshot inside the saved local snapshot through
     * {@code slot}. Stops early, without error, when the link queue is full: the receiver asks again.
     *
     * @return false when that snapshot is not (or no longer) kept
     */
    static boolean serve(Transport transport, String peer, SnapshotStore store, long slot, int offset)
            throws IOException {
        long localBytes = store.dataBytes(slot);
        if (localBytes < 0) {
            return false;
        }
        long kvBytes = localBytes - LocalSnapshot.HEADER_BYTES;
        if (kvBytes <= 0 || kvBytes > Integer.MAX_VALUE - 8) {
            throw new IOException("saved snapshot through slot " + slot + " holds " + localBytes
                    + " bytes; a KV snapshot to serve needs 1.." + (Integer.MAX_VALUE - 8));
        }
        int total = (int) kvBytes;
        int end = (int) Math.min(total, (long) offset + WINDOW_BYTES);
        for (int at = offset; at < end; at += CHUNK_BYTES) {
            int length = Math.min(CHUNK_BYTES, end - at);
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_HEADER_BYTES + length);
            chunk.putLong(slot).putInt(total).putInt(at);
            int read = store.readData(slot, LocalSnapshot.HEADER_BYTES + (long) at, chunk);
            if (read < 0) {
                return false;
            }
            if (read != length) {
                throw new IOException("saved snapshot through slot " + slot + " ended after " + read + " of the "
                        + length + " bytes at offset " + at + " its header promised");
            }
            if (!transport.sendToPeer(peer, ReplicaNode.SNAPSHOT_CHUNK, chunk.array())) {
                return true;
            }
        }
        return true;
    }

    static Event.SnapshotChunk decodeChunk(int from, byte[] payload) {
        if (payload.length < CHUNK_HEADER_BYTES) {
            throw new IllegalArgumentException("snapshot chunk of " + payload.length + " bytes is shorter than its "
                    + CHUNK_HEADER_BYTES + "-byte header");
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        long slot = b.getLong();
        int total = b.getInt();
        int offset = b.getInt();
        byte[] data = new byte[b.remaining()];
        b.get(data);
        if (slot < 1 || total < 1 || offset < 0 || data.length == 0 || (long) offset + data.length > total) {
            throw new IllegalArgumentException("snapshot chunk for slot " + slot + " at offset " + offset + " with "
                    + data.length + " bytes does not fit its total of " + total);
        }
        return new Event.SnapshotChunk(from, slot, total, offset, data);
    }

    /** The transfer this replica is receiving: one at a time. */
    static final class Incoming {
        /** Nothing arrived for this long: ask again from where the transfer stands. */
        private static final long ASK_AGAIN_NANOS = 1_000_000_000L;
        /** Nothing arrived for this long: abandon the transfer, so a dead peer does not block catch-up. */
        private static final long STALE_NANOS = 30_000_000_000L;
        private int peer = -1;
        private long progressNanos;
        private long askedNanos;
        private long slot;
        private byte[] buffer;
        private int received;
        private int askedUpTo;

        /** Starts a transfer from {@code fromPeer}: its first ask, or empty when one is under way. */
        Optional<Request> begin(int fromPeer, long nowNanos) {
            if (peer >= 0 && nowNanos - progressNanos < STALE_NANOS) {
                return Optional.empty();
            }
            peer = fromPeer;
            progressNanos = nowNanos;
            slot = 0;
            buffer = null;
            received = 0;
            return Optional.of(ask(nowNanos));
        }

        int peer() {
            return peer;
        }

        /** The ask to send now: the next window once the last is in, or the same again after a silence. */
        Optional<Request> next(long nowNanos) {
            if (peer < 0) {
                return Optional.empty();
            }
            if (nowNanos - progressNanos >= STALE_NANOS) {
                peer = -1;
                buffer = null;
                return Optional.empty();
            }
            boolean windowIn = buffer != null && received >= askedUpTo;
            if (windowIn || nowNanos - askedNanos >= ASK_AGAIN_NANOS) {
                return Optional.of(ask(nowNanos));
            }
            return Optional.empty();
        }

        private Request ask(long nowNanos) {
            askedNanos = nowNanos;
            askedUpTo = received + WINDOW_BYTES;
            return new Request(slot, received);
        }

        Optional<Complete> accept(Event.SnapshotChunk chunk, long nowNanos) {
            if (chunk.from() != peer) {
                return Optional.empty();
            }
            if (buffer == null || chunk.lastIncludedSlot() != slot || chunk.totalBytes() != buffer.length) {
                if (chunk.offset() != 0) {
                    return Optional.empty();
                }
                slot = chunk.lastIncludedSlot(); // the first chunk, or the sender moved to a newer snapshot
                buffer = new byte[chunk.totalBytes()];
                received = 0;
                askedUpTo = WINDOW_BYTES;
            }
            if (chunk.offset() != received) {
                return Optional.empty();
            }
            System.arraycopy(chunk.data(), 0, buffer, received, chunk.data().length);
            received += chunk.data().length;
            progressNanos = nowNanos;
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
