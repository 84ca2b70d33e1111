package io.aether.node;

import io.aether.core.client.KvClient;
import io.aether.core.cluster.ClusterEvent;
import io.aether.core.cluster.ClusterEventBus;
import io.aether.core.cluster.LeaderManager;
import io.aether.core.cluster.NodeRecord;
import io.aether.core.cluster.NodeRegistry;
import io.aether.core.cluster.NodeRole;
import io.aether.core.control.ControlLoop;
import io.aether.core.control.ControlModeStore;
import io.aether.core.control.GovernorMirror;
import io.aether.core.control.Governors;
import io.aether.core.control.Guardrails;
import io.aether.core.control.KvReceiptLedger;
import io.aether.core.control.ProposalStore;
import io.aether.core.deployment.Allocator;
import io.aether.core.deployment.BlueprintService;
import io.aether.core.deployment.Blueprints;
import io.aether.core.deployment.ClusterDeploymentManager;
import io.aether.core.deployment.RouteTable;
import io.aether.core.deployment.NodeDeploymentManager;
import io.aether.core.endpoint.EndpointRegistry;
import io.aether.core.invoke.CallConfig;
import io.aether.core.invoke.CallServer;
import io.aether.core.invoke.Invoker;
import io.aether.core.invoke.LocalInstances;
import io.aether.core.metrics.MetricsAggregator;
import io.aether.core.metrics.MetricsCollector;
import io.aether.core.metrics.MetricsConfig;
import io.aether.core.net.HostAndPort;
import io.aether.core.slice.MavenSliceStore;
import io.aether.core.slice.SliceStoreConfig;
import io.aether.node.config.ControlSettings;
import io.aether.node.config.NodeSettings;
import io.aether.node.config.RuntimeSettings;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster runtime of one node, wired in dependency order (docs/runtime.md): call server, membership,
 * leadership, endpoints, invoker, metrics (collector on every node, aggregator on the leader), slice store,
 * blueprints, the node's deployment manager, the governor states (admission control), then the leader's parts.
 * Only wiring: every behaviour lives in {@code core}.
 */
