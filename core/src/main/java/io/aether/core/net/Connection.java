package io.aether.core.net;

/** An established, authenticated connection as seen by a {@link FrameHandler}. */
public interface Connection {
    /** The node id the remote end announced in its HELLO. */
    String remoteNodeId();

    Role role();

    /** {@code host:port} of the remote socket. */
    String remoteAddress();

    /**
     * Queues a frame for this connection (any thread). Returns false, without queuing, if the connection is
     * closed or its bounded send queue is full.
     *
     * @param type application frame type, 0x00..0xEF
     * @throws IllegalArgumentException for a reserved type or a payload over the frame bound
     */
    boolean send(byte type, byte[] payload);

    /** Closes the connection; frames not yet written are discarded. */
    void close();
}
