package io.aether.core.net;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One TCP connection's framing and send path. Inbound bytes go through a {@link FrameDecoder}; any framing or
 * protocol error closes this connection (one WARN line) and nothing else. Outbound frames are encoded on the
 * caller's thread into a send queue bounded by {@code maxQueuedBytes} and written from the event loop in batches:
 * every frame queued during one event-loop turn leaves in one socket write (one syscall). Netty's own buffer is
 * capped by {@link #SOCKET_WRITE_QUEUE_BYTES}; while it is full the queue fills and {@link #send} returns false.
 *
 * <p>Inbound callbacks run on the connection's event loop; {@link #send} may be called from any thread.
 */
final class Wire {
    /** High-water mark of Netty's outbound buffer for this socket. */
    static final int SOCKET_WRITE_QUEUE_BYTES = 1024 * 1024;
    /** Upper size of one batched socket write (a single larger frame is written alone). */
    static final int MAX_BATCH_BYTES = 256 * 1024;
    /** How long a refused connection may take to read its ERROR frame before it is closed regardless. */
    static final long REFUSAL_LINGER_MS = 1000;

    private static final System.Logger LOG = System.getLogger(Wire.class.getName());

    /** What the owner of a wire hears. Both run on the wire's event loop. */
    interface Events {
        void onFrame(Wire wire, Frame frame);

        void onClosed(Wire wire);
    }

    private final String localName;
    private final Context context;
    private final NetSocket socket;
    private final FrameDecoder decoder;
    private final int clusterId;
    private final int maxFrameBytes;
    private final long maxQueuedBytes;
    private final String remoteAddress;
    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile Events events;
    private volatile boolean closed;
    private volatile long lastReadNanos = System.nanoTime();
    private volatile String remoteNodeId;
    private boolean warned;

    Wire(String localName, Context context, NetSocket socket, int clusterId, int maxFrameBytes, long maxQueuedBytes,
            Events events) {
        this.localName = localName;
        this.context = context;
        this.socket = socket;
        this.clusterId = clusterId;
        this.maxFrameBytes = maxFrameBytes;
        this.maxQueuedBytes = maxQueuedBytes;
        this.decoder = new FrameDecoder(clusterId, maxFrameBytes);
        this.remoteAddress = String.valueOf(socket.remoteAddress());
        this.events = events;
        socket.setWriteQueueMaxSize(SOCKET_WRITE_QUEUE_BYTES);
        socket.handler(this::onData);
        socket.drainHandler(v -> scheduleDrain());
        socket.exceptionHandler(this::onSocketError);
        socket.closeHandler(v -> onSocketClosed());
    }

    String remoteAddress() {
        return remoteAddress;
    }

    long lastReadNanos() {
        return lastReadNanos;
    }

    /** Switches the receiver of frames; called on the event loop when a handshake completes. */
    void events(Events newEvents, String newRemoteNodeId) {
        this.events = newEvents;
        this.remoteNodeId = newRemoteNodeId;
    }

    /**
     * Encodes and queues one frame. Returns false if the connection is closed or the queue cannot take the frame
     * without exceeding its byte bound.
     *
     * @throws IllegalArgumentException if the frame exceeds maxFrameBytes
     */
    boolean send(byte type, byte[] payload) {
        byte[] frame = FrameCodec.encode(type, clusterId, payload, maxFrameBytes);
        if (closed || !reserve(frame.length)) {
            return false;
        }
        queue.add(frame);
        scheduleDrain();
        return true;
    }

    /** Closes the connection on a protocol or framing error, logging one WARN line that says what was wrong. */
    void fail(String what) {
        if (closed) {
            return;
        }
        warn(what);
        close();
    }

    /**
     * Refuses a handshake: logs one WARN line, then writes an ERROR frame carrying {@code what} and closes once it
     * is written, or after {@link #REFUSAL_LINGER_MS} if the remote end does not read it. Event loop only.
     */
    void refuse(String what) {
        if (closed) {
            return;
        }
        warn(what);
        closed = true;
        byte[] reason = what.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long lingerTimer = context.owner().setTimer(REFUSAL_LINGER_MS, id -> forceClose());
        socket.write(Buffer.buffer(FrameCodec.encode(FrameTypes.ERROR, clusterId, reason, maxFrameBytes)))
                .onComplete(written -> {
                    context.owner().cancelTimer(lingerTimer);
                    forceClose();
                });
    }

    /** Closes the connection; queued frames that were not yet written are discarded. */
    void close() {
        closed = true;
        forceClose();
    }

    /**
     * Closes the channel at once. Vert.x's NetSocket.close() first waits for every pending write to flush, which
     * never happens when the remote end stopped reading, so a stalled peer would pin the connection (and its
     * buffers) forever. Closing through Vert.x's own handler context starts the close below that handler, so
     * Netty closes the socket immediately and drops the unwritten bytes.
     */
    private void forceClose() {
        if (socket instanceof NetSocketInternal internal) {
            internal.channelHandlerContext().close();
        } else {
            socket.close();
        }
    }

    private boolean reserve(int bytes) {
        while (true) {
            long current = queuedBytes.get();
            if (current + bytes > maxQueuedBytes) {
                return false;
            }
            if (queuedBytes.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> drain());
        }
    }

    private void drain() {
        drainScheduled.set(false);
        if (closed) {
            queue.clear();
            queuedBytes.set(0);
            return;
        }
        while (!queue.isEmpty() && !socket.writeQueueFull()) {
            Buffer batch = Buffer.buffer((int) Math.min(queuedBytes.get(), MAX_BATCH_BYTES));
            byte[] frame;
            while (batch.length() < MAX_BATCH_BYTES && (frame = queue.poll()) != null) {
                batch.appendBytes(frame);
                queuedBytes.addAndGet(-frame.length);
            }
            socket.write(batch);
        }
        // When the socket buffer is full the drain handler resumes us once it falls below the low-water mark.
    }

    private void onData(Buffer chunk) {
        lastReadNanos = System.nanoTime();
        if (closed) {
            return;
        }
        byte[] bytes = chunk.getBytes();
        try {
            decoder.feed(bytes, 0, bytes.length, frame -> {
                if (!closed) {
                    events.onFrame(this, frame);
                }
            });
        } catch (FrameException e) {
            fail(e.getMessage());
        }
    }

    private void onSocketError(Throwable error) {
        if (!closed) {
            LOG.log(Level.INFO, "{0}: i/o error on connection with {1}: {2}; closing it", localName, who(),
                    String.valueOf(error));
            close();
        }
    }

    private void onSocketClosed() {
        if (decoder.hasPartialFrame() && !closed) {
            warn("connection closed mid-frame (" + decoder.partialFrameDescription() + "): truncated frame");
        }
        closed = true;
        queue.clear();
        queuedBytes.set(0);
        events.onClosed(this);
    }

    private void warn(String what) {
        if (!warned) {
            warned = true;
            LOG.log(Level.WARNING, "{0}: closing connection with {1}: {2}", localName, who(), what);
        }
    }

    private String who() {
        String id = remoteNodeId;
        return id == null ? remoteAddress : remoteAddress + " (node " + id + ")";
    }
}
