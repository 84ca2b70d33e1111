package io.aether.node.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
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

    Runtime runtime();

    Slices slices();

    Router router();

    Kv kv();

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

        /** Port of the call transport: slice calls between nodes, apart from consensus traffic. */
        @WithDefault("7200")
        int callPort();

        /**
         * Host other nodes use to reach this one (HTTP and calls); defaults to this node's host in
         * {@code peers}, else the peer host, else 127.0.0.1.
         */
        Optional<String> advertiseHost();
    }

    /** Membership and reconciliation timing. */
    interface Runtime {
        /** How often a node rewrites its {@code nodes/} key. */
        @WithDefault("1s")
        Duration heartbeatInterval();

        /** A node whose key did not change for this long is failed. */
        @WithDefault("3s")
        Duration lease();

        /** How often the leader reconciles blueprints against the slices even when nothing changed. */
        @WithDefault("5s")
        Duration reconcileInterval();

        /** {@code round-robin} or {@code least-loaded}. */
        @WithDefault("least-loaded")
        String allocation();
    }

    /** Where slices come from and how long their lifecycle steps may take. */
    interface Slices {
        /** Maven repositories as URLs ({@code file:} for a directory), searched in order. */
        List<String> repositories();

        /** Cache of resolved artifacts; defaults to {@code slice-cache} in the data directory. */
        Optional<String> cacheDir();

        @WithDefault("30s")
        Duration loadTimeout();

        @WithDefault("10s")
        Duration activateTimeout();

        @WithDefault("10s")
        Duration deactivateTimeout();

        @WithDefault("5s")
        Duration unloadTimeout();
    }

    /** The HTTP router in front of the slices. */
    interface Router {
        /** Deadline of a routed call unless the request's {@code X-Aether-Timeout-Ms} asks for less. */
        @WithDefault("5s")
        Duration callTimeout();

        /** Largest request body the router accepts. */
        @WithDefault("1048576")
        int maxBodyBytes();

        /**
         * {@code Retry-After} of a call the router sheds because the slice's governor refuses (or is degraded, for a
         * low-priority slice); whole seconds, 1 s .. 1 h.
         */
        @WithDefault("2s")
        Duration refusingRetryAfter();
    }

    /** The replicated KV; a core node's values must be equal on every core node. */
    interface Kv {
        /**
         * Quota on stored keys and values (each counted with 128 bytes of bookkeeping): a write that would grow the
         * store beyond it fails with QUOTA_EXCEEDED (HTTP 507) instead of running the nodes out of heap. The KV lives
         * in memory: give the JVM about four times this. Equal on every core node (it decides results).
         */
        @WithDefault("67108864")
        long maxDataBytes();
    }
}
