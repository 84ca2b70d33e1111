package io.aether.core.net;

/** A {@link TransportClient}'s connection state changes, as told to its listener. */
public sealed interface ConnectionState {
    /** The HELLO to {@code server} succeeded; sends now go there. */
    record Connected(HostAndPort server, String serverNodeId) implements ConnectionState {}

    /**
     * The established connection to {@code server} is gone; frames queued on it were discarded and replies to
     * requests sent on it will not come. The client is already trying the next address.
     */
    record Disconnected(HostAndPort server, String reason) implements ConnectionState {}
}
