package io.aether.core.control;

import java.time.Instant;

/**
 * One link of the receipt ledger (DESIGN §8), stored at {@code receipts/{seq}} (seq zero-padded to 20 digits so
 * keys sort in order). {@code hash} = SHA-256 over the canonical encoding of every other field including
 * {@code prevHash}; the first receipt's {@code prevHash} is 64 zeros.
 *
 * @param actor        who decided: {@code controller:L1}, {@code human:<token subject or 'anonymous'>}
 * @param inputsDigest SHA-256 of the inputs the decision saw (the context summary), hex
 * @param decision     the decision as JSON (changes, node actions)
 * @param verdict      {@code applied}, {@code proposed}, {@code observed}, {@code rejected}, {@code approved},
 *                     {@code expired}, or {@code governor} (a governor transition)
 */
public record Receipt(long seq, Instant time, String actor, Layer layer, String inputsDigest, String decision,
                      String reasoning, String verdict, String prevHash, String hash) {
}
