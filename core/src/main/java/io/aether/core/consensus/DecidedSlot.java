package io.aether.core.consensus;

/** A decided log slot: the committed batch, or {@code null} for a no-op slot. */
public record DecidedSlot(long slot, Batch batchOrNullForNoop) {
    public DecidedSlot {
        if (slot < 1) {
            throw new IllegalArgumentException("slots start at 1, got " + slot);
        }
    }

    public boolean isNoop() {
        return batchOrNullForNoop == null;
    }
}
