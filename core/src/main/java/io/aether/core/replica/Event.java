package io.aether.core.replica;

import io.aether.core.client.KvWire;
import io.aether.core.consensus.Message;
import io.aether.core.net.Connection;

/** What transport threads hand to the replica thread. */
sealed interface Event {

    record PeerMessage(int from, Message message) implements Event {
    }

    record ClientRequest(Connection connection, KvWire.Request request) implements Event {
    }

    record WatchStart(Connection connection, KvWire.WatchStart start) implements Event {
    }

    record WatchCancel(Connection connection, long watchId) implements Event {
    }

    record ConnectionClosed(Connection connection) implements Event {
    }

    record SnapshotRequest(int from, SnapshotTransfer.Request request) implements Event {
    }

    record SnapshotChunk(int from, long lastIncludedSlot, int totalBytes, int offset, byte[] data) implements Event {
    }
}
