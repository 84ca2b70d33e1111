package io.aether.core.replica;

import io.aether.core.consensus.EngineConfig;
import io.aether.core.kv.KvLimits;
import io.aether.core.storage.WalOptions;
import io.aether.core.net.HostAndPort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a core node needs to run its replica.
 *
 * @param nodeId             this node's id; must be one of {@code voters}
 * @param voters             the fixed Rabia voter set: node id → peer-transport address
 * @param listenHost         interface the transport listens on
 * @param listenPort         port the transport listens on (0: any free port)
 * @param clusterId          identifies the cluster on the wire; frames of another cluster are refused
 * @param secret             shared cluster secret ("" for none)
 * @param dataDir            directory of the WAL ({@code wal/}) and snapshots ({@code snapshots/})
 * @param limits             KV limits
 * @param snapshotEverySlots take a snapshot and truncate the WAL after this many applied slots
 * @param maxInbox           bound of the replica thread's inbox; beyond it client requests are refused (retry)
 * @param retainDecidedSlots decided slots kept in memory to help lagging peers; further behind needs a snapshot
 * @param wal                WAL segment and record bounds (truncation drops whole segments)
 */
public record ReplicaConfig(String nodeId, Map<String, HostAndPort> voters, String listenHost, int listenPort,
                            int clusterId, String secret, Path dataDir, KvLimits limits, long snapshotEverySlots,
                            int maxInbox, int retainDecidedSlots, WalOptions wal) {

    public ReplicaConfig {
        voters = Map.copyOf(new TreeMap<>(voters));
        if (!voters.containsKey(nodeId)) {
            throw new IllegalArgumentException("node '" + nodeId + "' is not in the voter set " + voters.keySet());
        }
        if (voters.size() % 2 == 0) {
            throw new IllegalArgumentException("the voter set needs an odd size, has " + voters.size());
        }
        if (snapshotEverySlots < 1) {
            throw new IllegalArgumentException("snapshotEverySlots must be >= 1, was " + snapshotEverySlots);
        }
        if (maxInbox < 1024) {
            throw new IllegalArgumentException("maxInbox must be >= 1024, was " + maxInbox);
        }
    }

    /**
     * 16 MiB segments (truncation drops whole segments, so smaller ones free disk sooner) and 4 MiB records (a
     * batch is at most 1 MiB of payload; its proposal and decision entries carry it once each).
     */
    static final WalOptions DEFAULT_WAL = new WalOptions(16L << 20, 4 << 20, 1 << 20);

    /** Defaults: KV default limits, a snapshot every 10,000 slots, an inbox of 200,000 events. */
    public static ReplicaConfig of(String nodeId, Map<String, HostAndPort> voters, String listenHost, int listenPort,
                                   Path dataDir) {
        return new ReplicaConfig(nodeId, voters, listenHost, listenPort, 1, "", dataDir, KvLimits.DEFAULTS, 10_000,
                200_000, 10_000, DEFAULT_WAL);
    }

    /** Voter ids in sorted order; a voter's index here is its replica index in the engine. */
    public List<String> sortedVoters() {
        return new ArrayList<>(new TreeMap<>(voters).keySet());
    }

    public int selfIndex() {
        return sortedVoters().indexOf(nodeId);
    }

    /** The same replica with other KV limits (equal on every replica: they decide results). */
    public ReplicaConfig withLimits(KvLimits newLimits) {
        return new ReplicaConfig(nodeId, voters, listenHost, listenPort, clusterId, secret, dataDir, newLimits,
                snapshotEverySlots, maxInbox, retainDecidedSlots, wal);
    }

    public ReplicaConfig withClusterId(int id, String newSecret) {
        return new ReplicaConfig(nodeId, voters, listenHost, listenPort, id, newSecret, dataDir, limits,
                snapshotEverySlots, maxInbox, retainDecidedSlots, wal);
    }

    /**
     * Snapshot every {@code slots} applied slots, keep {@code retained} decided slots for lagging peers, and roll
     * WAL segments at {@code walSegmentBytes}.
     */
    public ReplicaConfig withRetention(long slots, int retained, long walSegmentBytes) {
        return new ReplicaConfig(nodeId, voters, listenHost, listenPort, clusterId, secret, dataDir, limits, slots,
                maxInbox, retained, new WalOptions(walSegmentBytes, wal.maxRecordBytes(), wal.writeBufferBytes()));
    }

    /** The engine's configuration: production defaults with this replica's identity and retention. */
    EngineConfig engineConfig() {
        EngineConfig d = EngineConfig.defaults(selfIndex(), voters.size(), clusterId);
        return new EngineConfig(d.selfIndex(), d.n(), d.coinSeed(), d.maxBatchCommands(), d.maxBatchBytes(),
                d.maxPendingCommands(), d.pipelineDepth(), d.proposeDelayMicros(), d.batchDelayMicros(),
                d.retransmitMicros(), d.maxFetchSlots(), retainDecidedSlots);
    }
}
