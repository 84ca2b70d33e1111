package io.aether.core.replica;

import io.aether.core.consensus.CodecException;
import io.aether.core.consensus.ConsensusCodec;
import io.aether.core.consensus.LogEntry;
import io.aether.core.kv.KvStateMachine;
import io.aether.core.storage.WriteAheadLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Start-up replay: every WAL entry goes to the engine in WAL order, and the decided slots after the snapshot are
 * applied to the state machine in slot order.
 *
 * @param entries         WAL entries that matter after the snapshot, in WAL order
 * @param lastAppliedSlot the last slot applied to the state machine
 * @param lastOwnBatchSeq highest seq of a batch this replica sealed, from the snapshot and the WAL
 * @param checkpoints     WAL index of each surviving {@code CommittedKnown} entry, by its {@code throughSlot}
 */
record Recovery(List<LogEntry> entries, long lastAppliedSlot, long lastOwnBatchSeq, TreeMap<Long, Long> checkpoints) {

    static Recovery replay(WriteAheadLog wal, int self, long snapshotSlot, long snapshotOwnSeq, KvStateMachine kv)
            throws IOException {
        List<LogEntry> entries = new ArrayList<>(LocalSnapshot.seqMarker(self, snapshotOwnSeq));
        TreeMap<Long, LogEntry.DecidedEntry> decided = new TreeMap<>();
        long[] ownSeq = {snapshotOwnSeq};
        TreeMap<Long, Long> checkpoints = new TreeMap<>();
        if (wal.lastIndex() >= wal.firstIndex()) {
            wal.replay(wal.firstIndex(), (index, payload) -> {
                LogEntry entry;
                try {
                    entry = ConsensusCodec.decodeLogEntry(payload);
                } catch (CodecException e) {
                    // The record passed its CRC, so this is not a torn write: refuse to guess.
                    throw new IllegalStateException("WAL record " + index + " is not a consensus log entry ("
                            + e.getMessage() + "); refusing to start", e);
                }
                // The engine takes every entry in WAL order: entries of slots the snapshot covers still teach it
                // which batches were committed.
                entries.add(entry);
                if (entry instanceof LogEntry.BatchSealed sealed && sealed.batch().id().origin() == self) {
                    ownSeq[0] = Math.max(ownSeq[0], sealed.batch().id().seq());
                } else if (entry instanceof LogEntry.CommittedKnown known) {
                    checkpoints.put(known.throughSlot(), index);
                } else if (entry instanceof LogEntry.DecidedEntry d && d.slot() > snapshotSlot) {
                    decided.put(d.slot(), d);
                }
            });
        }
        long applied = snapshotSlot;
        for (LogEntry.DecidedEntry d : decided.values()) {
            if (d.slot() != applied + 1) {
                throw new IllegalStateException("WAL holds decided slot " + d.slot() + " but not slot " + (applied + 1)
                        + " after snapshot slot " + snapshotSlot + ": the log is missing a decision");
            }
            ReplicaState.applyBatch(kv, d.batchOrNullForNoop(), null);
            applied = d.slot();
        }
        return new Recovery(entries, applied, ownSeq[0], checkpoints);
    }

    /** The slot an entry belongs to, or 0 for entries that belong to no slot. */
    static long slotOf(LogEntry entry) {
        return switch (entry.kind()) {
            case PROPOSAL_SENT -> ((LogEntry.ProposalSent) entry).slot();
            case STATE_SENT -> ((LogEntry.StateSent) entry).slot();
            case VOTE_SENT -> ((LogEntry.VoteSent) entry).slot();
            case DECIDED -> ((LogEntry.DecidedEntry) entry).slot();
            case BATCH_SEALED, COMMITTED_KNOWN -> 0;
        };
    }
}