public final class NodeRuntime implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NodeRuntime.class.getName());

    private final Parts parts;

    private NodeRuntime(Parts parts) {
        this.parts = parts;
    }

    /** Starts every part; on failure closes what had started and fails with the cause. */
    static CompletableFuture<NodeRuntime> start(Vertx vertx, KvClient kv, NodeSettings node, RuntimeSettings rt,
                                                ControlSettings controlSettings, int httpPort) {
        Parts b = new Parts();
        b.kv = kv;
        b.bus = new ClusterEventBus();
        b.collector = new MetricsCollector(node.nodeId(), Clock.systemUTC(), MetricsConfig.defaults());
        b.local = new LocalInstances(b.collector);
        CallConfig callConfig = CallConfig.defaults(node.nodeId(), node.clusterId(), node.peerHost(), rt.callPort())
                .withSecret(node.secret());
        CompletableFuture<NodeRuntime> started = CallServer.start(vertx, callConfig, b.local).thenCompose(server -> {
            b.callServer = server;
            // The metrics frame handlers must be on the call server before other nodes can reach it: a snapshot
            // arriving at a server without them closes the sender's connection.
            b.aggregator = new MetricsAggregator(node.nodeId(), vertx, b::leaderId, b::liveNodeIds, server,
                    b::sendFrame, Clock.systemUTC(), MetricsConfig.defaults());
            NodeRecord self = new NodeRecord(node.nodeId(),
                    node.role() == io.aether.node.config.NodeRole.CORE ? NodeRole.CORE : NodeRole.WORKER,
                    rt.advertiseHost() + ":" + httpPort, rt.advertiseHost() + ":" + server.localPort(), Instant.now(),
                    0, false);
            return NodeRegistry.start(kv, vertx, b.bus, self, rt.heartbeatInterval(), rt.lease(), System::nanoTime);
        }).thenCompose(registry -> {
            b.registry = registry;
            b.leader = LeaderManager.start(registry, b.bus);
            return EndpointRegistry.start(kv, registry::isLive);
        }).thenCompose(endpoints -> {
            b.endpoints = endpoints;
            b.invoker = new Invoker(vertx, callConfig, b.local, endpoints, id -> b.registry.node(id)
                    .map(n -> HostAndPort.parse(n.call())));
            b.collector.start(vertx, b.local, b::leaderId, b.invoker::send, b.aggregator);
            List<SliceStoreConfig.Repository> repositories = new ArrayList<>();
            for (int i = 0; i < rt.repositories().size(); i++) {
                repositories.add(new SliceStoreConfig.Repository("repo-" + i, rt.repositories().get(i)));
            }
            b.store = new MavenSliceStore(SliceStoreConfig.of(repositories, rt.sliceCacheDir())
                    .withTimeouts(rt.loadTimeout(), rt.activateTimeout(), rt.deactivateTimeout(), rt.unloadTimeout()),
                    b.invoker::call);
            return Blueprints.start(kv, b.bus);
        }).thenCompose(blueprints -> {
            b.blueprints = blueprints;
            b.blueprintService = new BlueprintService(kv, blueprints);
            b.nodeDeployment = new NodeDeploymentManager(kv, node.nodeId(), b.store, b.local, b.bus,
                    Clock.systemUTC(), Duration.ofSeconds(2));
            return b.nodeDeployment.start();
        }).thenCompose(v -> GovernorMirror.start(kv)).thenCompose(governors -> {
            b.governors = governors;
            // Mode changes leave receipts: the ledger exists before the mode store.
            b.receipts = new KvReceiptLedger(kv, Clock.systemUTC());
            return ControlModeStore.start(kv, Clock.systemUTC(), controlSettings.defaultMode(),
                    controlSettings.layerModes(), b.receipts);
        })
                .thenApply(modeStore -> {
            b.controlMode = modeStore;
            Allocator allocator = rt.allocation() == RuntimeSettings.Allocation.ROUND_ROBIN
                    ? Allocator.ROUND_ROBIN : Allocator.LEAST_LOADED;
            b.clusterDeployment = new ClusterDeploymentManager(kv, b.registry, b.leader, b.bus, b.blueprints,
                    allocator, rt.reconcileInterval(), Clock.systemUTC());
            b.clusterDeployment.start();
            startControl(b, kv, controlSettings);
            b.leaderOnly = b.bus.subscribe(e -> {
                if (e.event() instanceof ClusterEvent.LeaderChanged) {
                    b.followLeadership();
                }
            });
            b.followLeadership();
            return new NodeRuntime(b);
        });
        // Closing blocks (bounded) and a failed step may complete on an event loop: close on another thread.
        return started.handle((runtime, error) -> error).thenCompose(error -> {
            if (error == null) {
                return started;
            }
            return CompletableFuture.runAsync(b::closeStarted).thenCompose(v -> started);
        });
    }

    /**
     * The controller chain behind the guardrails, running on the leader only: L1, the enabled AI layers, and the
     * node provisioner when one is configured (without one, node actions are rejected naming that).
     */
    private static void startControl(Parts b, KvClient kv, ControlSettings settings) {
        Clock clock = Clock.systemUTC();
        b.proposals = new ProposalStore(kv, clock, settings.proposalDeadline());
        ControlReadModels reads = new ControlReadModels(b.aggregator, b.registry, b.blueprints, b.bus);
        b.control = new ControlLoop(settings.l1(), settings.aiLayers(), reads.asReadModels(),
                new Guardrails(settings.guardrails(), clock), new Governors(), b.controlMode, b.proposals, b.receipts,
                b.blueprintService, kv, settings.provisioner(), b.leader::isLeader, clock, settings.layerTimeout());
        // Each published snapshot (leader only) ticks the loop at once: decisions follow their metrics second.
        b.aggregator.addListener(snapshot -> b.control.onSnapshot());
    }

    public ClusterEventBus bus() {
        return parts.bus;
    }

    public NodeRegistry registry() {
        return parts.registry;
    }

    public LeaderManager leader() {
        return parts.leader;
    }

    public EndpointRegistry endpoints() {
        return parts.endpoints;
    }

    public Blueprints blueprints() {
        return parts.blueprints;
    }

    public BlueprintService blueprintService() {
        return parts.blueprintService;
    }

    public ControlLoop control() {
        return parts.control;
    }

    /** Every slice's governor state as the leader stored it; the router's admission control reads it. */
    public GovernorMirror governors() {
        return parts.governors;
    }

    public ControlModeStore controlMode() {
        return parts.controlMode;
    }

    public ProposalStore proposals() {
        return parts.proposals;
    }

    public KvReceiptLedger receipts() {
        return parts.receipts;
    }

    /** The leader's metrics (every node holds the latest snapshot the leader broadcast). */
    public MetricsAggregator metrics() {
        return parts.aggregator;
    }

    /** Slice instances active on this node. */
    public int localInstances() {
        return parts.local.size();
    }

    /** Stops in reverse order: leadership-following parts, this node's slices, then the plumbing. */
    @Override
    public void close() {
        parts.closeStarted();
    }

    /** The call server's port (0 in the configuration picks a free one). */
    int callPort() {
        return parts.callServer.localPort();
    }

    /** The routes of every blueprint, as the router serves them. */
    RouteTable routes() {
        return parts.blueprints.routes();
    }

    Invoker invoker() {
        return parts.invoker;
    }


    /** Closes every part even when one fails; each failure is logged with the part's name. */
    private static void closeAll(AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + part.getClass().getSimpleName() + " failed", e);
            }
        }
    }

    /** Every part, filled as each starts, so a failed start closes exactly what started. */
    private static final class Parts {
        KvClient kv;
        ClusterEventBus bus;
        LocalInstances local;
        CallServer callServer;
        volatile NodeRegistry registry;
        volatile LeaderManager leader;
        EndpointRegistry endpoints;
        volatile Invoker invoker;
        MavenSliceStore store;
        Blueprints blueprints;
        NodeDeploymentManager nodeDeployment;
        ClusterDeploymentManager clusterDeployment;
        MetricsCollector collector;
        MetricsAggregator aggregator;
        BlueprintService blueprintService;
        GovernorMirror governors;
        ControlModeStore controlMode;
        ProposalStore proposals;
        KvReceiptLedger receipts;
        ControlLoop control;
        ClusterEventBus.Subscription leaderOnly;

        /** The leader aggregates metrics and runs the controller chain; other nodes only report. */
        void followLeadership() {
            if (leader.isLeader()) {
                aggregator.start();
                control.start();
            } else {
                control.stop();
                aggregator.stop();
            }
        }

        /** The leader, or none while membership has not started. */
        Optional<String> leaderId() {
            LeaderManager current = leader;
            return current == null ? Optional.empty() : current.leader();
        }

        java.util.Collection<String> liveNodeIds() {
            NodeRegistry current = registry;
            return current == null ? List.of() : current.liveNodes().keySet();
        }

        boolean sendFrame(String nodeId, byte type, byte[] payload) {
            Invoker current = invoker;
            return current != null && current.send(nodeId, type, payload);
        }

        void closeStarted() {
            if (collector != null) {
                collector.stop();
            }
            closeAll(leaderOnly, control, controlMode, governors, aggregator, clusterDeployment, nodeDeployment, blueprints, store,
                    invoker, endpoints, leader, registry, callServer, bus);
        }
    }
}
