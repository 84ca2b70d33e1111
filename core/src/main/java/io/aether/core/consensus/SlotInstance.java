package io.aether.core.consensus;

import java.util.Arrays;

/**
 * One slot's weak multi-valued consensus instance: the proposal exchange and the rounds of binary
 * consensus. Always created fresh for its slot; it never sees another slot's values.
 */
final class SlotInstance {
    static final byte NONE = -1;

    enum Phase { PROPOSING, STATE_SENT, VOTE_SENT, DECIDED }

    final long slot;
    Phase phase = Phase.PROPOSING;

    // phase 1
    boolean proposed;
    Batch myProposal;
    private final BatchId[] proposalOf;
    private final boolean[] hasProposal;
    int proposalCount;

    // phase 2 (tallies of the current round only)
    int round = 1;
    int myState = NONE;
    int myVote = NONE;
    BatchId candidate;
    private final byte[] stateOf;
    private final byte[] voteOf;
    int stateCount;
    int zeroStates;
    int oneStates;
    int voteCount;
    int zeroVotes;
    int oneVotes;

    // outcome
    int decidedValue = NONE;
    Batch decidedBatch;

    long lastProgressMicros;
    /** Per peer: the furthest {@link #position(int, Phase)} seen in its messages, and when we last helped it. */
    private final int[] peerPosition;
    final long[] lastCatchUpMicros;

    SlotInstance(long slot, int n, long nowMicros) {
        this.slot = slot;
        this.proposalOf = new BatchId[n];
        this.hasProposal = new boolean[n];
        this.stateOf = new byte[n];
        this.voteOf = new byte[n];
        Arrays.fill(stateOf, NONE);
        Arrays.fill(voteOf, NONE);
        this.lastProgressMicros = nowMicros;
        this.peerPosition = new int[n];
        this.lastCatchUpMicros = new long[n];
        Arrays.fill(lastCatchUpMicros, Long.MIN_VALUE / 4);
    }

    void notePeerPosition(int peer, int position) {
        peerPosition[peer] = Math.max(peerPosition[peer], position);
    }

    int peerPosition(int peer) {
        return peerPosition[peer];
    }

    /** Progress inside the slot, comparable across replicas: round first, then proposal < state < vote. */
    static int position(int round, Phase phase) {
        return round * 3 + switch (phase) {
            case PROPOSING -> 0;
            case STATE_SENT -> 1;
            case VOTE_SENT, DECIDED -> 2;
        };
    }

    int position() {
        return position(round, phase);
    }

    boolean isDecided() {
        return phase == Phase.DECIDED;
    }

    /** Decided and, for a committed batch, its content is held: the slot can be applied. */
    boolean isComplete() {
        return phase == Phase.DECIDED && (decidedValue == 0 || decidedBatch != null);
    }

    BatchId myProposalId() {
        return myProposal == null ? null : myProposal.id();
    }

    /** Records a proposal; false if {@code from} already proposed (a duplicate). */
    boolean recordProposal(int from, BatchId idOrNull) {
        if (hasProposal[from]) {
            return false;
        }
        hasProposal[from] = true;
        proposalOf[from] = idOrNull;
        proposalCount++;
        return true;
    }

    /** The non-empty id proposed most often (ties: any), or null if all proposals were empty. */
    BatchId topProposal() {
        BatchId best = null;
        int bestCount = 0;
        for (int i = 0; i < proposalOf.length; i++) {
            if (!hasProposal[i] || proposalOf[i] == null) {
                continue;
            }
            int c = countProposals(proposalOf[i]);
            if (c > bestCount) {
                best = proposalOf[i];
                bestCount = c;
            }
        }
        return best;
    }

    int countProposals(BatchId id) {
        int c = 0;
        for (int i = 0; i < proposalOf.length; i++) {
            if (hasProposal[i] && id.equals(proposalOf[i])) {
                c++;
            }
        }
        return c;
    }

    /** Records a state of the current round; false if {@code from} already sent one (a duplicate). */
    boolean recordState(int from, int value) {
        if (stateOf[from] != NONE) {
            return false;
        }
        stateOf[from] = (byte) value;
        stateCount++;
        if (value == 0) {
            zeroStates++;
        } else {
            oneStates++;
        }
        return true;
    }

    /** Records a vote of the current round; false if {@code from} already voted (a duplicate). */
    boolean recordVote(int from, int value) {
        if (voteOf[from] != NONE) {
            return false;
        }
        voteOf[from] = (byte) value;
        voteCount++;
        if (value == 0) {
            zeroVotes++;
        } else if (value == 1) {
            oneVotes++;
        }
        return true;
    }

    /** Moves to {@code newRound} with empty tallies. */
    void enterRound(int newRound) {
        if (newRound <= round && phase != Phase.PROPOSING) {
            throw new IllegalStateException("slot " + slot + ": round may only grow, " + round + " -> " + newRound);
        }
        round = newRound;
        Arrays.fill(stateOf, NONE);
        Arrays.fill(voteOf, NONE);
        stateCount = zeroStates = oneStates = 0;
        voteCount = zeroVotes = oneVotes = 0;
        myState = NONE;
        myVote = NONE;
    }

    @Override
    public String toString() {
        return "{slot " + slot + " " + phase + " r" + round + " state " + myState + " vote " + myVote + " candidate "
                + candidate + " decided " + decidedValue + " proposal " + myProposalId() + "}";
    }
}
