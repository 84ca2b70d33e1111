package io.aether.core.net;

/** What the remote end of a connection is: a Rabia replica from the fixed peer set, or a client/worker node. */
public enum Role {
    PEER,
    CLIENT
}
