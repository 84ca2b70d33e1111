package io.aether.core.consensus;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Reads a replica's WAL entries into what recovery needs; pure, no engine state. */
final class WalReplay {
    /** What this replica sent in one slot: its proposal, its latest state and its latest vote. */
    static final class SlotSent {
        boolean proposed;
        Batch proposal;
        int stateRound;
        int state = SlotInstance.NONE;
        int voteRound;
        int vote = SlotInstance.NONE;
        /** The slot's majority batch as named by any persisted state or vote (it is unique per slot). */
        BatchId candidate;
    }

    final List<LogEntry.DecidedEntry> decided = new ArrayList<>();
    final List<List<OriginCommitted>> committedKnown = new ArrayList<>();
    final TreeMap<Long, SlotSent> slots = new TreeMap<>();
    /** Highest seq of a batch this replica sealed: never reused. */
    long lastOwnSeq;
    /** Committed batch ids are known through this slot: a checkpoint plus the contiguous decisions after it. */
    long knownThrough;

    private WalReplay() {
    }

    static WalReplay read(int self, List<LogEntry> entries) {
        WalReplay r = new WalReplay();
        for (LogEntry entry : entries) {
            switch (entry.kind()) {
                case DECIDED -> {
                    LogEntry.DecidedEntry d = (LogEntry.DecidedEntry) entry;
                    r.decided.add(d);
                    r.noteSeq(self, d.batchOrNullForNoop());
                    if (d.slot() == r.knownThrough + 1) {
                        r.knownThrough = d.slot();
                    }
                }
                case COMMITTED_KNOWN -> {
                    LogEntry.CommittedKnown ck = (LogEntry.CommittedKnown) entry;
                    r.committedKnown.add(ck.origins());
                    r.knownThrough = Math.max(r.knownThrough, ck.throughSlot());
                }
                // Only the seq counter: a forwarded batch lives in the peers' queues; re-queuing it here could
                // commit it twice if it was committed in a slot this replica has not learned.
                case BATCH_SEALED -> r.noteSeq(self, ((LogEntry.BatchSealed) entry).id());
                case PROPOSAL_SENT -> {
                    LogEntry.ProposalSent p = (LogEntry.ProposalSent) entry;
                    SlotSent ps = r.slot(p.slot());
                    ps.proposed = true;
                    ps.proposal = p.batchOrNullForEmpty();
                    r.noteSeq(self, ps.proposal);
                }
                case STATE_SENT -> {
                    LogEntry.StateSent st = (LogEntry.StateSent) entry;
                    SlotSent ps = r.slot(st.slot());
                    if (st.round() >= ps.stateRound) {
                        ps.stateRound = st.round();
                        ps.state = st.value();
                    }
                    if (st.batchIdOrNull() != null) {
                        ps.candidate = st.batchIdOrNull();
                    }
                }
                case VOTE_SENT -> {
                    LogEntry.VoteSent v = (LogEntry.VoteSent) entry;
                    SlotSent ps = r.slot(v.slot());
                    if (v.round() >= ps.voteRound) {
                        ps.voteRound = v.round();
                        ps.vote = v.value();
                    }
                    if (v.batchIdOrNull() != null) {
                        ps.candidate = v.batchIdOrNull();
                    }
                }
            }
        }
        return r;
    }

    private SlotSent slot(long s) {
        return slots.computeIfAbsent(s, k -> new SlotSent());
    }

    private void noteSeq(int self, Batch b) {
        if (b != null) {
            noteSeq(self, b.id());
        }
    }

    private void noteSeq(int self, BatchId id) {
        if (id.origin() == self && id.seq() > lastOwnSeq) {
            lastOwnSeq = id.seq();
        }
    }
}
