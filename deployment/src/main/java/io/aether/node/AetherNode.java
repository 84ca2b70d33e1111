package io.aether.node;

import io.aether.core.client.KvClient;
import io.aether.core.client.KvClientConfig;
import io.aether.core.net.HostAndPort;
import io.aether.core.kv.KvLimits;
import io.aether.core.replica.ReplicaConfig;
import io.aether.core.replica.ReplicaNode;
import io.aether.core.replica.ReplicaStatus;
import io.aether.node.ai.AiLayers;
import io.aether.node.provision.WorkerProvisioning;
import io.aether.node.config.AetherConfig;
import io.aether.node.config.ControlSettings;
import io.aether.node.config.ControllerConfig;
import io.aether.node.config.NodeRole;
import io.aether.node.config.NodeSettings;
import io.aether.node.config.Peer;
import io.aether.node.config.RuntimeSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The running node: validated settings, the replica (on core nodes) and the {@link KvClient} every other part
 * uses. The Quarkus application only wires; the machinery lives in {@code core}.
 */
@ApplicationScoped
public class AetherNode {

    private static final Logger LOG = Logger.getLogger(AetherNode.class);

    private final AetherConfig config;
    private final ControllerConfig controllerConfig;
    private volatile ControlSettings controlSettings;
    private final String version;
    private final Vertx vertx;
    private volatile NodeSettings settings;
    private volatile Instant startedAt;
    private volatile ReplicaNode replica;
    private volatile KvClient kv;
    private volatile RuntimeSettings runtimeSettings;
    private volatile NodeRuntime runtime;
    private volatile boolean stopping;
    private final int httpPort;

    private final AiLayers aiLayers;
    private final WorkerProvisioning provisioning;

    AetherNode(AetherConfig config, ControllerConfig controllerConfig, AiLayers aiLayers,
               WorkerProvisioning provisioning,
               @ConfigProperty(name = "quarkus.application.version") String version,
               @ConfigProperty(name = "quarkus.http.port") int httpPort, Vertx vertx) {
        this.config = config;
        this.controllerConfig = controllerConfig;
        this.aiLayers = aiLayers;
        this.provisioning = provisioning;
        this.version = version;
        this.httpPort = httpPort;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
        NodeSettings validated = NodeSettings.from(config);
        RuntimeSettings rt = RuntimeSettings.from(config, validated);
        controlSettings = ControlSettings.from(controllerConfig).withAi(aiLayers.controllers());
        if (validated.role() == NodeRole.CORE) {
            validated.checkPeerPortFree();
            replica = startReplica(validated);
        }
        kv = KvClient.connect(vertx, KvClientConfig.defaults(kvServers(validated), validated.clusterId(),
                validated.nodeId() + "-api").withSecret(validated.secret()));
        settings = validated;
        runtimeSettings = rt;
        startedAt = Instant.now();
        LOG.infof("aether node '%s' started as %s; voters %s; data in %s", validated.nodeId(),
                validated.role().name().toLowerCase(), validated.peers(), validated.dataDir());
        // The provisioner needs the started node (its workers join this node's voters): built once it is.
        controlSettings = controlSettings.withProvisioner(provisioning.provisioner());
        startRuntime(1);
    }

