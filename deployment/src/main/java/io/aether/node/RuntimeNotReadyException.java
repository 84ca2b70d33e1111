package io.aether.node;

/** The cluster runtime of this node has not started yet (no KV quorum so far); the API answers 503. */
public final class RuntimeNotReadyException extends RuntimeException {

    public RuntimeNotReadyException(String nodeId) {
        super("the cluster runtime of node '" + nodeId + "' has not started yet (it waits for a KV quorum); retry");
    }
}
