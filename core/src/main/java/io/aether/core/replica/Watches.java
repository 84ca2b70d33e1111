package io.aether.core.replica;

import io.aether.core.client.KvWire;
import io.aether.core.kv.CompactedException;
import io.aether.core.kv.Watch;
import io.aether.core.kv.WatchLimitException;
import io.aether.core.net.Connection;
import java.util.HashMap;
import java.util.Map;

/**
 * Clients' watches served by this node. Events go out on the client's connection as they are applied; a client
 * whose send queue is full is disconnected (its client resumes every watch after the last revision it got),
 * so a slow consumer costs bounded memory and never stalls the replica.
 */
final class Watches {

    private static final System.Logger LOG = System.getLogger(Watches.class.getName());

    private record Key(Connection connection, long watchId) {
    }

    private final String nodeId;
    private final ReplicaState state;
    private final Map<Key, Watch> active = new HashMap<>();

    Watches(String nodeId, ReplicaState state) {
        this.nodeId = nodeId;
        this.state = state;
    }

    void start(Connection connection, KvWire.WatchStart start) {
        Key key = new Key(connection, start.watchId());
        Watch previous = active.remove(key);
        if (previous != null) {
            previous.cancel();
        }
        try {
            Watch watch = state.kv().watch(start.prefix(), start.fromRevision(), (revision, events) -> {
                byte[] frame = KvWire.encode(new KvWire.WatchEvents(start.watchId(), revision, events));
                if (!connection.send(KvWire.WATCH_EVENTS, frame)) {
                    LOG.log(System.Logger.Level.WARNING, "replica {0}: closing client {1} ({2}): it does not keep "
                            + "up with watch ''{3}''; it will resume", nodeId, connection.remoteNodeId(),
                            connection.remoteAddress(), start.prefix());
                    connection.close();
                }
            });
            active.put(key, watch);
        } catch (CompactedException e) {
            end(connection, start.watchId(), KvWire.WatchEnd.COMPACTED, e.oldestAvailableRevision(), e.getMessage());
        } catch (WatchLimitException | IllegalArgumentException e) {
            end(connection, start.watchId(), KvWire.WatchEnd.REFUSED, 0, e.getMessage());
        }
    }

    void cancel(Connection connection, long watchId) {
        Watch watch = active.remove(new Key(connection, watchId));
        if (watch != null) {
            watch.cancel();
        }
    }

    void dropConnection(Connection connection) {
        for (var it = active.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (entry.getKey().connection() == connection) {
                entry.getValue().cancel();
                it.remove();
            }
        }
    }

    /** Ends every watch with RESUME: the state machine they watched is being replaced. */
    void endAll(String why) {
        active.forEach((key, watch) -> {
            watch.cancel();
            end(key.connection(), key.watchId(), KvWire.WatchEnd.RESUME, 0, why);
        });
        active.clear();
    }

    private static void end(Connection connection, long watchId, KvWire.WatchEnd reason, long revision, String message) {
        connection.send(KvWire.WATCH_ENDED, KvWire.encode(new KvWire.WatchEnded(watchId, reason, revision, message)));
    }
}
