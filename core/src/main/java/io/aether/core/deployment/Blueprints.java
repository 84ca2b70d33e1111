package io.aether.core.deployment;

import io.aether.core.client.KvClient;
import io.aether.core.client.KvMirror;
import io.aether.core.cluster.ClusterEvent;
import io.aether.core.cluster.ClusterEventBus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Every node's view of {@code blueprints/}: the valid blueprints by id and the {@link RouteTable} built from them
 * (swapped atomically on every change). Publishes {@link ClusterEvent.BlueprintChanged} after the view includes
 * the change. A stored value that fails validation (written around the API) is logged and left out.
 */
public final class Blueprints implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Blueprints.class.getName());

    private final ClusterEventBus bus;
    private final KvMirror mirror;
    private volatile Map<String, Blueprint> byId = Map.of();
    private volatile RouteTable routes = RouteTable.EMPTY;

    private Blueprints(KvClient kv, ClusterEventBus bus) {
        this.bus = bus;
        this.mirror = KvMirror.start(kv, BlueprintKeys.PREFIX, this::onChanges);
    }

    /** Starts mirroring; the future completes once the current blueprints are in. */
    public static CompletableFuture<Blueprints> start(KvClient kv, ClusterEventBus bus) {
        Blueprints blueprints = new Blueprints(kv, bus);
        return blueprints.mirror.ready().thenApply(v -> blueprints);
    }

    private void onChanges(List<KvMirror.Change> changes) {
        TreeMap<String, Blueprint> next = new TreeMap<>(byId);
        for (KvMirror.Change c : changes) {
            String id = BlueprintKeys.id(c.key());
            next.remove(id);
            if (c.after().isPresent()) {
                try {
                    next.put(id, BlueprintCodec.decode(c.key(), c.after().get().value()));
                } catch (BlueprintException e) {
                    LOG.log(System.Logger.Level.WARNING, "ignoring stored blueprint: {0}", e.getMessage());
                }
            }
        }
        RouteTable table = RouteTable.of(next.values());
        table.shadowed().forEach(s -> LOG.log(System.Logger.Level.WARNING, "route not served: {0}", s));
        byId = Map.copyOf(next);
        routes = table;
        for (KvMirror.Change c : changes) {
            bus.publish(new ClusterEvent.BlueprintChanged(BlueprintKeys.id(c.key()), c.after().isEmpty()));
        }
    }

    /** The valid blueprints by id (an immutable snapshot). */
    public Map<String, Blueprint> all() {
        return byId;
    }

    public Optional<Blueprint> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The current route table; read it once per request. */
    public RouteTable routes() {
        return routes;
    }

    @Override
    public void close() {
        mirror.close();
    }
}
