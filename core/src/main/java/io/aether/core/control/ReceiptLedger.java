package io.aether.core.control;

import java.util.concurrent.CompletableFuture;

/**
 * Appends receipts to the hash chain in the KV. Appends are serialized by the ledger (a txn on the chain head),
 * so two appenders — the leader's control loop and an API call on another node — never fork the chain.
 */
public interface ReceiptLedger {

    /** Appends {@code draft} after the current head; completes with the stored receipt. */
    CompletableFuture<Receipt> append(ReceiptDraft draft);
}
