package io.aether.core.metrics;

/**
 * Sends one frame to a node's call server; the node passes {@code invoker::send}
 * ({@link io.aether.core.invoke.Invoker#send}). Returns false when the frame was not sent.
 */
@FunctionalInterface
public interface FrameSender {
    boolean send(String nodeId, byte type, byte[] payload);
}
