package io.aether.node.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * The node's configuration as written by the operator. Values are checked and turned into
 * {@link NodeSettings} by {@link NodeSettings#from(AetherConfig)}, which names the bad key on error.
 */
@ConfigMapping(prefix = "aether")
public interface AetherConfig {

    Node node();

    Cluster cluster();

    /** Directory for the write-ahead log and snapshots; created if missing. */
    String dataDir();

    /** Identity and role of this node. */
    interface Node {
        /** Stable node id, e.g. the StatefulSet pod name. */
        String id();

        /** {@code core} (Rabia voter) or {@code worker}. Kept a string so a bad value gets our message. */
        @WithDefault("core")
        String role();
    }

    /** Cluster membership and the peer transport. */
    interface Cluster {
        /** Core nodes as {@code id@host:port}, comma separated; the fixed Rabia voter set. */
        Optional<List<String>> peers();

        /** Interface the peer transport listens on. */
        @WithDefault("0.0.0.0")
        String peerHost();

        /** Port the peer transport listens on. */
        @WithDefault("7100")
        int peerPort();

        /** Identifies this cluster on the wire; frames from another cluster are refused. */
        @WithDefault("1")
        int id();

        /** Shared secret every node and client presents when it connects; empty for none. */
        Optional<String> secret();
    }
}
