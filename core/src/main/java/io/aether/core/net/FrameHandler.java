package io.aether.core.net;

/**
 * Receives the frames of a {@link Transport}. Every call happens on the transport's Vert.x event loop thread:
 * implementations must not block (hand work to another thread or queue it), or every connection of the node
 * stalls behind them.
 */
public interface FrameHandler {
    /** One application frame from an established connection; frames of one connection arrive in send order. */
    void onFrame(Connection from, byte type, byte[] payload);

    /**
     * Whether {@code type} is known to the layer above. A frame of an unaccepted type is a protocol error: the
     * connection that sent it is closed with a WARN line.
     */
    default boolean acceptsType(byte type) {
        return true;
    }

    /** An established connection closed (peer link or client); frames queued on it were discarded. */
    default void onConnectionClosed(Connection connection) {}
}
