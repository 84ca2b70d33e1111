package io.aether.core.control;

/** A receipt before the ledger gave it a seq, a time, and its place in the chain. */
public record ReceiptDraft(String actor, Layer layer, String inputsDigest, String decision, String reasoning,
                           String verdict) {
}
