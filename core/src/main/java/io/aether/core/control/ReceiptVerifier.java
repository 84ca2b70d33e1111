package io.aether.core.control;

import java.util.List;
import java.util.Optional;

/** Checks a receipt chain link by link; what {@code aether audit verify} runs. */
public final class ReceiptVerifier {

    private ReceiptVerifier() {
    }

    /**
     * Verifies {@code chain}, which must start at seq 1: every receipt's hash matches its fields (else it was
     * edited), seqs are consecutive (else one was removed or they were reordered), and every prevHash is the
     * previous receipt's hash (else they were reordered or re-linked). Answers the first broken link, naming its
     * seq and what is wrong, or empty when the chain is whole.
     */
    public static Optional<String> verify(List<Receipt> chain) {
        return verify(chain, 1, ReceiptCodec.GENESIS);
    }

    /** Verifies a segment whose first receipt must be {@code firstSeq} and link to {@code prevHash}. */
    public static Optional<String> verify(List<Receipt> chain, long firstSeq, String prevHash) {
        long expectedSeq = firstSeq;
        String expectedPrev = prevHash;
        for (Receipt r : chain) {
            if (!ReceiptCodec.hash(r).equals(r.hash())) {
                return Optional.of("receipt " + r.seq() + ": hash mismatch: its fields do not hash to " + r.hash()
                        + " (edited)");
            }
            if (r.seq() != expectedSeq) {
                return Optional.of("receipt " + r.seq() + ": seq gap: expected seq " + expectedSeq
                        + " (a receipt was removed or the chain reordered)");
            }
            if (!r.prevHash().equals(expectedPrev)) {
                return Optional.of("receipt " + r.seq() + ": prevHash mismatch: it links to " + r.prevHash()
                        + " but receipt " + (r.seq() - 1) + " hashes to " + expectedPrev + " (reordered)");
            }
            expectedSeq = r.seq() + 1;
            expectedPrev = r.hash();
        }
        return Optional.empty();
    }
}
