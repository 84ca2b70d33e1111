package io.aether.core.consensus;

/**
 * The decision rules of one slot, as a seam so that tests can plant broken variants and prove the
 * simulation catches them. {@link #PAPER} is the only production implementation.
 */
interface DecisionRules {
    /** Result codes of {@link #afterVotes}: the low bit is the value, {@link #DECIDE} marks a decision. */
    int DECIDE = 0b10;

    /** Phase 1: do {@code count} equal non-empty proposals make the round-1 state 1? */
    boolean majorityProposal(int count, int f);

    /** Round-1 shortcut hook: may a slot decide straight from proposals? The paper's proof licenses none. */
    boolean decideFromProposals(int sameCount, int received, int f);

    /**
     * The round-1 state of a slot, given the one computed from its proposals and the final state of the
     * previous slot (which the paper ignores: slots are independent).
     */
    int initialState(int fromProposals, int previousSlotFinalState);

    /** Vote from the round's states: 0, 1 or {@link Message#QUESTION}. */
    int vote(int zeroStates, int oneStates, int f);

    /** After n-f votes: {@code DECIDE | v}, or the next round's state {@code v}. */
    int afterVotes(int zeroVotes, int oneVotes, int f, int coin);

    /** Rabia as published (Ben-Or style binary consensus after a proposal exchange). */
    DecisionRules PAPER = new DecisionRules() {
        @Override
        public boolean majorityProposal(int count, int f) {
            return count >= f + 1;
        }

        @Override
        public boolean decideFromProposals(int sameCount, int received, int f) {
            return false;
        }

        @Override
        public int initialState(int fromProposals, int previousSlotFinalState) {
            return fromProposals;
        }

        @Override
        public int vote(int zeroStates, int oneStates, int f) {
            if (oneStates >= f + 1) {
                return 1;
            }
            return zeroStates >= f + 1 ? 0 : Message.QUESTION;
        }

        @Override
        public int afterVotes(int zeroVotes, int oneVotes, int f, int coin) {
            if (oneVotes >= f + 1) {
                return DECIDE | 1;
            }
            if (zeroVotes >= f + 1) {
                return DECIDE;
            }
            if (oneVotes > 0) {
                return 1;
            }
            return zeroVotes > 0 ? 0 : coin;
        }

        @Override
        public String toString() {
            return "paper";
        }
    };
}
