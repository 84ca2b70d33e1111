package io.aether.core.cluster;

import java.util.Collection;
import java.util.Optional;

/**
 * Computes the leader from the registry: the first live core node in sorted id order (docs/runtime.md). Every
 * node computes it from the same {@code nodes/} keys, so they agree once their views agree. Recomputes on every
 * membership event (and on an overflow, since it may have missed one) and publishes {@link
 * ClusterEvent.LeaderChanged}. Leader-only components subscribe to that event and check {@link #isLeader()}.
 */
public final class LeaderManager implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LeaderManager.class.getName());

    private final NodeRegistry registry;
    private final ClusterEventBus bus;
    private final ClusterEventBus.Subscription subscription;
    private Optional<String> leader = Optional.empty();
    private volatile boolean selfLeads;

    private LeaderManager(NodeRegistry registry, ClusterEventBus bus) {
        this.registry = registry;
        this.bus = bus;
        this.subscription = bus.subscribe(e -> {
            ClusterEvent event = e.event();
            if (event instanceof ClusterEvent.NodeJoined || event instanceof ClusterEvent.NodeLeft
                    || event instanceof ClusterEvent.NodeFailed || event instanceof ClusterEvent.Overflow) {
                recompute();
            }
        });
    }

    /** Starts following the registry and computes the current leader at once. */
    public static LeaderManager start(NodeRegistry registry, ClusterEventBus bus) {
        LeaderManager manager = new LeaderManager(registry, bus);
        manager.recompute();
        return manager;
    }

    /** The leader among {@code live}: the first core node in sorted id order. */
    public static Optional<String> leaderOf(Collection<NodeRecord> live) {
        return live.stream().filter(n -> n.role() == NodeRole.CORE).map(NodeRecord::nodeId).sorted().findFirst();
    }

    void recompute() {
        Optional<String> next = leaderOf(registry.liveNodes().values());
        Optional<String> previous;
        synchronized (this) {
            if (next.equals(leader)) {
                return;
            }
            previous = leader;
            leader = next;
            selfLeads = next.isPresent() && next.get().equals(registry.selfId());
            // Published under the lock so two recomputations cannot publish their changes out of order.
            LOG.log(System.Logger.Level.INFO, "leader changed from {0} to {1}", previous.orElse("none"),
                    next.orElse("none"));
            bus.publish(new ClusterEvent.LeaderChanged(previous, next));
        }
    }

    public synchronized Optional<String> leader() {
        return leader;
    }

    /** Whether this node is the leader by its own view. */
    public boolean isLeader() {
        return selfLeads;
    }

    @Override
    public void close() {
        subscription.close();
    }
}
