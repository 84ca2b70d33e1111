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
 * Start-up replay: the WAL entries recovery needs go to the engine in WAL order, and the decided slots after the
 * snapshot are applied to the state machine in slot order.
 *
 * @param entries         WAL entries that matter after the snapshot, in WAL order
 * @param lastAppliedSlot the last slot applied to the state machine
 * @param lastOwnBatchSeq highest seq of a batch this replica sealed, from the snapshot and the WAL
 * @param checkpoints     WAL index of each surviving {@code CommittedKnown} entry, by its {@code throughSlot}
 */
record Recovery(List<LogEntry> entries, long lastAppliedSlot, long lastOwnBatchSeq, TreeMap<Long, Long> checkpoints) {

    /**
     * Two passes over the WAL so that memory stays bounded by what recovery needs, not by the WAL's size: the
     * first decodes everything but keeps only the seq counter, the checkpoints and where the entries after the
     * snapshot begin; the second hands the engine the entries from the last checkpoint the snapshot covers (or
     * the first entry of a later slot, if earlier), in WAL order. Entries before that teach nothing the
     * checkpoint does not already say.
     */
    static Recovery replay(WriteAheadLog wal, int self, long snapshotSlot, long snapshotOwnSeq, KvStateMachine kv)
            throws IOException {
        long[] ownSeq = {snapshotOwnSeq};
        long[] firstAfterSnapshot = {Long.MAX_VALUE};
        TreeMap<Long, Long> checkpoints = new TreeMap<>();
        if (wal.lastIndex() < wal.firstIndex()) {
            return new Recovery(LocalSnapshot.seqMarker(self, snapshotOwnSeq), snapshotSlot, snapshotOwnSeq,
                    checkpoints);
        }
        wal.replay(wal.firstIndex(), (index, payload) -> {
            LogEntry entry = decode(index, payload);
            if (entry instanceof LogEntry.BatchSealed sealed && sealed.id().origin() == self) {
                ownSeq[0] = Math.max(ownSeq[0], sealed.id().seq());
            } else if (entry instanceof LogEntry.CommittedKnown known) {
                checkpoints.put(known.throughSlot(), index);
            } else if (slotOf(entry) > snapshotSlot) {
                firstAfterSnapshot[0] = Math.min(firstAfterSnapshot[0], index);
            }
        });
        var covered = checkpoints.floorEntry(snapshotSlot);
        long from = Math.min(covered == null ? wal.firstIndex() : covered.getValue(), firstAfterSnapshot[0]);

        List<LogEntry> entries = new ArrayList<>(LocalSnapshot.seqMarker(self, ownSeq[0]));
        TreeMap<Long, LogEntry.DecidedEntry> decided = new TreeMap<>();
        if (from <= wal.lastIndex()) {
            wal.replay(from, (index, payload) -> {
                LogEntry entry = decode(index, payload);
                entries.add(entry);
                if (entry instanceof LogEntry.DecidedEntry d && d.slot() > snapshotSlot) {
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

    private static LogEntry decode(long index, byte[] payload) {
        try {
            return ConsensusCodec.decodeLogEntry(payload);
        } catch (CodecException e) {
            // The record passed its CRC, so this is not a torn write: refuse to guess.
            throw new IllegalStateException("WAL record " + index + " is not a consensus log entry ("
                    + e.getMessage() + "); refusing to start", e);
        }
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
