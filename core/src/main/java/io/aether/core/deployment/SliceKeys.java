package io.aether.core.deployment;

import io.aether.core.slice.Artifact;

/** The {@code slices/{node-id}/{group:artifact:version}} keys of DESIGN §4. */
public final class SliceKeys {

    public static final String PREFIX = "slices/";

    private SliceKeys() {}

    /** A parsed key. */
    public record Key(String nodeId, Artifact artifact) {
        @Override
        public String toString() {
            return key(nodeId, artifact);
        }
    }

    public static String key(String nodeId, Artifact artifact) {
        return PREFIX + nodeId + "/" + artifact;
    }

    /** Every key of one node. */
    public static String nodePrefix(String nodeId) {
        return PREFIX + nodeId + "/";
    }

    public static Key parse(String key) {
        int slash = key.indexOf('/', PREFIX.length());
        if (!key.startsWith(PREFIX) || slash < 0) {
            throw new IllegalArgumentException("key '" + key + "' is not slices/{node-id}/{group:artifact:version}");
        }
        return new Key(key.substring(PREFIX.length(), slash), Artifact.parse(key.substring(slash + 1)));
    }
}
