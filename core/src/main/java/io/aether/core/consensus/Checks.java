package io.aether.core.consensus;

/** Argument checks shared by the message and log-entry records. */
final class Checks {
    private Checks() {
    }

    static void slot(long slot) {
        if (slot < 1) {
            throw new IllegalArgumentException("slots start at 1, got " + slot);
        }
    }

    static void round(int round) {
        if (round < 1) {
            throw new IllegalArgumentException("rounds start at 1, got " + round);
        }
    }

    static void binary(int value, BatchId id) {
        if (value != 0 && value != 1) {
            throw new IllegalArgumentException("state must be 0 or 1, got " + value);
        }
        idMatches(value, id);
    }

    /** A "?" vote may name the batch the 1-states of its round stood for; it needs none. */
    static void vote(int value, BatchId id) {
        if (value < 0 || value > Message.QUESTION) {
            throw new IllegalArgumentException("vote must be 0, 1 or 2 (?), got " + value);
        }
        if (value != Message.QUESTION) {
            idMatches(value, id);
        }
    }

    private static void idMatches(int value, BatchId id) {
        if ((value == 1) != (id != null)) {
            throw new IllegalArgumentException("a batch id must accompany value 1 and only value 1 (value " + value
                    + ", id " + id + ")");
        }
    }
}
