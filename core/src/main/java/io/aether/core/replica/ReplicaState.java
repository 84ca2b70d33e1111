package io.aether.core.replica;

import io.aether.core.consensus.Batch;
import io.aether.core.consensus.Command;
import io.aether.core.consensus.DecidedSlot;
import io.aether.core.consensus.LogEntry;
import io.aether.core.consensus.Message;
import io.aether.core.kv.KvCodec;
import io.aether.core.kv.KvResult;
import io.aether.core.kv.KvStateMachine;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The replica thread's state beside the engine: the state machine, who waits for which command, the watches,
 * and the bookkeeping that decides how much WAL a snapshot lets go. Only the replica thread mutates it; the
 * fields probes read are volatile.
 */
final class ReplicaState {

    /** Slots of slack before a replica counts as behind: a pipeline's width and then some. */
    private static final long CAUGHT_UP_SLACK_SLOTS = 64;

    private final ReplicaConfig config;
    private final Waiters waiters;
    private final Watches watches;
    private final SnapshotTransfer.Incoming snapshotIn = new SnapshotTransfer.Incoming();
    /** First WAL index holding an entry of each slot not yet applied: what truncation must keep. */
    private final TreeMap<Long, Long> firstIndexOfSlot = new TreeMap<>();
    private final AtomicLong droppedEvents = new AtomicLong();
    private KvStateMachine kv;
    private long snapshotSlot;
    private long lastOwnBatchSeq;
    private final int selfIndex;
    private volatile long lastAppliedSlot;
    private volatile long highestSeenSlot;
    private volatile long revision;
    private volatile String failure = "";

    /** WAL index of each {@code CommittedKnown} checkpoint, by the slot it covers. */
    private final TreeMap<Long, Long> checkpoints;

    ReplicaState(ReplicaConfig config, KvStateMachine kv, long snapshotSlot, long lastAppliedSlot, long lastOwnBatchSeq,
                 TreeMap<Long, Long> checkpoints) {
        this.config = config;
        this.kv = kv;
        this.snapshotSlot = snapshotSlot;
        this.lastAppliedSlot = lastAppliedSlot;
        this.highestSeenSlot = lastAppliedSlot;
        this.lastOwnBatchSeq = lastOwnBatchSeq;
        this.selfIndex = config.selfIndex();
        this.checkpoints = new TreeMap<>(checkpoints);
        this.revision = kv.revision();
        this.waiters = new Waiters(config.maxInbox());
        this.watches = new Watches(config.nodeId(), this);
    }

    KvStateMachine kv() {
        return kv;
    }

    Waiters waiters() {
        return waiters;
    }

    Watches watches() {
        return watches;
    }

    SnapshotTransfer.Incoming snapshotIn() {
        return snapshotIn;
    }

    long lastAppliedSlot() {
        return lastAppliedSlot;
    }

    long snapshotSlot() {
        return snapshotSlot;
    }

    /** Applies one decided slot and answers the clients waiting here for its commands. */
    void apply(DecidedSlot slot) {
        if (slot.slot() != lastAppliedSlot + 1) {
            throw new IllegalStateException("replica " + config.nodeId() + ": decided slot " + slot.slot()
                    + " arrived after slot " + lastAppliedSlot + "; slots must apply in order, once");
        }
        applyBatch(kv, slot.batchOrNullForNoop(), waiters);
        lastAppliedSlot = slot.slot();
        revision = kv.revision();
        firstIndexOfSlot.headMap(slot.slot(), true).clear();
    }

    /** Applies a batch's commands in order; each waiting client gets exactly its own command's result. */
    static void applyBatch(KvStateMachine kv, Batch batch, Waiters waiters) {
        if (batch == null) {
            return;
        }
        for (Command c : batch.commands()) {
            KvResult result = kv.apply(c.clientId(), c.seq(), c.payload());
            if (waiters != null) {
                waiters.complete(c.clientId(), c.seq(), KvCodec.encodeResult(result));
            }
        }
    }

    void noteWalEntry(LogEntry entry, long index) {
        if (entry instanceof LogEntry.BatchSealed sealed) {
            if (sealed.id().origin() == selfIndex) {
                lastOwnBatchSeq = Math.max(lastOwnBatchSeq, sealed.id().seq());
            }
            return;
        }
        if (entry instanceof LogEntry.CommittedKnown known) {
            checkpoints.put(known.throughSlot(), index);
            return;
        }
        long slot = Recovery.slotOf(entry);
        if (slot > lastAppliedSlot) {
            firstIndexOfSlot.putIfAbsent(slot, index);
        }
    }

    /**
     * The WAL index before which nothing is needed once a snapshot covers {@code appliedSlot}, or -1 when nothing
     * may go. Kept: entries of later slots (the engine must never send other values for them after a restart) and
     * everything
     * from the last committed-batch checkpoint the snapshot covers (docs/consensus.md §2: without it a restarted
     * engine cannot tell which batches the snapshot committed).
     */
    long walCutAfterSnapshot(long appliedSlot, long nextIndex) {
        var checkpoint = checkpoints.floorEntry(appliedSlot);
        if (checkpoint == null) {
            return -1;
        }
        long cut = Math.min(nextIndex, checkpoint.getValue());
        var later = firstIndexOfSlot.tailMap(appliedSlot, false);
        for (long index : later.values()) {
            cut = Math.min(cut, index);
        }
        checkpoints.headMap(checkpoint.getKey(), false).clear();
        return cut;
    }

    long lastOwnBatchSeq() {
        return lastOwnBatchSeq;
    }

    void snapshotTaken(long slot) {
        snapshotSlot = slot;
    }

    /** Replaces the state machine with a snapshot from a peer; watches on the old one must resume. */
    void install(KvStateMachine restored, long slot) {
        watches.endAll("the node installed a snapshot from a peer");
        kv = restored;
        snapshotSlot = slot;
        lastAppliedSlot = slot;
        revision = kv.revision();
        firstIndexOfSlot.headMap(slot, true).clear();
    }

    void notePeerSlot(Message message) {
        long slot = 0;
        if (message instanceof Message.Proposal p) {
            slot = p.slot();
        } else if (message instanceof Message.State s) {
            slot = s.slot();
        } else if (message instanceof Message.Vote v) {
            slot = v.slot();
        } else if (message instanceof Message.Decided d) {
            slot = d.slot();
        }
        if (slot > highestSeenSlot) {
            highestSeenSlot = slot;
        }
    }

    void countDroppedEvent() {
        droppedEvents.incrementAndGet();
    }

    void fail(String why) {
        failure = why;
    }

    boolean failed() {
        return !failure.isEmpty();
    }

    String failure() {
        return failure;
    }

    ReplicaStatus status(int connectedPeers) {
        int voters = config.voters().size();
        boolean quorum = connectedPeers + 1 >= voters / 2 + 1;
        long applied = lastAppliedSlot;
        long seen = Math.max(highestSeenSlot, applied);
        return new ReplicaStatus(config.nodeId(), voters, connectedPeers, quorum, applied, seen,
                seen - applied <= CAUGHT_UP_SLACK_SLOTS, revision, failure);
    }
}