    /**
     * The runtime needs the KV (its first step registers the node), which needs a quorum: until the other core
     * nodes are up, each attempt fails after the KV deadline and is retried, with a log line, until it succeeds
     * or the node stops.
     */
    private void startRuntime(int attempt) {
        NodeRuntime.start(vertx, kv, settings, runtimeSettings, controlSettings, httpPort).whenComplete((started, error) -> {
            if (error == null) {
                if (stopping) {
                    started.close();
                    return;
                }
                runtime = started;
                LOG.infof("cluster runtime of '%s' started (call transport on port %d)", settings.nodeId(),
                        started.callPort());
                return;
            }
            if (stopping) {
                return;
            }
            LOG.warnf("cluster runtime of '%s' could not start (attempt %d): %s; retrying in 1 s", settings.nodeId(),
                    attempt, error.getMessage());
            vertx.setTimer(1000, id -> startRuntime(attempt + 1));
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        NodeRuntime rt = runtime;
        if (rt != null) {
            rt.close();
        }
        KvClient client = kv;
        if (client != null) {
            client.close();
        }
        ReplicaNode node = replica;
        if (node != null) {
            node.close();
        }
    }

    private ReplicaNode startReplica(NodeSettings s) {
        Map<String, HostAndPort> voters = new LinkedHashMap<>();
        for (Peer p : s.peers()) {
            voters.put(p.id(), new HostAndPort(p.host(), p.id().equals(s.nodeId()) && s.peerPort() != 0
                    ? s.peerPort() : p.port()));
        }
        ReplicaConfig replicaConfig = ReplicaConfig.of(s.nodeId(), voters, s.peerHost(), s.peerPort(),
                s.dataDir()).withClusterId(s.clusterId(), s.secret())
                .withLimits(KvLimits.DEFAULTS.withMaxDataBytes(s.kvMaxDataBytes()));
        long heap = java.lang.Runtime.getRuntime().maxMemory();
        if (s.kvMaxDataBytes() > heap / 3) {
            LOG.warnf("node '%s': the KV quota aether.kv.max-data-bytes=%d is more than a third of the %d-byte heap:"
                    + " the node can run out of memory before the quota refuses writes; give the JVM about four times"
                    + " the quota", s.nodeId(), s.kvMaxDataBytes(), heap);
        }
        try {
            return ReplicaNode.start(vertx, replicaConfig);
        } catch (IOException e) {
            throw new UncheckedIOException("node '" + s.nodeId() + "' could not start its replica", e);
        }
    }

    /** This node's own replica first (no network hop for its own API), then the other core nodes. */
    private List<HostAndPort> kvServers(NodeSettings s) {
        List<HostAndPort> servers = new ArrayList<>();
        if (replica != null) {
            String host = s.peerHost().equals("0.0.0.0") ? "127.0.0.1" : s.peerHost();
            servers.add(new HostAndPort(host, replica.port()));
        }
        for (Peer p : s.peers()) {
            if (!p.id().equals(s.nodeId())) {
                servers.add(new HostAndPort(p.host(), p.port()));
            }
        }
        return servers;
    }

    /**
     * The core nodes as {@code id@host:port}, the way a new node of this cluster must list them: this node's entry
     * carries the port its replica really listens on (configured 0 picks a free one), and a wildcard host is
     * replaced by loopback.
     */
    public List<String> corePeers() {
        NodeSettings s = settings();
        ReplicaNode node = replica;
        List<String> peers = new ArrayList<>();
        for (Peer p : s.peers()) {
            int port = p.id().equals(s.nodeId()) && node != null ? node.port() : p.port();
            String host = p.host().equals("0.0.0.0") ? "127.0.0.1" : p.host();
            peers.add(p.id() + "@" + host + ":" + port);
        }
        return peers;
    }

    /** The HTTP port this node serves (the API and the router). */
    public int httpPort() {
        return httpPort;
    }

    /** The validated settings; present once the node has started. */
    public NodeSettings settings() {
        NodeSettings current = settings;
        if (current == null) {
            throw new IllegalStateException("node settings read before start-up validation ran");
        }
        return current;
    }

    public boolean started() {
        return settings != null;
    }

    /** The KV client of this node. */
    public KvClient kv() {
        KvClient client = kv;
        if (client == null) {
            throw new IllegalStateException("the KV client is used before the node started");
        }
        return client;
    }

    /** The replica's status on a core node; empty on a worker. */
    public Optional<ReplicaStatus> replicaStatus() {
        ReplicaNode node = replica;
        return node == null ? Optional.empty() : Optional.of(node.status());
    }

    /** True once the cluster runtime (membership, slices, router) runs on this node. */
    public boolean runtimeStarted() {
        return runtime != null;
    }

    /** The cluster runtime; throws {@link RuntimeNotReadyException} (the API answers 503) before it started. */
    public NodeRuntime runtime() {
        NodeRuntime rt = runtime;
        if (rt == null) {
            throw new RuntimeNotReadyException(settings == null ? "?" : settings.nodeId());
        }
        return rt;
    }

    /** The validated runtime settings; present once the node has started. */
    public RuntimeSettings runtimeSettings() {
        return runtimeSettings;
    }

    /** The routes of every blueprint, as the router serves them. */
    public io.aether.core.deployment.RouteTable routes() {
        return runtime().routes();
    }

    /** Calls slices wherever their instances run. */
    public io.aether.core.invoke.Invoker invoker() {
        return runtime().invoker();
    }

    public String version() {
        return version;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Duration uptime() {
        return Duration.between(startedAt, Instant.now());
    }
}
