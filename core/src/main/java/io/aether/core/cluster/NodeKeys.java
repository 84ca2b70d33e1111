package io.aether.core.cluster;

/** The {@code nodes/{node-id}} keys of DESIGN §4, written by each node itself. */
public final class NodeKeys {

    public static final String PREFIX = "nodes/";

    private NodeKeys() {}

    public static String key(String nodeId) {
        return PREFIX + nodeId;
    }

    /** The node id of a {@code nodes/} key. */
    public static String nodeId(String key) {
        if (!key.startsWith(PREFIX) || key.length() == PREFIX.length()) {
            throw new IllegalArgumentException("key '" + key + "' is not " + PREFIX + "{node-id}");
        }
        return key.substring(PREFIX.length());
    }
}
