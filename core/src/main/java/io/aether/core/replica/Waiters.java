package io.aether.core.replica;

import io.aether.core.client.KvWire;
import io.aether.core.net.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Clients waiting on this node for a logged command, by (clientId, seq). A command may be committed through
 * another node (a client that failed over): whoever applies it answers whoever waits here. Bounded: beyond
 * {@code max} waiters new requests are told to retry.
 */
final class Waiters {

    private record Key(long clientId, long seq) {
    }

    private record Waiter(Connection connection, long requestId) {
    }

    private final int max;
    private final Map<Key, List<Waiter>> byCommand = new HashMap<>();
    private int size;

    Waiters(int max) {
        this.max = max;
    }

    boolean add(long clientId, long seq, Connection connection, long requestId) {
        if (size >= max) {
            return false;
        }
        byCommand.computeIfAbsent(new Key(clientId, seq), k -> new ArrayList<>(1)).add(new Waiter(connection, requestId));
        size++;
        return true;
    }

    void complete(long clientId, long seq, byte[] encodedResult) {
        List<Waiter> waiting = byCommand.remove(new Key(clientId, seq));
        if (waiting == null) {
            return;
        }
        size -= waiting.size();
        byte[] frame = null;
        long frameFor = 0;
        for (Waiter w : waiting) {
            if (frame == null || frameFor != w.requestId()) {
                frame = ReplicaNode.resultFrame(w.requestId(), encodedResult);
                frameFor = w.requestId();
            }
            w.connection().send(KvWire.RESPONSE, frame);
        }
    }

    void reject(long clientId, long seq, String reason) {
        List<Waiter> waiting = byCommand.remove(new Key(clientId, seq));
        if (waiting == null) {
            return;
        }
        size -= waiting.size();
        for (Waiter w : waiting) {
            ReplicaNode.reply(w.connection(), w.requestId(), KvWire.Status.RETRY, reason);
        }
    }

    void dropConnection(Connection connection) {
        for (var it = byCommand.values().iterator(); it.hasNext(); ) {
            List<Waiter> waiting = it.next();
            int before = waiting.size();
            waiting.removeIf(w -> w.connection() == connection);
            size -= before - waiting.size();
            if (waiting.isEmpty()) {
                it.remove();
            }
        }
    }
}
