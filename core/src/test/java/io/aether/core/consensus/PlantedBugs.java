package io.aether.core.consensus;

/** Deliberately broken decision rules; each must be caught by the simulation. Test code only. */
enum PlantedBugs implements DecisionRules {
    /** Decides on f matching votes instead of f+1: two minorities can decide differently. */
    DECIDE_ON_F_VOTES {
        @Override
        public int afterVotes(int zeroVotes, int oneVotes, int f, int coin) {
            if (oneVotes >= f) {
                return DECIDE | 1;
            }
            if (zeroVotes >= f) {
                return DECIDE;
            }
            return PAPER.afterVotes(zeroVotes, oneVotes, f, coin);
        }
    },
    /** Commits the coin when every vote was "?": the coin may only set the next round's state. */
    COMMIT_COIN_ON_ALL_QUESTION {
        @Override
        public int afterVotes(int zeroVotes, int oneVotes, int f, int coin) {
            if (zeroVotes == 0 && oneVotes == 0) {
                return DECIDE | coin;
            }
            return PAPER.afterVotes(zeroVotes, oneVotes, f, coin);
        }
    },
    /** A new slot starts in state 1 when the previous slot ended with 1: it inherits that slot's batch. */
    INHERIT_PREVIOUS_SLOT_STATE {
        @Override
        public int initialState(int fromProposals, int previousSlotFinalState) {
            return Math.max(fromProposals, previousSlotFinalState);
        }
    },
    /** Decides in round 1 when all proposals received agree: no proof licenses this shortcut. */
    ROUND_ONE_SHORTCUT {
        @Override
        public boolean decideFromProposals(int sameCount, int received, int f) {
            return sameCount == received;
        }
    };

    @Override
    public boolean majorityProposal(int count, int f) {
        return PAPER.majorityProposal(count, f);
    }

    @Override
    public boolean decideFromProposals(int sameCount, int received, int f) {
        return PAPER.decideFromProposals(sameCount, received, f);
    }

    @Override
    public int initialState(int fromProposals, int previousSlotFinalState) {
        return PAPER.initialState(fromProposals, previousSlotFinalState);
    }

    @Override
    public int vote(int zeroStates, int oneStates, int f) {
        return PAPER.vote(zeroStates, oneStates, f);
    }

    @Override
    public int afterVotes(int zeroVotes, int oneVotes, int f, int coin) {
        return PAPER.afterVotes(zeroVotes, oneVotes, f, coin);
    }
}
