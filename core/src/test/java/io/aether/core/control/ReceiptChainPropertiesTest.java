package io.aether.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The receipt chain detects any edited, removed or reordered receipt, and names the link. */
class ReceiptChainPropertiesTest {

    static List<Receipt> chain(int length, long seed) {
        java.util.Random random = new java.util.Random(seed);
        List<Receipt> out = new ArrayList<>();
        String prev = ReceiptCodec.GENESIS;
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        String[] verdicts = {"applied", "proposed", "observed", "rejected", "governor"};
        for (int seq = 1; seq <= length; seq++) {
            Receipt r = ReceiptCodec.seal(new ReceiptDraft("controller:L1", Layer.values()[random.nextInt(4)],
                    Long.toHexString(random.nextLong()), "{\"to\":" + random.nextInt(10) + "}",
                    "rule " + random.nextInt(), verdicts[random.nextInt(verdicts.length)]), seq,
                    t.plusMillis(seq * 1000L), prev);
            out.add(r);
            prev = r.hash();
        }
        return out;
    }

    @Property(tries = 200)
    void anIntactChainVerifies(@ForAll @IntRange(min = 0, max = 40) int length, @ForAll long seed) {
        assertEquals(Optional.empty(), ReceiptVerifier.verify(chain(length, seed)));
    }

    @Property(tries = 300)
    void anyEditedFieldIsDetectedAtItsSeq(@ForAll @IntRange(min = 1, max = 40) int length, @ForAll long seed,
                                          @ForAll @IntRange(min = 0, max = 999) int where,
                                          @ForAll @IntRange(min = 0, max = 9) int field) {
        List<Receipt> c = new ArrayList<>(chain(length, seed));
        int i = where % length;
        Receipt r = c.get(i);
        Receipt edited = switch (field) {
            case 0 -> new Receipt(r.seq(), r.time().plusMillis(1), r.actor(), r.layer(), r.inputsDigest(), r.decision(),
                    r.reasoning(), r.verdict(), r.prevHash(), r.hash());
            case 1 -> new Receipt(r.seq(), r.time(), r.actor() + "x", r.layer(), r.inputsDigest(), r.decision(),
                    r.reasoning(), r.verdict(), r.prevHash(), r.hash());
            case 2 -> new Receipt(r.seq(), r.time(), r.actor(), r.layer() == Layer.HUMAN ? Layer.L1 : Layer.HUMAN,
                    r.inputsDigest(), r.decision(), r.reasoning(), r.verdict(), r.prevHash(), r.hash());
            case 3 -> new Receipt(r.seq(), r.time(), r.actor(), r.layer(), r.inputsDigest() + "0", r.decision(),
                    r.reasoning(), r.verdict(), r.prevHash(), r.hash());
            case 4 -> new Receipt(r.seq(), r.time(), r.actor(), r.layer(), r.inputsDigest(), r.decision() + " ",
                    r.reasoning(), r.verdict(), r.prevHash(), r.hash());
            case 5 -> new Receipt(r.seq(), r.time(), r.actor(), r.layer(), r.inputsDigest(), r.decision(),
                    r.reasoning() + ".", r.verdict(), r.prevHash(), r.hash());
            case 6 -> new Receipt(r.seq(), r.time(), r.actor(), r.layer(), r.inputsDigest(), r.decision(),
                    r.reasoning(), r.verdict().equals("applied") ? "rejected" : "applied", r.prevHash(), r.hash());
            case 7 -> new Receipt(r.seq(), r.time(), r.actor(), r.layer(), r.inputsDigest(), r.decision(),
                    r.reasoning(), r.verdict(), flipFirst(r.prevHash()), r.hash());
            case 8 -> new Receipt(r.seq() + 1, r.time(), r.actor(), r.layer(), r.inputsDigest(), r.decision(),
                    r.reasoning(), r.verdict(), r.prevHash(), r.hash());
            default -> new Receipt(r.seq(), r.time(), r.actor(), r.layer(), r.inputsDigest(), r.decision(),
                    r.reasoning(), r.verdict(), r.prevHash(), flipFirst(r.hash()));
        };
        c.set(i, edited);
        Optional<String> broken = ReceiptVerifier.verify(c);
        assertTrue(broken.isPresent(), "edit of field " + field + " at seq " + r.seq() + " went unnoticed");
        assertTrue(broken.get().startsWith("receipt " + edited.seq() + ": hash mismatch"), broken.get());
    }

    private static String flipFirst(String hex) {
        return (hex.charAt(0) == 'a' ? "b" : "a") + hex.substring(1);
    }

    @Property(tries = 300)
    void anyRemovedReceiptBeforeTheHeadIsDetected(@ForAll @IntRange(min = 2, max = 40) int length,
                                                  @ForAll long seed, @ForAll @IntRange(min = 0, max = 999) int where) {
        List<Receipt> c = new ArrayList<>(chain(length, seed));
        int i = where % (length - 1);
        c.remove(i);
        Optional<String> broken = ReceiptVerifier.verify(c);
        assertEquals(Optional.of("receipt " + (i + 2) + ": seq gap: expected seq " + (i + 1)
                + " (a receipt was removed or the chain reordered)"), broken);
    }

    @Property(tries = 300)
    void anyReorderingIsDetected(@ForAll @IntRange(min = 2, max = 40) int length, @ForAll long seed,
                                 @ForAll @IntRange(min = 0, max = 999) int a, @ForAll @IntRange(min = 1, max = 999) int gap) {
        List<Receipt> c = new ArrayList<>(chain(length, seed));
        int i = a % length;
        int j = (i + 1 + gap % (length - 1)) % length;
        Collections.swap(c, i, j);
        assertTrue(ReceiptVerifier.verify(c).isPresent(), "swap of " + i + " and " + j + " went unnoticed");
    }

    @Test
    void aReceiptRelinkedWithAFreshHashIsAPrevHashMismatch() {
        List<Receipt> c = new ArrayList<>(chain(5, 7));
        Receipt r = c.get(2);
        c.set(2, ReceiptCodec.seal(new ReceiptDraft(r.actor(), r.layer(), r.inputsDigest(), r.decision(),
                r.reasoning(), r.verdict()), r.seq(), r.time(), ReceiptCodec.GENESIS));
        assertTrue(ReceiptVerifier.verify(c).orElseThrow().startsWith("receipt 3: prevHash mismatch"));
    }

    @Test
    void receiptJsonRoundTrips() {
        for (Receipt r : chain(5, 3)) {
            assertEquals(r, ReceiptCodec.decode("receipts/x", ReceiptCodec.encode(r)));
        }
    }
}
